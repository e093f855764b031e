"""What round 28's tables showed, each on a small input of its own: Product Hunt's reviews
scraped by an Apify actor (slash-flattened camelCase columns, a structured review's three
sections), signals spam on a review site, a survey's company typed loosely beside the
respondent's company address, and a Redmine issue one of the team opened."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.noise import spam
from tests.connectors.helpers import came_in, left_out_of, read_clean, run
from tests.factories import actor, create_account

APIFY_REVIEWS = (
    "id,rating,createdAt,reviewer/name,reviewer/headline,text,whatsGreat,"
    "whatNeedsImprovement,vsAlternatives,ratings/easeOfUse,tags/0,product/slug\n"
    '11,4,2026-11-24T14:30:50.000Z,Tomas F,"Head of CX",,"The connectors just work.",'
    '"No read-only seat for agents.","Lighter than Productboard.",5,Support,ourco\n'
    "12,3,2026-11-19T09:02:45.000Z,Leo M,Founder,The free plan caps feedback at 100 a month.,"
    ",,,,,ourco\n"
)


def test_an_apify_product_hunt_csv_reads_a_structured_review_by_its_sections(
    tmp_path: Path,
) -> None:
    """Apify flattens a review's JSON with slashes and keeps its camelCase keys: the sections
    of Product Hunt's structured review ("What's great", "What needs improvement", "vs
    Alternatives") are the reviewer's words, `createdAt` its date; the reviewer's headline
    is their job, not the review's title."""
    path = tmp_path / "dataset.csv"
    path.write_text(APIFY_REVIEWS, encoding="utf-8")

    read = read_clean("reviews", path, ConnectorOptions())

    assert [(f.text, f.title, f.contact_name) for f in read.feedback] == [
        (
            "Likes: The connectors just work.\nDislikes: No read-only seat for agents.\n"
            "Compared with alternatives: Lighter than Productboard.",
            "★★★★☆",
            "Tomas F",
        ),
        ("The free plan caps feedback at 100 a month.", "★★★☆☆", "Leo M"),
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 24, 14, 30, 50, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "Best tool ever!!! Join our VIP group for daily forex signals.",
        "Crypto signals every morning, link in bio.",
        "Want to earn 10x? Trading signals for members only.",
    ],
)
def test_signals_sold_in_a_review_are_spam(text: str) -> None:
    """A signals group's pitch: a VIP group to join, a link in the bio, money made tenfold,
    beside the signals sold."""
    assert spam(text)


def test_a_customer_who_says_10x_is_no_spammer() -> None:
    assert not spam("Since the import we make 3x fewer mistakes; I love the bio page.")


SURVEY = (
    '"Response ID","Respondent Email","How likely is it that you would recommend OurCo to a '
    'friend or colleague?","What is the primary reason for your score?","Which company do you '
    'work for?"\n'
    '"1","ingrid@globex.example","3","Sync deleted our delivery photos.","globex"\n'
    '"2","","9","The theme report is great.","Globex"\n'
    '"3","nora@gmail.com","7","Exports cut comments short.","Umbrella"\n'
    '"4","kim@acmebakery.example","8","Great for our bakery.","Acme"\n'
    '"5","lib@fairhaven.example","5","Setup was hard.","Fairhaven Public Library"\n'
)


def test_a_survey_company_typed_loosely_takes_the_account_its_address_names_not_its_first_word(
    session: Session, tmp_path: Path
) -> None:
    """A company answer no account answers to: the respondent's company address names it
    ("globex" from @globex.example). Without one, a one-word answer is not the account whose
    name it opens ("Globex" is not "Globex Freight", as "Apple" is not "Apple Valley Dental").
    A company's address that names no account says the one-word answer ("Acme" from
    @acmebakery.example) may be another company: left unattached."""
    admin = actor(session, "admin")
    create_account(session, name="Globex Freight", domain="globex.example")
    create_account(session, name="Umbrella Retail", domain="umbrella.example")
    create_account(session, name="Umbrella Health", domain="umbrellahealth.example")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    path = tmp_path / "raw_data.csv"
    path.write_text(SURVEY, encoding="utf-8")

    report = run(session, admin, "survey", path)

    assert [account for _, account in came_in(session, report)] == [
        "Globex Freight",
        None,
        None,
        None,
        None,
    ]
    assert report.unmatched_accounts == {
        "Globex": 1,
        "Umbrella": 1,
        "Acme": 1,
        "Fairhaven Public Library": 1,
    }


REDMINE = (
    "\ufeff#,Tracker,Subject,Author,Assignee,Created,Customer,Customer email,Description\r\n"
    "8841,Support,Dates rejected,Mei Tanaka,Sam Ortiz,11/23/2026 09:14 AM,Hooli Cloud,"
    "mei@hooli.example,The bulk import rejects day-first dates.\r\n"
    "8843,Feature,Theme pivot,Tom Becker,Sam Ortiz,11/23/2026 11:02 AM,,,"
    '"From the Umbrella demo: pivot the theme report by region. Spec to follow."\r\n'
    "8844,Support,Seats,Tom Becker,,11/23/2026 11:30 AM,Vandelay Imports,,"
    "Vandelay asked for seasonal seats.\r\n"
)


def test_a_redmine_issue_one_of_the_team_opened_for_no_customer_is_internal(
    tmp_path: Path,
) -> None:
    """Redmine's "Author" is who opened the issue: one of the team, naming no customer, filed
    their own work; a customer's issue (or one the team logged naming the customer) is
    evidence."""
    path = tmp_path / "issues.csv"
    path.write_text(REDMINE, encoding="utf-8")

    read = read_clean("tickets", path, ConnectorOptions(staff_names=("Tom Becker", "Sam Ortiz")))

    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("The bulk import rejects day-first dates.", "Hooli Cloud"),
        ("Vandelay asked for seasonal seats.", "Vandelay Imports"),
    ]
    assert left_out_of(read) == [
        ("internal", "From the Umbrella demo: pivot the theme report by region. Spec to follow.")
    ]
