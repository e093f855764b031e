from datetime import datetime

from sqlalchemy import Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow
from huddle.models.feedback import Feedback
from huddle.models.user import User


class Problem(IdMixin, CreatedMixin, Base):
    """A user problem: the core object evidence is grouped into and ranked by severity."""

    __tablename__ = "problems"
    __table_args__ = NEVER_REUSE_IDS

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    product_area: Mapped[str | None] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    parent_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    created_by: Mapped[User | None] = relationship(lazy="joined")


class FeedbackLink(IdMixin, CreatedMixin, Base):
    """Evidence attached to a problem, with the quoted span that shows it."""

    __tablename__ = "feedback_links"
    __table_args__ = (
        UniqueConstraint("feedback_id", "problem_id", name="uq_feedback_links_pair"),
        NEVER_REUSE_IDS,
    )

    feedback_id: Mapped[int] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    quote: Mapped[str | None] = mapped_column(Text)
    linked_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Set when Huddle linked the item itself (matching); None when a person did.
    confidence: Mapped[float | None] = mapped_column(Float)

    feedback: Mapped[Feedback] = relationship(lazy="joined")
    linked_by: Mapped[User | None] = relationship(lazy="joined")


class ProblemMerge(Base):
    """A problem folded into another: its old address leads to the one that absorbed it."""

    __tablename__ = "problem_merges"

    source_id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    target_id: Mapped[int] = mapped_column(Id, index=True)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
