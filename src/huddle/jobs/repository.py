"""The SQL of the job queue. Every change of a job's state is one guarded statement, so two
workers racing for the same row cannot both win, on SQLite as on PostgreSQL."""

import secrets
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    and_,
    bindparam,
    delete,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from huddle.kit.time import utcnow
from huddle.models.base import UTCDateTime
from huddle.models.job import Job, JobSchedule

# How often a worker looks again for a job when a rival won the race for the one it saw.
CLAIM_TRIES = 8


@dataclass(frozen=True)
class Claim:
    """A job this worker holds: only the holder of `token` may finish it."""

    id: int
    task: str
    payload: dict[str, Any]
    attempts: int
    token: str


def _rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


def _queued() -> ColumnElement[bool]:
    return and_(Job.status == "queued", Job.run_after <= bindparam("now", type_=UTCDateTime()))


def _abandoned() -> ColumnElement[bool]:
    """Running on a lease nobody renewed: its worker died or hung."""
    now = bindparam("now", type_=UTCDateTime())
    return and_(
        Job.status == "running",
        # No lease at all: left running by a worker from before leases existed.
        or_(Job.lease_expires_at < now, Job.lease_expires_at.is_(None)),
    )


def _claimable() -> ColumnElement[bool]:
    return and_(Job.task.in_(bindparam("tasks", expanding=True)), or_(_queued(), _abandoned()))


def _candidate(state: ColumnElement[bool]) -> Any:
    return (
        select(Job.id, Job.status, Job.claim_token, Job.attempts)
        .where(Job.task.in_(bindparam("tasks", expanding=True)), state)
        .order_by(Job.run_after, Job.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )


# Built once: a worker claims many times a second when the queue is full. Abandoned jobs are
# looked for first (there are few running jobs); each query walks the (status, run_after)
# index in order and stops at the first row, however long the backlog.
_CANDIDATES = (_candidate(_abandoned()), _candidate(_queued()))
_UNCHANGED = and_(
    Job.id == bindparam("seen_id"),
    Job.status == bindparam("seen_status"),
    Job.claim_token.is_not_distinct_from(bindparam("seen_token")),
    _claimable(),
)
_TAKE = (
    update(Job)
    .where(_UNCHANGED)
    .values(
        status="running",
        claim_token=bindparam("token"),
        lease_expires_at=bindparam("lease_until"),
        attempts=Job.attempts + 1,
        started_at=bindparam("now"),
        # The key keeps a second copy out of the queue only while this one waits.
        unique_key=None,
    )
    .returning(Job.task, Job.payload, Job.attempts)
    .execution_options(synchronize_session=False)
)
_ABANDON = (
    update(Job)
    .where(_UNCHANGED)
    .values(
        status="failed",
        finished_at=bindparam("now"),
        claim_token=None,
        lease_expires_at=None,
        error=bindparam("error"),
    )
    .execution_options(synchronize_session=False)
)


def _held_change(**values: Any) -> Any:
    """An UPDATE of a job that applies only while the claim's holder still holds it."""
    return (
        update(Job)
        .where(
            Job.id == bindparam("held_id"),
            Job.claim_token == bindparam("held_token"),
            Job.status == "running",
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )


_RENEW = _held_change(lease_expires_at=bindparam("until"))
_COMPLETE = _held_change(
    status="done", finished_at=bindparam("now"), claim_token=None, lease_expires_at=None
)
_RETRY_LATER = _held_change(
    status="queued",
    run_after=bindparam("run_after"),
    error=bindparam("error"),
    claim_token=None,
    lease_expires_at=None,
)
_GIVE_UP = _held_change(
    status="failed",
    finished_at=bindparam("now"),
    error=bindparam("error"),
    claim_token=None,
    lease_expires_at=None,
)


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _insert(self, model: type[Job] | type[JobSchedule]) -> Any:
        """INSERT … ON CONFLICT DO NOTHING is spelled the same by both dialects' builders."""
        if self.session.get_bind().dialect.name == "postgresql":
            return postgresql.insert(model)
        return sqlite.insert(model)

    def add_unique(
        self, *, task: str, payload: dict[str, Any], unique_key: str, run_after: datetime | None
    ) -> bool:
        now = utcnow()
        statement = (
            self._insert(Job)
            .values(
                task=task,
                payload=payload,
                status="queued",
                attempts=0,
                run_after=run_after or now,
                created_at=now,
                unique_key=unique_key,
            )
            .on_conflict_do_nothing(index_elements=[Job.unique_key])
            .returning(Job.id)
        )
        return self.session.execute(statement).first() is not None

    def claim_next(
        self,
        *,
        tasks: Collection[str],
        now: datetime,
        lease_until: datetime,
        max_attempts: int,
    ) -> Claim | None:
        """Take the next claimable job of one of `tasks`, or None when there is none.

        The candidate is read first (on PostgreSQL locked, skipping rows other workers have
        locked; SQLite ignores FOR UPDATE and has one writer at a time), then taken with an
        UPDATE that repeats every condition, so a rival that took it in between leaves this
        worker with zero rows and another try."""
        for _ in range(CLAIM_TRIES):
            found = (
                self.session.execute(candidate, {"now": now, "tasks": list(tasks)}).first()
                for candidate in _CANDIDATES
            )
            seen = next((row for row in found if row is not None), None)
            if seen is None:
                return None
            unchanged = {
                "now": now,
                "tasks": list(tasks),
                "seen_id": seen.id,
                "seen_status": seen.status,
                "seen_token": seen.claim_token,
            }
            if seen.status == "running" and seen.attempts >= max_attempts:
                error = f"its worker stopped answering {seen.attempts} times (the lease expired)"
                self.session.execute(_ABANDON, {**unchanged, "error": error})
                continue
            token = secrets.token_hex(16)
            taken = self.session.execute(
                _TAKE, {**unchanged, "token": token, "lease_until": lease_until}
            ).first()
            if taken is not None:
                return Claim(seen.id, taken.task, dict(taken.payload), taken.attempts, token)
        return None

    def _change(self, statement: Any, claim: Claim, **values: Any) -> bool:
        held = {"held_id": claim.id, "held_token": claim.token}
        return _rowcount(self.session.execute(statement, {**held, **values})) == 1

    def renew(self, claim: Claim, *, until: datetime) -> bool:
        return self._change(_RENEW, claim, until=until)

    def complete(self, claim: Claim, *, now: datetime) -> bool:
        """Mark the job done if this worker still holds it; False means someone else does."""
        return self._change(_COMPLETE, claim, now=now)

    def retry_later(self, claim: Claim, *, run_after: datetime, error: str) -> bool:
        return self._change(_RETRY_LATER, claim, run_after=run_after, error=error)

    def give_up(self, claim: Claim, *, now: datetime, error: str) -> bool:
        return self._change(_GIVE_UP, claim, now=now, error=error)

    def requeue_failed(self, job_id: int, *, now: datetime) -> bool:
        """A person asked for another go: the job starts over with all its attempts."""
        result = self.session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "failed")
            .values(status="queued", attempts=0, run_after=now, finished_at=None)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def prune(self, *, done_before: datetime, failed_before: datetime) -> int:
        result = self.session.execute(
            delete(Job)
            .where(
                or_(
                    and_(Job.status == "done", Job.finished_at < done_before),
                    and_(Job.status == "failed", Job.finished_at < failed_before),
                )
            )
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result)

    def get(self, job_id: int) -> Job | None:
        return self.session.get(Job, job_id)

    def has_queued(self, tasks: Collection[str]) -> bool:
        statement = select(Job.id).where(Job.task.in_(tasks), Job.status == "queued").limit(1)
        return self.session.scalar(statement) is not None

    def counts(self) -> list[tuple[str, str, int]]:
        """How many jobs of each task are in each state."""
        statement = (
            select(Job.task, Job.status, func.count())
            .group_by(Job.task, Job.status)
            .order_by(Job.task, Job.status)
        )
        return [(row[0], row[1], int(row[2])) for row in self.session.execute(statement)]

    def expired_leases(self, now: datetime) -> int:
        statement = select(func.count()).where(
            Job.status == "running",
            or_(Job.lease_expires_at < now, Job.lease_expires_at.is_(None)),
        )
        return int(self.session.scalar(statement) or 0)

    def waiting_to_retry(self, now: datetime) -> int:
        statement = select(func.count()).where(
            Job.status == "queued", Job.attempts > 0, Job.run_after > now
        )
        return int(self.session.scalar(statement) or 0)

    def failed(self, limit: int) -> Sequence[Job]:
        statement = select(Job).where(Job.status == "failed").order_by(Job.id.desc()).limit(limit)
        return self.session.scalars(statement).all()

    def add_schedule(self, name: str, *, first_run: datetime, latest: datetime) -> None:
        """Store a schedule seen for the first time. A stored one keeps its next run unless
        that is later than `latest` (its period was shortened in code since): then it moves
        to `first_run`."""
        self.session.execute(
            self._insert(JobSchedule)
            .values(name=name, next_run_at=first_run)
            .on_conflict_do_nothing(index_elements=[JobSchedule.name])
        )
        self.session.execute(
            update(JobSchedule)
            .where(JobSchedule.name == name, JobSchedule.next_run_at > latest)
            .values(next_run_at=first_run)
            .execution_options(synchronize_session=False)
        )

    def schedules(self) -> Sequence[JobSchedule]:
        return self.session.scalars(select(JobSchedule).order_by(JobSchedule.name)).all()

    def due_schedules(self, names: Collection[str], now: datetime) -> list[tuple[str, datetime]]:
        statement = (
            select(JobSchedule.name, JobSchedule.next_run_at)
            .where(JobSchedule.name.in_(names), JobSchedule.next_run_at <= now)
            .order_by(JobSchedule.name)
        )
        return [(row[0], row[1]) for row in self.session.execute(statement)]

    def advance_schedule(self, name: str, *, expected: datetime, next_run_at: datetime) -> bool:
        """Compare-and-set: of the workers that saw this schedule due, one moves it on."""
        result = self.session.execute(
            update(JobSchedule)
            .where(JobSchedule.name == name, JobSchedule.next_run_at == expected)
            .values(next_run_at=next_run_at)
            .execution_options(synchronize_session=False)
        )
        return _rowcount(result) == 1

    def mark_enqueued(self, name: str, *, now: datetime) -> None:
        self.session.execute(
            update(JobSchedule)
            .where(JobSchedule.name == name)
            .values(last_enqueued_at=now)
            .execution_options(synchronize_session=False)
        )
