"""Reaching inbox zero: evidence dismissed as not a problem (with a reason) or snoozed until a
day, and brought back. Nothing here changes the evidence itself, and every step reverses."""

from collections.abc import Collection
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_triage, require
from huddle.errors import Invalid, NotFound
from huddle.feedback.repository import FeedbackRepository
from huddle.insights.repository import InsightRepository
from huddle.kit.time import utcnow
from huddle.models.enums import DismissReason
from huddle.models.feedback import Feedback

# How many items one request may set aside or bring back.
MOST_AT_ONCE = 500


def _chosen(session: Session, actor: Actor, ids: Collection[int]) -> list[Feedback]:
    require(may_triage(actor))
    wanted = sorted(set(ids))
    if not wanted:
        raise Invalid("choose the evidence first", field="ids")
    if len(wanted) > MOST_AT_ONCE:
        raise Invalid(f"at most {MOST_AT_ONCE} items at once", field="ids")
    found = FeedbackRepository(session).get_many(actor, wanted)
    missing = sorted(set(wanted) - {item.id for item in found})
    if missing:
        raise NotFound(f"no evidence {', '.join(map(str, missing[:10]))}")
    return sorted(found, key=lambda item: item.id)


def dismiss(session: Session, *, ids: Collection[int], reason: str, actor: Actor) -> int:
    """Out of the inbox as not a problem; it also leaves every open suggestion and is not
    clustered again while dismissed."""
    if reason not in DismissReason.__members__:
        choices = ", ".join(r.value for r in DismissReason)
        raise Invalid(f"no reason {reason!r}; use one of {choices}", field="reason")
    items = _chosen(session, actor, ids)
    now = utcnow()
    for item in items:
        item.dismissed_reason, item.dismissed_at, item.snoozed_until = reason, now, None
        record(session, actor, "dismissed", item, f"dismissed as {reason.replace('_', ' ')}")
    session.flush()
    InsightRepository(session).release([item.id for item in items])
    return len(items)


def snooze(session: Session, *, ids: Collection[int], until: date, actor: Actor) -> int:
    """Out of the inbox until the start of `until` (UTC), then back by itself."""
    if until <= utcnow().date():
        raise Invalid("snooze until a day after today", field="until")
    items = _chosen(session, actor, ids)
    moment = datetime.combine(until, time.min, tzinfo=UTC)
    for item in items:
        item.snoozed_until, item.dismissed_reason, item.dismissed_at = moment, None, None
        record(session, actor, "snoozed", item, f"snoozed until {until.isoformat()}")
    session.flush()
    return len(items)


def restore(session: Session, *, ids: Collection[int], actor: Actor) -> int:
    """Back into the inbox (undoes a dismissal or a snooze)."""
    items = _chosen(session, actor, ids)
    for item in items:
        if item.dismissed_reason is None and item.snoozed_until is None:
            continue
        item.dismissed_reason, item.dismissed_at, item.snoozed_until = None, None, None
        record(session, actor, "restored", item, "back in the inbox")
    session.flush()
    return len(items)
