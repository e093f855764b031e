"""figures marked once per statement on PostgreSQL, not once per row

20261202_0005's triggers mark a problem's figures stale for each link row written: a bulk
insert of 935,000 links to 26 problems updated the same 26 `problem_figures` rows 935,000
times in one transaction (each a new row version, each waiting on the last), more than 15
minutes against 40 s without the triggers. On PostgreSQL the link and evidence triggers
become statement triggers that read the statement's rows from transition tables and mark
each problem they touch once: one statement, one mark per problem, whatever its size.

What is marked is unchanged: links added, removed or moved (either end of a move); a linked
item whose date, account or sentiment changed. The old evidence trigger fired only for
rows whose facts changed (its WHEN); a statement trigger with transition tables cannot name
columns, so it compares each row's old and new facts itself.

SQLite has no statement triggers; its row triggers stay (an upsert in the same process,
which the 1,000,000-item SQLite build makes in seconds).

Revision ID: 20261204_0027
Revises: 20261204_0026
Create Date: 2026-12-04 19:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261204_0027"
down_revision: str | None = "20261204_0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EVIDENCE_FACTS = ("occurred_at", "account_id", "sentiment")
EVIDENCE_CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in EVIDENCE_FACTS)

# name, table, event, transition tables, ids marked (a query over them)
STATEMENT_TRIGGERS = (
    (
        "figures_link_added",
        "feedback_links",
        "INSERT",
        "NEW TABLE AS new_rows",
        "SELECT problem_id FROM new_rows",
    ),
    (
        "figures_link_removed",
        "feedback_links",
        "DELETE",
        "OLD TABLE AS old_rows",
        "SELECT problem_id FROM old_rows",
    ),
    (
        "figures_link_moved",
        "feedback_links",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT unnest(ARRAY[o.problem_id, n.problem_id]) FROM old_rows o "
        "JOIN new_rows n ON n.id = o.id "
        "WHERE o.problem_id <> n.problem_id OR o.feedback_id <> n.feedback_id",
    ),
    (
        "figures_evidence_changed",
        "feedback",
        "UPDATE",
        "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "SELECT l.problem_id FROM old_rows o JOIN new_rows n ON n.id = o.id "
        f"JOIN feedback_links l ON l.feedback_id = n.id WHERE {EVIDENCE_CHANGED}",
    ),
)

# As 20261202_0005 made them, to go back to.
ROW_TRIGGERS = (
    ("figures_link_added", "feedback_links", "AFTER INSERT", "", "ARRAY[NEW.problem_id]"),
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
)


def _drop(name: str, table: str) -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    op.execute(f"DROP FUNCTION IF EXISTS {name}()")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, table, event, transitions, ids in STATEMENT_TRIGGERS:
        _drop(name, table)
        # Each problem once: huddle_mark_figures compares every problem row with the array.
        distinct = f"SELECT DISTINCT problem_id FROM ({ids}) AS touched(problem_id)"
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM huddle_mark_figures(ARRAY({distinct})); RETURN NULL; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {transitions} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    for name, table, timing, when, ids in ROW_TRIGGERS:
        _drop(name, table)
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN PERFORM huddle_mark_figures({ids}); RETURN NEW; END $$"
        )
        condition = f" WHEN ({when})" if when else ""
        op.execute(
            f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()"
        )
