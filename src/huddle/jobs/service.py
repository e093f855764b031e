"""What an admin asks of the queue: how it is doing, another go for a failed job, pruning."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from huddle.errors import Conflict, NotFound
from huddle.jobs import SCHEDULES
from huddle.jobs.repository import JobRepository
from huddle.jobs.schemas import FailedJobRead, QueueStatus, ScheduleRead, TaskCounts

RECENT_FAILURES = 10


def queue_status(session: Session, *, now: datetime) -> QueueStatus:
    repo = JobRepository(session)
    tasks: dict[str, TaskCounts] = {}
    for task, status, count in repo.counts():
        counts = tasks.setdefault(task, TaskCounts(task=task))
        if status in TaskCounts.model_fields:
            setattr(counts, status, count)
    schedules = []
    for stored in repo.schedules():
        known = SCHEDULES.get(stored.name)
        schedules.append(
            ScheduleRead(
                name=stored.name,
                task=known.task if known else None,
                every_seconds=known.every.total_seconds() if known else None,
                next_run_at=stored.next_run_at,
                last_enqueued_at=stored.last_enqueued_at,
            )
        )
    failed = [
        FailedJobRead(
            id=job.id,
            task=job.task,
            attempts=job.attempts,
            finished_at=job.finished_at,
            error=job.error or "",
        )
        for job in repo.failed(RECENT_FAILURES)
    ]
    return QueueStatus(
        tasks=list(tasks.values()),
        waiting_to_retry=repo.waiting_to_retry(now),
        expired_leases=repo.expired_leases(now),
        schedules=schedules,
        failed=failed,
    )


def retry_job(session: Session, *, job_id: int, now: datetime) -> None:
    """Queue a failed job again, with all its attempts."""
    repo = JobRepository(session)
    job = repo.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id}")
    if not repo.requeue_failed(job_id, now=now):
        raise Conflict(f"job {job_id} is {job.status}; only a failed job can be retried")


def prune(session: Session, *, now: datetime, keep_done: timedelta, keep_failed: timedelta) -> int:
    """Delete finished jobs: done ones after `keep_done`, failed ones (kept longer, for a
    person to read the error) after `keep_failed`. Returns how many went."""
    return JobRepository(session).prune(
        done_before=now - keep_done, failed_before=now - keep_failed
    )
