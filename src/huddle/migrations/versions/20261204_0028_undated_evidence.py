"""undated evidence: an item that came without a date is dated by its import, and kept out of
the trend until a date of its own arrives

`feedback.dated` is false for an item whose source gave no date (a pasted column of
comments, a CSV without one): it takes the import's date, for pages and sorting, but
severity's trend (the last 30 days against the 30 before) does not count it, since the day it
was imported says nothing of when the customer said it. A later import that gives its date
sets it true.

The figure triggers mark a linked item's problems when `dated` changes, as for its date,
account and sentiment: on SQLite the row trigger of 20261202_0005 is made again with the
column (a plain ADD COLUMN rebuilds nothing, so the other triggers stay); on PostgreSQL the
statement trigger's function of 20261204_0027 compares it too.

Revision ID: 20261204_0028
Revises: 20261204_0027
Create Date: 2026-12-04 20:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0028"
down_revision: str | None = "20261204_0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "problem_id, as_of, mentions, accounts, arr_minor, arr_at_risk_minor, segments, recent, "
    "previous, score, reasons, stale, computed_at, marks"
)


def _facts(facts: tuple[str, ...]) -> tuple[str, str, str]:
    """SQLite's column list and WHEN, PostgreSQL's comparison of transition rows."""
    return (
        ", ".join(facts),
        " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in facts),
        " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in facts),
    )


def _sqlite_trigger(facts: tuple[str, ...]) -> str:
    columns, when, _ = _facts(facts)
    return (
        f"CREATE TRIGGER figures_evidence_changed AFTER UPDATE OF {columns} ON feedback "
        f"FOR EACH ROW WHEN {when} BEGIN "
        f"INSERT INTO problem_figures ({COLUMNS}) "
        "SELECT id, '1970-01-01', 0, 0, 0, 0, '[]', 0, 0, 0, '[]', 1, "
        "'1970-01-01 00:00:00.000000', 1 FROM problems WHERE id IN "
        "(SELECT problem_id FROM feedback_links WHERE feedback_id = NEW.id) "
        "ON CONFLICT (problem_id) DO UPDATE SET stale = 1, marks = problem_figures.marks + 1; "
        "END"
    )


def _postgres_function(facts: tuple[str, ...]) -> str:
    changed = _facts(facts)[2]
    ids = (
        "SELECT DISTINCT l.problem_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"JOIN feedback_links l ON l.feedback_id = n.id WHERE {changed}"
    )
    return (
        "CREATE OR REPLACE FUNCTION figures_evidence_changed() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN PERFORM huddle_mark_figures(ARRAY({ids})); "
        "RETURN NULL; END $$"
    )


BEFORE = ("occurred_at", "account_id", "sentiment")
AFTER = (*BEFORE, "dated")


def upgrade() -> None:
    op.add_column(
        "feedback", sa.Column("dated", sa.Boolean(), server_default=sa.true(), nullable=False)
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS figures_evidence_changed")
        op.execute(_sqlite_trigger(AFTER))
    else:
        op.execute(_postgres_function(AFTER))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS figures_evidence_changed")
        op.execute(_sqlite_trigger(BEFORE))
    else:
        op.execute(_postgres_function(BEFORE))
    op.drop_column("feedback", "dated")
