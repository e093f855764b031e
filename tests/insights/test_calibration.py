"""The inbox's hint says what a matching confidence is worth: the share of such suggestions
that were right on held-out data, and no hint where fewer than half were."""

from sqlalchemy.orm import Session

from huddle.insights import service
from huddle.insights.calibration import (
    HINT_PRECISION,
    PRECISION_STEPS,
    hint_threshold,
    precision_at,
)
from tests.factories import create_feedback, create_problem, create_user
from tests.helpers import client, login


def test_the_table_rises_and_the_threshold_is_where_half_are_right() -> None:
    starts = [start for start, _ in PRECISION_STEPS]
    shares = [share for _, share in PRECISION_STEPS]
    assert starts == sorted(starts) and shares == sorted(shares)
    assert precision_at(hint_threshold()) >= HINT_PRECISION
    below = max(start for start in starts if start < hint_threshold())
    assert precision_at(below) < HINT_PRECISION
    assert hint_threshold() == service.SUGGEST_CONFIDENCE
    assert precision_at(1.0) == shares[-1] and precision_at(0.0) == shares[0]


def test_the_hint_shows_the_measured_share(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports time out")
    item = create_feedback(session, text="exports are slow")
    item.suggested_problem_id, item.suggestion_confidence = problem.id, 0.33
    session.commit()
    browser = client(database_url)
    login(browser, pm.email)
    page = browser.get("/inbox").text
    share = round(100 * precision_at(0.33))
    assert f"({share}% of such suggestions are right)" in page
    assert "33%" not in page
