"""A review of round 30's readers of mail APIs and CRM notes, each on a small input of a variant
the first reader had not seen: Nylas's messages as its Node SDK gives them (camelCase), a v2
message whose only content is a file (`files`), and a webhook notification whose keys are in
order of name with a long body before the keys that say it is Nylas's."""

import base64
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from tests.connectors.helpers import came_in, read_clean, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


def _node_sdk(sender: tuple[str, str], subject: str, **more: Any) -> dict[str, Any]:
    """A message as Nylas's Node SDK (v7) gives it: the API's keys in camelCase."""
    return {
        "id": f"msg-{len(subject)}",
        "grantId": "3f8c6a1e-2b7d-4e90-9c1a-5d6e7f8a9b0c",
        "object": "message",
        "threadId": "1ccbb44c694a",
        "subject": subject,
        "from": [{"name": sender[0], "email": sender[1]}],
        "to": [{"name": "Dana Lee", "email": "dana@ourco.com"}],
        "replyTo": [],
        "date": 1796313720,
        "createdAt": 1796313720,
        "folders": ["INBOX"],
        "unread": True,
        "starred": False,
        **more,
    }


def test_a_nylas_page_as_the_node_sdk_gives_it_is_read_as_the_apis(tmp_path: Path) -> None:
    """`JSON.stringify` of the Node SDK's list: `grantId`, `rawMime`, `nextCursor` are the
    API's `grant_id`, `raw_mime`, `next_cursor`; read as mail, not refused as no mail."""
    raw = (
        b"From: Lena Marsh <lena@brightwater.example>\r\nSubject: Dates\r\n"
        b"Date: Fri, 04 Dec 2026 14:22:00 +0000\r\nMessage-ID: <dates@brightwater.example>\r\n"
        b"\r\nThe CSV import rejects our dates.\r\n"
    )
    page = {
        "requestId": "5fa64c92",
        "data": [
            _node_sdk(
                ("Ana Lopes", "ana.lopes@hooli.example"),
                "Exports",
                body="<div>The export drops the store column every time.</div>",
                attachments=[
                    {"id": "a1", "filename": "export.csv", "contentType": "text/csv", "size": 9}
                ],
            ),
            _node_sdk(
                ("Lena Marsh", "lena@brightwater.example"),
                "Dates",
                rawMime=base64.urlsafe_b64encode(raw).decode(),
            ),
        ],
        "nextCursor": "CigKGjRs",
    }
    read = read_clean("email", write_json(tmp_path / "page.json", page), OURS)
    assert [(f.contact_email, f.title, f.text) for f in read.feedback] == [
        ("ana.lopes@hooli.example", "Exports", "The export drops the store column every time."),
        ("lena@brightwater.example", "Dates", "The CSV import rejects our dates."),
    ]
    assert read.feedback[1].external_id == "dates@brightwater.example"
    assert [w.column for w in read.warnings] == ["next_cursor"]


def test_a_nylas_v2_message_of_a_file_alone_is_passed_over(tmp_path: Path) -> None:
    """Nylas v2 names a message's attachments `files`: a screenshot sent with no words is
    nothing to read, not a message with no text that refuses the whole file."""
    shot = {
        "id": "m2",
        "object": "message",
        "account_id": "acc1",
        "subject": "Screenshot",
        "from": [{"name": "Jo", "email": "jo@hooli.example"}],
        "to": [{"name": "", "email": "dana@ourco.com"}],
        "date": 1796313720,
        "body": "",
        "files": [{"id": "f1", "filename": "error.png", "content_type": "image/png", "size": 9}],
        "labels": [{"id": "l1", "name": "inbox", "display_name": "Inbox"}],
    }
    words = dict(shot, id="m3", subject="Exports", body="<p>The export drops a column.</p>")
    words["files"] = []
    read = read_clean("email", write_json(tmp_path / "v2.json", [shot, words]), OURS)
    assert [f.text for f in read.feedback] == ["The export drops a column."]


def test_a_nylas_notification_with_its_keys_in_order_of_name_is_known(tmp_path: Path) -> None:
    """A `message.created` notification kept with its keys sorted (as a webhook tool or
    `jq -S` writes it) holds its body before `grant_id` and `object`: a long thread's HTML
    (here about 120 kB) still leaves the notification Nylas's."""
    quoted = "".join(
        f"<blockquote><p>Earlier message {n}: {'the rota export is manual ' * 20}</p></blockquote>"
        for n in range(200)
    )
    message = {
        "body": f"<div>The export drops the store column.</div><div class='gmail_quote'>{quoted}</div>",
        "date": 1796313720,
        "folders": ["INBOX"],
        "from": [{"email": "jo@hooli.example", "name": "Jo"}],
        "grant_id": "g1",
        "id": "m1",
        "object": "message",
        "subject": "Exports",
        "to": [{"email": "dana@ourco.com", "name": "Dana"}],
    }
    notice = {
        "data": {"application_id": "app", "object": message},
        "id": "n1",
        "specversion": "1.0",
        "type": "message.created",
    }
    path = tmp_path / "notice.json"
    path.write_text(json.dumps(notice, sort_keys=True), encoding="utf-8")
    assert path.stat().st_size > 100_000
    read = read_clean("email", path, OURS)
    assert [(f.contact_email, f.text) for f in read.feedback] == [
        ("jo@hooli.example", "The export drops the store column.")
    ]


def test_an_empty_nylas_page_holds_nothing_rather_than_a_message_without_text(
    tmp_path: Path,
) -> None:
    """A page listing no message is read as nothing (the import then says the file holds
    nothing to import), not as one message with no words."""
    path = tmp_path / "nylas_page.json"
    path.write_text('{"request_id": "5fa64c92", "data": [], "next_cursor": null}')
    read = get_connector("email").read(path, ConnectorOptions())
    assert (read.errors, read.feedback, read.left_out) == ([], [], [])


def test_a_mail_services_json_no_reader_knows_is_read_as_its_records(
    session: Session, tmp_path: Path
) -> None:
    """A JSON page of messages from a service no mail reader knows is no RFC 822 mail (it was
    refused as 'not an email message (no headers)'): it is read as the table of its records,
    as a JSON page no reader knows is for every connector, and the import says so."""
    path = write_json(
        tmp_path / "messages.json",
        [
            {
                "email": "ana@globex.example",
                "subject": "Export",
                "text": "The nightly export fails every night since Monday.",
                "sent_at": "2026-12-01T10:00:00Z",
            }
        ],
    )
    create_account(session, name="Globex Freight", domain="globex.example")
    report = run(session, actor(session, "admin"), "email", path)
    assert came_in(session, report) == [
        ("The nightly export fails every night since Monday.", "Globex Freight")
    ]
    assert "is a page no reader here knows" in report.warnings[0].reason
