"""Salesforce records saved as JSON, read as the rows a CSV of the same query holds.

The REST API's query result (`{"totalSize": …, "done": true, "records": [...]}`) and the
CLI's `sf data export tree` (`{"records": [...]}`) give each record's fields by their API
names beside an `attributes` object (its type, and its URL or a `referenceId`), and a related
record's fields nested under the relationship's name (`"Parent": {"attributes": …, "Name":
"Globex Freight"}`). Read as the columns Data Loader writes for the same query (`Parent.Name`),
a JSON of notes or accounts is read as their CSV is (`crm.read_crm_rows`). The sf CLI's
`--json` wrapper and a parent-child query's nested records: `sf_query`.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import unreadable
from huddle.connectors.crm import CrmShape, kind_of, read_json_rows
from huddle.connectors.json_reading import first_bytes, iter_json_records
from huddle.connectors.record_values import dict_at
from huddle.connectors.sf_query import (
    blob_fields,
    blob_warning,
    children,
    cut_children,
    no_blob,
    unfetched,
)
from huddle.errors import Invalid
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

_RECORDS = re.compile(rb'"records"\s*:\s*\[')
_TYPED = re.compile(rb'"attributes"\s*:\s*\{\s*"type"\s*:')


def is_records(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Salesforce records: a `records` list of objects typed by their
    `attributes`."""
    head = first_bytes(path, encoding)
    return head.startswith(b"{") and bool(_RECORDS.search(head) and _TYPED.search(head))


def read_records(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    """A JSON of Salesforce records, read as accounts or notes by the fields they hold; a
    parent-child query's nested records, when they are notes or activities, as notes
    (`sf_query`)."""
    try:
        # The fields of every record (a related record left empty, `"Parent": null`, on the
        # first may be filled on the next), and of every record nested in one.
        own: dict[str, None] = {}
        nested: dict[str, None] = {}
        cut = 0
        blobs: set[str] = set()
        for _, record in _records(path, options):
            own.update(dict.fromkeys(_cells(record)))
            for child in children(record):
                nested.update(dict.fromkeys(_cells(child)))
                blobs |= blob_fields(child)
            cut += cut_children(record)
            blobs |= blob_fields(record)
    except (RowShapeError, Invalid) as error:
        return unreadable(error)
    # Accounts with their activities: the activities are what the query is for.
    of_children = bool(nested) and kind_of(list(nested), shape) == "notes"
    header = list(nested if of_children else own)

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, record in _records(path, options):
            if not of_children:
                yield Row(line, _cells(record))
                continue
            yield from (Row(line, _cells(child)) for child in children(record))

    def after() -> list[RowError]:
        return [*unfetched(path, options.encoding, cut if of_children else 0), *blob_warning(blobs)]

    kind = kind_of(header, shape) or "accounts"
    return read_json_rows(kind, header, options, shape, records, after)


def _records(path: Path, options: ConnectorOptions) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, record in iter_json_records(path, list_keys=("records",), encoding=options.encoding):
        if not isinstance(record, dict):
            raise RowShapeError(line, "a record must be a JSON object")
        yield line, record


def _cells(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """A record's fields as a CSV's columns: a related record's fields as `Parent.Name`; the
    record's `attributes` left out, but the id its URL ends with where the query chose no
    `Id`."""
    cells: dict[str, Any] = {}
    for key, value in record.items():
        if key == "attributes":
            continue
        if isinstance(value, dict) and isinstance(value.get("records"), list):
            continue  # a subquery's records: read on their own (`sf_query.children`)
        if isinstance(value, dict):
            cells.update(_cells(value, f"{prefix}{key}."))
        elif not isinstance(value, list):
            cells[f"{prefix}{key}"] = no_blob(value)
    url = dict_at(record, "attributes").get("url")
    if not prefix and "Id" not in cells and isinstance(url, str) and "/sobjects/" in url:
        cells["Id"] = url.rstrip("/").rsplit("/", 1)[-1]
    return cells
