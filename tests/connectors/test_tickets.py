"""A generic help-desk tickets CSV: columns recognised, tags kept, bad rows named by line."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.imports.undo import undo_import
from huddle.models import Account, Feedback
from tests.connectors.helpers import refused, round_trip, run
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


def test_unknown_organizations_unattached_or_created(session: Session, tmp_path: Path) -> None:
    """A company Huddle does not know no longer stops the import: the ticket comes in
    unattached and the report names the company; --create-accounts makes it a prospect."""
    admin = actor(session, "admin")
    create_account(session, name="Globex", domain="globex.io")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(TICKETS.replace("Acme,", "Nobody Inc,"))
    report = run(session, admin, "tickets", unknown)
    assert report.unmatched_accounts == {"Nobody Inc": 1} and report.created_accounts == []
    first = session.scalar(select(Feedback).where(Feedback.external_id == "FD-1001"))
    assert first is not None and first.account_id is None and first.account_ref == "Nobody Inc"
    undo_import(session, import_id=report.import_id or 0, actor=admin)
    created = run(session, admin, "tickets", unknown, create_accounts=True)
    assert created.created_accounts == ["Nobody Inc"] and created.unmatched_accounts == {}
    nobody = session.scalar(select(Account).where(Account.name == "Nobody Inc"))
    assert nobody is not None and nobody.status == "prospect"
    first = session.scalar(select(Feedback).where(Feedback.external_id == "FD-1001"))
    assert first is not None and first.account_id == nobody.id
    # Undo removes the prospect it created with the ticket.
    undo_import(session, import_id=created.import_id or 0, actor=admin)
    assert session.scalar(select(Account).where(Account.name == "Nobody Inc")) is None


def test_wrong_encoding(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "t.csv"
    path.write_bytes(
        "Subject,Description,Created at\nÉchec,Le téléchargement échoue,2026-01-01\n".encode(
            "cp1252"
        )
    )
    assert "encoding" in refused(session, admin, "tickets", path).report.errors[0].reason
