"""problem questions: what to ask the accounts behind a problem on the next call

Revision ID: 20261203_0017
Revises: 20261203_0016
Create Date: 2026-12-03 09:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0017"
down_revision: str | None = "20261203_0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "problem_questions",
        sa.Column("problem_id", ID, nullable=False),
        sa.Column("text", sa.String(length=500), nullable=False),
        sa.Column("created_by_id", ID, nullable=True),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_problem_questions_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_problem_questions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_questions")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_problem_questions_problem_id"), "problem_questions", ["problem_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_problem_questions_problem_id"), table_name="problem_questions")
    op.drop_table("problem_questions")
