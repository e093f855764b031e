"""what a solution's launch taught the team, written in its learning stage

Revision ID: 20261203_0023
Revises: 20261203_0022
Create Date: 2026-12-03 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261203_0023"
down_revision: str | None = "20261203_0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solutions") as batch:
        batch.add_column(sa.Column("learned", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("solutions") as batch:
        batch.drop_column("learned")
