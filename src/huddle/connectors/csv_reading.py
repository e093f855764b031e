"""Reading a CSV export row by row: its header found and mapped to fields, its rows streamed,
and what is not a record skipped.

`csv_records` is what a CSV connector calls. It finds the header under a report's title
(`report_rows`), settles the order the file writes its numeric dates in for `export_dates`,
skips a repeated header, a table nested under a record and a report's totals and footers, and
hands every other row to the connector. Only one row is held at a time, and bad input becomes
the connector's `RowError`s (`common.run_rows`), never a traceback.
"""

import csv
import itertools
from collections.abc import Callable, Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.binary_files import refuse_binary
from huddle.connectors.common import column_overrides, run_rows
from huddle.connectors.export_dates import SLASH_MONTH_FIRST, slash_order
from huddle.connectors.json_reading import is_json
from huddle.connectors.json_table import json_columns, json_table
from huddle.connectors.report_rows import header_row, not_a_record
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, resolve_columns, spelled
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError, bom_of, read_rows


def read_csv(
    path: Path,
    encoding: str,
    specs: tuple[FieldSpec, ...],
    overrides: Mapping[str, str],
    *,
    header_specs: tuple[FieldSpec, ...] | None = None,
) -> tuple[list[str], dict[str, str], Generator[Row]]:
    """Header, field -> column, and the row stream of a CSV file; Invalid on a bad header.
    `header_specs`: the fields that find the header row under a report's title, when a
    record may lack one its header would name (`specs` then read the rows)."""
    with path.open("rb") as raw:
        magic = raw.read(512)
    refuse_binary(path, magic)
    if magic.startswith(b"PK\x03\x04"):
        # A zip (an Excel workbook is read before it gets here: imports/workbook.py).
        raise Invalid(
            f"line 1: {path.name} is a zip archive, not CSV text: unzip it and import the "
            "export inside"
        )
    if is_json(path, encoding):
        # An API page or a JSON export of a kind the connector has no reader of its own for:
        # its records as the rows of a table (`json_table`), their fields as its columns.
        header, json_rows = json_table(path, encoding, "a record")
        return header, json_columns(header, specs, overrides), json_rows
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark: the mark says so.
    marked = bom_of(magic)
    if marked and marked.startswith("utf-16"):
        encoding = marked
    skip = header_row(path, encoding, header_specs or specs, overrides)
    handle = path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
    try:
        header, rows = read_rows(handle, "csv", skip=skip)
        columns = resolve_columns(header, specs, overrides)
    except UnicodeDecodeError:
        handle.close()
        raise Invalid(
            f"line 1: {path.name} is not {encoding} text; pass --encoding (e.g. cp1252)"
        ) from None
    except BaseException:
        handle.close()
        raise

    def stream() -> Generator[Row]:
        with handle:
            yield from rows

    return header, columns, stream()


def csv_records(
    output: ConnectorOutput,
    path: Path,
    options: ConnectorOptions,
    specs: tuple[FieldSpec, ...],
    handle: Callable[[Row, dict[str, str], list[str]], None],
    *,
    one_of: tuple[str, ...] = (),
    header_specs: tuple[FieldSpec, ...] | None = None,
) -> None:
    """Streams a CSV through `handle(row, field -> column, header)`; bad input becomes RowErrors.
    `one_of`: fields of which the header must name at least one (a review's text may be one
    column or a site's two questions), or the file is refused; `header_specs`: as read_csv."""
    state: dict[str, Any] = {}
    overrides = column_overrides(options)

    def rows() -> Iterator[Row]:
        header, columns, stream = read_csv(
            path, options.encoding, specs, overrides, header_specs=header_specs
        )
        state["order"] = SLASH_MONTH_FIRST.set(
            file_slash_order(path, options.encoding, specs, overrides, columns, header_specs)
        )
        if one_of and not any(name in columns for name in one_of):
            wanted = [spec for spec in specs if spec.name in one_of]
            names = " or ".join(spelled(spec, 2) for spec in wanted)
            raise Invalid(
                f"line 1: no column for {wanted[0].name} (a column named {names}); columns are "
                f"{', '.join(header)} (name one with --map COLUMN={wanted[0].name})"
            )
        state["header"], state["columns"] = header, columns
        state["header_cells"] = [h.strip() for h in header if h.strip()]
        return stream

    def each(row: Row) -> None:
        filled = [c for v in row.values.values() if v is not None and (c := str(v).strip())]
        if any("\x00" in cell for cell in filled):
            # Zeroed bytes where text should be: a download the disk kept the full size of
            # but never filled, or a damaged copy. The rows after it are lost: refused.
            raise RowShapeError(
                row.line,
                "the file holds NUL bytes from here on (a download cut short, or a damaged "
                "copy): download the export again",
            )
        if filled == state["header_cells"]:
            # The header again (two downloads pasted into one file): not a record.
            output.skipped_rows += 1
            state.pop("nested", None)
            return
        if _nested(row, state):
            output.skipped_rows += 1
            return
        if not_a_record(row, state["columns"], specs):
            output.skipped_rows += 1
            return
        handle(row, state["columns"], state["header"])

    try:
        run_rows(output, rows, each)
    finally:
        if "order" in state:
            SLASH_MONTH_FIRST.reset(state["order"])
    if "header" in state and output.rows_read == 0 and not output.errors:
        # A report whose filter matched nothing: well formed, nothing in it. Said, not refused.
        output.warnings.append(RowError(1, None, "the file names its columns and holds no rows"))


def _nested(row: Row, state: dict[str, Any]) -> bool:
    """Whether the row belongs to a table nested under a record, set in by a column with a
    header of its own (monday.com's subitems under their item: "Name, Owner, Status…" one
    column in, then their rows, until a row starts in the first column again)."""
    cells = [str(v).strip() if v is not None else "" for v in row.values.values()]
    lead = next((i for i, cell in enumerate(cells) if cell), len(cells))
    if "nested" in state:
        if 0 < state["nested"] <= lead < len(cells):
            return True
        del state["nested"]
    filled = [cell for cell in cells if cell]
    names = {name.casefold() for name in state["header_cells"]}
    known = sum(cell.casefold() in names for cell in filled)
    if lead > 0 and len(filled) >= 3 and known * 4 >= len(filled) * 3:
        state["nested"] = lead
        return True
    return False


# Enough rows to meet a day past the 12th in any real export; a file whose dates all fall
# on the 1st to 12th is not read further than this.
_ORDER_SCAN_ROWS = 20_000


def file_slash_order(
    path: Path,
    encoding: str,
    specs: tuple[FieldSpec, ...],
    overrides: Mapping[str, str],
    columns: Mapping[str, str],
    header_specs: tuple[FieldSpec, ...] | None = None,
) -> bool | None:
    """The order of the numeric dates in a CSV's date columns (`slash_order`), read from
    its first rows in a pass of its own; None when the file has no date column."""
    dated = [column for field, column in columns.items() if field.endswith(("_at", "_date"))]
    if not dated:
        return None
    _, _, stream = read_csv(path, encoding, specs, overrides, header_specs=header_specs)
    values = (
        str(row.values.get(column) or "")
        for row in itertools.islice(stream, _ORDER_SCAN_ROWS)
        for column in dated
    )
    try:
        return slash_order(values)
    except (UnicodeDecodeError, RowShapeError, csv.Error):
        # A row this pass cannot read is reported, by its line, when the rows are read.
        return None
    finally:
        stream.close()
