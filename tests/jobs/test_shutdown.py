"""Workers stop when asked, even in the middle of a long wait for work: the in-process worker,
`huddle worker` on SIGTERM, and the server's (each waits an hour between looks here)."""

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select

from huddle.app import create_app
from huddle.config import get_settings
from huddle.db import session_scope
from huddle.jobs.runner import InlineWorker
from huddle.models import JobSchedule
from tests.jobs.test_kill import DEADLINE, ROOT, wait_for

AN_HOUR = "3600"


def schedules_stored(url: str) -> Callable[[], bool]:
    """True once a worker has started its loop (its first step stores the schedules)."""

    def check() -> bool:
        with session_scope(url) as session:
            return session.scalar(select(JobSchedule.name)) is not None

    return check


def huddle(url: str, log: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "huddle.cli.main", "--db", url, *args],
        cwd=ROOT,
        env={**os.environ, "HUDDLE_JOB_POLL_SECONDS": AN_HOUR},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_an_idle_inline_worker_stops_at_once(database_url: str) -> None:
    worker = InlineWorker(database_url, interval=float(AN_HOUR))
    worker.start()
    wait_for(schedules_stored(database_url), "the worker to start")
    assert worker.stop(grace=DEADLINE) is True


def test_huddle_worker_stops_on_sigterm_while_it_waits(database_url: str, tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    process = huddle(database_url, log, "worker")
    try:
        wait_for(schedules_stored(database_url), "the worker to start", process)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=DEADLINE) == 0
    finally:
        process.kill()
    assert log.read_text().splitlines()[-1] == "Stopped."


def test_the_server_stops_its_worker_at_once_on_shutdown(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What uvicorn does on SIGTERM (`should_exit`), through the app's real lifespan: the
    worker thread is gone when the server has stopped, not left behind waiting."""
    monkeypatch.setenv("HUDDLE_JOB_POLL_SECONDS", AN_HOUR)
    get_settings.cache_clear()
    before = set(threading.enumerate())
    server = uvicorn.Server(
        uvicorn.Config(create_app(database_url), host="127.0.0.1", port=0, log_level="warning")
    )
    thread = threading.Thread(target=server.run)
    thread.start()
    wait_for(schedules_stored(database_url), "the server's worker to start")
    assert any(t.name == "huddle-jobs" for t in set(threading.enumerate()) - before)
    server.should_exit = True
    thread.join(timeout=DEADLINE)
    assert not thread.is_alive()
    assert [t.name for t in set(threading.enumerate()) - before] == []
