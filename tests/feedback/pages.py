"""What the inbox's filters should give, checked against Python's own filtering."""

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.feedback import service
from huddle.feedback.schemas import FeedbackFilter
from huddle.models import Feedback


def assert_pages_match(
    session: Session,
    actor: Actor,
    where: FeedbackFilter,
    every: Iterable[Feedback],
    keeps: Callable[[Feedback], bool],
    *,
    first_page: int,
) -> None:
    """`where`'s first page and the rest, newest first, are the items `keeps` chooses of
    `every`, and its total counts them."""
    newest_first = sorted(
        (i for i in every if keeps(i)), key=lambda i: (i.occurred_at, i.id), reverse=True
    )
    expected = [i.id for i in newest_first]
    assert expected, where
    first, total = service.list_feedback(session, where=where, actor=actor, limit=first_page)
    rest, _ = service.list_feedback(session, where=where, actor=actor, limit=500, offset=first_page)
    assert [i.id for i in first + rest] == expected, where
    assert total == len(expected), where
