"""discovery samples: a run over more free evidence than it clusters says how many it
clustered

`theme_runs.clustered` is the number of items a run clustered when there were more free
items than `rediscovery.CLUSTER_AT_MOST` (a uniform sample; the rest were placed in the
groups found, or left unthemed); null when it clustered them all.

Revision ID: 20261204_0030
Revises: 20261204_0029
Create Date: 2026-12-04 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261204_0030"
down_revision: str | None = "20261204_0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("theme_runs", sa.Column("clustered", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("theme_runs") as batch:
        batch.drop_column("clustered")
