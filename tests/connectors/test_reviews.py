"""App-store and G2 review exports: rating, title, body, author, date."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip
from tests.factories import actor

APP_STORE = """Review ID,Date,Rating,Title,Review,Author,Version,Territory,URL
rv-881,2026-09-30,2,Sync is unreliable,"Edits made offline vanish once the phone reconnects. Lost a whole inspection report.",fieldtech42,4.2.0,US,https://apps.example/review/881
rv-882,2026-10-01,5,Love it,Fast and simple for daily check-ins.,mgr_anna,4.2.0,GB,
"""
G2 = """Review ID,Star Rating,Title,What do you like best?,What do you dislike?,Reviewer,Submitted At
g2-1,4.5,Solid for mid-size teams,The roadmap board is clear.,Reporting is limited and exports are slow.,Verified User in Logistics,2026-08-12
"""


def test_app_store_reviews(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "reviews.csv"
    path.write_text(APP_STORE)
    round_trip(session, admin, "reviews", path)
    sync = session.scalar(select(Feedback).where(Feedback.external_id == "rv-881"))
    assert sync is not None and sync.source == "review" and sync.account_id is None
    assert sync.title == "★★☆☆☆ Sync is unreliable" and "Lost a whole inspection" in sync.text
    assert set(sync.tags) == {"rating:2", "store:us", "version:4.2.0"}
    assert sync.link_url == "https://apps.example/review/881"


def test_g2_reviews_keep_their_questions(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "g2.csv"
    path.write_text(G2)
    round_trip(session, admin, "reviews", path)
    item = session.scalar(select(Feedback))
    assert (item is not None and "rating:4" in item.tags) or "rating:5" in (
        item.tags if item else []
    )
    assert item is not None and "Dislikes: Reporting is limited" in item.text


def test_bad_ratings(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "r.csv"
    path.write_text(APP_STORE.replace(",2,Sync", ",two,Sync").replace(",5,Love", ",9,Love"))
    errors = refused(session, admin, "reviews", path).report.errors
    assert [(e.line, e.column) for e in errors] == [(2, "Rating"), (3, "Rating")]


def test_a_ratings_export_without_the_reviews_words_is_refused(
    session: Session, tmp_path: Path
) -> None:
    """Ratings and titles alone are not reviews (round 8): the file is refused, naming the
    column it lacks, and nothing is written."""
    admin = actor(session, "admin")
    path = tmp_path / "ratings.csv"
    path.write_text(
        "Review ID,Store,Rating,Title,Author,Date\n"
        "1190031120,App Store,4,Handy for standups,lina_d,2027-01-17\n"
    )
    failure = refused(session, admin, "reviews", path)
    message = " ".join(str(error) for error in failure.report.errors)
    assert "no column for text" in message and "'Review'" in message
    assert session.scalar(select(Feedback)) is None


def test_reviews_copied_from_a_store_page(session: Session, tmp_path: Path) -> None:
    """A page copied into a spreadsheet: the developer's reply on a row of its own is left
    out as the vendor's, the page's "Was this review helpful?" is skipped, and a review whose
    rating is missing is still refused by its line."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.reviews import connector

    path = tmp_path / "copied.csv"
    path.write_text(
        "Rating,Title,Review,Author,Date\n"
        "★★☆☆☆,Sync,Offline jobs vanish when the phone reconnects.,dave,3 days ago\n"
        ',Developer Response,"Hi Dave, sorry, please write to us.",OurCo,2 days ago\n'
        ",,Was this review helpful? Yes No,,\n"
        "★★★★★,Great,Drag and drop scheduling cut our planning time.,Marta,Dec 3\n"
    )
    read = connector.read(path, ConnectorOptions())
    assert read.errors == [] and read.skipped_rows == 1
    assert [r.text for r in read.feedback] == [
        "Offline jobs vanish when the phone reconnects.",
        "Drag and drop scheduling cut our planning time.",
    ]
    assert [(o.record.text, o.reason) for o in read.left_out] == [
        ("Hi Dave, sorry, please write to us.", "internal")
    ]
    path.write_text(path.read_text().replace("★★★★★,Great", ",Great"))
    admin = actor(session, "admin")
    errors = refused(session, admin, "reviews", path).report.errors
    assert [(e.line, e.column, e.reason) for e in errors] == [(5, "Rating", "rating is required")]
