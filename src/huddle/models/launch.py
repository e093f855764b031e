"""Delivering and launching a solution: the gates of its stages and their checks."""

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow
from huddle.models.user import User


class GateItem(IdMixin, CreatedMixin, Base):
    """One item of the checklist a solution passes to leave `stage` (the workspace's own;
    the migration writes the defaults)."""

    __tablename__ = "gate_items"
    __table_args__ = NEVER_REUSE_IDS

    stage: Mapped[str] = mapped_column(String(20), index=True)
    label: Mapped[str] = mapped_column(String(200))
    position: Mapped[float] = mapped_column(Float, default=0.0)


class GateCheck(Base):
    """A gate item ticked for one solution."""

    __tablename__ = "gate_checks"

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True
    )
    gate_item_id: Mapped[int] = mapped_column(
        Id, ForeignKey("gate_items.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    checked_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    done: Mapped[bool] = mapped_column(Boolean, default=True)

    checked_by: Mapped[User | None] = relationship(lazy="joined")
