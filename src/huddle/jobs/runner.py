import logging
import threading
import traceback
from datetime import timedelta

from sqlalchemy import select, update

from huddle.db import session_scope
from huddle.jobs import TASKS
from huddle.kit.time import utcnow
from huddle.models.job import Job

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 3


def load_tasks() -> None:
    """Import the modules whose tasks register themselves."""
    import huddle.insights.tasks  # noqa: F401


def _claim(url: str) -> int | None:
    with session_scope(url) as session:
        statement = (
            select(Job.id)
            .where(Job.status == "queued", Job.run_after <= utcnow())
            .order_by(Job.id)
            .limit(1)
        )
        if session.bind is not None and session.bind.dialect.name == "postgresql":
            statement = statement.with_for_update(skip_locked=True)
        job_id = session.scalar(statement)
        if job_id is None:
            return None
        claimed = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(status="running", started_at=utcnow(), attempts=Job.attempts + 1)
        )
        return job_id if claimed.rowcount else None  # type: ignore[attr-defined]


def run_one(url: str) -> bool:
    """Run the next queued job, if any; returns whether there was one."""
    job_id = _claim(url)
    if job_id is None:
        return False
    with session_scope(url) as session:
        job = session.get(Job, job_id)
        assert job is not None
        name, payload, attempts = job.task, dict(job.payload), job.attempts
    error: str | None = None
    try:
        function = TASKS.get(name)
        if function is None:
            raise LookupError(f"no task named {name}")
        with session_scope(url) as session:
            function(session, **payload)
    except Exception:
        error = traceback.format_exc()
        log.exception("job %s (%s) failed", job_id, name)
    with session_scope(url) as session:
        job = session.get(Job, job_id)
        assert job is not None
        job.finished_at = utcnow()
        if error is None:
            job.status = "done"
        elif attempts < MAX_ATTEMPTS:
            job.status, job.error = "queued", error
            job.run_after = utcnow() + timedelta(seconds=10 * 2**attempts)
        else:
            job.status, job.error = "failed", error
    return True


def run_until_idle(url: str, limit: int = 10_000) -> int:
    load_tasks()
    done = 0
    while done < limit and run_one(url):
        done += 1
    return done


class InlineWorker:
    """The embedded default: one thread in the server process works the queue."""

    def __init__(self, url: str, interval: float = 1.0) -> None:
        self.url = url
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="huddle-jobs", daemon=True)

    def start(self) -> None:
        load_tasks()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                busy = run_one(self.url)
            except Exception:
                log.exception("job runner error")
                busy = False
            if not busy:
                self._stop.wait(self.interval)
