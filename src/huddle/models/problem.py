from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    FetchedValue,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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
        # A problem's newest evidence read in index order, not sorted from every link
        # (migration 20261203_0024).
        Index("ix_feedback_links_problem_occurred_at", "problem_id", "occurred_at", "feedback_id"),
        NEVER_REUSE_IDS,
    )
    # occurred_at is the triggers' to write: read back when asked for, not returned by the
    # INSERT (SQLite's RETURNING reports a row before its AFTER triggers ran).
    __mapper_args__ = {"eager_defaults": False}

    feedback_id: Mapped[int] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    problem_id: Mapped[int] = mapped_column(Id, ForeignKey("problems.id", ondelete="CASCADE"))
    quote: Mapped[str | None] = mapped_column(Text)
    linked_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Set when Huddle linked the item itself (matching); None when a person did.
    confidence: Mapped[float | None] = mapped_column(Float)
    # The item's own date, copied by triggers as the link is made and as the item's date
    # changes (migration 20261203_0024): the sort key of a problem's evidence, newest first.
    occurred_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), server_default=FetchedValue(), server_onupdate=FetchedValue()
    )

    feedback: Mapped[Feedback] = relationship(lazy="joined")
    linked_by: Mapped[User | None] = relationship(lazy="joined")


class ProblemComment(IdMixin, CreatedMixin, Base):
    """A note the team keeps on a problem: what was learned, decided, or asked."""

    __tablename__ = "problem_comments"
    __table_args__ = (NEVER_REUSE_IDS,)

    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)

    author: Mapped[User | None] = relationship(lazy="joined")


class ProblemPerson(Base):
    """Someone on a problem: its owner (one at most) or a follower."""

    __tablename__ = "problem_people"

    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # owner or follower
    role: Mapped[str] = mapped_column(String(20))

    user: Mapped[User] = relationship(lazy="joined")


class ProblemMerge(Base):
    """A problem folded into another: its old address leads to the one that absorbed it."""

    __tablename__ = "problem_merges"

    source_id: Mapped[int] = mapped_column(Id, primary_key=True, autoincrement=False)
    target_id: Mapped[int] = mapped_column(Id, index=True)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ProblemFigures(Base):
    """A problem's severity figures, kept as its inputs change instead of recomputed on every
    page: equal to a from-scratch computation (`problems.severity.compute`) for `as_of`."""

    __tablename__ = "problem_figures"

    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    # The day the time-bound figures (the 30-day trend, renewals within 90 days) are for.
    as_of: Mapped[date] = mapped_column(Date)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    accounts: Mapped[int] = mapped_column(Integer, default=0)
    arr_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    arr_at_risk_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    segments: Mapped[list[str]] = mapped_column(JSON, default=list)
    recent: Mapped[int] = mapped_column(Integer, default=0)
    previous: Mapped[int] = mapped_column(Integer, default=0)
    sentiment: Mapped[float | None] = mapped_column(Float)
    score: Mapped[float] = mapped_column(Float, default=0.0, index=True)
    reasons: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    # Set when an input changed and the figures wait for their refresh (a job, within seconds).
    stale: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    # How many times a trigger marked the row (migration 20261202_0005): the refresh job writes
    # only rows whose count has not moved since it read them, so no mark is lost.
    marks: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What a problem's page shows beside the figures, counted over the same evidence (each
    # item once across the problem and those below it): items per month ("YYYY-MM", UTC)
    # and per account id. NULL until the refresh job first writes the row.
    mentions_by_month: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))
    mentions_by_account: Mapped[dict[str, int] | None] = mapped_column(JSON(none_as_null=True))


class ProblemQuestion(IdMixin, CreatedMixin, Base):
    """A "dig deeper" question a PM attaches to a problem, asked on calls with the accounts
    behind it (notify/brief.py): the answers come back as evidence on the problem."""

    __tablename__ = "problem_questions"
    __table_args__ = NEVER_REUSE_IDS

    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
