"""Writing many rows at once through SQLAlchemy Core, for imports and other batches."""

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import bindparam, cast, column, func, insert, select, update, values
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


def insert_new_ids(session: Session, model: Any, rows: list[dict[str, Any]]) -> list[int] | None:
    """Insert rows; on PostgreSQL give back their new ids in the rows' order (None elsewhere:
    the caller finds them by a key of its own).

    On PostgreSQL the rows go in by COPY, their ids taken from the table's sequence first
    (one statement for the lot): an INSERT of a thousand rows is a statement with tens of
    thousands of placeholders, which psycopg parses anew each time (too long to cache), and
    which the lookup of the new ids afterwards then had to read back. Every row must name
    every column that has a default in Python: COPY applies only the server's defaults."""
    if not rows:
        return []
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "postgresql":
        bulk_insert(session, model, rows)
        return None
    table = model.__table__
    (primary_key,) = table.primary_key.columns
    keys = sorted({key for row in rows for key in row} - {primary_key.name})
    unnamed = [c.name for c in table.columns if c.default is not None and c.name not in keys]
    if unnamed:
        raise ValueError(f"insert_new_ids needs values for {', '.join(unnamed)}")
    sequence = func.pg_get_serial_sequence(table.name, primary_key.name)
    ids = list(
        session.scalars(
            select(func.nextval(sequence)).select_from(func.generate_series(1, len(rows)))
        )
    )
    processors = [
        (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in keys
    ]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(name) for name in [primary_key.name, *keys])
    into = dialect.identifier_preparer.format_table(table)
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(f"COPY {into} ({names}) FROM STDIN") as copy:
        for row_id, row in zip(ids, rows, strict=True):
            copy.write_row(
                [row_id]
                + [
                    process(row.get(key)) if process is not None else row.get(key)
                    for key, process in processors
                ]
            )
    return ids


def bulk_update(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Updates by id; rows naming the same columns share a statement.

    On PostgreSQL a chunk is one `UPDATE … FROM (VALUES …)`: psycopg runs an executemany
    as one statement per row, and the figure triggers of migration 20261204_0027 mark the
    problems a statement touches once per statement, so a re-import that changed the dates or
    sentiment of many linked items rewrote the same few figure rows once per item. SQLite
    keeps the executemany (its triggers are per row either way)."""
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    postgres = session.get_bind().dialect.name == "postgresql"
    for columns, members in groups.items():
        if not columns:
            continue
        if postgres:
            # Well under PostgreSQL's 65,535 parameters a statement.
            size = min(CHUNK, 30_000 // (len(columns) + 1))
            for start in range(0, len(members), size):
                chunk = members[start : start + size]
                changed = values(
                    column("row_id", table.c.id.type),
                    *(column(c, table.c[c].type) for c in columns),
                    name="changed",
                ).data([(row["id"], *(row[c] for c in columns)) for row in chunk])
                session.execute(
                    update(table)
                    .where(table.c.id == changed.c.row_id)
                    # A column of NULLs alone in VALUES is text to PostgreSQL: cast it back.
                    .values({c: cast(changed.c[c], table.c[c].type) for c in columns})
                )
            continue
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({c: bindparam(c) for c in columns})
        )
        for start in range(0, len(members), CHUNK):
            chunk_rows = [
                {"row_id": row["id"], **{c: row[c] for c in columns}}
                for row in members[start : start + CHUNK]
            ]
            session.execute(statement, chunk_rows)


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
