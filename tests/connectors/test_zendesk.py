"""Zendesk tickets JSON: sideloads, JSON lines, links to the agent page, bad files refused."""

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip, run
from tests.factories import actor, create_account

TICKETS = [
    {
        "id": 35436,
        "url": "https://acmehelp.zendesk.com/api/v2/tickets/35436.json",
        "subject": "Export to Excel drops the cost centre column",
        "description": "<p>Since Tuesday our <b>Excel export</b> has no cost centre column.</p><p>We need it for month end.</p>",
        "created_at": "2026-10-01T08:15:00Z",
        "requester_id": 9001,
        "status": "open",
        "priority": "high",
        "type": "problem",
        "tags": ["export", "Excel"],
    },
    {
        "id": 35437,
        "url": "https://acmehelp.zendesk.com/api/v2/tickets/35437.json",
        "subject": "SSO with Okta",
        "description": "Can we get SAML SSO with Okta before our renewal in March?",
        "created_at": "2026-10-02T10:00:00Z",
        "requester": {"email": "ops@globex.io", "name": "Globex Ops"},
        "status": "new",
        "tags": [],
    },
]
USERS = [{"id": 9001, "email": "Jane.Doe@acme.com", "name": "Jane Doe"}]


def test_api_json_with_sideloaded_users(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.com")
    globex = create_account(session, name="Globex", domain="globex.io")
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": TICKETS, "users": USERS, "next_page": None}, indent=2))
    round_trip(session, admin, "zendesk", path)
    items = {i.external_id: i for i in session.scalars(select(Feedback))}
    export = items["35436"]
    assert export.link_url == "https://acmehelp.zendesk.com/agent/tickets/35436"
    assert export.text.startswith("Since Tuesday our Excel export") and "<p>" not in export.text
    assert export.account_id == acme.id and export.contact is not None
    assert export.contact.email == "jane.doe@acme.com" and export.source == "ticket"
    assert {"excel", "export", "priority:high", "status:open", "type:problem"} <= set(export.tags)
    assert items["35437"].account_id == globex.id and export.team == "support"


def test_json_lines_export(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "tickets.json"
    path.write_text("\n".join(json.dumps(t) for t in TICKETS) + "\n")
    report = run(session, admin, "zendesk", path)
    assert (report.rows_read, report.created) == (2, 2)


def test_truncated_json_is_refused_and_nothing_written(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    text = json.dumps({"tickets": TICKETS * 20}, indent=2)
    path = tmp_path / "cut.json"
    path.write_text(text[: len(text) // 2])
    failure = refused(session, admin, "zendesk", path)
    error = failure.report.errors[-1]
    assert "truncated" in error.reason and error.line > 100


def test_a_bad_ticket_is_named_by_line_and_field(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    bad = dict(TICKETS[1], id=40000, created_at="last Tuesday")
    path = tmp_path / "t.json"
    path.write_text("\n".join(json.dumps(t) for t in [*TICKETS, bad]) + "\n")
    failure = refused(session, admin, "zendesk", path)
    assert [(e.line, e.column) for e in failure.report.errors] == [(3, "created_at")]
    assert "ticket 40000" in failure.report.errors[0].reason


def test_wrong_encoding_is_named(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "t.json"
    ticket = dict(TICKETS[1], description="Le rapport exporté est illisible, ça bloque la clôture.")
    path.write_bytes(json.dumps({"tickets": [ticket]}, ensure_ascii=False).encode("cp1252"))
    failure = refused(session, admin, "zendesk", path)
    assert "encoding" in failure.report.errors[0].reason
    assert run(session, admin, "zendesk", path, encoding="cp1252").created == 1


def test_a_large_export_is_streamed_not_loaded_whole(tmp_path: Path) -> None:
    """Peak memory stays far below the file's size: tickets are parsed one at a time.

    Kept at ~8 MB so the suite stays quick; bench/connectors.py streams 200 MB.
    """
    import tracemalloc

    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.zendesk import connector

    path = tmp_path / "big.json"
    audit = [
        {"id": n, "type": "Change", "field_name": "status", "value": "x" * 40} for n in range(60)
    ]
    with path.open("w") as handle:
        handle.write('{"tickets": [\n')
        for n in range(1500):
            ticket = dict(TICKETS[1], id=n, audits=audit, description=f"Ticket {n}: sync fails")
            handle.write(("," if n else "") + json.dumps(ticket) + "\n")
        handle.write("]}\n")
    size = path.stat().st_size
    tracemalloc.start()
    output = connector.read(path, ConnectorOptions())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert output.errors == [] and len(output.feedback) == 1500
    assert size > 7_000_000 and peak < size / 3, (size, peak)
