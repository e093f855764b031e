"""Whole-database snapshots, to compare what an operation leaves behind row by row."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Base

# The log of what happened, not the workspace's data: an import or an undo adds to it.
LOGS = {"import_runs", "import_changes", "activity", "jobs", "job_schedules"}
# Kept from the data, not data: a change marks figures stale and a job rewrites them; that
# they equal a computation from the data is tests/problems/test_figures.py's to check.
DERIVED = {"problem_figures"}


def snapshot(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every data table, in primary-key order."""
    session.flush()
    rows: dict[str, list[tuple[Any, ...]]] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in LOGS | DERIVED:
            continue
        statement = select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in session.execute(statement)]
    return rows


def differences(
    before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]
) -> dict[str, tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Per table, the rows only before and the rows only after (empty when equal)."""
    found = {}
    for name in before.keys() | after.keys():
        was, now = before.get(name, []), after.get(name, [])
        if was != now:
            found[name] = ([r for r in was if r not in now], [r for r in now if r not in was])
    return found
