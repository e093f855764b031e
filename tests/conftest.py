"""Every database test runs against real SQLite and real PostgreSQL, built by migrating.

PostgreSQL comes from HUDDLE_TEST_POSTGRES_URL (a database the tests may fill and empty).
Without it the local server at 127.0.0.1:5432 is tried; when none answers the PostgreSQL
half is skipped, unless HUDDLE_REQUIRE_POSTGRES=1 (as in CI), which turns that into a failure.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from huddle.config import get_settings
from huddle.db import dispose_engine, get_sessionmaker
from huddle.migrate import upgrade
from huddle.models import Base

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# The access log writes to the standard error of the process that made the first app; tests
# read it through a handler of their own (tests/web/test_access_log.py).
os.environ.setdefault("HUDDLE_ACCESS_LOG", "false")
# No model loading and index opening in the background of every app a test starts (a test
# of the warm-up turns it on).
os.environ.setdefault("HUDDLE_WARM_UP", "false")


def _postgres_admin_url() -> str | None:
    configured = os.environ.get("HUDDLE_TEST_POSTGRES_URL")
    candidate = configured or LOCAL_POSTGRES
    try:
        engine = create_engine(candidate, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
        return candidate
    except Exception as error:
        if configured or os.environ.get("HUDDLE_REQUIRE_POSTGRES") == "1":
            pytest.fail(
                f"PostgreSQL at {candidate} is required but unreachable: {error}", pytrace=False
            )
        return None


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "huddle.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    dispose_engine(url)
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin_url = _postgres_admin_url()
    if admin_url is None:
        pytest.skip("no PostgreSQL server (set HUDDLE_TEST_POSTGRES_URL)")
    name = f"huddle_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    dispose_engine(url)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    """Every table emptied and every sequence back at 1, as `TRUNCATE … RESTART IDENTITY` does.

    TRUNCATE gives each of the tables and their indexes new files, ~0.5 s for every test; a
    test leaves a few rows, which DELETE removes in ~15 ms. Foreign keys and the triggers that
    keep figures are set aside meanwhile (`session_replication_role`), which takes a superuser,
    as the CI's is; any other role gets TRUNCATE."""
    from huddle.db import get_engine

    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with get_engine(url).begin() as connection:
        if connection.execute(text("SHOW is_superuser")).scalar() != "on":
            listed = ", ".join(f'"{name}"' for name in tables)
            connection.execute(text(f"TRUNCATE {listed} RESTART IDENTITY CASCADE"))
            return
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text("; ".join(f'DELETE FROM "{name}"' for name in tables)))
        sequences = connection.execute(text(SEQUENCES)).scalars().all()
        if sequences:
            restart = ", ".join(f"setval('{name}', 1, false)" for name in sequences)
            connection.execute(text(f"SELECT {restart}"))


SEQUENCES = """
SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'S' AND n.nspname = current_schema()
"""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[str]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        path = tmp_path / "huddle.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
        _empty_postgres(url)
    os.environ["HUDDLE_DATABASE_URL"] = url
    get_settings.cache_clear()
    yield url
    if request.param == "sqlite":
        dispose_engine(url)


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    session = get_sessionmaker(database_url)()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test that drives the browser carries the browser marker, so `-m browser` (and
    `-m "not browser"`) select exactly them."""
    unmarked = [
        item.nodeid
        for item in items
        if "browser" in getattr(item, "fixturenames", ())
        and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            "browser tests without @pytest.mark.browser: " + ", ".join(sorted(unmarked))
        )
