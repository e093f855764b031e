"""HubSpot exports: companies with lifecycle, ARR, owner and renewal; notes on companies."""

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback
from tests.connectors.helpers import refused, round_trip, run
from tests.factories import actor

COMPANIES = """Record ID,Company name,Company Domain Name,Lifecycle Stage,Annual recurring revenue,Company owner,Renewal date,Segment,Health
5101,Umbrella Health,umbrella.example,Customer,48000,Sam Reyes,2027-01-15,Mid-market,red
5102,Hooli,hooli.example,Opportunity,,,,Enterprise,
5103,Vandelay Imports,vandelay.example,Former customer,0,,,SMB,
"""
NOTES = """Activity ID,Note body,Activity date,Associated Company IDs,Activity assigned to
9001,"Clinic managers can't see which forms are overdue; they want a daily digest.",2026-10-20 10:00,5101;5102,Sam Reyes
9002,Asked whether the API supports webhooks for new submissions.,2026-10-21 11:30,5102,Sam Reyes
"""


def test_companies_and_notes(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    companies = tmp_path / "companies.csv"
    companies.write_text(COMPANIES)
    round_trip(session, admin, "hubspot", companies)
    umbrella = session.scalar(select(Account).where(Account.external_id == "5101"))
    assert umbrella is not None
    assert (umbrella.arr_minor, umbrella.status, umbrella.at_risk, umbrella.renewal_date) == (
        4_800_000,
        "customer",
        True,
        date(2027, 1, 15),
    )
    statuses = dict(session.execute(select(Account.name, Account.status)).all())
    assert statuses["Hooli"] == "prospect" and statuses["Vandelay Imports"] == "churned"
    notes = tmp_path / "notes.csv"
    notes.write_text(NOTES)
    report = run(session, admin, "hubspot", notes, mapping={"portal_id": "424242"})
    assert report.created == 2
    digest = session.scalar(select(Feedback).where(Feedback.external_id == "9001"))
    assert digest is not None and digest.account_id == umbrella.id
    assert digest.link_url == "https://app.hubspot.com/contacts/424242/record/0-2/9001"


def test_missing_columns(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "notes.csv"
    # Without a date column the notes come in, dated by the import and marked undated (as a
    # column of comments does; `--occurred-at` gives them a date).
    path.write_text("Activity ID,Note body,Associated Company IDs\n1,Hello there,5101\n")
    report = run(session, admin, "hubspot", path)
    assert (report.created, report.undated, report.errors) == (1, 1, [])
    # A notes export without its body names the column it needs as HubSpot spells it.
    path.write_text("Activity ID,Activity date,Associated Company IDs\n1,2026-11-02,5101\n")
    errors = refused(session, admin, "hubspot", path).report.errors
    assert errors[0].line == 1 and "no column for text (a column named 'Note body'" in (
        errors[0].reason
    )


def test_note_bodies_in_html_come_in_as_text_and_a_test_note_stays_out(
    session: Session, tmp_path: Path
) -> None:
    """HubSpot exports a note's body as HTML (round 9 of the labelled exports: the markup came
    in with the words, and "<p>test</p>" was not recognised as a test note)."""
    admin = actor(session, "admin")
    path = tmp_path / "notes.csv"
    path.write_text(
        "Activity ID,Note body,Activity date\n"
        '9101,"<p>Call with the ops lead.</p><p>They want <strong>alerts by region</strong>'
        ' &amp; a weekly digest.</p>",2026-10-20 10:00\n'
        "9102,<p>test</p>,2026-10-21 11:30\n"
        '9103,"Latency under load is p95 < 2 s, they say.",2026-10-22 09:00\n'
        "9104,<p> </p>,2026-10-22 09:30\n"
    )
    errors = refused(session, admin, "hubspot", path).report.errors
    assert [(e.line, e.column, e.reason) for e in errors] == [
        (5, "Note body", "the note holds no text")
    ]
    path.write_text("\n".join(path.read_text().splitlines()[:4]) + "\n")
    report = run(session, admin, "hubspot", path)
    assert report.created == 2 and report.left_out == {"test": 1}
    texts = dict(session.execute(select(Feedback.external_id, Feedback.text)).all())
    assert (
        texts["9101"] == "Call with the ops lead.\n\nThey want alerts by region & a weekly digest."
    )
    assert texts["9103"] == "Latency under load is p95 < 2 s, they say."


def test_a_note_naming_its_company_only_in_its_first_line(session: Session, tmp_path: Path) -> None:
    """Notes typed as a heading line and then the notes: with no company associated, the
    heading names the account (by name, domain or first word); a one-line note, or a long
    first line, is not a heading."""
    admin = actor(session, "admin")
    for name, domain in (("Globex Freight", "globex.example"), ("Hooli Cloud", "hooli.example")):
        session.add(Account(name=name, domain=domain, status="customer"))
    session.flush()
    path = tmp_path / "notes.csv"
    path.write_text(
        "Note body,Activity date,Activity ID,Associated Company IDs\n"
        '"Globex\nRenewal call: no way to group costs by cost centre.",2026-12-04 8:02:09,1,\n'
        '"hooli.example\nThey want API keys scoped per project.",2026-12-01 10:30:10,2,\n'
        '"Kestrel Logistics (trial)\nThe map freezes with 200 stops.",2026-12-03 16:45:31,3,\n'
        "Globex asked about cost centres again.,2026-12-04 9:00:00,4,\n"
    )
    run(session, admin, "hubspot", path)
    names = dict(session.execute(select(Account.id, Account.name)).all())
    attached = {
        note: names.get(account)
        for note, account in session.execute(select(Feedback.external_id, Feedback.account_id))
    }
    assert attached == {"1": "Globex Freight", "2": "Hooli Cloud", "3": None, "4": None}
