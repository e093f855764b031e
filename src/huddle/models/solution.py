from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow
from huddle.models.user import User


class Solution(IdMixin, CreatedMixin, Base):
    """Something the product team might build (an idea, an initiative) for the problems it
    addresses: scored, tagged by the value it delivers or derives, and planned."""

    __tablename__ = "solutions"
    __table_args__ = NEVER_REUSE_IDS

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # Seen by the product team only: never on a sales-safe or public view.
    internal_notes: Mapped[str] = mapped_column(Text, default="")
    product_area: Mapped[str | None] = mapped_column(String(100), index=True)
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # The PM's estimates (ideas/scoring.py): None where not given. `reach`, when None, is
    # the number of accounts behind the problems the solution addresses.
    reach: Mapped[float | None] = mapped_column(Float)
    impact: Mapped[float | None] = mapped_column(Float)
    confidence: Mapped[float | None] = mapped_column(Float)
    effort: Mapped[float | None] = mapped_column(Float)
    business_value: Mapped[float | None] = mapped_column(Float)
    time_criticality: Mapped[float | None] = mapped_column(Float)
    risk_reduction: Mapped[float | None] = mapped_column(Float)
    ease: Mapped[float | None] = mapped_column(Float)
    # Values of the workspace's own criteria, by criterion name.
    criteria: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    # Value delivered to users (pain, usability, …) or derived from them (revenue, …).
    value_tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The evidence behind the problems it addresses, kept as they change (ideas/figures.py):
    # distinct accounts, their ARR, and distinct items.
    accounts: Mapped[int] = mapped_column(Integer, default=0)
    arr_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    figures_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # On the roadmap (plans/roadmap.py): its column (now, next, later; None: not on it), its
    # place in that column, how firmly it is promised, and the quarter it is planned for.
    horizon: Mapped[str | None] = mapped_column(String(10), index=True)
    position: Mapped[float] = mapped_column(Float, default=0.0)
    commitment: Mapped[str] = mapped_column(String(20), default="exploring")
    quarter: Mapped[str | None] = mapped_column(String(7))
    # When its commitment last became shipped (the weekly digests report it).
    shipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Shown on the public roadmap, read without signing in.
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Where it is in delivery (launch/stages.py): discovery … learning, or parked/stopped;
    # when it got there, and the day its launch is planned for (the launch calendar).
    stage: Mapped[str] = mapped_column(String(20), default="discovery", index=True)
    stage_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    launch_on: Mapped[date | None] = mapped_column(Date)
    # What its launch taught the team (launch/stages.py), written once it has launched.
    learned: Mapped[str] = mapped_column(Text, default="", server_default="")
    # What sales leadership approved for the sales-safe roadmap: the fields sales may show,
    # as they were (with the quarter only if the approver shared it), and their fingerprint.
    # Once the solution's own fields differ from it, it is back awaiting approval.
    sales_approved: Mapped[dict[str, str | None] | None] = mapped_column(JSON)
    sales_approved_hash: Mapped[str | None] = mapped_column(String(64))
    sales_approved_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    sales_approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User | None] = relationship(lazy="joined", foreign_keys=[owner_id])


class SolutionProblem(Base):
    """A problem a solution addresses."""

    __tablename__ = "solution_problems"

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), primary_key=True
    )
    problem_id: Mapped[int] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
