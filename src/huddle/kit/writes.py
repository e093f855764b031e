"""Writers that must not interleave take turns, on either database."""

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session

from huddle.db import sqlite_writers


def take_turn(session: Session, name: str) -> None:
    """Wait until no other transaction holds the turn `name`; keep it until this one ends.

    Evidence and account writes plan against what is stored (is this external id known? is
    this contact new?) and then write. Two such transactions at once would both plan
    "create" for the same record, and the second would fail on a unique key. With turns,
    the second waits and then plans against what the first committed.

    PostgreSQL: a transaction-scoped advisory lock. SQLite has one writer at a time anyway;
    the transaction is begun IMMEDIATE so that its reads and its writes see the same state
    (a deferred transaction that read first can fail with "database is locked" when it
    tries to write after another writer committed).
    """
    connection = session.connection()
    dialect = connection.dialect.name
    if dialect == "postgresql":
        key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif dialect == "sqlite":
        raw = connection.connection.driver_connection
        if raw is not None and not raw.in_transaction:
            writers = sqlite_writers(connection.engine)
            if writers is not None:
                writers.take(connection)
            raw.execute("BEGIN IMMEDIATE")
