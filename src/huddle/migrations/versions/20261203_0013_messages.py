"""messages: what Huddle tells each person, kept with its idempotency key before it is sent

Revision ID: 20261203_0013
Revises: 20261203_0012
Create Date: 2026-12-03 08:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import huddle.models.base

revision: str = "20261203_0013"
down_revision: str | None = "20261203_0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
MOMENT = huddle.models.base.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("event", sa.String(length=50), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient_id", ID, nullable=True),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("sent_at", MOMENT, nullable=True),
        sa.Column("read_at", MOMENT, nullable=True),
        sa.Column("id", ID, autoincrement=True, nullable=False),
        sa.Column("created_at", MOMENT, nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_messages_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("key", name=op.f("uq_messages_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "ix_messages_recipient_channel", "messages", ["recipient_id", "channel"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_messages_recipient_channel", table_name="messages")
    op.drop_table("messages")
