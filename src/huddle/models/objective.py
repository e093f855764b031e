from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow
from huddle.models.user import User


class Objective(IdMixin, CreatedMixin, Base):
    """What the product team means to achieve in a quarter, measured by its key results."""

    __tablename__ = "objectives"
    __table_args__ = NEVER_REUSE_IDS

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    # "2027-Q1": sorts by time as text.
    period: Mapped[str] = mapped_column(String(7), index=True)
    status: Mapped[str] = mapped_column(String(20), default="on_track")
    created_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[owner_id])


class KeyResult(IdMixin, CreatedMixin, Base):
    """A measurable result of an objective: from `start_value` to `target_value` in `unit`,
    now at `current_value` (the latest check-in)."""

    __tablename__ = "key_results"
    __table_args__ = NEVER_REUSE_IDS

    objective_id: Mapped[int] = mapped_column(
        Id, ForeignKey("objectives.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40), default="")
    start_value: Mapped[float] = mapped_column(Float)
    target_value: Mapped[float] = mapped_column(Float)
    current_value: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class CheckIn(IdMixin, Base):
    """A key result's value as someone measured it at a moment: kept, so progress over time
    can be drawn."""

    __tablename__ = "key_result_check_ins"
    __table_args__ = NEVER_REUSE_IDS

    key_result_id: Mapped[int] = mapped_column(
        Id, ForeignKey("key_results.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column(Float)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    by_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    by: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[by_id])


class KeyResultSolution(Base):
    """A solution expected to move a key result."""

    __tablename__ = "key_result_solutions"

    key_result_id: Mapped[int] = mapped_column(
        Id, ForeignKey("key_results.id", ondelete="CASCADE"), primary_key=True
    )
    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
