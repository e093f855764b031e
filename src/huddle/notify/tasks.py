"""Background work of notifications: the messages of an event, then their delivery."""

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.jobs import task
from huddle.notify import delivery, service

SHIPPED_TASK = "notify.solution_shipped"
DELIVER_TASK = "notify.deliver"


@task(SHIPPED_TASK)
def solution_shipped(session: Session, *, ids: list[int]) -> None:
    """Queued when a solution's commitment becomes shipped."""
    emails: list[int] = []
    for solution_id in ids:
        emails += service.solution_shipped(session, solution_id)
    # One job per message: one bad address does not hold the others back.
    for message_id in emails:
        jobs.defer(session, DELIVER_TASK, ids=[message_id])


@task(DELIVER_TASK)
def deliver(session: Session, *, ids: list[int]) -> None:
    delivery.deliver(session, ids)
