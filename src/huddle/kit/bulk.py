"""Writing many rows at once through SQLAlchemy Core, for imports and other batches."""

import threading
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from sqlalchemy import (
    Connection,
    bindparam,
    cast,
    column,
    event,
    func,
    insert,
    select,
    update,
    values,
)
from sqlalchemy.exc import DBAPIError
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


def reserve_ids(session: Session, model: Any, count: int) -> list[int] | None:
    """Ids for `count` new rows of `model` from its sequence, on PostgreSQL (one statement);
    None elsewhere (SQLite hands out ids as rows go in)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    if not count:
        return []
    table = model.__table__
    (primary_key,) = table.primary_key.columns
    sequence = func.pg_get_serial_sequence(table.name, primary_key.name)
    statement = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
    return list(session.scalars(statement))


_COPYING = "huddle_copying"


class _Copy(threading.Thread):
    def __init__(self, driver: Any, statement: str, rows: Iterable[list[Any]]) -> None:
        super().__init__(name="copy", daemon=True)
        self.driver = driver
        self.statement = statement
        self.rows = rows
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.driver.cursor() as cursor, cursor.copy(self.statement) as copy:
                for row in self.rows:
                    copy.write_row(row)
        except BaseException as error:  # handed to the session's thread by _finish_copy
            self.error = error


def _finish_copy(connection: Connection, *, raise_error: bool = True) -> None:
    copying: _Copy | None = connection.info.pop(_COPYING, None)
    if copying is None:
        return
    copying.join()
    if raise_error:
        _raise_failure(connection, copying)


def _raise_failure(connection: Connection, copying: _Copy) -> None:
    if copying.error is not None:
        dbapi = connection.dialect.loaded_dbapi
        raise DBAPIError.instance(
            copying.statement, None, copying.error, dbapi.Error, dialect=connection.dialect
        ) from copying.error


def _finish_before_statement(connection: Connection, *_args: Any) -> None:
    _finish_copy(connection)


def _finish_before_ending(connection: Connection, *_args: Any) -> None:
    # Rolling back: what went wrong is being undone, and reported by whoever rolls back.
    _finish_copy(connection, raise_error=False)


def copy_rows(
    session: Session, model: Any, rows: list[dict[str, Any]], *, background: bool = False
) -> None:
    """Insert rows by COPY (PostgreSQL), ids included (see `reserve_ids`).

    An INSERT of a thousand rows is a statement of tens of thousands of placeholders, which
    psycopg parses anew each time (too long for its cache): COPY sends the values alone.
    Every row must name every column that has a default in Python: COPY applies only the
    server's. With `background`, the rows are sent by another thread and the session's
    connection waits for them before its next statement, commit or rollback (and raises
    there what went wrong): an import checks its next chunk while the server writes this
    one, instead of taking turns with it."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = model.__table__
    keys = sorted({key for row in rows for key in row})
    unnamed = [c.name for c in table.columns if c.default is not None and c.name not in keys]
    if unnamed:
        raise ValueError(f"copy_rows needs values for {', '.join(unnamed)}")
    processors = [
        (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in keys
    ]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in keys)
    statement = f"COPY {preparer.format_table(table)} ({names}) FROM STDIN"

    def values() -> Iterator[list[Any]]:
        for row in rows:
            yield [
                process(row.get(key)) if process is not None else row.get(key)
                for key, process in processors
            ]

    _finish_copy(connection)
    copying = _Copy(connection.connection.driver_connection, statement, values())
    if not background:
        copying.run()
        _raise_failure(connection, copying)
        return
    if not event.contains(connection, "before_execute", _finish_before_statement):
        event.listen(connection, "before_execute", _finish_before_statement)
        event.listen(connection, "commit", _finish_before_statement)
        event.listen(connection, "release_savepoint", _finish_before_statement)
        event.listen(connection, "rollback", _finish_before_ending)
        event.listen(connection, "rollback_savepoint", _finish_before_ending)
    connection.info[_COPYING] = copying
    copying.start()


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
