"""A JSON page no reader knows, read as the table of its records.

A tool's API answers with its own wrapper (`{"data": [...], "meta": …}`, `{"tickets": [...],
"next_page": …}`, a bare array, JSON lines), its records nesting who wrote them and for which
company (`"requester": {"name": …, "email": …}`, `"organization": {"name": …}`). A connector
that reads a CSV by its columns' names can read such a page too: its list of records is
found, each record flattened into columns named by their path ("requester email",
"organization name", "author display name"), and the rows go through the connector's CSV
reading as if the tool had exported a spreadsheet: the same names found, the same noise left
out. A page of a kind a connector knows by name is read by that connector's own reader first;
this is what the rest meet.
"""

import functools
import re
from collections.abc import Generator, Iterator, Mapping
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.json_reading import (
    LineCountingReader,
    first_bytes,
    iter_json_records,
    json_records_at,
    looks_like_json_lines,
)
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, resolve_columns
from huddle.imports.rows import Row, RowShapeError

# How deep a record's objects are followed ("author" → "profile" → "email").
_DEPTH = 3
# A word break inside a camelCase or PascalCase key: "displayName", "createdAt", "NPSScore".
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# A list of objects whose one word each is named so: tags as `[{"name": "billing"}]`.
_LABEL_KEYS = ("name", "label", "title", "value", "tag")
# The lists an API's answer holds that are not its records: what went wrong with the request.
_NOT_RECORDS = frozenset(("errors", "error", "warnings", "failures"))
# The last words every nested object may have, naming nothing about the record itself.
_GENERIC = frozenset(
    ("name", "id", "type", "value", "url", "key", "title", "text", "body", "date", "status")
)


def json_table(path: Path, encoding: str, what: str) -> tuple[list[str], Generator[Row]]:
    """The header (every flattened column, in the order first met) and the rows of the file's
    list of records; Invalid when it holds none. `what` names a record in messages."""
    prefix, columns = _layout(path, encoding, what)

    def rows() -> Generator[Row]:
        for line, record in _records(path, encoding, prefix, what):
            flat = flatten(record)
            yield Row(line, {column: flat.get(column) for column in columns})

    return list(columns), rows()


def json_header(path: Path, encoding: str) -> list[str]:
    """The columns of the file's table, as `json_table` gives them (read once per file)."""
    return list(_layout(path, encoding, "a record")[1])


def _layout(path: Path, encoding: str, what: str) -> tuple[str | None, tuple[str, ...]]:
    """Where the records are and their columns: two passes over the file, so kept for the
    file as it is now (an import asks again for its dates' order and to name the columns)."""
    stat = path.stat()
    return _layout_of(path.resolve(), stat.st_mtime_ns, stat.st_size, encoding, what)


@functools.lru_cache(maxsize=8)
def _layout_of(
    path: Path, _mtime: int, _size: int, encoding: str, what: str
) -> tuple[str | None, tuple[str, ...]]:
    lines = looks_like_json_lines(first_bytes(path, encoding), ())
    prefix = None if lines else _records_prefix(path, encoding)
    if not lines and prefix is None:
        raise Invalid(
            f"line 1: {path.name} is JSON but holds no list of records (objects in an array)"
        )
    header: dict[str, None] = {}
    for _, record in _records(path, encoding, prefix, what):
        header.update(dict.fromkeys(flatten(record)))
    if not header:
        raise Invalid(f"line 1: {path.name} is JSON but its list of records is empty")
    return prefix, tuple(header)


def json_columns(
    header: list[str], specs: tuple[FieldSpec, ...], overrides: Mapping[str, str]
) -> dict[str, str]:
    """Field -> column of a JSON table: by the columns' whole paths first ("requester email"),
    then, for the fields none named, by a nested column's last words ("respondent company" is
    a company, "customer profile email" an email) — but not by a last word every object has
    ("organization name" is no title, "author id" no ticket id)."""
    columns = resolve_columns(header, specs, overrides, strict=False)
    missing = tuple(spec for spec in specs if spec.name not in columns)
    taken = set(columns.values())
    for size in (2, 1):
        tails: dict[str, str] = {}
        for column in header:
            words = column.split()
            tail = " ".join(words[-size:])
            if len(words) > size and column not in taken and tail.lower() not in _GENERIC:
                tails.setdefault(tail, column)
        found = resolve_columns(list(tails), missing, {}, strict=False)
        for name, tail in found.items():
            if name not in columns and tails[tail] not in taken:
                columns[name] = tails[tail]
                taken.add(tails[tail])
        missing = tuple(spec for spec in missing if spec.name not in columns)
    # Refused as a CSV would be, naming what is missing and the columns there are.
    wanted = {column: name for name, column in columns.items()}
    return resolve_columns(header, specs, {**wanted, **overrides})


def _records(
    path: Path, encoding: str, prefix: str | None, what: str
) -> Iterator[tuple[int, dict[str, Any]]]:
    found = (
        iter_json_records(path, list_keys=(), encoding=encoding, what=what)
        if prefix is None
        else json_records_at(path, prefix, encoding=encoding, what=what)
    )
    for line, record in found:
        if not isinstance(record, dict):
            raise RowShapeError(line, f"{what} must be a JSON object")
        yield line, record


def _records_prefix(path: Path, encoding: str) -> str | None:
    """Where the file's records are: of the arrays of objects not inside another record (a
    bare array's `item`, a wrapper's `data.item`, `result.tickets.item`), the one whose
    objects hold the most words; a page's sideloads (its users, its organisations) hold
    fewer. None when the file has no array of objects."""
    words: dict[str, int] = {}
    with path.open("rb") as raw:
        reader = LineCountingReader(raw, encoding)
        try:
            for prefix, event, value in ijson.parse(reader, buf_size=16384, use_float=True):
                if event == "start_map" and prefix.endswith("item"):
                    parts = prefix.split(".")
                    if (
                        parts.count("item") == 1
                        and len(parts) <= _DEPTH + 1
                        and not _NOT_RECORDS & set(parts)
                    ):
                        words.setdefault(prefix, 0)
                elif event == "string":
                    owner = _owner(prefix, words)
                    if owner is not None:
                        words[owner] += len(str(value).split())
        except (ijson.JSONError, UnicodeDecodeError):
            pass  # reported, by its line, when the records are read
    if not words:
        return None
    return max(words, key=lambda prefix: words[prefix])


def _owner(prefix: str, records: dict[str, int]) -> str | None:
    """The list of records a string at `prefix` lies in (`data.item.body` → `data.item`)."""
    head, item, _ = prefix.partition(".item.")
    if item:
        owner = f"{head}.item"
    elif prefix.startswith("item."):
        owner = "item"
    else:
        return None
    return owner if owner in records else None


def flatten(record: dict[str, Any]) -> dict[str, str]:
    """A record's values as text by the path of their keys, in words: `{"requester": {"email":
    …}}` → "requester email", `createdAt` → "created At"; a list of words joined by commas; a
    list of records inside (a ticket's comments) left out: the record's own fields are its
    columns."""
    flat: dict[str, str] = {}
    _flatten_into(flat, record, ())
    return flat


def _flatten_into(flat: dict[str, str], value: Any, path: tuple[str, ...]) -> None:
    if isinstance(value, dict):
        if len(path) >= _DEPTH:
            return
        for key, inner in value.items():
            _flatten_into(flat, inner, (*path, _CAMEL.sub(" ", str(key))))
        return
    name = " ".join(path)
    if isinstance(value, list):
        words = [_scalar(item) if not isinstance(item, dict) else _label(item) for item in value]
        if value and all(word is not None for word in words):
            flat[name] = ", ".join(word for word in words if word)
        return
    text = _scalar(value)
    if text is not None:
        flat[name] = text


def _scalar(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def _label(item: dict[str, Any]) -> str | None:
    """The one word an object of a list of labels holds (`{"id": 4, "name": "billing"}`)."""
    for key in _LABEL_KEYS:
        if isinstance(item.get(key), str) and len(item) <= 4:
            return str(item[key])
    return None
