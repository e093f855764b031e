import re
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker

from huddle.config import get_settings

# Connections beyond the requests the server admits at once: the in-process job worker, its
# heartbeat, the token-use flush, and a spare.
SPARE_CONNECTIONS = 4
SQLITE_BUSY_SECONDS = 30
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
HOLDS_TURN = "huddle_sqlite_writer"
_WRITERS: "weakref.WeakKeyDictionary[Engine, SqliteWriters]" = weakref.WeakKeyDictionary()


def _plan_each_statement(dbapi_connection: Any, _record: Any) -> None:
    """PostgreSQL plans every statement on the values it is given, never on a generic plan.

    psycopg prepares a statement on the server once it has run it five times, and the server
    then may settle on a plan for any values: one that cannot know the account, the segment
    or the words, and calls `huddle_words_query($1)` once per row it reads (the inbox's
    search by words went from 15 ms to 600 ms on the 3,000-item demo after its twentieth
    request). Huddle's statements lean on the planner seeing their values; planning each one
    costs what an unprepared statement costs."""
    cursor = dbapi_connection.cursor()
    cursor.execute("SET plan_cache_mode = force_custom_plan")
    cursor.close()
    dbapi_connection.commit()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web process read while an import or a job writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


class SqliteWriters:
    """Writers of one process take turns on a lock before SQLite's own.

    SQLite has one writer at a time. A second writer in the same process would otherwise
    wait in SQLite's busy handler, which polls with growing sleeps (up to 100 ms each) and
    serves nobody in order: under a burst of writes some wait seconds and some give up with
    "database is locked". Here a transaction takes the process's turn before its first
    write and gives it back when it commits or rolls back, so writers queue in order and
    wake the moment the one before them is done. Other processes (a `huddle worker`, an
    import from the CLI) still meet at SQLite's own lock.
    """

    def __init__(self, engine: Engine) -> None:
        self.turn = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._release)
        event.listen(engine, "rollback", self._release)
        event.listen(engine.pool, "checkin", self._checked_in)

    def take(self, connection: Connection) -> None:
        """Take the turn for this connection's transaction, if it does not hold it yet."""
        info = connection.info
        if info.get(HOLDS_TURN):
            return
        if not self.turn.acquire(timeout=SQLITE_BUSY_SECONDS):
            raise exc.OperationalError(
                "waiting for the turn to write", None, TimeoutError("database is locked")
            )
        info[HOLDS_TURN] = True

    def _before_execute(
        self, connection: Connection, _cursor: Any, statement: str, *_args: Any
    ) -> None:
        if statement.lstrip()[:7].upper().startswith(WRITES):
            self.take(connection)

    def _release(self, connection: Connection) -> None:
        if connection.info.pop(HOLDS_TURN, False):
            self.turn.release()

    def _checked_in(self, _dbapi_connection: Any, record: Any) -> None:
        # A connection returned to the pool without a commit or rollback event (a session
        # closed mid-transaction is rolled back by the pool itself).
        if record.info.pop(HOLDS_TURN, False):
            self.turn.release()


WRITTEN_TABLE = re.compile(
    r'^\s*(?:(INSERT)\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE
)
TABLES_WRITTEN = "huddle_tables_written"


class WrittenTables:
    """Which tables the open transaction of each connection has written.

    Rows added to a table count apart, as "table+": a new piece of evidence changes no
    problem's figures until it is linked, while a changed one may. A commit hook that must
    act only when certain tables were written (queueing the severity refresh) asks
    `tables_written`; every write through this engine is seen — the ORM, bulk statements,
    the in-process job worker.
    """

    def __init__(self, engine: Engine) -> None:
        event.listen(engine, "before_cursor_execute", self._before_execute)
        event.listen(engine, "commit", self._ended)
        event.listen(engine, "rollback", self._ended)
        event.listen(engine.pool, "checkin", self._checked_in)

    def _before_execute(
        self, connection: Connection, _cursor: Any, statement: str, *_args: Any
    ) -> None:
        found = WRITTEN_TABLE.match(statement)
        if found:
            table = found.group(2).lower() + ("+" if found.group(1) else "")
            connection.info.setdefault(TABLES_WRITTEN, set()).add(table)

    def _ended(self, connection: Connection) -> None:
        connection.info.pop(TABLES_WRITTEN, None)

    def _checked_in(self, _dbapi_connection: Any, record: Any) -> None:
        record.info.pop(TABLES_WRITTEN, None)


def tables_written(connection: Connection) -> set[str]:
    """Tables this connection's open transaction has written (on an engine of `get_engine`)."""
    written: set[str] = connection.info.get(TABLES_WRITTEN, set())
    return written


@lru_cache(maxsize=16)
def get_engine(url: str) -> Engine:
    pool = get_settings().web_concurrency + SPARE_CONNECTIONS
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
            pool_size=pool,
            max_overflow=SPARE_CONNECTIONS,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        _WRITERS[engine] = SqliteWriters(engine)
    else:
        engine = create_engine(
            url, pool_pre_ping=True, pool_size=pool, max_overflow=SPARE_CONNECTIONS
        )
        event.listen(engine, "connect", _plan_each_statement)
    WrittenTables(engine)
    return engine


def sqlite_writers(engine: Engine) -> SqliteWriters | None:
    """The writers' turn of an engine `get_engine` made for SQLite; None otherwise."""
    return _WRITERS.get(engine)


@lru_cache(maxsize=16)
def get_sessionmaker(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A unit of work: commits when the block succeeds, rolls back when it raises."""
    session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def gather_statistics(url: str) -> None:
    """PostgreSQL's planner statistics gathered and dead rows cleared (VACUUM ANALYZE), after
    a bulk load or rewrite: until then the planner sees what the tables held before (an empty
    table, say), and autovacuum may be off or minutes away. SQLite keeps none."""
    engine = get_engine(url)
    if engine.dialect.name != "postgresql":
        return
    # VACUUM runs outside a transaction.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM (ANALYZE)"))


def dispose_engine(url: str) -> None:
    get_engine(url).dispose()
    get_engine.cache_clear()
    get_sessionmaker.cache_clear()
