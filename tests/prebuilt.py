"""A database filled once per module and handed back as it was filled before each test.

For tests that run many requests against the same starting workspace (the permission
matrices): building it row by row costs more than the requests. The database keeps one URL
for the whole module, so one app serves every row. SQLite is restored by copying the filled
file over it; PostgreSQL by creating the database anew from the filled one as a template.
"""

import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from huddle.config import get_settings
from huddle.db import dispose_engine
from huddle.migrate import upgrade

T = TypeVar("T")


@dataclass(frozen=True)
class Prebuilt(Generic[T]):
    url: str
    built: T
    restore: Callable[[], None]

    def fresh(self, monkeypatch: pytest.MonkeyPatch) -> str:
        """The database as `build` left it, named in the settings as `database_url` does."""
        self.restore()
        monkeypatch.setenv("HUDDLE_DATABASE_URL", self.url)
        get_settings.cache_clear()
        return self.url


@contextmanager
def prebuilt(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    build: Callable[[str], T],
) -> Iterator[Prebuilt[T]]:
    """`request.param` names the kind, as the `database_url` fixture's do."""
    if request.param == "sqlite":
        with _sqlite(request, tmp_path_factory, build) as found:
            yield found
    else:
        with _postgres(request, build) as found:
            yield found


@contextmanager
def _sqlite(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    build: Callable[[str], T],
) -> Iterator[Prebuilt[T]]:
    folder = tmp_path_factory.mktemp("prebuilt")
    filled, live = folder / "filled.db", folder / "huddle.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), filled)
    built = _filled(f"sqlite:///{filled}", build)
    # What a process that wrote it left in the write-ahead log goes into the file copied.
    with closing(sqlite3.connect(filled)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    url = f"sqlite:///{live}"

    def restore() -> None:
        dispose_engine(url)
        for leftover in (Path(f"{live}-wal"), Path(f"{live}-shm")):
            leftover.unlink(missing_ok=True)
        shutil.copy(filled, live)

    yield Prebuilt(url, built, restore)
    dispose_engine(url)


@contextmanager
def _postgres(request: pytest.FixtureRequest, build: Callable[[str], T]) -> Iterator[Prebuilt[T]]:
    server = make_url(request.getfixturevalue("postgres_url"))
    name = f"huddle_prebuilt_{uuid.uuid4().hex[:10]}"
    filled, live = f"{name}_filled", name
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    _create(admin, filled)
    filled_url = server.set(database=filled).render_as_string(hide_password=False)
    upgrade(filled_url)
    built = _filled(filled_url, build)
    url = server.set(database=live).render_as_string(hide_password=False)

    def restore() -> None:
        dispose_engine(url)
        _create(admin, live, template=filled)

    try:
        yield Prebuilt(url, built, restore)
    finally:
        dispose_engine(url)
        with admin.connect() as connection:
            for database in (live, filled):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def _filled(url: str, build: Callable[[str], T]) -> T:
    built = build(url)
    # Nothing may hold the filled database open: it is copied, or is a template.
    dispose_engine(url)
    return built


def _create(admin: Engine, name: str, *, template: str | None = None) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        copy = f' TEMPLATE "{template}"' if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
