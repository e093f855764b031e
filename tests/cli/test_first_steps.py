"""A new user's first commands, as they run them: a command on a database `huddle init` has not
made yet says to run it (it said "OperationalError: no such table: users"), and a call's import
says what its numbers count (turns read, the customer's statements in)."""

import sqlite3
from pathlib import Path

import pytest

from tests.cli.test_cli import run


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite file `huddle init` made, as a new user has after the first step."""
    url = f"sqlite:///{tmp_path / 'huddle.db'}"
    run(url, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass")
    return url


CALL = """Dana Lee (OurCo): How is the rollout going?
Ingrid Holm (Acme Robotics): The sync creates duplicates whenever two people edit a card.
Dana Lee (OurCo): Since when?
Ingrid Holm (Acme Robotics): Since the upgrade. We need the sync to merge edits instead.
Dana Lee (OurCo): Thanks, we'll look at it.
"""


def test_a_command_on_a_database_without_huddles_tables_says_to_run_init(tmp_path: Path) -> None:
    fresh = str(tmp_path / "new.db")
    listed = run(fresh, "problems", "list", ok=False)
    assert listed.returncode == 1
    assert "no Huddle tables" in listed.stderr and "huddle init" in listed.stderr
    assert "OperationalError" not in listed.stderr


def test_a_database_older_than_huddle_is_told_to_upgrade(db: str, tmp_path: Path) -> None:
    path = db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("ALTER TABLE problems DROP COLUMN description")
    listed = run(db, "problems", "list", ok=False)
    assert "older than this Huddle" in listed.stderr and "huddle init" in listed.stderr


def test_a_calls_import_counts_turns_read_and_statements_in(db: str, tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_text(CALL)
    done = run(db, "import", "transcript", str(path), "--internal-domain", "ourco.com")
    assert "read 5 turns" in done.stdout
    assert "customer's statements as 2 new items" in done.stdout
