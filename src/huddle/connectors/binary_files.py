"""Files saved under an export's name that are not text, refused by their first bytes.

A compressed download saved under its inner name ("tickets.csv" that is gzip), a report saved
as PDF, a screenshot, or the web page a browser was shown instead of the download (a sign-in,
a bot check): the CSV and JSON readers look before they parse, so a person is told what the
file is rather than that its first row makes no sense.
"""

import codecs
import re
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


def refuse_binary(path: Path, head: bytes) -> None:
    """Invalid, naming the file and what it is, when its first bytes are those of a format
    that is not text (gzip, PDF, an image) or of a web page."""
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise Invalid(f"line 1: {path.name} {what}")
    if _BZIP2.match(head):
        raise Invalid(
            f"line 1: {path.name} is bzip2-compressed, not text: decompress it first (bunzip2) "
            "and import the file inside"
        )
    if _HTML_PAGE.match(head.removeprefix(codecs.BOM_UTF8)):
        raise Invalid(
            f"line 1: {path.name} is an HTML page (a web page saved from the browser), not an "
            "export: download the export file itself from the tool"
        )
