"""`huddle jobs` as an admin reads it, and `huddle jobs retry` of a failed job."""

import json
from datetime import timedelta
from typing import Any

from huddle.db import session_scope
from huddle.kit.time import utcnow
from huddle.models import Job
from tests.cli.test_cli import run


def test_jobs_lists_counts_schedules_and_failures_and_retries_one(database_url: str) -> None:
    assert run(database_url, "worker", "--once").stdout == "0 job(s) done\n"
    now = utcnow()
    with session_scope(database_url) as session:
        failed = Job(
            task="insights.discover",
            status="failed",
            attempts=5,
            finished_at=now,
            error="Traceback (most recent call last):\n  …\nNotFound: no admin to act for the job\n",
        )
        session.add_all(
            [
                failed,
                Job(task="insights.embed_feedback", status="done", attempts=1, finished_at=now),
                Job(task="insights.embed_feedback", status="done", attempts=2, finished_at=now),
                Job(
                    task="insights.embed_feedback",
                    status="queued",
                    attempts=1,
                    run_after=now + timedelta(minutes=1),
                ),
            ]
        )
        session.flush()
        failed_id = failed.id

    report: dict[str, Any] = json.loads(run(database_url, "jobs", "--json").stdout)
    assert report["tasks"] == [
        {"task": "insights.discover", "queued": 0, "running": 0, "done": 0, "failed": 1},
        {"task": "insights.embed_feedback", "queued": 1, "running": 0, "done": 2, "failed": 0},
    ]
    assert (report["waiting_to_retry"], report["expired_leases"]) == (1, 0)
    assert [(s["name"], s["task"], s["every_seconds"]) for s in report["schedules"]] == [
        ("ideas.refresh_figures", "ideas.refresh_figures", 3600.0),
        ("jobs.prune", "jobs.prune", 3600.0),
        ("notify.churn_check", "notify.churn_check", 86400.0),
        ("notify.weekly_digests", "notify.weekly_digests", 604800.0),
        ("problems.refresh_figures", "problems.refresh_figures", 3600.0),
    ]
    assert [(f["id"], f["task"], f["attempts"]) for f in report["failed"]] == [
        (failed_id, "insights.discover", 5)
    ]
    text = run(database_url, "jobs").stdout
    assert f"#{failed_id} insights.discover, 5 attempt(s): NotFound: no admin" in text
    assert "jobs.prune" in text and "1h" in text

    assert run(database_url, "jobs", "retry", str(failed_id)).stdout == (
        f"Job {failed_id} is queued again.\n"
    )
    with session_scope(database_url) as session:
        job = session.get(Job, failed_id)
        assert job is not None and (job.status, job.attempts) == ("queued", 0)
    again = run(database_url, "jobs", "retry", str(failed_id), ok=False)
    assert again.returncode == 1
    assert f"job {failed_id} is queued; only a failed job can be retried" in again.stderr
    assert "no job 999999" in run(database_url, "jobs", "retry", "999999", ok=False).stderr
