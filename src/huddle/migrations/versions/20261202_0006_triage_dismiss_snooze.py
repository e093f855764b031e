"""triage: evidence dismissed with a reason, or snoozed until a day

Revision ID: 20261202_0006
Revises: 20261202_0005
Create Date: 2026-12-02 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261202_0006"
down_revision: str | None = "20261202_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, never a batch copy: recreating `feedback` on SQLite would drop the
    # triggers that keep the severity figures.
    op.add_column("feedback", sa.Column("dismissed_reason", sa.String(length=20), nullable=True))
    op.add_column(
        "feedback",
        sa.Column("dismissed_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.add_column(
        "feedback",
        sa.Column("snoozed_until", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    for column in ("snoozed_until", "dismissed_at", "dismissed_reason"):
        op.drop_column("feedback", column)
