"""Workers killed with SIGKILL in the middle of a batch, or just after a batch committed: every
id is written exactly once and every job ends done, on SQLite and on PostgreSQL."""

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text

from huddle.db import get_engine, session_scope
from huddle.jobs import defer
from huddle.jobs.runner import Worker
from huddle.kit.time import utcnow
from huddle.models import Job
from tests.jobs import killable

ROOT = Path(__file__).resolve().parents[2]
BATCH = 5
IDS = list(range(6 * BATCH))
DEADLINE = 120.0  # seconds; generous, for a loaded machine


@pytest.fixture
def queued_marks(database_url: str) -> Iterator[None]:
    """Six jobs of five ids each, and an empty table for what they write."""
    with get_engine(database_url).begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS kill_marks"))
        connection.execute(text(killable.MARKS_TABLE))
    with session_scope(database_url) as session:
        for start in range(0, len(IDS), BATCH):
            defer(session, "tests.mark_each", ids=IDS[start : start + BATCH])
    yield
    with get_engine(database_url).begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS kill_marks"))


def start_worker(url: str, progress: Path, **env: str) -> subprocess.Popen[str]:
    log = progress.with_suffix(".log").open("w")
    return subprocess.Popen(
        [sys.executable, "-m", "huddle.cli.main", "--db", url, "worker"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "HUDDLE_TASK_MODULES": "tests.jobs.killable",
            "HUDDLE_TEST_PROGRESS": str(progress),
            "HUDDLE_JOB_POLL_SECONDS": "0.05",
            **env,
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(condition: Callable[[], bool], what: str, *workers: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        for worker in workers:
            assert worker.poll() is None, f"a worker exited ({worker.returncode}) before {what}"
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.02)


def said(progress: Path, words: str) -> Callable[[], bool]:
    return lambda: progress.exists() and words in progress.read_text()


def kill(worker: subprocess.Popen[str]) -> None:
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=DEADLINE)


def marks(url: str) -> Counter[int]:
    with get_engine(url).connect() as connection:
        return Counter(connection.scalars(text("SELECT item_id FROM kill_marks")))


def jobs(url: str) -> list[tuple[str, int]]:
    with session_scope(url) as session:
        return [(j.status, j.attempts) for j in session.scalars(select(Job).order_by(Job.id))]


@pytest.mark.parametrize("moment", ["mid-batch", "after-commit"])
def test_a_killed_workers_batch_runs_again_once(
    database_url: str, queued_marks: None, tmp_path: Path, moment: str
) -> None:
    progress = tmp_path / "progress.txt"
    hang = (
        {"HUDDLE_TEST_HANG_AFTER": "13"}
        if moment == "mid-batch"
        else {"HUDDLE_TEST_HANG_AFTER_COMMIT": "1"}
    )
    worker = start_worker(database_url, progress, **hang)
    try:
        wait_for(said(progress, "hanging"), "the worker to reach the kill point", worker)
        kill(worker)
    finally:
        worker.kill()
    if moment == "mid-batch":
        # Two batches committed; the third had written 10, 11, 12 when it died: none kept.
        assert marks(database_url) == Counter(range(10))
        assert jobs(database_url) == [("done", 1)] * 2 + [("running", 1)] + [("queued", 0)] * 3
    else:
        # Killed after the first batch's commit: its rows and its completion are both stored.
        assert marks(database_url) == Counter(range(5))
        assert jobs(database_url) == [("done", 1)] + [("queued", 0)] * 5

    # The next worker's clock is past the dead worker's lease, so it takes the job over.
    later = Worker.from_settings(database_url, clock=lambda: utcnow() + timedelta(minutes=5))
    later.run_until_idle()

    assert marks(database_url) == Counter(IDS)
    if moment == "mid-batch":
        assert jobs(database_url) == [("done", 1)] * 2 + [("done", 2)] + [("done", 1)] * 3
    else:
        assert jobs(database_url) == [("done", 1)] * 6


def test_a_surviving_worker_takes_over_when_the_lease_expires(
    database_url: str, queued_marks: None, tmp_path: Path
) -> None:
    """One worker hangs mid-batch and is killed while another works; the other finishes the
    batch once the two-second lease runs out, then stops cleanly on SIGTERM."""
    lease = {"HUDDLE_JOB_LEASE_SECONDS": "2"}
    victim = start_worker(
        database_url, tmp_path / "victim.txt", HUDDLE_TEST_HANG_AFTER="3", **lease
    )
    survivor: subprocess.Popen[str] | None = None
    try:
        wait_for(said(tmp_path / "victim.txt", "hanging"), "the victim to hang", victim)
        survivor = start_worker(database_url, tmp_path / "survivor.txt", **lease)
        log = tmp_path / "survivor.log"
        wait_for(said(log, "Working the queue"), "the survivor to start", survivor)
        kill(victim)
        wait_for(
            lambda: all(status == "done" for status, _ in jobs(database_url)),
            "every job to be done",
            survivor,
        )
        survivor.send_signal(signal.SIGTERM)
        assert survivor.wait(timeout=DEADLINE) == 0
    finally:
        for worker in (victim, survivor):
            if worker is not None:
                worker.kill()
    assert marks(database_url) == Counter(IDS)
    assert jobs(database_url) == [("done", 2)] + [("done", 1)] * 5
