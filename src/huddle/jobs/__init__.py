"""Background work: `defer` queues a task in the caller's transaction, so it exists only if
the work that asked for it was committed; `huddle.jobs.runner` carries it out."""

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from huddle.models.job import Job

Task = Callable[..., None]
TASKS: dict[str, Task] = {}
BATCH = 2000


def task(name: str) -> Callable[[Task], Task]:
    def register(function: Task) -> Task:
        TASKS[name] = function
        return function

    return register


def defer(session: Session, name: str, *, ids: list[int] | None = None, **payload: Any) -> None:
    """Queue `name`; a list of `ids` is cut into batches so that many workers can share it."""
    if ids is None:
        session.add(Job(task=name, payload=payload))
        return
    for start in range(0, len(ids), BATCH):
        session.add(Job(task=name, payload={**payload, "ids": ids[start : start + BATCH]}))
