"""A mail saved without a date of its own (a relay's copy, a webhook's JSON without `Date`) is
dated by the time its top `Received` header stamps, and the import says so; a mail with no
date anywhere is still refused naming its Date."""

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",))
RECEIVED = (
    "Received: from mx.initech.example (mx.initech.example [203.0.113.7])\n"
    "\tby inbound.ourco.com with ESMTPS id 4f2a; Tue, 1 Dec 2026 14:05:09 -0500\n"
    "Received: from laptop (unknown [10.0.0.4]) by mx.initech.example;\n"
    "\tTue, 1 Dec 2026 14:04:58 -0500\n"
)


def _eml(tmp_path: Path, headers: str) -> Path:
    path = tmp_path / "no_date.eml"
    path.write_text(
        headers + "From: Grace Whitfield <grace@initech.example>\nTo: feedback@ourco.com\n"
        "Subject: Clinic report\nMessage-ID: <r1@initech.example>\n\n"
        "The weekly clinic report arrived empty again.\n",
        encoding="utf-8",
    )
    return path


def test_a_mail_without_date_takes_the_time_it_was_received(tmp_path: Path) -> None:
    read = read_clean("email", _eml(tmp_path, RECEIVED), OURS)
    (record,) = read.records()
    # The top header (the last hop, our server's), not the sender's own relay below it.
    assert record.occurred_at == datetime(2026, 12, 1, 19, 5, 9, tzinfo=UTC)
    assert [w.reason for w in read.warnings] == [
        "no Date header: the time it was received was used"
    ]


def test_an_unreadable_date_also_falls_back_to_the_received_time(tmp_path: Path) -> None:
    read = read_clean("email", _eml(tmp_path, "Date: sometime Tuesday\n" + RECEIVED), OURS)
    assert read.records()[0].occurred_at == datetime(2026, 12, 1, 19, 5, 9, tzinfo=UTC)
    assert "unreadable date 'sometime Tuesday'" in read.warnings[0].reason


def test_a_postmark_payload_without_date_is_dated_by_its_received_header(tmp_path: Path) -> None:
    payload = {
        "FromName": "Grace Whitfield",
        "From": "grace@initech.example",
        "FromFull": {"Email": "grace@initech.example", "Name": "Grace Whitfield"},
        "To": "feedback@ourco.com",
        "OriginalRecipient": "c0ffee@inbound.postmarkapp.com",
        "Subject": "Clinic report",
        "MessageID": "pm-1",
        "TextBody": "The weekly clinic report arrived empty again.",
        "Headers": [
            {
                "Name": "Received",
                "Value": "by p-pm-inboundg02a (Postfix, from userid 996) id 7c1; "
                "Tue, 1 Dec 2026 19:05:09 +0000 (UTC)",
            }
        ],
    }
    path = tmp_path / "postmark.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert read.records()[0].occurred_at == datetime(2026, 12, 1, 19, 5, 9, tzinfo=UTC)


def test_a_mail_dated_nowhere_is_refused_naming_its_date(session: Session, tmp_path: Path) -> None:
    failure = refused(session, actor(session, "admin"), "email", _eml(tmp_path, ""))
    assert [(e.column, e.reason) for e in failure.report.errors] == [
        ("Date", "no readable date: None")
    ]
