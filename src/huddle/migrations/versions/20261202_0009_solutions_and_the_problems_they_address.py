"""solutions and the problems they address

Revision ID: 20261202_0009
Revises: 20261202_0008
Create Date: 2026-12-02 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261202_0009"
down_revision: str | None = "20261202_0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "solutions",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("internal_notes", sa.Text(), nullable=False),
        sa.Column("product_area", sa.String(length=100), nullable=True),
        sa.Column("owner_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column(
            "created_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("updated_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reach", sa.Float(), nullable=True),
        sa.Column("impact", sa.Float(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("effort", sa.Float(), nullable=True),
        sa.Column("business_value", sa.Float(), nullable=True),
        sa.Column("time_criticality", sa.Float(), nullable=True),
        sa.Column("risk_reduction", sa.Float(), nullable=True),
        sa.Column("ease", sa.Float(), nullable=True),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("value_tags", sa.JSON(), nullable=False),
        sa.Column("accounts", sa.Integer(), nullable=False),
        sa.Column("arr_minor", sa.BigInteger(), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("figures_at", huddle.models.base.UTCDateTime(timezone=True), nullable=True),
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
            name=op.f("fk_solutions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_solutions_owner_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solutions")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_solutions_product_area"), "solutions", ["product_area"], unique=False)

    op.create_table(
        "solution_problems",
        sa.Column(
            "solution_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "problem_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_solution_problems_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["solution_id"],
            ["solutions.id"],
            name=op.f("fk_solution_problems_solution_id_solutions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("solution_id", "problem_id", name=op.f("pk_solution_problems")),
    )
    op.create_index(
        op.f("ix_solution_problems_problem_id"), "solution_problems", ["problem_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_solution_problems_problem_id"), table_name="solution_problems")

    op.drop_table("solution_problems")
    op.drop_index(op.f("ix_solutions_product_area"), table_name="solutions")

    op.drop_table("solutions")
