"""A Salesforce report run through the Analytics REST API and saved as JSON, read as the
report's own CSV export would be.

`GET /services/data/vXX.X/analytics/reports/{id}?includeDetails=true` (and an instance's
answer, `…/instances/{id}`) gives `reportMetadata.detailColumns` (the columns' API names, in
order), `reportExtendedMetadata.detailColumnInfo` (each one's `label` and `dataType`) and the
rows in `factMap`: a tabular report's under `"T!T"`, a summary report's under each grouping's
key (`"0!T"`, `"0_1!T"`; the grand total `"T!T"` then holds none), each row's `dataCells` in
the order of the columns, `{label, value}`. The report's CSV writes each column's label and
each cell's label: an account's name (its value is the account's id), a person's name; a
date's label is written for people ("11/9/2026"), so its ISO value is read instead. A
summary report's groupings (`groupingsDown`, labelled in `groupingColumnInfo`) are columns of
their rows as the CSV's are. `allData` false says the API cut the rows (at 2,000).
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import column_overrides, run_rows
from huddle.connectors.crm import CrmShape, RowHandler, kind_of, read_crm_rows
from huddle.connectors.json_reading import first_bytes, json_values_at
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.imports.fields import FieldSpec, resolve_columns
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

_REPORT_KEYS = re.compile(rb'"(factMap|reportMetadata|reportExtendedMetadata)"\s*:\s*\{')
# The fact map's keys: "T!T", "0!T", "0_1!0" (a grouping down, then across).
_FACT_KEY = re.compile(rb'"factMap"\s*:\s*\{\s*"[0-9_T]+![0-9_T]+"\s*:')
_DATES = {"date", "datetime", "time"}


def is_report(path: Path, encoding: str) -> bool:
    """Whether a JSON file is an Analytics API report answer: a `factMap` keyed as reports
    key it, or beside the report's metadata."""
    head = first_bytes(path, encoding)
    found = {m.group(1) for m in _REPORT_KEYS.finditer(head)}
    return bool(_FACT_KEY.search(head)) or ("factMap" in found and len(found) > 1)


def read_report(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    """The report's detail rows, as its CSV's rows (notes or accounts by its columns)."""
    try:
        answer = next(json_values_at(path, "", encoding=options.encoding), None)
    except RowShapeError as error:
        return ConnectorOutput(errors=[RowError(error.line, None, error.reason)])
    answer = answer if isinstance(answer, dict) else {}
    metadata = dict_at(answer, "reportMetadata")
    columns = [c for c in (as_text(c) for c in listed(metadata.get("detailColumns"))) if c]
    info = dict_at(dict_at(answer, "reportExtendedMetadata"), "detailColumnInfo")
    grouping_info = dict_at(dict_at(answer, "reportExtendedMetadata"), "groupingColumnInfo")
    rows = list(_rows(answer, columns, info, grouping_info))
    if not columns or not rows:
        field = "reportMetadata.detailColumns" if not columns else "factMap"
        return ConnectorOutput(
            errors=[
                RowError(
                    1,
                    field,
                    f"{path.name} is a Salesforce report's answer without its detail rows (no "
                    f"{field}): run it with includeDetails=true, or export the report as CSV",
                )
            ]
        )
    header = list(dict.fromkeys(name for cells in rows for name in cells))
    overrides = column_overrides(options)

    def source(output: ConnectorOutput, specs: tuple[FieldSpec, ...], handle: RowHandler) -> None:
        resolved = resolve_columns(header, specs, overrides)

        def stream() -> Iterator[Row]:
            # The line of each row is its place in the report (the JSON holds no CSV lines).
            yield from (Row(number, cells) for number, cells in enumerate(rows, start=2))

        run_rows(output, stream, lambda row: handle(row, resolved, header))

    output = read_crm_rows(kind_of(header, shape) or "accounts", options, shape, source)
    if answer.get("allData") is False and not output.errors:
        output.warnings.append(
            RowError(
                1,
                "allData",
                "the API gave only the report's first rows (allData: false, at most 2,000): "
                "filter the report into smaller runs, or export it as CSV",
            )
        )
    return output


def _rows(
    answer: dict[str, Any],
    columns: list[str],
    info: dict[str, Any],
    grouping_info: dict[str, Any],
) -> Iterator[dict[str, Any]]:
    """Each detail row as the report's CSV row: labels by the columns' labels."""
    fact_map = dict_at(answer, "factMap")
    leaves = [key for key, fact in fact_map.items() if isinstance(fact, dict) and fact.get("rows")]
    # The grand total repeats its groupings' rows in no report, but be sure: its rows only
    # when no grouping holds any.
    keys = [k for k in leaves if k != "T!T"] or [k for k in leaves if k == "T!T"]
    for key in keys:
        groups = _groups(answer, key.split("!", 1)[0], grouping_info)
        for row in listed(dict_at(fact_map, key).get("rows")):
            cells = listed(row.get("dataCells")) if isinstance(row, dict) else []
            values: dict[str, Any] = dict(groups)
            for name, cell in zip(columns, cells, strict=False):
                column = dict_at(info, name)
                label = as_text(column.get("label")) or name
                values[label] = _cell(cell, as_text(column.get("dataType")))
            yield values


def _cell(cell: Any, data_type: str | None) -> Any:
    if not isinstance(cell, dict):
        return cell
    if (data_type or "").lower() in _DATES and as_text(cell.get("value")):
        return cell["value"]  # ISO, where the label is written for people
    label = cell.get("label")
    return None if label in ("-", "") else label


def _groups(answer: dict[str, Any], key: str, grouping_info: dict[str, Any]) -> dict[str, Any]:
    """A summary report's grouping labels for a factMap key's down part ("0_1"), by each
    grouping column's label."""
    found: dict[str, Any] = {}
    if key == "T":
        return found
    groupings = dict_at(answer, "groupingsDown")
    down = listed(dict_at(answer, "reportMetadata").get("groupingsDown"))
    parts = key.split("_")
    for depth in range(len(parts)):
        wanted = "_".join(parts[: depth + 1])
        group = next(
            (
                g
                for g in listed(groupings.get("groupings"))
                if isinstance(g, dict) and as_text(g.get("key")) == wanted
            ),
            None,
        )
        if group is None:
            break
        name = (
            as_text(down[depth].get("name"))
            if depth < len(down) and isinstance(down[depth], dict)
            else None
        )
        label = as_text(dict_at(grouping_info, name).get("label")) if name else None
        if label or name:
            found[label or name or ""] = group.get("label")
        groupings = group
    return found
