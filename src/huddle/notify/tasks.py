"""Background work of notifications: the messages of an event, then their delivery."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.errors import NotFound
from huddle.insights.rediscovery import system_reader
from huddle.jobs import periodic, task
from huddle.notify import churn, delivery, digests, service
from huddle.notify.delivery import DELIVER_TASK

SHIPPED_TASK = "notify.solution_shipped"
STATUS_TASK = "notify.problem_status"
COMMITMENT_TASK = "notify.solution_commitment"
ACCOUNT_TASK = "notify.account_changed"
# Deferred by launch/decisions.py (by name: launch/ does not import notify/).
DECISION_TASK = "notify.decision_made"


@task(SHIPPED_TASK)
def solution_shipped(session: Session, *, ids: list[int]) -> None:
    """Queued when a solution's commitment becomes shipped."""
    outgoing: list[int] = []
    for solution_id in ids:
        outgoing += service.solution_shipped(session, solution_id)
    _send(session, outgoing)


def _send(session: Session, message_ids: list[int]) -> None:
    # One job per message: one bad address does not hold the others back.
    for message_id in message_ids:
        jobs.defer(session, DELIVER_TASK, ids=[message_id])


@task(DELIVER_TASK)
def deliver(session: Session, *, ids: list[int]) -> None:
    delivery.deliver(session, ids)


def _changed(handler: Callable[..., list[int]]) -> Callable[..., None]:
    """The task of one kind of change: `handler` writes each subject's messages."""

    def run(session: Session, *, ids: list[int], **event: Any) -> None:
        outgoing: list[int] = []
        for subject_id in ids:
            outgoing += handler(session, subject_id, **event)
        _send(session, outgoing)

    run.__doc__ = handler.__doc__
    return run


# Queued when a problem's status, a solution's commitment, or an account's status or risk
# changes, or a go/no-go decision is recorded; the payload is the handler's keywords (event,
# before, after, reason, actor_id…; none for a decision).
CHANGES: dict[str, Callable[..., list[int]]] = {
    STATUS_TASK: service.problem_status_changed,
    COMMITMENT_TASK: service.solution_commitment_changed,
    ACCOUNT_TASK: service.account_changed,
    DECISION_TASK: service.decision_made,
}
for _name, _handler in CHANGES.items():
    task(_name)(_changed(_handler))


# Mondays at 07:00 UTC (the schedules count from a Monday, 2000-01-03).
@periodic("notify.weekly_digests", every=timedelta(days=7), offset=timedelta(hours=7))
def weekly_digests(session: Session) -> None:
    for audience in digests.AUDIENCES:
        _, emails = digests.send_digests(session, audience=audience)
        _send(session, emails)


# Every day at 06:00 UTC, before the working day in Europe.
@periodic("notify.churn_check", every=timedelta(days=1), offset=timedelta(hours=6))
def churn_check(session: Session) -> None:
    """Tell account owners and followers of new churn warnings (notify/churn.py)."""
    try:
        reader = system_reader(session)
    except NotFound:  # a workspace without an admin yet has no accounts to watch
        return
    _send(session, churn.send_alerts(session, actor=reader))
