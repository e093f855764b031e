"""index evidence for the inbox at a million items: set aside, and by source or account

Partial indexes of the rows set aside (dismissed, snoozed) for the inbox's counts: a full
index on these mostly-null columns would lead SQLite's planner to use it for the inbox's
own "not set aside" page instead of the date order. And (source, date), (account, date):
the inbox filtered by one of them reads its newest page without sorting every match.

Revision ID: 20261202_0010
Revises: 20261202_0009
Create Date: 2026-12-02 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261202_0010"
down_revision: str | None = "20261202_0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SET_ASIDE = {"ix_feedback_dismissed": "dismissed_reason", "ix_feedback_snoozed": "snoozed_until"}
BY_DATE = {
    "ix_feedback_source_occurred_at": ["source", "occurred_at"],
    "ix_feedback_account_occurred_at": ["account_id", "occurred_at"],
}


def upgrade() -> None:
    for name, column in SET_ASIDE.items():
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name, "feedback", [column], unique=False, sqlite_where=where, postgresql_where=where
        )
    for name, columns in BY_DATE.items():
        op.create_index(name, "feedback", columns, unique=False)


def downgrade() -> None:
    for name in [*BY_DATE, *SET_ASIDE]:
        op.drop_index(name, table_name="feedback")
