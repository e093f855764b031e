"""Background work: `defer` queues a task in the caller's transaction, so it exists only if
the work that asked for it was committed; `huddle.jobs.runner` carries it out, and
`schedule`/`periodic` name the tasks that run again and again. See docs/jobs.md."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from huddle.jobs.repository import JobRepository
from huddle.models.job import Job

Task = Callable[..., None]
TASKS: dict[str, Task] = {}
BATCH = 2000
# Periodic runs fall on whole multiples of their period counted from here (plus an offset),
# so every worker computes the same times whenever it started. 2000-01-03 was a Monday.
EPOCH = datetime(2000, 1, 3, tzinfo=UTC)


def task(name: str) -> Callable[[Task], Task]:
    """Register a function as the task `name`. It gets the job's session and payload; it
    flushes, never commits: its effect commits together with the job's completion."""

    def register(function: Task) -> Task:
        TASKS[name] = function
        return function

    return register


@dataclass(frozen=True)
class Schedule:
    name: str
    task: str
    every: timedelta
    offset: timedelta = timedelta(0)
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def unique_key(self) -> str:
        return f"schedule:{self.name}"

    def next_after(self, moment: datetime) -> datetime:
        """The first run strictly after `moment`."""
        origin = EPOCH + self.offset
        return origin + ((moment - origin) // self.every + 1) * self.every


SCHEDULES: dict[str, Schedule] = {}


def schedule(
    name: str,
    *,
    every: timedelta,
    task: str | None = None,
    offset: timedelta = timedelta(0),
    **payload: Any,
) -> Schedule:
    """Run `task` (default: the task called `name`) once per period, on one worker only."""
    if every <= timedelta(0):
        raise ValueError(f"schedule {name}: the period must be positive")
    SCHEDULES[name] = Schedule(name, task or name, every, offset, dict(payload))
    return SCHEDULES[name]


def periodic(
    name: str, *, every: timedelta, offset: timedelta = timedelta(0)
) -> Callable[[Task], Task]:
    """Register a task and its schedule at once: `@periodic("jobs.prune", every=…)`."""

    def register(function: Task) -> Task:
        task(name)(function)
        schedule(name, every=every, offset=offset)
        return function

    return register


def defer(
    session: Session,
    name: str,
    *,
    ids: list[int] | None = None,
    unique_key: str | None = None,
    run_after: datetime | None = None,
    **payload: Any,
) -> bool:
    """Queue `name`; a list of `ids` is cut into batches so that many workers can share it.

    With a `unique_key`, nothing is queued while a job with that key waits to start (the key
    is let go when a worker claims the job); returns whether a job was queued."""
    if ids is not None and len(ids) > BATCH and unique_key is not None:
        raise ValueError(f"a unique job carries at most {BATCH} ids")
    payloads = (
        [payload]
        if ids is None
        else [{**payload, "ids": ids[start : start + BATCH]} for start in range(0, len(ids), BATCH)]
    )
    if not payloads:
        return False
    if unique_key is not None:
        return JobRepository(session).add_unique(
            task=name, payload=payloads[0], unique_key=unique_key, run_after=run_after
        )
    for body in payloads:
        job = Job(task=name, payload=body)
        if run_after is not None:
            job.run_after = run_after
        session.add(job)
    return True
