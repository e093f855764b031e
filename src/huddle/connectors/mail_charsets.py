"""Charset labels mail clients write that Python's codecs do not know.

Outlook labels Hebrew in logical order `iso-8859-8-i` (and Arabic `iso-8859-6-i`), Korean
`ks_c_5601-1987` (really Windows' cp949, which Python would read as the narrower EUC-KR),
Apple Mail `x-mac-*`, old clients `unicode-1-1-utf-7`, `x-sjis`, `windows-874`: each is read
as the codec it names. The labels are registered with `codecs`, so encoded words in headers
(`=?iso-8859-8-i?B?…?=`) are read too; a body's charset goes through `mail_alias`, which also
prefers cp949 to EUC-KR.
"""

import codecs
import re

ALIASES = {
    "iso-8859-8-i": "iso8859_8",
    "iso-8859-8-e": "iso8859_8",
    "iso-8859-6-i": "iso8859_6",
    "iso-8859-6-e": "iso8859_6",
    "logical": "iso8859_8",
    "visual": "iso8859_8",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "ks_c_5601-1989": "cp949",
    "ksc5601": "cp949",
    "csksc56011987": "cp949",
    "windows-949": "cp949",
    "x-windows-949": "cp949",
    "unicode-1-1-utf-7": "utf_7",
    "unicode-1-1-utf-8": "utf_8",
    "unicode-2-0-utf-8": "utf_8",
    "x-unicode20utf8": "utf_8",
    "x-mac-roman": "mac_roman",
    "x-mac-ce": "mac_latin2",
    "x-mac-centraleurroman": "mac_latin2",
    "x-mac-cyrillic": "mac_cyrillic",
    "x-mac-ukrainian": "mac_cyrillic",
    "x-mac-greek": "mac_greek",
    "x-mac-turkish": "mac_turkish",
    "x-mac-icelandic": "mac_iceland",
    "x-mac-croatian": "mac_croatian",
    "x-mac-romanian": "mac_romanian",
    "x-mac-arabic": "mac_arabic",
    "x-mac-farsi": "mac_farsi",
    "x-mac-japanese": "shift_jis",
    "x-mac-korean": "euc_kr",
    "x-mac-chinesesimp": "gb2312",
    "x-mac-chinesetrad": "big5",
    "x-sjis": "shift_jis",
    "x-euc-jp": "euc_jp",
    "x-gbk": "gbk",
    "x-x-big5": "big5",
    "x-cp1250": "cp1250",
    "x-cp1251": "cp1251",
    "windows-874": "cp874",
    "x-user-defined": "latin_1",
    "gb_2312-80": "gb2312",
}


def _key(label: str) -> str:
    # codecs hands a search function the name lower-cased with spaces and hyphens as
    # underscores; a charset parameter comes as it was written.
    return re.sub(r"[\s_-]+", "-", label.strip().strip("\"'").casefold())


_BY_KEY = {_key(label): codec for label, codec in ALIASES.items()}


def mail_alias(label: str | None) -> str | None:
    """The codec a mail client's charset label means when it is one of the labels above;
    None for any other label (Python's own reading of it stands)."""
    return _BY_KEY.get(_key(label)) if label else None


def _search(name: str) -> codecs.CodecInfo | None:
    found = _BY_KEY.get(_key(name))
    return codecs.lookup(found) if found is not None else None


codecs.register(_search)
