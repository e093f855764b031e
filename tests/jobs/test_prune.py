"""Finished jobs do not pile up: the hourly pruning job deletes done jobs after
HUDDLE_JOB_KEEP_DAYS and failed ones after HUDDLE_JOB_KEEP_FAILED_DAYS, nothing unfinished."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from huddle.config import get_settings
from huddle.db import session_scope
from huddle.jobs import SCHEDULES
from huddle.jobs.runner import Worker, load_tasks
from huddle.kit.time import utcnow
from huddle.models import Job


def test_the_hourly_job_deletes_old_finished_jobs_only(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUDDLE_JOB_KEEP_DAYS", "7")
    monkeypatch.setenv("HUDDLE_JOB_KEEP_FAILED_DAYS", "30")
    get_settings.cache_clear()
    now = utcnow()

    def days_ago(days: float) -> object:
        return now - timedelta(days=days)

    with session_scope(database_url) as session:
        session.add_all(
            [
                Job(task="old done", status="done", finished_at=days_ago(8)),
                Job(task="recent done", status="done", finished_at=days_ago(6)),
                Job(task="failed a week ago", status="failed", finished_at=days_ago(8)),
                Job(task="failed long ago", status="failed", finished_at=days_ago(31)),
                Job(task="queued long ago", status="queued", run_after=days_ago(100)),
                Job(task="running long", status="running", started_at=days_ago(100)),
            ]
        )

    # The path a deployment runs: a worker stores the schedule when it starts; an hour later
    # it finds it due, queues the job and runs it.
    load_tasks()
    Worker.from_settings(database_url).add_schedules()
    later = Worker.from_settings(database_url, clock=lambda: utcnow() + timedelta(hours=1))
    # With the hourly figures refreshes (problems' and solutions'), and whichever daily or
    # weekly job the hour ahead happens to reach (the churn check at 06:00, the digests on
    # Monday at 07:00): those depend on the hour the test runs, so they are set aside.
    done = later.run_until_idle(schedules=True)
    longer = {s.task for s in SCHEDULES.values() if s.every > timedelta(hours=1)}

    with session_scope(database_url) as session:
        left = session.execute(select(Job.task, Job.status).order_by(Job.id)).all()
    reached = [row for row in left if row[0] in longer]
    assert done == 3 + len(reached)
    left = [row for row in left if row[0] not in longer]
    assert [tuple(row) for row in left] == [
        ("recent done", "done"),
        ("failed a week ago", "failed"),
        ("queued long ago", "queued"),
        ("running long", "running"),
        ("ideas.refresh_figures", "done"),
        ("jobs.prune", "done"),
        ("problems.refresh_figures", "done"),
    ]
