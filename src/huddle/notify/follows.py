"""Following a solution or an account: who hears when it changes. A problem's followers are
its people (problems/team.py), told by notify/service.py too."""

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.errors import NotFound
from huddle.models.account import Account
from huddle.models.message import Follow
from huddle.models.solution import Solution
from huddle.models.user import User

SUBJECTS = {"solution": Solution, "account": Account}


def require_subject(session: Session, *, subject: str, subject_id: int, actor: Actor) -> None:
    require(may_read(actor))
    if session.get(SUBJECTS[subject], subject_id) is None:
        raise NotFound(f"no {subject} {subject_id}")


def follow(session: Session, *, subject: str, subject_id: int, actor: Actor, on: bool) -> bool:
    """Follow (or stop following) a solution or an account; whether the actor follows it now."""
    require_subject(session, subject=subject, subject_id=subject_id, actor=actor)
    found = session.get(Follow, (actor.id, subject, subject_id))
    if on and found is None:
        session.add(Follow(user_id=actor.id, subject_type=subject, subject_id=subject_id))
    elif not on and found is not None:
        session.execute(
            delete(Follow).where(
                Follow.user_id == actor.id,
                Follow.subject_type == subject,
                Follow.subject_id == subject_id,
            )
        )
    session.flush()
    return on


def following(session: Session, *, subject: str, subject_id: int, actor: Actor) -> bool:
    return session.get(Follow, (actor.id, subject, subject_id)) is not None


def followers(session: Session, subject: str, subject_id: int) -> list[User]:
    statement = (
        select(User)
        .join(Follow, Follow.user_id == User.id)
        .where(Follow.subject_type == subject, Follow.subject_id == subject_id, User.is_active)
        .order_by(User.id)
    )
    return list(session.scalars(statement))
