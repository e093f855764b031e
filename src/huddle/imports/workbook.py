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

An Excel 2003 XML spreadsheet (SpreadsheetML, often named `.xls`) is read the same way by
`spreadsheet_xml`.

Refused, naming the file, with nothing written: the old binary format (Excel 97-2003 `.xls`)
and password-protected workbooks (both OLE2 files, which Huddle cannot read), a workbook cut
short or damaged, and one whose sheets unpack to more than `MAX_UNPACKED_BYTES`.

Each sheet is parsed once: while the sheet of records is chosen, its rows' texts are kept in a
temporary file (memory stays flat) with the merged cells read after them, and the CSV is
written from that file. Every member of the zip is read through once and checked as it is
(zipfile checks a member's CRC at its end): the sheets by that parse, the others before it.
"""

from __future__ import annotations

import bisect
import csv
import pickle
import re
import tempfile
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

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


# How much of a file is read to tell an Excel 2003 XML spreadsheet by its Workbook element.
_XML_HEAD = 4096


def _spreadsheet_xml() -> Any:
    # Imported when needed: it builds on this module (`Converted`, `cell_text`).
    from huddle.imports import spreadsheet_xml

    return spreadsheet_xml


# A cell holding a word (a letter in any script), not only figures and dates.
_WORD = re.compile(r"[^\W\d_]")


def is_workbook(path: Path) -> bool:
    """Whether the file is an Excel workbook, whatever its name says: an Office Open XML
    zip holding a workbook part, an OLE2 file (.xls, or a password-protected .xlsx), or an
    Excel 2003 XML spreadsheet (`spreadsheet_xml`)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_XML_HEAD)
    except OSError:
        return False
    if head.startswith(_OLE2) or _spreadsheet_xml().is_spreadsheet_xml(head):
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


_DAMAGED = "is a damaged Excel workbook (cut short or corrupted): download it again"
# What reading a damaged zip member raises: a bad checksum at its end, a broken compressed
# stream, a member cut short, a compression method zipfile cannot undo, a member marked
# encrypted (RuntimeError: Excel encrypts a whole workbook, never a member, so a flipped flag).
_ZIP_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    OSError,
    EOFError,
    RuntimeError,
)


def _damage(path: Path, within: int | None = None) -> Invalid | None:
    """The refusal of a damaged workbook, naming the first member that is not whole, or None
    when every member reads whole. Asked once reading the workbook has failed, whatever the
    error: a damaged member may show as broken XML before its checksum is reached, and is
    refused as damaged all the same. `within`: look no further than that many bytes unpacked
    (a workbook that declares more than it may unpack is not unpacked whole to be refused)."""
    try:
        with zipfile.ZipFile(path) as archive:
            damaged = _first_damaged(archive, within)
    except _ZIP_DAMAGE:
        return _refuse(path, _DAMAGED)
    if damaged is not None:
        return _refuse(
            path, f"is a damaged Excel workbook ({damaged} is corrupted): download it again"
        )
    return None


def _first_damaged(archive: zipfile.ZipFile, within: int | None) -> str | None:
    """`ZipFile.testzip()`: the name of the first member whose checksum or header is wrong,
    each member read through by name; stopping after `within` bytes unpacked when given."""
    unpacked = 0
    for info in archive.infolist():
        try:
            with archive.open(info.filename) as member:
                while chunk := member.read(1 << 20):
                    unpacked += len(chunk)
                    if within is not None and unpacked > within:
                        return None
        except (zipfile.BadZipFile, RuntimeError):
            return info.filename
    return None


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
    except _ZIP_DAMAGE:
        raise _refuse(path, _DAMAGED) from None
    if unpacked > MAX_UNPACKED_BYTES:  # a size in the zip's directory may be the damage
        raise _damage(path, within=MAX_UNPACKED_BYTES) or _refuse(
            path, "unpacks to more than 1 GiB: export it as CSV instead of as a workbook"
        )
    # Opened as a stream: openpyxl judges a path by its suffix, and a workbook renamed .csv
    # is still a workbook.
    with path.open("rb") as stream:
        try:
            book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a workbook it cannot read
            raise _damage(path) or _unreadable(path, error) from None
        try:
            yield book
        finally:
            book.close()


def _unreadable(path: Path, error: Exception) -> Invalid:
    return _refuse(
        path, f"is an Excel workbook that cannot be read ({type(error).__name__}: {error})"
    )


def _read_through(path: Path, book: Any) -> None:
    """Reads through every member of the workbook but its worksheets, which their own parse
    reads through (`_parsed`): zipfile checks a member's CRC when it reaches its end, so a
    damaged member raises here or there, before anything is written. Each member is read
    once, instead of once more by `testzip()`; opened by name, as `testzip()` opens them."""
    sheets = {sheet._worksheet_path for sheet in book.worksheets}
    with zipfile.ZipFile(path) as archive:
        for name in dict.fromkeys(info.filename for info in archive.infolist()):
            if name in sheets:
                continue
            with archive.open(name) as member:
                while member.read(1 << 20):
                    pass


def _parsed(
    sheet: Any, downward: list[Merged]
) -> Generator[tuple[int, tuple[Any, ...]], None, int]:
    """The sheet's rows holding cells, numbered as a read-only sheet's `iter_rows()` numbers
    them (from 1, a missing row counted; a row given again or out of order passed over), the
    cells those it gives. This is the loop of openpyxl's `ReadOnlyWorksheet._cells_by_row`
    with no bounds (a read-only sheet trusts the size its XML declares, which some writers
    get wrong: every row there is is read), holding on to its parser: once the rows are
    read, the sheet's merged cells spanning more than one row, which come after them, are
    added to `downward`. The part is read to its end (its checksum checked there). Returns
    the last row number `iter_rows()` would have given (0 for none)."""
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    counter = 1  # the next row number iter_rows() gives
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, parsed in parser.parse():
            if number < counter:
                continue
            counter = number + 1
            cells = sheet._get_row(parsed, 1, None, False)
            if cells:
                yield number, cells
    merged = parser.merged_cells
    for span in merged.mergeCell if merged is not None else ():
        if span.max_row > span.min_row:
            downward.append(Merged(span.min_row, span.min_col, span.max_row, span.max_col))
    return counter - 1


@dataclass
class _Sheet:
    """A sheet read through once: how it scores as the sheet of records, and its rows' texts,
    kept in a temporary file to be written from (`rows`)."""

    title: str
    spool: IO[bytes]
    # Rows with words in two cells or more, then cells with words (the better sheet's higher).
    score: tuple[int, int]
    # How many columns on the left are empty in every row; None for a sheet holding nothing.
    lead: int | None
    # The last row number read (rows past it hold nothing, whatever a merged cell spans).
    last: int
    downward: list[Merged]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """The sheet's rows holding something: (row number, cells as text). A cell merged
        down over several rows (a grouped report's account name, down its group) reads as
        its value on each of them, as a person reading the sheet reads it."""
        held: dict[int, str] = {}  # column -> the text of the merged cell covering this row
        for row, texts in self._every_row():
            for merged in self.downward:
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

    def _every_row(self) -> Iterator[tuple[int, list[str]]]:
        """Each row as `iter_rows()` gave it, (row, texts), in order: the kept rows, and
        between them the rows without cells where a merged cell spans them (elsewhere such a
        row holds nothing and changes nothing)."""
        spans: list[tuple[int, int]] = []  # the rows the merged cells span, joined, in order
        for top, bottom in sorted((m.top, m.bottom) for m in self.downward):
            if spans and top <= spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], max(spans[-1][1], bottom))
            else:
                spans.append((top, bottom))
        ends = [bottom for _, bottom in spans]

        def empty(first: int, last: int) -> Iterator[tuple[int, list[str]]]:
            at = bisect.bisect_left(ends, first)
            while at < len(spans) and spans[at][0] <= last:
                top, bottom = spans[at]
                for number in range(max(first, top), min(last, bottom) + 1):
                    yield number, []
                at += 1

        self.spool.seek(0)
        after = 0
        while True:
            try:
                number, row, texts = pickle.load(self.spool)
            except EOFError:
                break
            if spans:
                yield from empty(after + 1, number - 1)
            yield row, texts
            after = number
        if spans:
            yield from empty(after + 1, self.last)


def _read(sheet: Any, folder: Path) -> _Sheet:
    """The sheet parsed once: its rows' texts kept in a temporary file as read (trailing empty
    cells and all, so that merged cells fill them as they would the sheet's), scored as the
    sheet of records."""
    # Not closed here: the caller writes the CSV from it, then closes it.
    spool = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115
    try:
        records, worded, lead = 0, 0, None
        downward: list[Merged] = []
        rows = _parsed(sheet, downward)
        while True:
            try:
                number, cells = next(rows)
            except StopIteration as done:
                last: int = done.value
                break
            texts = [
                cell_text(getattr(cell, "value", None), getattr(cell, "number_format", None))
                for cell in cells
            ]
            # Each row a pickle of its own: nothing is held from one row to the next.
            row = getattr(cells[0], "row", None) or number
            pickle.dump((number, row, texts), spool, pickle.HIGHEST_PROTOCOL)
            end = len(texts)
            while end and not texts[end - 1].strip():
                end -= 1
            if not end:
                continue
            words = sum(1 for text in texts[:end] if _WORD.search(text))
            records += words >= 2
            worded += words
            first = next(i for i, text in enumerate(texts) if text.strip())
            lead = first if lead is None else min(lead, first)
        spool.flush()
        return _Sheet(sheet.title, spool, (records, worded), lead, last, downward)
    except BaseException:
        spool.close()
        raise


def _chosen(path: Path, book: Any, folder: Path) -> tuple[_Sheet, list[str]]:
    """The sheet of records, and the names of every sheet holding rows. The sheet of records
    has the most rows with words in two cells or more (then the most cells with words): a
    pivot or summary beside the data may have more rows (one per account and category) but
    each holds one label and figures; an instructions sheet holds one cell a row. Only the
    best sheet so far keeps its rows."""
    best: _Sheet | None = None
    holding: list[str] = []
    try:
        for sheet in book.worksheets:
            read = _read(sheet, folder)
            if read.lead is not None:
                holding.append(read.title)
            if best is None or read.score > best.score:
                if best is not None:
                    best.spool.close()
                best = read
            else:
                read.spool.close()
    except BaseException:
        if best is not None:
            best.spool.close()
        raise
    if best is None:
        raise _refuse(path, "is an Excel workbook without sheets")
    return best, holding


@contextmanager
def as_csv(path: Path) -> Iterator[Converted]:
    """The workbook at `path` as CSV text in a file of the same name (a message naming the
    file names the one the person gave) in a folder of its own, removed afterwards. Invalid
    for a workbook Huddle cannot read."""
    with path.open("rb") as handle:
        head = handle.read(_XML_HEAD)
    if _spreadsheet_xml().is_spreadsheet_xml(head):
        with _spreadsheet_xml().as_csv(path) as converted:
            yield converted
        return
    if head.startswith(_OLE2):
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
                _read_through(path, book)
                chosen, holding = _chosen(path, book, Path(folder))
                with chosen.spool:
                    converted = Converted(target, chosen.title, holding)
                    lead = chosen.lead or 0
                    with target.open("w", encoding="utf-8", newline="") as out:
                        writer = csv.writer(out, lineterminator="\r\n")
                        line = 1
                        for number, cells in chosen.rows():
                            converted.starts.append(line)
                            converted.rows.append(number)
                            cut = [text.replace("\r\n", "\n") for text in cells[lead:]]
                            writer.writerow(cut)
                            line += 1 + sum(text.count("\n") for text in cut)
            except Invalid:
                raise
            except Exception as error:  # a sheet's XML may be broken inside a sound zip
                raise _damage(path) or _unreadable(path, error) from None
        yield converted
