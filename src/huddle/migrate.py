"""Schema management: every database, test or production, is built by migrating."""

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Connection, create_engine, event
from sqlalchemy.pool import NullPool

from huddle.db import get_engine
from huddle.models import Base

MIGRATIONS = Path(__file__).parent / "migrations"
# Kept by the migrations alone, as no model can say them: the words index of the evidence
# (migration 20261203_0025), on SQLite an FTS5 table and its shadow tables, on PostgreSQL a
# generated column and its index.
NOT_MODELLED_TABLES = {
    "feedback_words",
    "feedback_words_config",
    "feedback_words_data",
    "feedback_words_idx",
}
# And on PostgreSQL an index of what the inbox's counts check of each item (20261204_0029).
NOT_MODELLED_INDEXES = {"ix_feedback_words", "ix_feedback_inbox_left"}
NOT_MODELLED_COLUMNS = {("feedback", "words")}


def modelled(name: str | None, kind: str, parents: Any) -> bool:
    """Whether `alembic check` compares this table, column or index with the models."""
    if kind == "table":
        return name not in NOT_MODELLED_TABLES
    if kind == "index":
        return name not in NOT_MODELLED_INDEXES
    if kind == "column":
        return (parents.get("table_name"), name) not in NOT_MODELLED_COLUMNS
    return True


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    if url.startswith("sqlite"):
        _upgrade_sqlite(url, revision)
        return
    with get_engine(url).begin() as connection:
        _run(connection, url, revision)


def _run(connection: Connection, url: str, revision: str) -> None:
    config = alembic_config(url)
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def _upgrade_sqlite(url: str, revision: str) -> None:
    """SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy would
    cascade into every table that points at it. The pragma only takes effect outside a
    transaction, so migrations get a connection of their own with it off, and the keys are
    checked before the migration commits."""
    engine = create_engine(url, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _keys_off(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA foreign_keys=OFF")
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    try:
        with engine.begin() as connection:
            _run(connection, url, revision)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows pointing at nothing: {broken[:5]}")
    finally:
        engine.dispose()


def pending_differences(url: str) -> list[object]:
    """What the models have that the migrations do not (empty when they agree)."""
    with get_engine(url).connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": modelled}
        )
        return list(compare_metadata(context, Base.metadata))
