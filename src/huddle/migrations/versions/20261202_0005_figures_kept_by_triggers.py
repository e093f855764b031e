"""figures kept by triggers: problem_figures.marks, and the triggers that mark figures stale

Every change to what a problem's severity is computed from marks that problem's figures
stale in the same transaction, whatever made it (a service, a bulk Core statement, an undo,
a cascade, psql): links added, removed or moved; a linked item's date, account or
sentiment; an account's ARR, segment, risk, renewal or status; a problem created, moved
under another parent or deleted. A mark names the problem whose *own* inputs changed;
readers and the refresh job extend it to the problem's ancestors (huddle.problems.figures).
Marking creates a placeholder row when a problem has none, so that every mark has a row to
count in `marks`, which the refresh job compares before it writes (a mark made while it
computed survives).

SQLite drops a table's triggers when a migration rebuilds the table (batch mode with
recreate): a later migration that rebuilds problems, feedback_links, feedback or accounts
must create these triggers again (tests/problems/test_figures.py checks they exist).

Revision ID: 20261202_0005
Revises: 20261202_0004
Create Date: 2026-12-02 12:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0005"
down_revision: str | None = "20261202_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "problem_id, as_of, mentions, accounts, arr_minor, arr_at_risk_minor, segments, recent, "
    "previous, score, reasons, stale, computed_at, marks"
)
LINKED_TO_ACCOUNT = (
    "SELECT l.problem_id FROM feedback_links l JOIN feedback f ON f.id = l.feedback_id "
    "WHERE f.account_id = {account}"
)
ACCOUNT_FACTS = ("arr_minor", "segment", "at_risk", "renewal_date", "status")
EVIDENCE_FACTS = ("occurred_at", "account_id", "sentiment")

# name, table, timing and event, SQLite WHEN condition (or ""), ids marked (SQL, in IN (…))
SQLITE_TRIGGERS = (
    ("figures_link_added", "feedback_links", "AFTER INSERT", "", "NEW.problem_id"),
    ("figures_link_removed", "feedback_links", "AFTER DELETE", "", "OLD.problem_id"),
    (
        "figures_link_moved",
        "feedback_links",
        "AFTER UPDATE OF problem_id, feedback_id",
        "",
        "OLD.problem_id, NEW.problem_id",
    ),
    (
        "figures_evidence_changed",
        "feedback",
        f"AFTER UPDATE OF {', '.join(EVIDENCE_FACTS)}",
        " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in EVIDENCE_FACTS),
        "SELECT problem_id FROM feedback_links WHERE feedback_id = NEW.id",
    ),
    (
        "figures_account_changed",
        "accounts",
        f"AFTER UPDATE OF {', '.join(ACCOUNT_FACTS)}",
        " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in ACCOUNT_FACTS),
        LINKED_TO_ACCOUNT.format(account="NEW.id"),
    ),
    (
        "figures_account_removed",
        "accounts",
        "BEFORE DELETE",
        "",
        LINKED_TO_ACCOUNT.format(account="OLD.id"),
    ),
    ("figures_problem_added", "problems", "AFTER INSERT", "", "NEW.id"),
    (
        "figures_problem_moved",
        "problems",
        "AFTER UPDATE OF parent_id",
        "OLD.parent_id IS NOT NEW.parent_id",
        "NEW.id, OLD.parent_id",
    ),
    ("figures_problem_removed", "problems", "AFTER DELETE", "", "OLD.parent_id"),
)


def _sqlite_mark(ids: str) -> str:
    return (
        f"INSERT INTO problem_figures ({COLUMNS}) "
        "SELECT id, '1970-01-01', 0, 0, 0, 0, '[]', 0, 0, 0, '[]', 1, "
        "'1970-01-01 00:00:00.000000', 1 "
        f"FROM problems WHERE id IN ({ids}) "
        "ON CONFLICT (problem_id) DO UPDATE SET stale = 1, marks = problem_figures.marks + 1"
    )


POSTGRES_MARK = f"""
CREATE FUNCTION huddle_mark_figures(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO problem_figures ({COLUMNS})
    SELECT id, DATE '1970-01-01', 0, 0, 0, 0, '[]', 0, 0, 0, '[]', true,
           TIMESTAMPTZ '1970-01-01 00:00:00+00', 1
    FROM problems WHERE id = ANY(ids) ORDER BY id
    ON CONFLICT (problem_id) DO UPDATE SET stale = true, marks = problem_figures.marks + 1
$$
"""

# name, table, timing and event, PostgreSQL WHEN condition (or ""), ids marked (an array)
POSTGRES_TRIGGERS = (
    (
        "figures_link_added",
        "feedback_links",
        "AFTER INSERT",
        "",
        "ARRAY[NEW.problem_id]",
    ),
    ("figures_link_removed", "feedback_links", "AFTER DELETE", "", "ARRAY[OLD.problem_id]"),
    (
        "figures_link_moved",
        "feedback_links",
        "AFTER UPDATE OF problem_id, feedback_id",
        "",
        "ARRAY[OLD.problem_id, NEW.problem_id]",
    ),
    (
        "figures_evidence_changed",
        "feedback",
        f"AFTER UPDATE OF {', '.join(EVIDENCE_FACTS)}",
        " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in EVIDENCE_FACTS),
        "ARRAY(SELECT problem_id FROM feedback_links WHERE feedback_id = NEW.id)",
    ),
    (
        "figures_account_changed",
        "accounts",
        f"AFTER UPDATE OF {', '.join(ACCOUNT_FACTS)}",
        " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in ACCOUNT_FACTS),
        f"ARRAY({LINKED_TO_ACCOUNT.format(account='NEW.id')})",
    ),
    (
        "figures_account_removed",
        "accounts",
        "BEFORE DELETE",
        "",
        f"ARRAY({LINKED_TO_ACCOUNT.format(account='OLD.id')})",
    ),
    ("figures_problem_added", "problems", "AFTER INSERT", "", "ARRAY[NEW.id]"),
    (
        "figures_problem_moved",
        "problems",
        "AFTER UPDATE OF parent_id",
        "OLD.parent_id IS DISTINCT FROM NEW.parent_id",
        "ARRAY[NEW.id, OLD.parent_id]",
    ),
    ("figures_problem_removed", "problems", "AFTER DELETE", "", "ARRAY[OLD.parent_id]"),
)


def upgrade() -> None:
    with op.batch_alter_table("problem_figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("marks", sa.Integer(), server_default="0", nullable=False))
    if op.get_bind().dialect.name == "sqlite":
        for name, table, timing, when, ids in SQLITE_TRIGGERS:
            condition = f" WHEN {when}" if when else ""
            op.execute(
                f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{condition} "
                f"BEGIN {_sqlite_mark(ids)}; END"
            )
        # Problems that exist already have no figures yet: the refresh job computes them.
        op.execute(_sqlite_mark("SELECT id FROM problems"))
        return
    op.execute(POSTGRES_MARK)
    for name, table, timing, when, ids in POSTGRES_TRIGGERS:
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM huddle_mark_figures({ids}); "
            # A BEFORE trigger that returns NULL would cancel the change.
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        condition = f" WHEN ({when})" if when else ""
        op.execute(
            f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )
    op.execute("SELECT huddle_mark_figures(ARRAY(SELECT id FROM problems))")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table, *_ in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
        op.execute("DROP FUNCTION IF EXISTS huddle_mark_figures(bigint[])")
    with op.batch_alter_table("problem_figures", schema=None) as batch_op:
        batch_op.drop_column("marks")
