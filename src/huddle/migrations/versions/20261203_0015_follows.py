"""follows: who hears when a solution or an account changes

Revision ID: 20261203_0015
Revises: 20261203_0014
Create Date: 2026-12-03 08:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0015"
down_revision: str | None = "20261203_0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("user_id", ID, nullable=False),
        sa.Column("subject_type", sa.String(length=20), nullable=False),
        sa.Column("subject_id", ID, nullable=False),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "subject_type", "subject_id", name=op.f("pk_follows")),
    )
    op.create_index("ix_follows_subject", "follows", ["subject_type", "subject_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_follows_subject", table_name="follows")
    op.drop_table("follows")
