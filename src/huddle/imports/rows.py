"""Streaming rows out of CSV and JSONL files, each with the line it starts on."""

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from huddle.errors import Invalid

# The csv module refuses fields over 131,072 characters; a long transcript or email can be
# more. Past this much a field is reported as its line's error, never read into memory whole.
MAX_FIELD_CHARS = 1024 * 1024
csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_CHARS))
# A byte-order mark names the encoding whatever was declared (Excel writes UTF-16 with one).
# UTF-32's marks begin with UTF-16's, so they are tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]


def detect_format(path: Path, declared: str | None = None) -> str:
    if declared:
        return declared.lower()
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        return "jsonl"
    if suffix in {".csv", ".tsv", ".txt"}:
        return "csv"
    raise Invalid(f"cannot tell the format of {path.name}: use a .csv or .jsonl file, or --format")


def bom_encoding(path: Path) -> str | None:
    """The encoding a file's byte-order mark names, if it starts with one."""
    with path.open("rb") as handle:
        return bom_of(handle.read(4))


def bom_of(head: bytes) -> str | None:
    """The encoding the byte-order mark `head` starts with names, if any."""
    return next((name for bom, name in _BOMS if head.startswith(bom)), None)


def open_text(path: Path, encoding: str) -> IO[str]:
    if not path.exists():
        raise Invalid(f"no such file: {path}")
    return path.open("r", encoding=bom_encoding(path) or encoding, newline="")


def read_rows(handle: IO[str], fmt: str, *, skip: int = 0) -> tuple[list[str], Iterator[Row]]:
    """The header (the union of keys for JSONL, after the first row) and the row stream.
    `skip` CSV rows come before the header (a report's title lines); line numbers stay exact."""
    if fmt == "csv":
        return _csv_rows(handle, skip)
    if fmt == "jsonl":
        return [], _jsonl_rows(handle)
    raise Invalid(f"unknown format {fmt!r}: use csv or jsonl")


# What a spreadsheet separates its cells with: a comma, a tab, or a semicolon (Excel's CSV where
# the comma is the decimal mark: most of Europe).
DELIMITERS = (",", "\t", ";")
# Rows of the sample read to tell them apart.
DELIMITER_ROWS = 50


def csv_delimiter(sample: str) -> str:
    return csv_format(sample)[0]


# csv's quoting constants, as the type checker knows them.
Quoting = Literal[0, 1, 2, 3]


def csv_format(sample: str) -> tuple[str, Quoting]:
    """The delimiter (and quoting) that cuts the sample's rows into the same number of cells
    most often (more than one cell), the first of DELIMITERS on a tie: a semicolon file whose
    text holds commas cuts into ragged rows with commas and into even ones with semicolons.
    Tab-separated text is also tried unquoted: Google Sheets' TSV quotes nothing, and a cell
    that opens with a quote would swallow the rows after it.
    A file that quotes every cell says its delimiter between them first (`"ID";"Title"`): cut
    at another, its descriptions running over lines that hold commas would make more rows of
    one width, a line each, than it has records (GLPI's export)."""
    quoted = _between_quotes(sample)
    if quoted is not None:
        return quoted, csv.QUOTE_MINIMAL
    best: tuple[str, Quoting] = (",", csv.QUOTE_MINIMAL)
    best_score = (0, 0)
    tried: list[tuple[str, Quoting]] = [(d, csv.QUOTE_MINIMAL) for d in DELIMITERS]
    tried.append(("\t", csv.QUOTE_NONE))
    for delimiter, quoting in tried:
        if delimiter not in sample:
            continue
        widths: dict[int, int] = {}
        try:
            cut = csv.reader(io.StringIO(sample), delimiter=delimiter, quoting=quoting)
            for number, cells in enumerate(cut):
                if number >= DELIMITER_ROWS:
                    break
                if any(cell.strip() for cell in cells):
                    widths[len(cells)] = widths.get(len(cells), 0) + 1
        except csv.Error:
            continue
        rows, width = max(((n, w) for w, n in widths.items() if w > 1), default=(0, 0))
        if (rows, width) > best_score:
            best, best_score = (delimiter, quoting), (rows, width)
    return best


# How often one delimiter must stand between two quoted cells, and how much more often than
# any other, for the file to be one quoting every cell.
_QUOTED_PAIRS = 4
_QUOTED_LEAD = 4


def _between_quotes(sample: str) -> str | None:
    """The delimiter a file quoting every cell writes between them (`"a";"b"`): the one of
    DELIMITERS found between a closing and an opening quote often, and far more often than
    any other; None for a file that does not quote so."""
    # A quote doubled inside a cell ('"{""status"":""failed""}"') closes and opens nothing.
    cells = sample.replace('""', "")
    counts = sorted(
        ((len(re.findall(f'"{re.escape(d)}"', cells)), d) for d in DELIMITERS), reverse=True
    )
    (most, found), (next_most, _) = counts[0], counts[1]
    if most < _QUOTED_PAIRS or most < next_most * _QUOTED_LEAD:
        return None
    # And the header is cut by it: a tab file with JSON pasted in a description has '","' in
    # that cell, none in its header.
    header = sample.lstrip("\ufeff").split("\n", 1)[0]
    return found if found in header else None


class _Quotes:
    """The lines of a CSV as its reader takes them, watching its quotes: whether a quoted cell
    is still open when the file ends, and on which line it opened. (A doubled quote inside a
    cell is two on one line: it leaves the count as it was.)"""

    def __init__(self, handle: IO[str]) -> None:
        self.handle = handle
        self.line = 0
        self.opened_at: int | None = None
        self.last = ""

    def __iter__(self) -> "_Quotes":
        return self

    def __next__(self) -> str:
        self.last = next(self.handle)
        self.line += 1
        if self.last.count('"') % 2:
            self.opened_at = None if self.opened_at else self.line
        return self.last

    def cut_short(self) -> int | None:
        """The line a quoted cell opened on, when the file ends inside it without a line end:
        a download that stopped part-way (a stray quote in a whole file ends its line)."""
        return self.opened_at if self.opened_at and not self.last.endswith("\n") else None


def _csv_rows(handle: IO[str], skip: int = 0) -> tuple[list[str], Iterator[Row]]:
    sample = handle.read(64 * 1024)
    handle.seek(0)
    delimiter, quoting = csv_format(sample)
    lines = _Quotes(handle)
    reader = csv.reader(lines, delimiter=delimiter, quoting=quoting)
    try:
        for _ in range(skip):
            next(reader)
        header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    except StopIteration:
        raise Invalid("the file is empty: the first line must name the columns") from None
    except csv.Error as error:
        raise Invalid(f"line 1: the header cannot be read ({_csv_reason(error)})") from None
    if not any(header):
        raise Invalid(f"line {reader.line_num}: the header names no columns")

    def rows() -> Iterator[Row]:
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                opened = lines.cut_short() if quoting != csv.QUOTE_NONE else None
                if opened is not None:
                    raise RowShapeError(
                        opened,
                        "a quoted cell opens on this line and the file ends inside it: the "
                        "file was cut short (download the export again)",
                    ) from None
                return
            except csv.Error as error:
                raise RowShapeError(start, _csv_reason(error)) from None
            if any(cell.strip() for cell in cells):
                if len(cells) > len(header):
                    extra = ", ".join(cell for cell in cells[len(header) :] if cell.strip())
                    if extra:
                        raise RowShapeError(
                            start, f"{len(cells)} cells but the header has {len(header)}"
                        )
                yield Row(start, dict(zip(header, cells, strict=False)))
            start = reader.line_num + 1

    return header, rows()


def _csv_reason(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field is longer than {MAX_FIELD_CHARS:,} characters (an unclosed quote?)"
    return f"not valid CSV ({error})"


def _jsonl_rows(handle: IO[str]) -> Iterator[Row]:
    for number, text in enumerate(handle, start=1):
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise RowShapeError(number, f"not valid JSON ({error.msg})") from None
        if not isinstance(value, dict):
            raise RowShapeError(number, "each line must be a JSON object")
        yield Row(number, value)


class RowShapeError(Exception):
    """A row that cannot even be read; reported like a bad row."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(reason)
        self.line = line
        self.reason = reason
