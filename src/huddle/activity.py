"""The audit trail: every service records who changed what through `record`."""

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models.activity import Activity

if TYPE_CHECKING:
    from huddle.auth.actor import Actor


def record(
    session: Session,
    actor: "Actor | None",
    verb: str,
    subject: Any,
    summary: str,
    **data: Any,
) -> None:
    session.add(
        Activity(
            actor_id=actor.id if actor else None,
            verb=verb,
            subject_type=type(subject).__tablename__,
            subject_id=subject.id,
            summary=summary[:500],
            data=data,
        )
    )


def recent_for(
    session: Session, subject_type: str, subject_id: int, limit: int = 50
) -> Sequence[Activity]:
    statement = (
        select(Activity)
        .where(Activity.subject_type == subject_type, Activity.subject_id == subject_id)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
    )
    return session.scalars(statement).all()


def last_data(session: Session, subject: Any, verb: str) -> dict[str, Any] | None:
    """What the latest `verb` recorded about `subject` (for an undo), if one was recorded."""
    statement = (
        select(Activity.data)
        .where(
            Activity.subject_type == type(subject).__tablename__,
            Activity.subject_id == subject.id,
            Activity.verb == verb,
        )
        .order_by(Activity.id.desc())
        .limit(1)
    )
    return session.scalar(statement)
