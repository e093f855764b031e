"""Background work of notifications: the messages of an event, then their delivery."""

from datetime import timedelta

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.jobs import periodic, task
from huddle.notify import delivery, digests, service
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


@task(STATUS_TASK)
def problem_status(
    session: Session,
    *,
    ids: list[int],
    event: str,
    before: str,
    after: str,
    reason: str = "",
    actor_id: int | None = None,
) -> None:
    """Queued when a problem's status changes."""
    outgoing: list[int] = []
    for problem_id in ids:
        outgoing += service.problem_status_changed(
            session,
            problem_id,
            event=event,
            before=before,
            after=after,
            reason=reason,
            actor_id=actor_id,
        )
    _send(session, outgoing)


# Mondays at 07:00 UTC (the schedules count from a Monday, 2000-01-03).
@periodic("notify.weekly_digests", every=timedelta(days=7), offset=timedelta(hours=7))
def weekly_digests(session: Session) -> None:
    for audience in digests.AUDIENCES:
        _, emails = digests.send_digests(session, audience=audience)
        _send(session, emails)


@task(COMMITMENT_TASK)
def solution_commitment(
    session: Session,
    *,
    ids: list[int],
    event: str,
    before: str,
    after: str,
    reason: str = "",
    actor_id: int | None = None,
) -> None:
    """Queued when a solution's commitment changes."""
    outgoing: list[int] = []
    for solution_id in ids:
        outgoing += service.solution_commitment_changed(
            session,
            solution_id,
            event=event,
            before=before,
            after=after,
            reason=reason,
            actor_id=actor_id,
        )
    _send(session, outgoing)


@task(ACCOUNT_TASK)
def account_changed(
    session: Session,
    *,
    ids: list[int],
    event: str,
    changes: dict[str, list[object]],
    actor_id: int | None = None,
) -> None:
    """Queued when an account's status or risk changes."""
    outgoing: list[int] = []
    for account_id in ids:
        outgoing += service.account_changed(
            session, account_id, event=event, changes=changes, actor_id=actor_id
        )
    _send(session, outgoing)


@task(DECISION_TASK)
def decision_made(session: Session, *, ids: list[int]) -> None:
    """Queued when a go/no-go decision is recorded."""
    outgoing: list[int] = []
    for decision_id in ids:
        outgoing += service.decision_made(session, decision_id)
    _send(session, outgoing)
