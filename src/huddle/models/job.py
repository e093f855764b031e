from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, IdMixin, UTCDateTime, utcnow


class Job(IdMixin, CreatedMixin, Base):
    """Deferred work, claimed by one worker at a time (SKIP LOCKED on PostgreSQL)."""

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_run_after", "status", "run_after"), NEVER_REUSE_IDS)

    task: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    run_after: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)
    # A running job belongs to the worker holding `claim_token` until `lease_expires_at`;
    # after that any worker may take it again (its first worker died or hung).
    claim_token: Mapped[str | None] = mapped_column(String(32))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # At most one queued or running job per key (a periodic job's period, say).
    unique_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class JobSchedule(Base):
    """When each periodic task is next due; workers advance it with compare-and-set."""

    __tablename__ = "job_schedules"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
