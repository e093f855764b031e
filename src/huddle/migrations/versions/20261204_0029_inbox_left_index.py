"""the inbox's "N left" counts read an index, not the table (PostgreSQL)

The inbox counts the unlinked open items its filters keep, up to 1,001. PostgreSQL answers
with a merge anti-join: the items in id order against the links in id order, until 1,001
are found unlinked, open and of the filter. Each item read there was a read of its row, and
a row of `feedback` is ~2 KB (its text, its words, its vector): for a segment that is 13% of
the unlinked items, 54,662 rows for 1,001 (154 ms cold, 92 ms warm at a million items).

This index holds, in id order, what those counts check of an item: its account (for a
segment), source, team, whether it is a duplicate, dismissed or snoozed. The same merge
reads it alone (an index-only scan, where vacuum has marked the pages all-visible): the
segment's count 16-33 ms, a source's 8 ms. 48 MB at a million items.

PostgreSQL only, and so not in the models (huddle.migrate.NOT_MODELLED_INDEXES): SQLite
keeps each row in the b-tree of its id and reads it there already.

Revision ID: 20261204_0029
Revises: 20261204_0028
Create Date: 2026-12-04 22:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "20261204_0029"
down_revision: str | None = "20261204_0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_feedback_inbox_left"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON feedback (id) INCLUDE "
        "(account_id, source, team, duplicate_of_id, dismissed_reason, snoozed_until)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX IF EXISTS {INDEX}")
