"""The connections Huddle opens: how PostgreSQL plans the statements sent over them."""

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from huddle.feedback.repository import FeedbackRepository
from huddle.feedback.schemas import FeedbackFilter
from tests.factories import actor, create_feedback, create_problem, link


def test_a_search_repeated_is_planned_for_its_words_every_time(session: Session) -> None:
    """psycopg prepares a statement once it has run five times, and PostgreSQL may then
    settle on a generic plan, one for any words: it read the words of every item it passed
    through `huddle_words_query`, once per item (15 ms to 600 ms on the demo)."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("PostgreSQL's plan cache")
    reader = actor(session)
    problem = create_problem(session)
    for n in range(30):
        item = create_feedback(session, text=f"the export of report {n} times out")
        if n % 3 == 0:
            link(session, item, problem)
    repo = FeedbackRepository(session)
    for _ in range(15):
        repo.search(reader, FeedbackFilter(text="export", unlinked=True), count_up_to=1_000)
    planned = session.execute(
        text("SELECT generic_plans, custom_plans FROM pg_prepared_statements")
    ).all()
    assert planned, "psycopg prepared none of the statements"
    assert all(generic == 0 for generic, _custom in planned), planned
