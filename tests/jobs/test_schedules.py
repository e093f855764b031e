"""Periodic jobs: each period is queued once however many workers look, a waiting copy is not
doubled, missed periods are not made up, and a shortened period takes effect."""

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from huddle.db import session_scope
from huddle.jobs import SCHEDULES, Schedule, schedule, task
from huddle.jobs.repository import JobRepository
from huddle.jobs.runner import Worker, load_tasks
from huddle.models import Job, JobSchedule
from tests.jobs.test_runner import Clock

NAME = "tests.every_ten_minutes"


@task("tests.tick")
def tick(session: object, *, colour: str) -> None:
    pass


@pytest.fixture
def only_ours() -> Iterator[None]:
    """The registry holds only this module's schedule while a test runs."""
    saved = dict(SCHEDULES)
    SCHEDULES.clear()
    yield
    SCHEDULES.clear()
    SCHEDULES.update(saved)


@pytest.fixture
def ten_minutes(only_ours: None) -> None:
    schedule(NAME, every=timedelta(minutes=10), task="tests.tick", colour="blue")


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2030, 1, 7, hour, minute, second, tzinfo=UTC)


def clock_at(moment: datetime) -> Clock:
    clock = Clock()
    clock.now = moment
    return clock


def worker(url: str, clock: Clock) -> Worker:
    return Worker(url, lease=timedelta(seconds=60), max_attempts=3, clock=clock)


def stored(url: str) -> tuple[datetime, datetime | None]:
    with session_scope(url) as session:
        row = session.get(JobSchedule, NAME)
        assert row is not None
        return row.next_run_at, row.last_enqueued_at


def queued(url: str) -> list[tuple[str, str, dict[str, object], str | None]]:
    with session_scope(url) as session:
        return [
            (j.task, j.status, j.payload, j.unique_key)
            for j in session.scalars(select(Job).order_by(Job.id))
        ]


def test_runs_fall_on_whole_periods_whatever_time_a_worker_started() -> None:
    hourly = Schedule("h", "h", timedelta(hours=1))
    assert hourly.next_after(at(9, 20)) == at(10, 0)
    assert hourly.next_after(at(10, 0)) == at(11, 0)
    daily_at_eight = Schedule("d", "d", timedelta(days=1), offset=timedelta(hours=8))
    assert daily_at_eight.next_after(at(7, 59)) == at(8, 0)
    assert daily_at_eight.next_after(at(9, 0)) == at(8, 0) + timedelta(days=1)
    weekly = Schedule("w", "w", timedelta(days=7))
    assert weekly.next_after(datetime(2026, 12, 2, 9, tzinfo=UTC)) == datetime(
        2026, 12, 7, tzinfo=UTC
    )  # a Monday


def test_a_due_schedule_is_queued_once_then_moved_to_its_next_period(
    database_url: str, ten_minutes: None
) -> None:
    clock = clock_at(at(9, 3))
    first = worker(database_url, clock)
    first.add_schedules()
    assert stored(database_url) == (at(9, 10), None)
    assert first.enqueue_due() == 0

    clock.now = at(9, 10)
    assert first.enqueue_due() == 1
    assert stored(database_url) == (at(9, 20), at(9, 10))
    waiting = ("tests.tick", "queued", {"colour": "blue"}, f"schedule:{NAME}")
    assert queued(database_url) == [waiting]
    assert worker(database_url, clock).enqueue_due() == 0

    # The next period comes while its job still waits: no second copy, the schedule moves on.
    clock.now = at(9, 21)
    assert first.enqueue_due() == 0
    assert stored(database_url) == (at(9, 30), at(9, 10))
    assert queued(database_url) == [waiting]

    # Workers were down for an hour: one run, not six, and the period after now is next.
    clock.now = at(10, 47)
    assert first.run_one() is True
    assert first.enqueue_due() == 1
    assert stored(database_url) == (at(10, 50), at(10, 47))
    assert queued(database_url) == [
        ("tests.tick", "done", {"colour": "blue"}, None),
        waiting,
    ]


def test_workers_racing_for_a_due_schedule_queue_it_once(
    database_url: str, ten_minutes: None
) -> None:
    worker(database_url, clock_at(at(9, 3))).add_schedules()
    workers = [worker(database_url, clock_at(at(9, 10))) for _ in range(6)]
    start = threading.Barrier(len(workers))
    counts: list[int] = []

    def look(one: Worker) -> None:
        start.wait()
        counts.append(one.enqueue_due())

    threads = [threading.Thread(target=look, args=(one,)) for one in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(counts) == [0, 0, 0, 0, 0, 1]
    assert len(queued(database_url)) == 1
    assert stored(database_url) == (at(9, 20), at(9, 10))


def test_moving_a_schedule_on_is_compare_and_set(database_url: str, ten_minutes: None) -> None:
    worker(database_url, clock_at(at(9, 3))).add_schedules()
    with session_scope(database_url) as session:
        repo = JobRepository(session)
        assert repo.advance_schedule(NAME, expected=at(9, 10), next_run_at=at(9, 20))
        # A worker that read the schedule before that move finds it moved: it does nothing.
        assert not repo.advance_schedule(NAME, expected=at(9, 10), next_run_at=at(9, 20))
    assert stored(database_url) == (at(9, 20), None)


def test_a_shortened_period_takes_effect_when_a_worker_starts(
    database_url: str, only_ours: None
) -> None:
    schedule(NAME, every=timedelta(days=1), task="tests.tick", colour="blue")
    worker(database_url, clock_at(at(9, 3))).add_schedules()
    assert stored(database_url) == (at(0, 0) + timedelta(days=1), None)
    schedule(NAME, every=timedelta(minutes=10), task="tests.tick", colour="blue")
    worker(database_url, clock_at(at(9, 4))).add_schedules()
    assert stored(database_url) == (at(9, 10), None)
    # A worker whose clock is a little behind does not move the next run back.
    worker(database_url, clock_at(at(9, 10))).enqueue_due()
    worker(database_url, clock_at(at(9, 9, 59))).add_schedules()
    assert stored(database_url) == (at(9, 20), at(9, 10))


def test_pruning_is_registered_to_run_every_hour() -> None:
    load_tasks()
    assert SCHEDULES["jobs.prune"] == Schedule("jobs.prune", "jobs.prune", timedelta(hours=1))
