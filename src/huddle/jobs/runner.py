"""Working the queue: claim a job on a lease, run it in a transaction that also marks it done,
keep the lease alive while it runs, retry with back-off, enqueue what the schedules say is due.
See docs/jobs.md for why each step is the way it is."""

import importlib
import logging
import random as _random
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from importlib.metadata import entry_points

from huddle.config import get_settings
from huddle.db import session_scope
from huddle.jobs import SCHEDULES, TASKS, defer
from huddle.jobs.repository import Claim, JobRepository
from huddle.kit.time import utcnow

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

BACKOFF_BASE = timedelta(seconds=10)
BACKOFF_CAP = timedelta(hours=1)
# Up to this share of the delay is added at random, so jobs that failed together (a database
# restart, an outage of a peer) do not all come back in the same second.
BACKOFF_JITTER = 0.2


def backoff(attempts: int, *, random: Callable[[], float] = _random.random) -> timedelta:
    """How long a job waits after its `attempts`-th failed attempt: 10 s, 20 s, 40 s … at most
    an hour, plus up to a fifth of that at random."""
    doublings = min(max(attempts - 1, 0), 20)  # 10 s · 2^20 is long past the cap already
    delay = min(BACKOFF_BASE * (1 << doublings), BACKOFF_CAP)
    return delay * (1 + BACKOFF_JITTER * random())


def load_tasks() -> None:
    """Import the modules whose tasks register themselves: Huddle's own, those named in
    HUDDLE_TASK_MODULES (comma-separated), and plugins' `huddle.tasks` entry points."""
    import huddle.ideas.tasks
    import huddle.insights.tasks
    import huddle.jobs.tasks
    import huddle.notify.tasks
    import huddle.problems.tasks  # noqa: F401

    for name in get_settings().task_modules.split(","):
        if name.strip():
            importlib.import_module(name.strip())
    for entry in entry_points(group="huddle.tasks"):
        entry.load()


class LeaseLost(Exception):
    """Another worker holds the job now: this run's work must not be committed."""


@dataclass
class Worker:
    """Works the queue from one thread; run several workers (threads, processes, machines)
    to run several jobs at once."""

    url: str
    lease: timedelta
    max_attempts: int
    poll: float = 1.0
    clock: Clock = utcnow
    random: Callable[[], float] = _random.random
    stopping: threading.Event = field(default_factory=threading.Event)
    _heartbeat: "Heartbeat" = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._heartbeat = Heartbeat(self)

    @classmethod
    def from_settings(cls, url: str, *, clock: Clock = utcnow) -> "Worker":
        settings = get_settings()
        return cls(
            url,
            lease=timedelta(seconds=settings.job_lease_seconds),
            max_attempts=settings.job_max_attempts,
            poll=settings.job_poll_seconds,
            clock=clock,
        )

    def run_one(self) -> bool:
        """Run the next claimable job, if any; returns whether there was one."""
        claim = self._claim()
        if claim is None:
            return False
        self._run(claim)
        return True

    def run_until_idle(self, limit: int = 10_000, *, schedules: bool = False) -> int:
        load_tasks()
        if schedules:
            self.add_schedules()
            self.enqueue_due()
        done = 0
        while done < limit and not self.stopping.is_set() and self.run_one():
            done += 1
        return done

    def work(self) -> None:
        """Work the queue until `stopping` is set; a stop waits for the job in hand only."""
        load_tasks()
        schedules_stored = False
        while not self.stopping.is_set():
            try:
                if not schedules_stored:
                    self.add_schedules()
                    schedules_stored = True
                self.enqueue_due()
                busy = self.run_one()
            except Exception:
                # A worker outlives a database restart or a busy SQLite file: log, wait, go on.
                log.exception("job runner error")
                busy = False
            if not busy:
                self.stopping.wait(self.poll)

    def _claim(self) -> Claim | None:
        now = self.clock()
        with session_scope(self.url) as session:
            return JobRepository(session).claim_next(
                tasks=sorted(TASKS),
                now=now,
                lease_until=now + self.lease,
                max_attempts=self.max_attempts,
            )

    def _run(self, claim: Claim) -> None:
        error: str | None = None
        with self._heartbeat.holding(claim):
            try:
                # The task's effect and the job's completion commit together or not at all:
                # a worker killed before the commit leaves the job to run again in full, one
                # killed after it leaves nothing to run again.
                with session_scope(self.url) as session:
                    TASKS[claim.task](session, **claim.payload)
                    session.flush()
                    if not JobRepository(session).complete(claim, now=self.clock()):
                        raise LeaseLost
            except LeaseLost:
                log.warning(
                    "job %s (%s) was taken over by another worker; this run is rolled back",
                    claim.id,
                    claim.task,
                )
            except Exception:
                error = traceback.format_exc()
                log.exception("job %s (%s) failed", claim.id, claim.task)
        if error is not None:
            self._fail(claim, error)

    def _fail(self, claim: Claim, error: str) -> None:
        now = self.clock()
        with session_scope(self.url) as session:
            repo = JobRepository(session)
            if claim.attempts < self.max_attempts:
                delay = backoff(claim.attempts, random=self.random)
                repo.retry_later(claim, run_after=now + delay, error=error)
            else:
                repo.give_up(claim, now=now, error=error)

    def add_schedules(self) -> None:
        now = self.clock()
        with session_scope(self.url) as session:
            repo = JobRepository(session)
            for schedule in SCHEDULES.values():
                first_run = schedule.next_after(now)
                repo.add_schedule(
                    schedule.name, first_run=first_run, latest=first_run + schedule.every
                )

    def enqueue_due(self) -> int:
        """Queue the periodic jobs that are due; returns how many this worker queued."""
        now = self.clock()
        queued = 0
        with session_scope(self.url) as session:
            repo = JobRepository(session)
            for name, expected in repo.due_schedules(sorted(SCHEDULES), now):
                schedule = SCHEDULES[name]
                # Periods missed while no worker ran are not made up: one run, then the next
                # period after now.
                moved = repo.advance_schedule(
                    name, expected=expected, next_run_at=schedule.next_after(now)
                )
                # While the last period's job still waits, this period adds no second copy.
                if moved and defer(
                    session, schedule.task, unique_key=schedule.unique_key, **schedule.payload
                ):
                    repo.mark_enqueued(name, now=now)
                    queued += 1
        return queued


class Heartbeat:
    """Renews the lease of the job its worker holds, every third of the lease. One thread
    serves job after job (starting one per job costs more than a short job); it ends when it
    wakes to find its worker idle, and the next job starts it again."""

    def __init__(self, worker: "Worker") -> None:
        self.worker = worker
        self._lock = threading.Lock()
        self._claim: Claim | None = None
        self._thread: threading.Thread | None = None

    @contextmanager
    def holding(self, claim: Claim) -> Iterator[None]:
        with self._lock:
            self._claim = claim
            if self._thread is None:
                self._thread = threading.Thread(target=self._beat, name="huddle-lease", daemon=True)
                self._thread.start()
        try:
            yield
        finally:
            with self._lock:
                self._claim = None

    def _beat(self) -> None:
        every = self.worker.lease.total_seconds() / 3
        while True:
            time.sleep(every)
            with self._lock:
                claim = self._claim
                if claim is None:
                    self._thread = None
                    return
            try:
                with session_scope(self.worker.url) as session:
                    until = self.worker.clock() + self.worker.lease
                    renewed = JobRepository(session).renew(claim, until=until)
            except Exception as error:
                # SQLite may be busy with the job's own transaction; the next beat tries again.
                log.warning("could not renew the lease of job %s: %s", claim.id, error)
                continue
            if not renewed and self._claim is claim:
                log.warning(
                    "job %s belongs to another worker now; this run will be rolled back", claim.id
                )


class InlineWorker:
    """The embedded default: one thread in the server process works the queue."""

    def __init__(self, url: str, interval: float | None = None) -> None:
        self.worker = Worker.from_settings(url)
        if interval is not None:
            self.worker.poll = interval
        self._thread = threading.Thread(target=self.worker.work, name="huddle-jobs", daemon=True)

    def start(self) -> None:
        load_tasks()  # here, so that a task module that cannot be imported stops the start
        self._thread.start()

    def stop(self, grace: float = 10.0) -> bool:
        """Stop at once when idle; a job in hand gets `grace` seconds to finish, after which it
        is left to its lease (another worker runs it again). Returns whether it stopped."""
        self.worker.stopping.set()
        self._thread.join(timeout=grace)
        return not self._thread.is_alive()


def run_one(url: str) -> bool:
    load_tasks()
    return Worker.from_settings(url).run_one()


def run_until_idle(url: str, limit: int = 10_000) -> int:
    return Worker.from_settings(url).run_until_idle(limit)
