"""the roadmap: a solution's column, place, commitment, quarter, public flag and sales approval

Revision ID: 20261203_0012
Revises: 20261202_0011
Create Date: 2026-12-03 07:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0012"
down_revision: str | None = "20261202_0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("horizon", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("position", sa.Float(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column(
                "commitment", sa.String(length=20), server_default="exploring", nullable=False
            )
        )
        batch_op.add_column(sa.Column("quarter", sa.String(length=7), nullable=True))
        batch_op.add_column(
            sa.Column("public", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("sales_approved", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("sales_approved_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sales_approved_by_id", ID, nullable=True))
        batch_op.add_column(
            sa.Column(
                "sales_approved_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index(batch_op.f("ix_solutions_horizon"), ["horizon"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_solutions_sales_approved_by_id_users"),
            "users",
            ["sales_approved_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("approves_for_sales", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("approves_for_sales")
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_solutions_sales_approved_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_solutions_horizon"))
        for name in (
            "sales_approved_at",
            "sales_approved_by_id",
            "sales_approved_hash",
            "sales_approved",
            "public",
            "quarter",
            "commitment",
            "position",
            "horizon",
        ):
            batch_op.drop_column(name)
