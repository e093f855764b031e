"""Files saved under an export's name that are not text, refused by their first bytes.

A compressed download saved under its inner name ("tickets.csv" that is gzip), a report saved
as PDF, a screenshot, a data warehouse's columnar unload (Parquet, Avro, Arrow) downloaded
under a .csv name, a MongoDB dump (BSON, mongodump's) under a .json one, or the web page a
browser was shown instead of the download (a sign-in, a bot check): the CSV and JSON readers
look before they parse, so a person is told what the file is rather than that its first row
makes no sense.
"""

import codecs
import math
import re
import struct
import unicodedata
from collections import Counter
from pathlib import Path

from huddle.errors import Invalid

# Files that are not text, by their first bytes: a compressed download saved under its inner
# name ("tickets.csv" that is gzip), a report saved as PDF, a screenshot.
_NOT_TEXT = (
    (
        b"\x1f\x8b",
        "is gzip-compressed, not text: decompress it first (gunzip, or open it with your "
        "archive tool) and import the file inside",
    ),
    (
        b"%PDF-",
        "is a PDF document, not a data export: download the export itself from the tool "
        "(CSV or JSON), not its printed report",
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "is Zstandard-compressed (zstd), not text: saved as the server sent it, still compressed "
        '(a browser\'s "Copy as cURL" without --compressed); download it again, or decompress '
        "it first (zstd -d)",
    ),
    (
        b"\xfd7zXZ\x00",
        "is xz-compressed, not text: decompress it first (xz -d) and import the file inside",
    ),
    (
        b"7z\xbc\xaf\x27\x1c",
        "is a 7-Zip archive, not text: extract it first and import the file inside",
    ),
    (b"Rar!\x1a\x07", "is a RAR archive, not text: extract it first and import the file inside"),
    (
        # Avro's object container: "Obj" and its version byte, which no text holds.
        b"Obj\x01",
        "is an Apache Avro file (a data warehouse's binary unload), not CSV or JSON text: "
        "export the table as CSV or JSON instead",
    ),
    (
        # Arrow's IPC file (Feather v2) pads its six-letter magic with two NUL bytes.
        b"ARROW1\x00\x00",
        "is an Apache Arrow (Feather) file, a binary table, not CSV or JSON text: export the "
        "table as CSV or JSON instead",
    ),
    (b"\x89PNG", "is a PNG image, not a data export"),
    (b"\xff\xd8\xff", "is a JPEG image, not a data export"),
)


# bzip2: "BZh", the block size, then a block's or the stream end's magic (so a text that
# happens to begin "BZh" is still text).
_BZIP2 = re.compile(rb"BZh[1-9](?:\x31\x41\x59\x26\x53\x59|\x17\x72\x45\x38\x50\x90)")
# A web page saved under an export's name: a report's printable view, a sign-in or a
# bot-check page ("Just a moment...") the browser was shown instead of the download.
_HTML_PAGE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)


# Parquet opens and closes with "PAR1": a text that happens to begin so does not end so too.
_PARQUET = b"PAR1"


def refuse_binary(path: Path, head: bytes) -> None:
    """Invalid, naming the file and what it is, when its first bytes are those of a format
    that is not text (gzip, PDF, an image, a columnar table) or of a web page."""
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise Invalid(f"line 1: {path.name} {what}")
    if head.startswith(_PARQUET) and _ends_with(path, _PARQUET):
        # BigQuery's EXPORT DATA, Snowflake's and Redshift's UNLOAD write Parquet by default.
        raise Invalid(
            f"line 1: {path.name} is an Apache Parquet file (a data warehouse's columnar "
            "export), not CSV or JSON text: export the table with format CSV or JSON instead"
        )
    if _BZIP2.match(head):
        raise Invalid(
            f"line 1: {path.name} is bzip2-compressed, not text: decompress it first (bunzip2) "
            "and import the file inside"
        )
    if _bson(path, head):
        raise Invalid(
            f"line 1: {path.name} is BSON (a MongoDB dump, as mongodump writes a collection), "
            "not JSON text: export the collection as JSON instead (mongoexport --jsonArray) "
            "and import that file"
        )
    if _HTML_PAGE.match(head.removeprefix(codecs.BOM_UTF8)):
        raise Invalid(
            f"line 1: {path.name} is an HTML page (a web page saved from the browser), not an "
            "export: download the export file itself from the tool"
        )
    if looks_compressed(head):
        raise Invalid(
            f"line 1: {path.name} looks compressed (gzip/Brotli/Zstandard?), not text: its bytes "
            "are neither UTF-8 nor text in another encoding (an API answer saved as the server "
            'sent it, e.g. a browser\'s "Copy as cURL" run without --compressed): decompress '
            "it or export it again"
        )


# How much of a file's start is weighed to tell compressed bytes from text.
_WEIGHED = 512
# Bytes no text holds, in any ASCII-based encoding a person saves text in: the
# C0 controls but tab, line feed, form feed and carriage return, and DEL. Compressed bytes
# are evenly spread, so about one in nine is one of them; UTF-16 text is told apart first.
_CONTROLS = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D} | {0x7F}


def looks_compressed(head: bytes) -> bool:
    """Whether a file's first bytes look compressed with no magic number to say so (Brotli,
    raw deflate): not UTF-8, not UTF-16, many control bytes no text holds, and bytes spread
    as evenly as compressed data's (entropy near the most their count allows). Text in
    cp1252, Shift-JIS or UTF-16, and binary formats full of zeros (OLE2, SQLite, PST) are
    not; a zip is told by its own name for it."""
    sample = head[:_WEIGHED]
    if len(sample) < 64 or sample.startswith(b"PK"):
        return False
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _decodes(sample, "utf-8"):
        return False
    if _utf16_text(sample, "utf-16-le") or _utf16_text(sample, "utf-16-be"):
        return False
    controls = sum(byte in _CONTROLS for byte in sample)
    if controls * 25 < len(sample):  # fewer than 4%
        return False
    counts = Counter(sample).values()
    entropy = -sum(n / len(sample) * math.log2(n / len(sample)) for n in counts)
    return entropy >= 0.85 * min(8.0, math.log2(len(sample)))


def _decodes(sample: bytes, encoding: str) -> bool:
    """Whether `sample` reads as `encoding` (a character cut off at its end allowed)."""
    return _decoded(sample, encoding) is not None


def _decoded(sample: bytes, encoding: str) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeDecodeError:
        return None


def _utf16_text(sample: bytes, encoding: str) -> bool:
    """Whether `sample` is UTF-16 text without a byte-order mark: it reads as UTF-16 and one
    character in twenty at least is ASCII (a line break, a space, a comma, a quote: an export
    has them whatever its script), or, for prose in a script of its own (Chinese written
    without a space), all but a few are letters, digits, punctuation or spaces; bytes read so
    by chance are neither (their characters unassigned, private or surrogates a third of
    the time)."""
    text = _decoded(sample[: len(sample) // 2 * 2], encoding)
    if text is None:
        return False
    if sum(c < "\x80" for c in text) * 20 >= len(text):
        return True
    written = sum(unicodedata.category(c)[0] in "LMNPZ" for c in text)
    return written * 50 >= len(text) * 49


# A BSON document: its length (a little-endian int32, itself included), then elements, each a
# type byte (0x01-0x13, or the min and max keys 0xFF and 0x7F) and a key ending in NUL
# ("_id"), and a NUL closing the document. mongodump writes a collection as its documents one
# after another, so the next begins where the first ends.
_BSON_ELEMENT = re.compile(rb"[\x01-\x13\x7f\xff][\x20-\x7e]{1,64}\x00")


def _bson(path: Path, head: bytes) -> bool:
    """Whether the file is BSON: a first document of a length the file holds, opening with an
    element and closed by a NUL, and a next document (if any) of a length the rest holds."""
    if len(head) < 8 or not _BSON_ELEMENT.match(head, 4):
        return False
    length = _int32(head[:4])
    try:
        size = path.stat().st_size
        if not 5 <= length <= size:
            return False
        with path.open("rb") as handle:
            handle.seek(length - 1)
            after = handle.read(5)
    except OSError:
        return False
    if after[:1] != b"\x00":
        return False
    return length == size or 5 <= _int32(after[1:].ljust(4, b"\xff")) <= size - length


def _int32(four: bytes) -> int:
    value: int = struct.unpack("<i", four)[0]
    return value


def _ends_with(path: Path, magic: bytes) -> bool:
    try:
        with path.open("rb") as handle:
            handle.seek(max(path.stat().st_size - len(magic), 0))
            return handle.read() == magic
    except OSError:
        return False
