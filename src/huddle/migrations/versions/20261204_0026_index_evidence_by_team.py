"""index evidence for the inbox at a million items: by team, and by source and team

The inbox and the API filtered by team read the newest items (or the newest of a source)
until a page of the team turned up: most of them when the team brings in little of it
(300-1,085 ms p95 for `source=call&team=sales` at a million items). (team, date) and
(source, team, date) read a team's newest page, alone or within a source, in index order.

Plain indexes: no table is rebuilt, so SQLite keeps the triggers of 20261202_0005,
20261203_0024 and 20261203_0025.

Revision ID: 20261204_0026
Revises: 20261203_0025
Create Date: 2026-12-04 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261204_0026"
down_revision: str | None = "20261203_0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BY_DATE = {
    "ix_feedback_team_occurred_at": ["team", "occurred_at"],
    "ix_feedback_source_team_occurred_at": ["source", "team", "occurred_at"],
}


def upgrade() -> None:
    for name, columns in BY_DATE.items():
        op.create_index(name, "feedback", columns, unique=False)


def downgrade() -> None:
    for name in BY_DATE:
        op.drop_index(name, table_name="feedback")
