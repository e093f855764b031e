"""go-to-market tasks per launch, the workspace's RACI matrix, and the product team's effort per phase

Revision ID: 20261203_0021
Revises: 20261203_0020
Create Date: 2026-12-03 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0021"
down_revision: str | None = "20261203_0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "raci_activities",
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("activity", sa.String(length=200), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("accountable", sa.String(length=200), nullable=False),
        sa.Column("consulted", sa.String(length=200), nullable=False),
        sa.Column("informed", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_raci_activities")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "effort_entries",
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "solution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("phase", sa.String(length=20), nullable=False),
        sa.Column("days", sa.Float(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("estimated", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
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
            name=op.f("fk_effort_entries_solution_id_solutions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_effort_entries_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_effort_entries")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("effort_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_effort_entries_solution_id"), ["solution_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_effort_entries_user_id"), ["user_id"], unique=False)

    op.create_table(
        "launch_tasks",
        sa.Column(
            "solution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_launch_tasks_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solutions.id"],
            name=op.f("fk_launch_tasks_solution_id_solutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_launch_tasks")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("launch_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_launch_tasks_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_launch_tasks_solution_id"), ["solution_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("launch_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_launch_tasks_solution_id"))
        batch_op.drop_index(batch_op.f("ix_launch_tasks_due_on"))

    op.drop_table("launch_tasks")
    with op.batch_alter_table("effort_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_effort_entries_user_id"))
        batch_op.drop_index(batch_op.f("ix_effort_entries_solution_id"))

    op.drop_table("effort_entries")
    op.drop_table("raci_activities")
