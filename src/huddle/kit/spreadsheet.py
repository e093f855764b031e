"""CSV meant to be opened in a spreadsheet, where a cell is never taken for a formula.

Excel, LibreOffice and Google Sheets run a cell that starts with `=`, `+`, `-` or `@` (and
some, one that starts with a tab or carriage return) as a formula: an evidence id or a theme
label someone typed could then compute, or fetch from a link, on the reader's machine. Such
a text cell is written with a leading apostrophe, which spreadsheets show as text. Numbers
are left as they are.
"""

import csv
from collections.abc import Iterable
from typing import IO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCsvWriter:
    def __init__(self, handle: IO[str]) -> None:
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)
