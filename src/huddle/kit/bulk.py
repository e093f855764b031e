"""Writing many rows at once through SQLAlchemy Core, for imports and other batches."""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

CHUNK = 2000
T = TypeVar("T")


def bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Many rows per statement through Core (the ORM's bulk path groups rows apart).

    RETURNING is what makes SQLAlchemy write up to a thousand rows per INSERT (its
    "insertmanyvalues") instead of executing the statement once a row: SQLite's full-text
    index of the evidence's words writes out what it holds at every statement, which row
    by row nearly doubled the time of an import."""
    if not rows:
        return
    keys = {key for row in rows for key in row}
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        chunk = [{key: row.get(key) for key in keys} for row in rows[start : start + CHUNK]]
        session.execute(insert(table).returning(*table.primary_key.columns), chunk)


def bulk_update(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Updates by id; rows naming the same columns share one executemany."""
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for columns, members in groups.items():
        if not columns:
            continue
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({column: bindparam(column) for column in columns})
        )
        for start in range(0, len(members), CHUNK):
            chunk = [
                {"row_id": row["id"], **{c: row[c] for c in columns}}
                for row in members[start : start + CHUNK]
            ]
            session.execute(statement, chunk)


# Values per `IN (...)` list: well under SQLite's and PostgreSQL's parameter limits.
IN_LIST = 500


def in_lists(keys: Iterable[Any], size: int = IN_LIST) -> Iterator[list[Any]]:
    """The distinct keys, sorted, in lists small enough for one `IN (...)` each."""
    ordered = sorted({key for key in keys if key is not None})
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of `size` items from any iterable, the last one shorter."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
