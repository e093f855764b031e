"""links from solutions to their tickets in Jira, Linear and GitHub, and the tools' webhook deliveries taken (replays are ignored)

Revision ID: 20261203_0022
Revises: 20261203_0021
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0022"
down_revision: str | None = "20261203_0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hook_deliveries",
        sa.Column("tool", sa.String(length=10), nullable=False),
        sa.Column("delivery_id", sa.String(length=200), nullable=False),
        sa.Column("received_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("links_changed", sa.Integer(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hook_deliveries")),
        sa.UniqueConstraint("tool", "delivery_id", name=op.f("uq_hook_deliveries_tool")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "delivery_links",
        sa.Column(
            "solution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("tool", sa.String(length=10), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=100), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("status_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solutions.id"],
            name=op.f("fk_delivery_links_solution_id_solutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_links")),
        sa.UniqueConstraint("solution_id", "url", name=op.f("uq_delivery_links_solution_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("delivery_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_delivery_links_key"), ["key"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_delivery_links_solution_id"), ["solution_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("delivery_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_links_solution_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_links_key"))

    op.drop_table("delivery_links")
    op.drop_table("hook_deliveries")
