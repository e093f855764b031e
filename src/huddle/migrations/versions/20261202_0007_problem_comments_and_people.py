"""problems a team can own: comments, and people on a problem (owner, followers)

Revision ID: 20261202_0007
Revises: 20261202_0006
Create Date: 2026-12-02 15:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261202_0007"
down_revision: str | None = "20261202_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "problem_comments",
        sa.Column("problem_id", ID, nullable=False),
        sa.Column("author_id", ID, nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", huddle.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_problem_comments_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_problem_comments_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem_comments")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_problem_comments_problem_id"), "problem_comments", ["problem_id"], unique=False
    )
    op.create_table(
        "problem_people",
        sa.Column("problem_id", ID, nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["problem_id"],
            ["problems.id"],
            name=op.f("fk_problem_people_problem_id_problems"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_problem_people_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("problem_id", "user_id", name=op.f("pk_problem_people")),
    )
    op.create_index(op.f("ix_problem_people_user_id"), "problem_people", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_problem_people_user_id"), table_name="problem_people")
    op.drop_table("problem_people")
    op.drop_index(op.f("ix_problem_comments_problem_id"), table_name="problem_comments")
    op.drop_table("problem_comments")
