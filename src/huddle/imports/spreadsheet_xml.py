"""Excel 2003 XML spreadsheets (SpreadsheetML) read as a workbook is: the "Excel" download of
older survey and reporting tools (SurveyGizmo, legacy report servers), often named `.xls`.

The file is XML, not a zip: `<?mso-application progid="Excel.Sheet"?>` and a `<Workbook
xmlns="urn:schemas-microsoft-com:office:spreadsheet">` of `<Worksheet ss:Name>`s, each a
`<Table>` of `<Row>`s of `<Cell>`s holding `<Data ss:Type="String|Number|DateTime|Boolean|
Error">` (https://learn.microsoft.com/previous-versions/office/developer/office-xp/
aa140066(v=office.10)). A row or cell may skip ahead (`ss:Index`, 1-based); a cell may span
columns to its right (`ss:MergeAcross`) and rows below (`ss:MergeDown`), read as its value in
each row it spans, as `workbook` reads merged cells.

It becomes the CSV text `workbook.as_csv` writes for an .xlsx: the sheet of records chosen
the same way, numbers as the sheet shows them (`12`, not `12.0`), dates and times in ISO 8601
(a date alone at midnight), flags as `TRUE`/`FALSE`, leading empty columns dropped, and each
CSV line mapped back to its sheet row. The XML is parsed streaming, with defusedxml (no
entities, no external references); a file cut short or damaged is refused, naming it.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from defusedxml import DefusedXmlException  # type: ignore[import-untyped]
from defusedxml.ElementTree import iterparse  # type: ignore[import-untyped]

from huddle.errors import Invalid
from huddle.imports.workbook import Converted, cell_text

_NAMESPACE = b"urn:schemas-microsoft-com:office:spreadsheet"
_WORKBOOK = re.compile(rb"<(?:ss:)?Workbook\b")
_WORD = re.compile(r"[^\W\d_]")


def is_spreadsheet_xml(head: bytes) -> bool:
    """Whether a file opening with `head` (its first kilobytes) is SpreadsheetML: XML whose
    `<Workbook>` element is in the spreadsheet namespace."""
    markup = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return markup.startswith(b"<") and _NAMESPACE in head and bool(_WORKBOOK.search(head))


@dataclass
class _Sheet:
    title: str
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    score: tuple[int, int] = (0, 0)


@contextmanager
def as_csv(path: Path) -> Iterator[Converted]:
    """The spreadsheet as CSV text in a file of the same name in a folder of its own, as
    `workbook.as_csv` gives an .xlsx. Invalid for a file that cannot be read."""
    sheets = _sheets(path)
    holding = [sheet.title for sheet in sheets if sheet.rows]
    if not sheets:
        raise Invalid(f"line 1: {path.name} is an Excel 2003 XML spreadsheet without sheets")
    chosen = max(sheets, key=lambda sheet: sheet.score)  # the first of the best
    with tempfile.TemporaryDirectory(prefix="huddle-workbook-") as folder:
        target = Path(folder) / path.name
        converted = Converted(target, chosen.title, holding)
        lead = min(
            (next(i for i, t in enumerate(texts) if t.strip()) for _, texts in chosen.rows),
            default=0,
        )
        with target.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\r\n")
            line = 1
            for number, texts in chosen.rows:
                converted.starts.append(line)
                converted.rows.append(number)
                cut = [text.replace("\r\n", "\n") for text in texts[lead:]]
                writer.writerow(cut)
                line += 1 + sum(text.count("\n") for text in cut)
        yield converted


def _sheets(path: Path) -> list[_Sheet]:
    """Every worksheet's rows holding something, (row number, cells as text), and its score
    as the sheet of records (rows with words in two cells or more, then cells with words)."""
    sheets: list[_Sheet] = []
    row_number = 0
    below: dict[int, tuple[str, int]] = {}  # column -> (a merged cell's text, its last row)
    try:
        for event, element in iterparse(str(path), events=("start", "end")):
            name = element.tag.rpartition("}")[2]
            if event == "start" and name == "Worksheet":
                sheets.append(_Sheet(_attribute(element, "Name") or f"Sheet{len(sheets) + 1}"))
                row_number, below = 0, {}
            elif event == "end" and name == "Row" and sheets:
                row_number = int(_attribute(element, "Index") or row_number + 1)
                texts = _row(element, row_number, below)
                element.clear()
                if texts:
                    _keep(sheets[-1], row_number, texts)
    except (SyntaxError, DefusedXmlException, ValueError) as error:
        raise Invalid(
            f"line 1: {path.name} is an Excel 2003 XML spreadsheet that cannot be read "
            f"({error}): it is cut short or damaged; download it again, or open it in Excel "
            "and save it as an Excel Workbook (.xlsx) or CSV UTF-8"
        ) from None
    return sheets


def _row(element: Any, number: int, below: dict[int, tuple[str, int]]) -> list[str]:
    """A row's cells as text by column, a cell merged down from a row above filled in."""
    cells: dict[int, str] = {}
    column = 0
    for cell in element:
        if cell.tag.rpartition("}")[2] != "Cell":
            continue
        column = int(_attribute(cell, "Index") or column + 1)
        text = _cell_text(cell)
        across = int(_attribute(cell, "MergeAcross") or 0)
        down = int(_attribute(cell, "MergeDown") or 0)
        for spanned in range(column, column + across + 1):
            cells[spanned] = text if spanned == column else cells.get(spanned, "")
            if down:
                below[spanned] = (text, number + down)
        column += across
    for spanned, (text, last) in list(below.items()):
        if last < number:
            del below[spanned]
        elif not cells.get(spanned, "").strip():
            cells[spanned] = text
    texts = [cells.get(i, "") for i in range(1, max(cells, default=0) + 1)]
    while texts and not texts[-1].strip():
        texts.pop()
    return texts


def _cell_text(cell: Any) -> str:
    data = next((c for c in cell if c.tag.rpartition("}")[2] == "Data"), None)
    if data is None:
        return ""
    text = "".join(data.itertext())  # rich text (html:Font, html:B) is its words
    kind = _attribute(data, "Type")
    try:
        if kind == "Number":
            return cell_text(float(text))
        if kind == "DateTime":
            return cell_text(datetime.fromisoformat(text.strip()))
    except ValueError:
        return text
    if kind == "Boolean":
        return "TRUE" if text.strip() == "1" else "FALSE"
    return text


def _keep(sheet: _Sheet, number: int, texts: list[str]) -> None:
    sheet.rows.append((number, texts))
    words = sum(1 for text in texts if _WORD.search(text))
    records, worded = sheet.score
    sheet.score = (records + (words >= 2), worded + words)


def _attribute(element: Any, name: str) -> str | None:
    """An `ss:`-prefixed attribute (`ss:Index`), or one a writer left unprefixed."""
    value: str | None = element.get(f"{{{_NAMESPACE.decode()}}}{name}")
    return value if value is not None else element.get(name)
