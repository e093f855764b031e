"""a problem's page at a million items: its evidence by date from an index, its chart and
accounts kept with its figures

feedback_links.occurred_at is a copy of the linked item's date, written by triggers (as a
link is made or re-pointed at another item, and as an item's date changes; whatever made
the change, as with the figures' triggers of 20261202_0005), and indexed with the problem:
a problem's newest evidence is read in index order instead of sorting every link. The index
on problem_id alone is dropped: the new one starts with it.

problem_figures.mentions_by_month and mentions_by_account hold what the page's chart and
accounts table count, written by the refresh job with the severity figures (and so guarded
by the same marks). They start NULL: until the refresh writes a row (it picks up rows
without them), the page counts from the evidence as before.

No table is rebuilt (columns are added, and on downgrade dropped, by ALTER TABLE), so
SQLite keeps the triggers of 20261202_0005.

Revision ID: 20261203_0024
Revises: 20261203_0023
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0024"
down_revision: str | None = "20261203_0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_feedback_links_problem_occurred_at"
ITEM_DATE = "(SELECT occurred_at FROM feedback WHERE feedback.id = {item})"

# name, table, timing and event, SQLite WHEN condition (or ""), the statement
SQLITE_TRIGGERS = (
    (
        "link_dated",
        "feedback_links",
        "AFTER INSERT",
        "",
        "UPDATE feedback_links SET occurred_at = "
        f"{ITEM_DATE.format(item='NEW.feedback_id')} WHERE id = NEW.id",
    ),
    (
        "link_redated",
        "feedback_links",
        "AFTER UPDATE OF feedback_id",
        "OLD.feedback_id IS NOT NEW.feedback_id",
        "UPDATE feedback_links SET occurred_at = "
        f"{ITEM_DATE.format(item='NEW.feedback_id')} WHERE id = NEW.id",
    ),
    (
        "links_follow_item_date",
        "feedback",
        "AFTER UPDATE OF occurred_at",
        "OLD.occurred_at IS NOT NEW.occurred_at",
        "UPDATE feedback_links SET occurred_at = NEW.occurred_at WHERE feedback_id = NEW.id",
    ),
)

# name, table, timing and event, PostgreSQL WHEN condition (or ""), the function's body
POSTGRES_TRIGGERS = (
    (
        "link_dated",
        "feedback_links",
        "BEFORE INSERT",
        "",
        f"NEW.occurred_at := {ITEM_DATE.format(item='NEW.feedback_id')}; RETURN NEW;",
    ),
    (
        "link_redated",
        "feedback_links",
        "BEFORE UPDATE OF feedback_id",
        "OLD.feedback_id IS DISTINCT FROM NEW.feedback_id",
        f"NEW.occurred_at := {ITEM_DATE.format(item='NEW.feedback_id')}; RETURN NEW;",
    ),
    (
        "links_follow_item_date",
        "feedback",
        "AFTER UPDATE OF occurred_at",
        "OLD.occurred_at IS DISTINCT FROM NEW.occurred_at",
        "UPDATE feedback_links SET occurred_at = NEW.occurred_at WHERE feedback_id = NEW.id; "
        "RETURN NEW;",
    ),
)


def upgrade() -> None:
    op.add_column("feedback_links", sa.Column("occurred_at", sa.DateTime(timezone=True)))
    op.execute(f"UPDATE feedback_links SET occurred_at = {ITEM_DATE.format(item='feedback_id')}")
    op.create_index(INDEX, "feedback_links", ["problem_id", "occurred_at", "feedback_id"])
    op.drop_index("ix_feedback_links_problem_id", table_name="feedback_links")
    if op.get_bind().dialect.name == "sqlite":
        for name, table, timing, when, statement in SQLITE_TRIGGERS:
            condition = f" WHEN {when}" if when else ""
            op.execute(
                f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{condition} "
                f"BEGIN {statement}; END"
            )
    else:
        for name, table, timing, when, body in POSTGRES_TRIGGERS:
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
                f"BEGIN {body} END $$"
            )
            condition = f" WHEN ({when})" if when else ""
            op.execute(
                f"CREATE TRIGGER {name} {timing} ON {table} FOR EACH ROW{condition} "
                f"EXECUTE FUNCTION {name}()"
            )
    op.add_column("problem_figures", sa.Column("mentions_by_month", sa.JSON()))
    op.add_column("problem_figures", sa.Column("mentions_by_account", sa.JSON()))


def downgrade() -> None:
    op.drop_column("problem_figures", "mentions_by_account")
    op.drop_column("problem_figures", "mentions_by_month")
    if op.get_bind().dialect.name == "sqlite":
        for name, *_ in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, table, *_ in POSTGRES_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.create_index("ix_feedback_links_problem_id", "feedback_links", ["problem_id"])
    op.drop_index(INDEX, table_name="feedback_links")
    op.drop_column("feedback_links", "occurred_at")
