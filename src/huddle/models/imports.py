from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from huddle.models.base import Base, CreatedMixin, Id, IdMixin, UTCDateTime


class ImportRun(IdMixin, CreatedMixin, Base):
    """One import of one file: what it added, so that it can be reported and undone."""

    __tablename__ = "import_runs"

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
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
