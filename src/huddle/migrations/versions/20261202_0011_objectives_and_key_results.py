"""objectives and key results

Revision ID: 20261202_0011
Revises: 20261202_0010
Create Date: 2026-12-02 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261202_0011"
down_revision: str | None = "20261202_0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objectives",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column(
            "created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("updated_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_objectives_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_objectives_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_objectives")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_objectives_period"), "objectives", ["period"], unique=False)

    op.create_table(
        "key_results",
        sa.Column(
            "objective_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("start_value", sa.Float(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=False),
        sa.Column("current_value", sa.Float(), nullable=False),
        sa.Column("updated_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["objectives.id"],
            name=op.f("fk_key_results_objective_id_objectives"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_results")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_key_results_objective_id"), "key_results", ["objective_id"], unique=False
    )

    op.create_table(
        "key_result_check_ins",
        sa.Column(
            "key_result_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["by_id"],
            ["users.id"],
            name=op.f("fk_key_result_check_ins_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name=op.f("fk_key_result_check_ins_key_result_id_key_results"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_result_check_ins")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_key_result_check_ins_key_result_id"),
        "key_result_check_ins",
        ["key_result_id"],
        unique=False,
    )

    op.create_table(
        "key_result_solutions",
        sa.Column(
            "key_result_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "solution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["key_result_id"],
            ["key_results.id"],
            name=op.f("fk_key_result_solutions_key_result_id_key_results"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solutions.id"],
            name=op.f("fk_key_result_solutions_solution_id_solutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "key_result_id", "solution_id", name=op.f("pk_key_result_solutions")
        ),
    )
    op.create_index(
        op.f("ix_key_result_solutions_solution_id"),
        "key_result_solutions",
        ["solution_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_key_result_solutions_solution_id"), table_name="key_result_solutions")

    op.drop_table("key_result_solutions")
    op.drop_index(op.f("ix_key_result_check_ins_key_result_id"), table_name="key_result_check_ins")

    op.drop_table("key_result_check_ins")
    op.drop_index(op.f("ix_key_results_objective_id"), table_name="key_results")

    op.drop_table("key_results")
    op.drop_index(op.f("ix_objectives_period"), table_name="objectives")

    op.drop_table("objectives")
