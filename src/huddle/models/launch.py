"""Delivering and launching a solution: the gates of its stages and their checks,
experiments and go/no-go decisions."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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


class Experiment(IdMixin, CreatedMixin, Base):
    """An A/B test run for a solution: what it should show, on which metric, and its arms
    (the first the control). Results are analysed by launch/experiments.py when read."""

    __tablename__ = "experiments"
    __table_args__ = NEVER_REUSE_IDS

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    hypothesis: Mapped[str] = mapped_column(Text, default="")
    primary_metric: Mapped[str] = mapped_column(String(200), default="")
    created_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    variants: Mapped[list["ExperimentVariant"]] = relationship(
        lazy="selectin",
        order_by="ExperimentVariant.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class ExperimentVariant(IdMixin, Base):
    __tablename__ = "experiment_variants"
    __table_args__ = NEVER_REUSE_IDS

    experiment_id: Mapped[int] = mapped_column(
        Id, ForeignKey("experiments.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    exposures: Mapped[int] = mapped_column(BigInteger, default=0)
    conversions: Mapped[int] = mapped_column(BigInteger, default=0)
    # The planned share of exposures (any scale: 50/50, 0.9/0.1); None: an equal split.
    expected_share: Mapped[float | None] = mapped_column(Float)


class Decision(IdMixin, CreatedMixin, Base):
    """A go/no-go decision on a solution, with the evidence as it stood when it was taken."""

    __tablename__ = "decisions"
    __table_args__ = NEVER_REUSE_IDS

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), index=True
    )
    outcome: Mapped[str] = mapped_column(String(20), index=True)  # go, no_go, wait
    reasons: Mapped[str] = mapped_column(Text)
    risks: Mapped[str] = mapped_column(Text, default="")
    # Stage, gate readiness, launch plan readiness and experiment results at the time.
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    decided_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    # Who signed off and who was consulted: [{"id": …, "name": …}] as they were named then.
    signed_off: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    consulted: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    review_on: Mapped[date | None] = mapped_column(Date)

    decided_by: Mapped[User | None] = relationship(lazy="joined")


class LaunchTask(IdMixin, CreatedMixin, Base):
    """One task of a solution's go-to-market plan, owned by a team (and a person)."""

    __tablename__ = "launch_tasks"
    __table_args__ = NEVER_REUSE_IDS

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    position: Mapped[float] = mapped_column(Float, default=0.0)

    owner: Mapped[User | None] = relationship(lazy="joined")


class RaciActivity(IdMixin, Base):
    """An activity of a phase and who is responsible, accountable, consulted and informed:
    the workspace's matrix, shown on every solution (defaults written on first use)."""

    __tablename__ = "raci_activities"
    __table_args__ = NEVER_REUSE_IDS

    phase: Mapped[str] = mapped_column(String(20))
    activity: Mapped[str] = mapped_column(String(200))
    responsible: Mapped[str] = mapped_column(String(200), default="")
    accountable: Mapped[str] = mapped_column(String(200), default="")
    consulted: Mapped[str] = mapped_column(String(200), default="")
    informed: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[float] = mapped_column(Float, default=0.0)


class EffortEntry(IdMixin, CreatedMixin, Base):
    """Days a product person spent (or expects to spend) in a phase, on a solution or not."""

    __tablename__ = "effort_entries"
    __table_args__ = NEVER_REUSE_IDS

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    solution_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="SET NULL"), index=True
    )
    phase: Mapped[str] = mapped_column(String(20))
    days: Mapped[float] = mapped_column(Float)
    week_of: Mapped[date] = mapped_column(Date)
    estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(String(500), default="")

    user: Mapped[User] = relationship(lazy="joined")


class DeliveryLink(IdMixin, CreatedMixin, Base):
    """A ticket in Jira, Linear or GitHub that delivers (part of) a solution, with the status
    its tool last reported through a signed webhook."""

    __tablename__ = "delivery_links"
    __table_args__ = (UniqueConstraint("solution_id", "url"), NEVER_REUSE_IDS)

    solution_id: Mapped[int] = mapped_column(
        Id, ForeignKey("solutions.id", ondelete="CASCADE"), index=True
    )
    tool: Mapped[str] = mapped_column(String(10))  # jira, linear, github
    url: Mapped[str] = mapped_column(String(500))
    # What the tool's payloads name it by: PROJ-12, ENG-42, owner/repo#123.
    key: Mapped[str] = mapped_column(String(200), index=True)
    status: Mapped[str] = mapped_column(String(100), default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class HookDelivery(IdMixin, Base):
    """A tool's webhook delivery already taken: the same delivery again is a replay."""

    __tablename__ = "hook_deliveries"
    __table_args__ = (UniqueConstraint("tool", "delivery_id"), NEVER_REUSE_IDS)

    tool: Mapped[str] = mapped_column(String(10))
    delivery_id: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    links_changed: Mapped[int] = mapped_column(Integer, default=0)
