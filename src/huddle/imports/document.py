"""A Word document (.docx) as the text it holds, one paragraph a line.

Teams offers a meeting's transcript as a `.docx` download, and a Google Meet transcript is a
Google Doc that people download as one; the transcript reader reads their text as it reads
the same transcript saved as text. Only the body's paragraphs are read, in order (a table's
cells are paragraphs too): a tab is a tab, a line break a new line; text deleted or moved
away by tracked changes, field codes, headers, footers and comments are not the document's
words.

Other importers do not read documents: a `.docx` given to them is refused as one, not as a
zip archive holding no export.
"""

from __future__ import annotations

import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from huddle.errors import Invalid
from huddle.imports.workbook import MAX_UNPACKED_BYTES, Converted

_BODY = "word/document.xml"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_STRICT_W = "{http://purl.oclc.org/ooxml/wordprocessingml/main}"
# Parts whose `w:t`, `w:tab` and `w:br` are not the document's words: a paragraph's properties
# (its tab stops are `w:tab` too), text a tracked change moved away (deleted text and field
# codes are elements of their own, never read), and the copy of a text box kept for old
# readers (`mc:Fallback`).
_NOT_WORDS = {
    f"{_W}pPr",
    f"{_W}moveFrom",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback",
}


# An OLE2 compound file: Word 97-2003's `.doc`, and any Word document saved with a password
# (Office encrypts the whole package into one).
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WORD_NAMES = {".docx", ".doc", ".docm", ".dotx"}


def is_word(path: Path) -> bool:
    """Whether the file is a Word document, whatever its name says: a zip holding a body part;
    or an OLE2 file named as a Word document (a `.doc`, a password-protected `.docx`)."""
    if path.suffix.lower() in _WORD_NAMES and _is_ole2(path):
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            return _BODY in archive.namelist()
    except (OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError):
        # A zip that cannot be opened (damaged, a version zipfile does not know) is no
        # document: the zip reading refuses it saying why.
        return False


def refuse(path: Path) -> Invalid:
    return Invalid(
        f"line 1: {path.name} is a Word document, not a data export: download the export "
        "itself from the tool (CSV or JSON); a call transcript in Word is imported as a "
        "transcript"
    )


def _is_ole2(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(8) == _OLE2
    except OSError:
        return False


@contextmanager
def as_text(path: Path) -> Iterator[Converted]:
    """The document's paragraphs as UTF-8 text in a file of the same name (a message naming
    the file names the one the person gave), in a folder of its own removed afterwards."""
    if _is_ole2(path):
        raise Invalid(
            f"line 1: {path.name} is a password-protected (encrypted) Word document or a Word "
            "97-2003 one, which Huddle cannot read: open it in Word and save it as a Word "
            "Document (.docx) without a password, or as plain text"
        )
    with tempfile.TemporaryDirectory(prefix="huddle-document-") as folder:
        target = Path(folder) / path.name
        try:
            with zipfile.ZipFile(path) as archive:
                body = archive.getinfo(_BODY)
                if body.file_size > MAX_UNPACKED_BYTES:
                    raise Invalid(
                        f"line 1: {path.name} is a Word document whose text unpacks to more "
                        "than 1 GiB: save it as text and import that"
                    )
                with archive.open(body) as source:
                    lines = list(_paragraphs(source))
        except ElementTree.ParseError as error:
            raise Invalid(
                f"line 1: {path.name} is a damaged Word document ({error}): save it again "
                "from Word or Teams, or save it as text"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as e:
            raise Invalid(
                f"line 1: {path.name} is a damaged Word document ({e}): download it again"
            ) from None
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
        yield Converted(target, "", [])


def _paragraphs(source: IO[bytes]) -> Iterator[str]:
    """Each body paragraph's text, in order; a line break inside one starts a new line."""
    parts: list[str] = []
    skipped = 0  # inside a part whose text is not the document's (deleted, a field code)
    for event, element in ElementTree.iterparse(source, events=("start", "end")):
        tag = element.tag.replace(_STRICT_W, _W)
        if tag in _NOT_WORDS:
            skipped += 1 if event == "start" else -1
            continue
        if event == "start" or skipped:
            continue
        if tag == f"{_W}t" and element.text:
            parts.append(element.text)
        elif tag == f"{_W}tab":
            parts.append("\t")
        elif tag in {f"{_W}br", f"{_W}cr"}:
            parts.append("\n")
        elif tag == f"{_W}p":
            yield from "".join(parts).split("\n")
            parts.clear()
            element.clear()
