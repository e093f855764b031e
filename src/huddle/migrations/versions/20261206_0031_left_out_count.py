"""left-out count: how many items an import run left out as noise

`import_runs.left_out_count` is the exact number; the run keeps the first
`connected.LEFT_OUT_KEPT` of them (in `errors`, read as `left_out`) for the imports page.
Null on runs from before, whose list was never cut.

Revision ID: 20261206_0031
Revises: 20261204_0030
Create Date: 2026-12-06 06:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "20261206_0031"
down_revision: str | None = "20261204_0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("import_runs", sa.Column("left_out_count", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_runs") as batch:
        batch.drop_column("left_out_count")
