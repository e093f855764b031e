"""a solution's delivery stage and launch day; the workspace's gate checklists and the
items ticked per solution (the defaults are written by launch/stages.py on first use)

Revision ID: 20261203_0019
Revises: 20261203_0018
Create Date: 2026-12-03 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0019"
down_revision: str | None = "20261203_0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("stage", sa.String(length=20), server_default="discovery", nullable=False)
        )
        batch_op.add_column(
            sa.Column(
                "stage_changed_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("launch_on", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_solutions_stage"), ["stage"], unique=False)
    op.create_table(
        "gate_items",
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Float(), nullable=False),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gate_items")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("gate_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_gate_items_stage"), ["stage"], unique=False)
    op.create_table(
        "gate_checks",
        sa.Column("solution_id", ID, nullable=False),
        sa.Column("gate_item_id", ID, nullable=False),
        sa.Column("checked_by_id", ID, nullable=True),
        sa.Column("checked_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["checked_by_id"],
            ["users.id"],
            name=op.f("fk_gate_checks_checked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["gate_item_id"],
            ["gate_items.id"],
            name=op.f("fk_gate_checks_gate_item_id_gate_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solutions.id"],
            name=op.f("fk_gate_checks_solution_id_solutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("solution_id", "gate_item_id", name=op.f("pk_gate_checks")),
    )
    with op.batch_alter_table("gate_checks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gate_checks_gate_item_id"), ["gate_item_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("gate_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gate_checks_gate_item_id"))
    op.drop_table("gate_checks")
    with op.batch_alter_table("gate_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gate_items_stage"))
    op.drop_table("gate_items")
    with op.batch_alter_table("solutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_solutions_stage"))
        batch_op.drop_column("launch_on")
        batch_op.drop_column("stage_changed_at")
        batch_op.drop_column("stage")
