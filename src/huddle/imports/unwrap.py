"""A file as the importers read it: an Excel workbook as the CSV it holds (`workbook`), and a
zip holding one export file as that file (HubSpot and Salesforce mail a large export as a
zip download; a call's caption file where the zip holds no other export), a Word document
as its text where it is read (`document`); any other file as it is.

A zip holding several export files is refused with their names (which to import is the
person's choice), except a data export that its connector reads whole (Salesforce's: the
import takes out the files it reads, `exports_named`); a zip read by the connector itself (a
Slack export) is not unwrapped. A zip whose files are encrypted is refused as
password-protected (`zips`).
"""

from __future__ import annotations

import errno
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from huddle.errors import Invalid
from huddle.imports import document, workbook, zips
from huddle.imports.drive_shortcuts import refuse_shortcut
from huddle.imports.workbook import Converted

# What an export inside a zip may be named; other members (a README, images) are passed over.
EXPORT_SUFFIXES = {".csv", ".tsv", ".txt", ".xlsx", ".json", ".jsonl", ".ndjson"}
# A call's captions or annotations (a recording's download, a caption vendor's delivery):
# exports too where the zip holds no other, so that a zip that read before reads the same.
CALL_SUFFIXES = {".vtt", ".srt", ".sbv", ".ass", ".ssa", ".dfxp", ".ttml", ".eaf"}


def is_zip(path: Path) -> bool:
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


@contextmanager
def readable(path: Path, *, unzip: bool = True, documents: bool = False) -> Iterator[Converted]:
    """The file as the CSV and JSON readers take it (see the module), a Word document as its
    text when `documents` (the transcript reader's), else refused as one. Invalid for a
    workbook or a zip that cannot be read, or a zip of several exports, or Google Drive's
    shortcut to a file (`drive_shortcuts`)."""
    refuse_shortcut(path)
    if document.is_word(path):
        if not documents:
            raise document.refuse(path)
        with document.as_text(path) as converted:
            yield converted
    elif workbook.is_workbook(path):
        with workbook.as_csv(path) as converted:
            yield converted
    elif unzip and is_zip(path):
        with _only_export(path) as inside, readable(inside, unzip=False) as converted:
            converted.origin = f"read {inside.name} from {path.name}"
            yield converted
    else:
        yield Converted(path, "", [], [1], [1], as_is=True)


def _hidden(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return any(part.startswith((".", "__MACOSX")) for part in parts)


@contextmanager
def _only_export(path: Path) -> Iterator[Path]:
    """The one export file a zip holds, taken out into a folder of its own."""
    with tempfile.TemporaryDirectory(prefix="huddle-unzipped-") as folder:
        try:
            target = _take_out(path, Path(folder))
        except zips.READ_ERRORS as error:
            raise Invalid(zips.damaged(path, error)) from None
        except OSError as error:
            raise _bad_offset(path, error) from None
        yield target


def _bad_offset(path: Path, error: OSError) -> OSError | Invalid:
    """A member's offset that points outside the file (a zip re-saved as text, cut or
    patched) fails to seek, EINVAL: damage, said as such; any other OSError (a full disk)
    is itself."""
    return Invalid(zips.damaged(path, error)) if error.errno == errno.EINVAL else error


# OpenDocument's first member names what the file is (LibreOffice's and Google's `.ods`,
# `.odt`): not an export Huddle reads, whatever it is named.
_OPEN_DOCUMENT = b"application/vnd.oasis.opendocument."


def _take_out(path: Path, folder: Path) -> Path:
    with zips.opened(path) as archive:
        exports = _exports(path, archive)
        if len(exports) > 1:
            names = [PurePosixPath(i.filename).name for i in exports]
            shown = ", ".join(names[:12]) + (", …" if len(names) > 12 else "")
            raise Invalid(
                f"line 1: {path.name} is a zip archive of {len(names)} export files "
                f"({shown}): unzip it and import them one at a time (accounts first)"
            )
        (only,) = exports
        return _extract(path, archive, only, folder)


def _exports(path: Path, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members of `archive` that are export files; Invalid when there is none (or it is
    an OpenDocument file, which is a zip too)."""
    mimetype = archive.read("mimetype") if "mimetype" in archive.namelist() else b""
    if mimetype.startswith(_OPEN_DOCUMENT):
        kind = mimetype[len(_OPEN_DOCUMENT) :].decode("ascii", "replace")
        raise Invalid(
            f"line 1: {path.name} is an OpenDocument {kind} (LibreOffice's own format), "
            "which Huddle cannot read: save it as an Excel Workbook (.xlsx) or as CSV "
            "(File > Save As)"
        )
    names = archive.namelist()
    if "Index/Document.iwa" in names:
        # Apple's iWork files are zips of their own: Numbers keeps its tables' data there.
        kind = "Numbers spreadsheet" if "Index/CalculationEngine.iwa" in names else "iWork document"
        raise Invalid(
            f"line 1: {path.name} is an Apple {kind}, which Huddle cannot read: export it as "
            "CSV from Numbers (File > Export To > CSV…) or as an Excel workbook"
        )
    members = [
        info for info in archive.infolist() if not info.is_dir() and not _hidden(info.filename)
    ]
    exports = [
        info for info in members if PurePosixPath(info.filename).suffix.lower() in EXPORT_SUFFIXES
    ] or [info for info in members if PurePosixPath(info.filename).suffix.lower() in CALL_SUFFIXES]
    if not exports:
        listed = ", ".join(PurePosixPath(i.filename).name for i in members[:8])
        raise Invalid(
            f"line 1: {path.name} is a zip archive holding no export file"
            + (f" ({listed})" if listed else "")
        )
    return exports


def _extract(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, folder: Path) -> Path:
    name = PurePosixPath(info.filename).name
    if info.file_size > workbook.MAX_UNPACKED_BYTES:
        raise Invalid(
            f"line 1: {path.name} holds {name}, which unpacks to more than 1 GiB: unzip it "
            "and import the file itself"
        )
    target = folder / name
    with archive.open(info) as source, target.open("wb") as out:
        shutil.copyfileobj(source, out)
    return target


def export_names(path: Path) -> list[str]:
    """The names of the export files a zip holds (none for a file that is no zip, or a zip
    that cannot be read: reading it says why)."""
    if not is_zip(path):
        return []
    try:
        with zips.opened(path) as archive:
            return [PurePosixPath(i.filename).name for i in _exports(path, archive)]
    except (Invalid, OSError):
        return []
    except zips.READ_ERRORS:
        return []


@contextmanager
def exports_named(path: Path, names: list[str]) -> Iterator[dict[str, Path]]:
    """The export files of a zip that `names` names (a data export's objects that are read;
    the others stay packed), taken out into a folder of their own, by name. Invalid when
    together they unpack to more than `workbook.MAX_UNPACKED_BYTES`."""
    with tempfile.TemporaryDirectory(prefix="huddle-unzipped-") as folder:
        try:
            with zips.opened(path) as archive:
                wanted = [
                    info
                    for info in _exports(path, archive)
                    if PurePosixPath(info.filename).name in names
                ]
                if sum(info.file_size for info in wanted) > workbook.MAX_UNPACKED_BYTES:
                    raise Invalid(
                        f"line 1: {path.name} unpacks to more than 1 GiB of "
                        f"{', '.join(names)}: unzip it and import the files one at a time"
                    )
                taken = {
                    PurePosixPath(info.filename).name: _extract(path, archive, info, Path(folder))
                    for info in wanted
                }
        except zips.READ_ERRORS as error:
            raise Invalid(zips.damaged(path, error)) from None
        except OSError as error:
            raise _bad_offset(path, error) from None
        yield taken
