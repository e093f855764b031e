"""A task for the tests that kill workers, loaded by the worker processes they start through
HUDDLE_TASK_MODULES: for each id of its batch it writes a row keyed by that id, slowly, and
reports how far it got in a file the test watches.

In the worker that is to be killed, HUDDLE_TEST_HANG_AFTER=N makes it stop for good right after
writing its N-th row (mid-batch, its transaction open), and HUDDLE_TEST_HANG_AFTER_COMMIT=1
right after its first batch's transaction commits: the test kills it there."""

import os
import time
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from huddle.jobs import task

MARKS_TABLE = "CREATE TABLE kill_marks (item_id INTEGER NOT NULL, pid INTEGER NOT NULL)"
HANG = 600.0
written = 0


def report(line: str) -> None:
    path = os.environ.get("HUDDLE_TEST_PROGRESS")
    if path:
        with open(path, "a", encoding="utf-8") as progress:
            progress.write(f"{line}\n")


@task("tests.mark_each")
def mark_each(session: Session, *, ids: list[int], pause: float = 0.02) -> None:
    global written
    for item in ids:
        session.execute(
            text("INSERT INTO kill_marks (item_id, pid) VALUES (:item, :pid)"),
            {"item": item, "pid": os.getpid()},
        )
        report(f"marked {item}")
        written += 1
        if os.environ.get("HUDDLE_TEST_HANG_AFTER") == str(written):
            report("hanging mid-batch")
            time.sleep(HANG)
        time.sleep(pause)
    session.info["marked"] = ids


if os.environ.get("HUDDLE_TEST_HANG_AFTER_COMMIT") == "1":

    @event.listens_for(Session, "after_commit")
    def _hang_after_commit(session: Session, *_: Any) -> None:
        if session.info.pop("marked", None) is not None:
            report("hanging after commit")
            time.sleep(HANG)
