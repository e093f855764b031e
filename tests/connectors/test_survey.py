"""NPS and CSAT exports: the score kept as a tag and in the text; bad scores named by line."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip, run
from tests.factories import actor, create_account

NPS = """Response ID,Submitted at,Email,How likely are you to recommend us to a friend or colleague?,What is the main reason for your score?
R-1,2026-10-01,ana@acme.com,3,The mobile app logs me out every day.
R-2,2026-10-02,bo@globex.io,9,Great support team and the roadmap view is exactly what we needed.
R-3,2026-10-03,cy@acme.com,7,
"""


def test_nps_export(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.com")
    path = tmp_path / "nps.csv"
    path.write_text(NPS)
    report = round_trip(session, admin, "survey", path)
    assert report.rows_read == 3 and report.created == 2  # the answer without a comment is skipped
    low = session.scalar(select(Feedback).where(Feedback.external_id == "R-1"))
    assert low is not None
    assert low.text == "NPS 3 \u2013 The mobile app logs me out every day."
    assert set(low.tags) == {"nps:3", "nps:detractor"} and low.account_id == acme.id
    assert low.source == "survey"
    high = session.scalar(select(Feedback).where(Feedback.external_id == "R-2"))
    assert high is not None and "nps:promoter" in high.tags


def test_csat_export(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "csat.csv"
    path.write_text("CSAT,Comment,Date\n2,Took three days to get an answer,2026-10-04\n")
    run(session, admin, "survey", path)
    item = session.scalar(select(Feedback))
    assert item is not None and item.text.startswith("CSAT 2 \u2013") and item.tags == ["csat:2"]


def test_bad_scores_and_missing_columns(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "nps.csv"
    path.write_text(NPS.replace(",3,", ",11,").replace(",9,", ",nine,"))
    errors = refused(session, admin, "survey", path).report.errors
    assert [(e.line, e.column) for e in errors] == [
        (2, "How likely are you to recommend us to a friend or colleague?"),
        (3, "How likely are you to recommend us to a friend or colleague?"),
    ]
    assert "0 to 10" in errors[0].reason
    missing = tmp_path / "m.csv"
    missing.write_text("Email,Comment\na@b.com,hello\n")
    assert (
        "no column for score" in refused(session, admin, "survey", missing).report.errors[0].reason
    )


def test_the_open_question_is_found_by_its_own_words(session: Session, tmp_path: Path) -> None:
    """Survey tools name the comment column after the question asked (round 9 of the labelled
    exports: "What's the main reason for your score?" was refused as no text column)."""
    admin = actor(session, "admin")
    for question in (
        "What's the main reason for your score?",
        "Why did you give us that score?",
        "What could we do better?",
        "Anything else you'd like to tell us?",
    ):
        path = tmp_path / "nps.csv"
        path.write_text(
            "Response ID,Date,How likely are you to recommend Acme to a colleague?,"
            f'"{question}",Survey\n'
            "Q-1,2026-10-01,4,The nightly sync misses half the tickets.,Q4 NPS\n"
        )
        report = run(session, admin, "survey", path)
        assert report.created + report.unchanged == 1, question
        item = session.scalar(select(Feedback).where(Feedback.external_id == "Q-1"))
        assert item is not None and item.text.endswith("misses half the tickets."), question
