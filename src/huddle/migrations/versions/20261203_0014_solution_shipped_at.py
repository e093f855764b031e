"""when a solution shipped: what the weekly digests report as shipped

Revision ID: 20261203_0014
Revises: 20261203_0013
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0014"
down_revision: str | None = "20261203_0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shipped_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.drop_column("shipped_at")
