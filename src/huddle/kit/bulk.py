"""Writing many rows at once through SQLAlchemy Core, for imports and other batches."""

import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
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
    text,
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


def reserve_ids(session: Session, model: Any, count: int) -> list[int]:
    """Ids for `count` new rows of `model`, taken in one statement as a sequence hands them
    out: no other row, in this transaction or another, is given one of them.

    PostgreSQL: from the column's sequence. SQLite: from the table's AUTOINCREMENT counter
    (`sqlite_sequence`), moved past them; the UPDATE also takes the database's write lock, so
    nothing else can insert until this transaction ends."""
    if not count:
        return []
    table = model.__table__
    (primary_key,) = table.primary_key.columns
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(table.name, primary_key.name)
        statement = select(func.nextval(sequence)).select_from(func.generate_series(1, count))
        return list(session.scalars(statement))
    name = {"name": table.name}
    session.execute(
        text(
            "INSERT INTO sqlite_sequence (name, seq) SELECT :name, 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)"
        ),
        name,
    )
    # The counter can trail the largest id (rows written with their ids before it existed).
    last = session.scalar(
        text(
            f"UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max({primary_key.name}), 0) "
            f"FROM {table.name})) + :count WHERE name = :name RETURNING seq"
        ),
        {**name, "count": count},
    )
    return list(range(int(last) - count + 1, int(last) + 1))


_WRITING = "huddle_writing"
_READING_AHEAD = "huddle_reading_ahead"
# Rows an INSERT on SQLite: well under its 32,766 parameters a statement.
SQLITE_ROWS_AT_ONCE = 500


class _Switching:
    """Python's switch interval, shortened while rows are sent from another thread.

    The sending thread lets go of the GIL each time it waits for the socket, then waits for
    it again while the thread checking the next chunk runs Python: up to the switch interval
    (5 ms) each time, dozens of times a chunk, while the database has nothing to do. 300,000
    rows into PostgreSQL: 37 s at 5 ms, 31 s at 1 ms (30.9 s at 0.2 ms, 32.0 at 0.5)."""

    INTERVAL = 0.001

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sending = 0
        self.was = sys.getswitchinterval()

    def quicken(self) -> None:
        with self.lock:
            if self.sending == 0:
                self.was = sys.getswitchinterval()
                sys.setswitchinterval(min(self.was, self.INTERVAL))
            self.sending += 1

    def restore(self) -> None:
        with self.lock:
            self.sending -= 1
            if self.sending == 0:
                sys.setswitchinterval(self.was)


_SWITCHING = _Switching()


@dataclass
class _Part:
    """One table's rows for a writer: the statement, the rows as the caller gave them (for
    `pending_rows`) and their values in the statement's column order."""

    table: Any
    statement: str
    given: list[dict[str, Any]]
    values: Iterable[list[Any]]


class _Writer(threading.Thread):
    """Sends rows through the connection's driver, table after table: COPY on PostgreSQL,
    INSERTs of many rows each on SQLite (whose driver lets go of the GIL while the database
    works)."""

    def __init__(self, driver: Any, postgres: bool):
        super().__init__(name="rows-writer", daemon=True)
        self.driver = driver
        self.postgres = postgres
        self.parts: list[_Part] = []
        self.statement = ""  # the one being sent, to name it when it fails
        self.error: BaseException | None = None
        self.begun = False

    def start(self) -> None:
        self.begun = True
        _SWITCHING.quicken()
        try:
            super().start()
        except BaseException:
            _SWITCHING.restore()
            raise

    def run(self) -> None:
        try:
            for part in self.parts:
                self.statement = part.statement
                self._send(part)
        except BaseException as error:  # handed to the session's thread by _raise_failure
            self.error = error
        finally:
            if self.begun:
                _SWITCHING.restore()

    def _send(self, part: _Part) -> None:
        if self.postgres:
            with self.driver.cursor() as cursor:
                # Each row's foreign keys are checked by a query the server keeps prepared:
                # planned once, not once a row as huddle.db's plan_cache_mode would have it
                # (a fifth of the server's time in a COPY into `feedback`). SET LOCAL: a
                # failed copy, or the transaction's end, gives the setting back.
                cursor.execute("SELECT current_setting('plan_cache_mode')")
                (was,) = cursor.fetchone()
                cursor.execute("SET LOCAL plan_cache_mode = auto")
                with cursor.copy(part.statement) as copy:
                    for row in part.values:
                        copy.write_row(row)
                cursor.execute("SELECT set_config('plan_cache_mode', %s, true)", (was,))
            return
        cursor = self.driver.cursor()
        try:
            for chunk in batches(part.values, SQLITE_ROWS_AT_ONCE):
                values = list(chain.from_iterable(chunk))
                cursor.execute(self._insert(part.statement, len(chunk), len(chunk[0])), values)
        finally:
            cursor.close()

    @staticmethod
    def _insert(statement: str, rows: int, columns: int) -> str:
        one = "(" + ", ".join("?" * columns) + ")"
        return f"{statement} VALUES {', '.join([one] * rows)}"


@dataclass
class _Writing:
    """A connection's rows on their way: at most one writer sending (`running`), and the
    rows held back for the next one (`held`)."""

    running: _Writer | None = None
    held: _Writer | None = None


def _wait_for_running(connection: Connection, writing: _Writing) -> None:
    running, writing.running = writing.running, None
    if running is not None:
        running.join()
        _raise_failure(connection, running)


def _finish_writing(connection: Connection) -> None:
    """Wait for what is being written, then write what is held back (in this thread)."""
    writing: _Writing | None = connection.info.pop(_WRITING, None)
    if writing is None:
        return
    _wait_for_running(connection, writing)
    if writing.held is not None:
        writing.held.run()
        _raise_failure(connection, writing.held)


def _raise_failure(connection: Connection, writer: _Writer) -> None:
    if writer.error is not None:
        dbapi = connection.dialect.loaded_dbapi
        raise DBAPIError.instance(
            writer.statement, None, writer.error, dbapi.Error, dialect=connection.dialect
        ) from writer.error


def _finish_before_statement(connection: Connection, *_args: Any) -> None:
    writing: _Writing | None = connection.info.get(_WRITING)
    if writing is None:
        return
    if connection.info.get(_READING_AHEAD):
        # The connection is free once the running writer is done; the held rows wait.
        _wait_for_running(connection, writing)
        if writing.held is None:
            connection.info.pop(_WRITING, None)
        return
    _finish_writing(connection)


def _finish_before_ending(connection: Connection, *_args: Any) -> None:
    # Rolling back: rows not sent yet are dropped; what went wrong is being undone, and
    # reported by whoever rolls back.
    writing: _Writing | None = connection.info.pop(_WRITING, None)
    if writing is not None and writing.running is not None:
        writing.running.join()


@contextmanager
def reads_ahead(session: Session) -> Iterator[None]:
    """Statements in this block run before rows `write_rows` holds back are written, and do
    not see them (`pending_rows` says which they are); they wait for rows already being
    written, and see those."""
    connection = session.connection()
    connection.info[_READING_AHEAD] = True
    try:
        yield
    finally:
        connection.info.pop(_READING_AHEAD, None)


def pending_rows(session: Session, model: Any) -> list[dict[str, Any]]:
    """The rows of `model` held back by `write_rows` and not written yet."""
    writing: _Writing | None = session.connection().info.get(_WRITING)
    if writing is None or writing.held is None:
        return []
    table = model.__table__
    return [row for part in writing.held.parts if part.table is table for row in part.given]


def start_writing(session: Session) -> None:
    """Send the rows `write_rows` holds back, from another thread, once the rows sent before
    them are in; the connection's next statement, commit or rollback waits for them, and the
    next rows held back may be checked and held meanwhile."""
    connection = session.connection()
    writing: _Writing | None = connection.info.get(_WRITING)
    if writing is None or writing.held is None:
        return
    _wait_for_running(connection, writing)
    writing.running, writing.held = writing.held, None
    writing.running.start()


def write_rows(
    session: Session, model: Any, rows: list[dict[str, Any]], *, background: bool = False
) -> None:
    """Insert rows through the driver, ids included (see `reserve_ids`): by COPY on
    PostgreSQL, by INSERTs of 500 rows each on SQLite.

    SQLAlchemy's INSERT of a thousand rows is a statement of tens of thousands of
    placeholders, which it fills again from every row's dict and psycopg parses anew each time
    (too long for its cache): COPY sends the values alone, and SQLite's driver binds them
    from lists. Every row must name every column that has a default in Python: only the
    database's own defaults apply.

    With `background`, the rows are held back, after any held before them (rows a later
    table's rows refer to go first): the connection's next statement or commit writes them
    first (and raises there what went wrong), unless the caller reads ahead (`reads_ahead`)
    and then hands them to another thread (`start_writing`). The next statement waits for
    that thread, but the caller may meanwhile check and hold the next rows. An import looks
    up what its next chunk needs, sends the chunk before, then checks, holds and reads the
    next one while the database writes: the database and Python work at once instead of in
    turns. Its look-ups cannot see the rows held back, and ask `pending_rows`. Nothing goes
    through SQLAlchemy's events on the way: rows only added to a table change no kept
    figure (huddle.db's `WrittenTables` counts them apart for that reason)."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    table = model.__table__
    keys = sorted({key for row in rows for key in row})
    unnamed = [c.name for c in table.columns if c.default is not None and c.name not in keys]
    if unnamed:
        raise ValueError(f"write_rows needs values for {', '.join(unnamed)}")
    processors = [
        (key, table.c[key].type.dialect_impl(dialect).bind_processor(dialect)) for key in keys
    ]
    preparer = dialect.identifier_preparer
    names = ", ".join(preparer.quote(name) for name in keys)
    postgres = dialect.name == "postgresql"
    statement = (
        f"COPY {preparer.format_table(table)} ({names}) FROM STDIN"
        if postgres
        else f"INSERT INTO {preparer.format_table(table)} ({names})"
    )

    def values() -> Iterator[list[Any]]:
        for row in rows:
            yield [
                process(row.get(key)) if process is not None else row.get(key)
                for key, process in processors
            ]

    part = _Part(table, statement, rows, values())
    if not background:
        _finish_writing(connection)
        writer = _Writer(connection.connection.driver_connection, postgres)
        writer.parts.append(part)
        writer.run()
        _raise_failure(connection, writer)
        return
    if not event.contains(connection, "before_execute", _finish_before_statement):
        event.listen(connection, "before_execute", _finish_before_statement)
        event.listen(connection, "commit", _finish_before_statement)
        event.listen(connection, "release_savepoint", _finish_before_statement)
        event.listen(connection, "rollback", _finish_before_ending)
        event.listen(connection, "rollback_savepoint", _finish_before_ending)
    writing = connection.info.setdefault(_WRITING, _Writing())
    if writing.held is None:
        writing.held = _Writer(connection.connection.driver_connection, postgres)
    writing.held.parts.append(part)


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
