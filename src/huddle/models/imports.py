from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime


class ImportRun(IdMixin, CreatedMixin, Base):
    """One import of one file: what it added, so that it can be reported and undone."""

    __tablename__ = "import_runs"
    __table_args__ = NEVER_REUSE_IDS

    source: Mapped[str] = mapped_column(String(50), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    started_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(20), default="done")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    created_count: Mapped[int] = mapped_column(Integer, default=0)
    updated_count: Mapped[int] = mapped_column(Integer, default=0)
    skipped_count: Mapped[int] = mapped_column(Integer, default=0)
    # What the run left out as noise (auto-replies, spam, tests…), each with its reason and the
    # record, so a person can see it and bring it in. Kept in the column once meant for
    # errors: a run that wrote anything had none (a refused file writes no run at all).
    left_out: Mapped[list[dict[str, Any]]] = mapped_column("errors", JSON, default=list)
    # How many it left out: `left_out` keeps the first `connected.LEFT_OUT_KEPT` only. Null on
    # runs from before the count was kept, whose list was never cut.
    left_out_count: Mapped[int | None] = mapped_column(Integer)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ImportChange(IdMixin, Base):
    """One row an import created or changed, with the values it replaced, so that undo can
    put them back exactly (or refuse, naming what changed since)."""

    __tablename__ = "import_changes"
    __table_args__ = (Index("ix_import_changes_row", "table_name", "row_id"), NEVER_REUSE_IDS)

    import_id: Mapped[int] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="CASCADE"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int] = mapped_column(Id)
    # created, or updated
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
