"""Excel workbooks (.xlsx) read wherever a CSV is: many tools export a workbook by default
(Salesforce's formatted reports, HubSpot, survey and review sites).

A workbook is turned into the CSV text Excel's "Save As CSV UTF-8" would write, in a file of
its own, and that file goes through the same reading as any CSV: a report's title and
filter rows, group and total rows, its footer, every quirk a CSV reader knows, is known for a
workbook too. What the conversion decides:

- the sheet: the sheet of records, with the most rows holding words in two cells or more (a
  workbook may open on an instructions sheet, or a pivot of figures with more rows than the
  data); the import's warnings say which was read when there were more;
- a cell's text: as the sheet shows it for text and whole numbers (`12`, not `12.0`), dates
  and times as ISO 8601 (`2026-11-30 08:10:00`; a date alone when its format shows no time),
  formulas by the value Excel last saved for them, `TRUE`/`FALSE` for flags;
- lines: the CSV's line numbers are mapped back to the sheet's row numbers (`in_sheet`), so an
  error names the row a person sees in Excel, even where a cell holds several lines.

Refused, naming the file, with nothing written: the old binary format (Excel 97-2003 `.xls`)
and password-protected workbooks (both OLE2 files, which Huddle cannot read), a workbook cut
short or damaged, and one whose sheets unpack to more than `MAX_UNPACKED_BYTES`.
"""

from __future__ import annotations

import bisect
import csv
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from huddle.errors import Invalid

_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A workbook's sheets unpacked past this are refused, not read (a zip bomb, or a workbook too
# large to be an export a person downloaded: export it as CSV instead).
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024


@dataclass
class Converted:
    """A workbook as CSV: where the text is, and the sheet row each CSV line starts."""

    path: Path
    sheet: str
    sheets_with_rows: list[str]
    # starts[i] is the CSV line on which the sheet's row rows[i] begins.
    starts: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    # Not a workbook: the file itself, its lines its own.
    as_is: bool = False
    # Where the file came from when it was taken out of an archive ("read x.csv from y.zip").
    origin: str | None = None

    def in_sheet(self, line: int) -> int:
        """The sheet row a CSV line belongs to (a cell of several lines spans several)."""
        if self.as_is:
            return line
        at = bisect.bisect_right(self.starts, line) - 1
        return self.rows[at] if at >= 0 else line

    def notes(self) -> list[str]:
        """What the import should say about what it read: the file taken out of an archive,
        the sheet when there was a choice."""
        said = [self.origin] if self.origin else []
        if len(self.sheets_with_rows) > 1:
            others = ", ".join(f"'{n}'" for n in self.sheets_with_rows if n != self.sheet)
            said.append(f"the workbook has more than one sheet: read '{self.sheet}', not {others}")
        return said


@dataclass(frozen=True)
class Merged:
    """A range of merged cells, by row and column numbers (1-based)."""

    top: int
    left: int
    bottom: int
    right: int


# A cell holding a word (a letter in any script), not only figures and dates.
_WORD = re.compile(r"[^\W\d_]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _cell(ref: str) -> tuple[int, int]:
    found = _REF.match(ref.strip().upper().replace("$", ""))
    if not found:
        raise ValueError(f"not a cell reference: {ref!r}")
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return int(found.group(2)), column


def merged_down(archive: zipfile.ZipFile, part: str) -> list[Merged]:
    """The ranges of a sheet's merged cells that span more than one row, read from its XML
    (a read-only sheet does not keep them): streamed, as the `mergeCells` list comes after
    the rows."""
    from openpyxl.xml.functions import iterparse  # defusedxml's, when it is installed

    found: list[Merged] = []
    with archive.open(part.lstrip("/")) as stream:
        for _, element in iterparse(stream):
            if element.tag.endswith("}mergeCell"):
                first, _, last = str(element.get("ref", "")).partition(":")
                try:
                    (top, left), (bottom, right) = _cell(first), _cell(last or first)
                except ValueError:
                    continue
                if bottom > top:
                    found.append(Merged(top, left, bottom, right))
            elif element.tag.endswith("}row"):
                element.clear()  # the rows are read elsewhere: keep memory flat
    return found


def is_workbook(path: Path) -> bool:
    """Whether the file is an Excel workbook, whatever its name says: an Office Open XML
    zip holding a workbook part, or an OLE2 file (.xls, or a password-protected .xlsx)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        return False
    if head.startswith(_OLE2):
        return True
    if not head.startswith(_ZIP):
        return False
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return True  # a damaged one is refused as a workbook, not as a zip of something else
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, NotImplementedError, OSError):
        return False


def cell_text(value: Any, number_format: str | None = None) -> str:
    """A cell as Excel's CSV would show it, dates in ISO 8601 (which every reader takes)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        timed = value.time() != time(0) or _shows_time(number_format)
        return value.isoformat(sep=" ", timespec="seconds") if timed else value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    return str(value)


def _shows_time(number_format: str | None) -> bool:
    text = (number_format or "").lower()
    return "h" in text or "ss" in text or "am/pm" in text


def _refuse(path: Path, why: str) -> Invalid:
    return Invalid(f"line 1: {path.name} {why}")


@contextmanager
def _opened(path: Path) -> Iterator[Any]:
    """The workbook, read-only (its sheets parsed as they are read, never held whole)."""
    try:
        import openpyxl
    except ImportError as missing:  # pragma: no cover - a dependency of the install
        raise Invalid("reading Excel workbooks needs openpyxl: pip install openpyxl") from missing
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            damaged = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, OSError, EOFError):
        raise _refuse(
            path, "is a damaged Excel workbook (cut short or corrupted): download it again"
        ) from None
    if damaged is not None:
        raise _refuse(
            path, f"is a damaged Excel workbook ({damaged} is corrupted): download it again"
        )
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse(path, "unpacks to more than 1 GiB: export it as CSV instead of as a workbook")
    # Opened as a stream: openpyxl judges a path by its suffix, and a workbook renamed .csv
    # is still a workbook.
    with path.open("rb") as stream:
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a workbook it cannot read
            raise _unreadable(path, error) from None
        try:
            yield book
        finally:
            book.close()


def _unreadable(path: Path, error: Exception) -> Invalid:
    return _refuse(
        path, f"is an Excel workbook that cannot be read ({type(error).__name__}: {error})"
    )


def _chosen(path: Path, book: Any) -> tuple[Any, list[str], int]:
    """The sheet of records, the names of every sheet holding rows, and how many columns on
    its left are empty in every row (a sheet starting at B2). The sheet of records has the
    most rows with words in two cells or more (then the most cells with words): a pivot or
    summary beside the data may have more rows (one per account and category) but each
    holds one label and figures; an instructions sheet holds one cell a row."""
    best: tuple[tuple[int, int], Any, int] | None = None
    holding: list[str] = []
    for sheet in book.worksheets:
        records, worded, lead = 0, 0, None
        for _, cells in _rows_of(sheet):
            words = sum(1 for text in cells if _WORD.search(text))
            records += words >= 2
            worded += words
            first = next(i for i, text in enumerate(cells) if text.strip())
            lead = first if lead is None else min(lead, first)
        if lead is not None:
            holding.append(sheet.title)
        if best is None or (records, worded) > best[0]:
            best = ((records, worded), sheet, lead or 0)
    if best is None:
        raise _refuse(path, "is an Excel workbook without sheets")
    return best[1], holding, best[2]


def _rows_of(sheet: Any, downward: list[Merged] | None = None) -> Iterator[tuple[int, list[str]]]:
    """The sheet's rows holding something: (row number, cells as text). A cell merged down
    over several rows (a grouped report's account name, down its group) reads as its value
    on each of them, as a person reading the sheet reads it."""
    # A read-only sheet trusts the size its XML declares, which some writers get wrong:
    # forget it and read every row there is.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    held: dict[int, str] = {}  # column -> the text of the merged cell covering this row
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        row = getattr(cells[0], "row", None) if cells else None
        row = row or number
        texts = [
            cell_text(getattr(cell, "value", None), getattr(cell, "number_format", None))
            for cell in cells
        ]
        for merged in downward or ():
            if merged.top == row:
                column = merged.left - 1
                held[merged.left] = texts[column] if column < len(texts) else ""
            elif merged.top < row <= merged.bottom and held.get(merged.left):
                column = merged.left - 1
                texts.extend([""] * (column + 1 - len(texts)))
                if not texts[column].strip():
                    texts[column] = held[merged.left]
        while texts and not texts[-1].strip():
            texts.pop()
        if texts:
            yield row, texts


@contextmanager
def as_csv(path: Path) -> Iterator[Converted]:
    """The workbook at `path` as CSV text in a file of the same name (a message naming the
    file names the one the person gave) in a folder of its own, removed afterwards. Invalid
    for a workbook Huddle cannot read."""
    with path.open("rb") as handle:
        if handle.read(8).startswith(_OLE2):
            raise _refuse(
                path,
                "is an Excel 97-2003 workbook (.xls) or a password-protected one, which Huddle "
                "cannot read: open it in Excel and save it as an Excel Workbook (.xlsx) without "
                "a password, or as CSV UTF-8",
            )
    with tempfile.TemporaryDirectory(prefix="huddle-workbook-") as folder:
        target = Path(folder) / path.name
        with _opened(path) as book:
            try:
                sheet, holding, lead = _chosen(path, book)
                converted = Converted(target, sheet.title, holding)
                with zipfile.ZipFile(path) as archive:
                    downward = merged_down(archive, sheet._worksheet_path)
                with target.open("w", encoding="utf-8", newline="") as out:
                    writer = csv.writer(out, lineterminator="\r\n")
                    line = 1
                    for number, cells in _rows_of(sheet, downward):
                        converted.starts.append(line)
                        converted.rows.append(number)
                        cut = [text.replace("\r\n", "\n") for text in cells[lead:]]
                        writer.writerow(cut)
                        line += 1 + sum(text.count("\n") for text in cut)
            except Invalid:
                raise
            except Exception as error:  # a sheet's XML may be broken inside a sound zip
                raise _unreadable(path, error) from None
        yield converted
