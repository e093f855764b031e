"""A generic help-desk tickets CSV: columns recognised, tags kept, bad rows named by line."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip
from tests.factories import actor, create_account

TICKETS = """Ticket ID,Subject,Description,Status,Priority,Requester email,Requester name,Organization,Created at,URL,Tags
FD-1001,Invoices in wrong currency,"Our invoices show USD although the account is set to EUR.
Finance has to correct them by hand.",Open,Urgent,kai@acme.com,Kai Berg,Acme,2026-10-05 09:12,https://help.example/tickets/1001,"billing, currency"
FD-1002,Slow dashboard,The dashboard takes 40 seconds to load for our region filter,Pending,Low,li@globex.io,Li Wei,,2026-10-06,https://help.example/tickets/1002,
"""


def test_tickets_csv(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.com")
    globex = create_account(session, name="Globex", domain="globex.io")
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS)
    round_trip(session, admin, "tickets", path)
    first = session.scalar(select(Feedback).where(Feedback.external_id == "FD-1001"))
    assert first is not None and first.account_id == acme.id and first.source == "ticket"
    assert first.title == "Invoices in wrong currency" and "by hand" in first.text
    assert first.link_url == "https://help.example/tickets/1001"
    assert set(first.tags) == {"billing", "currency", "priority:urgent", "status:open"}
    second = session.scalar(select(Feedback).where(Feedback.external_id == "FD-1002"))
    assert second is not None and second.account_id == globex.id


def test_missing_columns_and_bad_rows(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    no_text = tmp_path / "no_text.csv"
    no_text.write_text("Ticket ID,Subject,Created at\n1,Hello,2026-01-01\n")
    failure = refused(session, admin, "tickets", no_text)
    assert (
        failure.report.errors[0].line == 1
        and "no column for text" in failure.report.errors[0].reason
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(TICKETS.replace("2026-10-06", "yesterday"))
    errors = refused(session, admin, "tickets", bad).report.errors
    assert [(e.line, e.column) for e in errors] == [(4, "Created at")]
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(TICKETS.replace("Acme,", "Nobody Inc,"))
    errors = refused(session, admin, "tickets", unknown).report.errors
    assert [(e.line, e.column) for e in errors] == [(2, "account")]


def test_wrong_encoding(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "t.csv"
    path.write_bytes(
        "Subject,Description,Created at\nÉchec,Le téléchargement échoue,2026-01-01\n".encode(
            "cp1252"
        )
    )
    assert "encoding" in refused(session, admin, "tickets", path).report.errors[0].reason
