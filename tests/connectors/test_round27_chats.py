"""Round 27's chat shapes, each on a small input of its own: tawk.to's webhook deliveries
(`chat:transcript_created` logged one a line, a retried one twice; `chat:start`, `chat:end`,
`ticket:create`) and a page of Zoom Team Chat's messages API (customers outside the account
known only by display name, the channel named by the file)."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import (
    came_in,
    left_out_by_run,
    left_out_of,
    read_clean,
    refused,
    run,
    write_json,
)
from tests.factories import actor, create_account, create_user

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
PROPERTY = {"id": "64f1c2a8e1b4d20c3a9f7e51", "name": "OurCo app"}


# tawk.to -------------------------------------------------------------------------------------


def _line(who: str, text: str, minute: int, name: str | None = None, **more: Any) -> dict[str, Any]:
    sender: dict[str, Any] = {"t": who}
    if name:
        sender["n"] = name
    return {
        "sender": sender,
        "type": "msg",
        "msg": text,
        "time": f"2026-12-01T09:{minute:02d}:00.000Z",
        **more,
    }


def _transcript(chat_id: str, visitor: dict[str, Any], *messages: dict[str, Any]) -> str:
    return json.dumps(
        {
            "event": "chat:transcript_created",
            "time": "2026-12-01T09:31:47.812Z",
            "property": PROPERTY,
            "chat": {"id": chat_id, "visitor": visitor, "messages": list(messages)},
        }
    )


def _log(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "tawk_hooks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tawkto_transcripts_are_the_visitors_words_each_chat_once(
    session: Session, tmp_path: Path
) -> None:
    """An agent's replies and tawk.to's notices are no one's evidence; a delivery retried is
    one chat; a visitor on a public mail provider is of the known company their name names;
    tawk.to's number for a nameless visitor names no one; a file sent is not words."""
    create_account(session, name="Vandelay Imports", domain="vandelay.example")
    beth = {"name": "Beth (Vandelay Imports)", "email": "beth.wh@gmail.com"}
    chat = _transcript(
        "c-1",
        beth,
        _line("s", "Chat started", 1),
        _line("v", "The receiving screen has too many fields for the warehouse team.", 2, "Beth"),
        _line("a", "You can hide fields per role in the layout settings.", 3, "Marta"),
        _line("v", "receipt.png", 4, "Beth", type="file"),
        _line("v", "Can we hide them for the warehouse role only?", 5, "Beth"),
        _line("s", "Chat ended", 6),
    )
    nameless = _transcript(
        "c-2",
        {"name": "V1764594912331244"},
        _line("v", "Does the mobile app work offline in the cold store?", 10, "V1764594912331244"),
    )
    report = run(session, actor(session, "admin"), "intercom", _log(tmp_path, chat, nameless, chat))
    assert came_in(session, report) == [
        (
            "The receiving screen has too many fields for the warehouse team.\n\n"
            "Can we hide them for the warehouse role only?",
            "Vandelay Imports",
        ),
        ("Does the mobile app work offline in the cold store?", None),
    ]
    read = read_clean("intercom", _log(tmp_path, chat, nameless, chat), OURS)
    assert [(r.external_id, r.contact_name, r.contact_email) for r in read.feedback] == [
        ("c-1", "Beth", "beth.wh@gmail.com"),
        ("c-2", None, None),
    ]


def test_tawkto_chat_start_ticket_and_end_deliveries(tmp_path: Path) -> None:
    """A chat whose transcript was not logged is its first message (`chat:start`), once
    however often delivered; one whose transcript was is not read twice; `chat:end` says
    nothing; a ticket is its requester's message under its subject; the team's own test is
    left out as a test."""

    def start(chat_id: str, text: str, who: str = "visitor") -> str:
        return json.dumps(
            {
                "event": "chat:start",
                "chatId": chat_id,
                "time": "2026-12-02T08:00:00.000Z",
                "property": PROPERTY,
                "message": {"text": text, "type": "msg", "sender": {"type": who}},
                "visitor": {"name": "Jörg Albers", "email": "joerg@acme-robotics.example"},
            }
        )

    opening = "Work orders show as open again after the technicians closed them."
    transcribed = _transcript(
        "c-2",
        {"name": "Jörg Albers", "email": "joerg@acme-robotics.example"},
        _line("v", opening, 1, "Jörg Albers"),
        _line("v", "It started after Tuesday's update.", 2, "Jörg Albers"),
    )
    end = json.dumps(
        {
            "event": "chat:end",
            "chatId": "c-3",
            "time": "2026-12-02T09:00:00.000Z",
            "property": PROPERTY,
            "visitor": {"name": "Ana"},
        }
    )
    ticket = json.dumps(
        {
            "event": "ticket:create",
            "time": "2026-12-02T10:00:00.000Z",
            "property": PROPERTY,
            "requester": {
                "name": "Priya N",
                "email": "priya@brightpath.example",
                "type": "visitor",
            },
            "ticket": {
                "id": "t-9",
                "humanId": 12,
                "subject": "Checklists",
                "message": "Can a practice manager sign off the day's log from her phone?",
            },
        }
    )
    test = start("c-4", "testing the new widget colours, please ignore")
    asked = start("c-1", "Do you support daily checklists?")
    path = _log(tmp_path, asked, asked, start("c-2", opening))
    path.write_text(
        path.read_text() + "\n".join([transcribed, end, ticket, test]) + "\n", encoding="utf-8"
    )
    read = read_clean("intercom", path, OURS)
    assert [(r.external_id, r.text, r.source, r.title) for r in read.feedback] == [
        ("c-1", "Do you support daily checklists?", "chat", None),
        ("c-2", f"{opening}\n\nIt started after Tuesday's update.", "chat", None),
        (
            "ticket:t-9",
            "Can a practice manager sign off the day's log from her phone?",
            "ticket",
            "Checklists",
        ),
    ]
    assert left_out_of(read) == [("test", "testing the new widget colours, please ignore")]


# Zoom Team Chat ------------------------------------------------------------------------------


def _zoom(number: int, shown: str, text: str, sender: str = "", **more: Any) -> dict[str, Any]:
    return {
        "id": f"m-{number}",
        "message": text,
        "sender": sender,
        "sender_member_id": f"member-{shown}",
        "sender_display_name": shown,
        "date_time": f"2026-12-01T09:{number:02d}:00Z",
        "timestamp": 1796115600000 + number * 60000,
        **more,
    }


def _page(*messages: dict[str, Any]) -> dict[str, Any]:
    """A page as the API answers, newest first."""
    return {
        "date": "2026-12-02",
        "page_size": 50,
        "next_page_token": "",
        "messages": list(reversed(messages)),
    }


def test_a_zoom_channel_page_reads_the_customers_on_the_company_its_file_names(
    session: Session, tmp_path: Path
) -> None:
    """Oldest first though the API gives them newest first: a customer's thanks in a thread
    one of ours opened is skipped, a question in it kept; an app's card is a bot's; a
    person's message carries an empty `bot_message`; a deleted message is gone; the team by
    their address is internal."""
    create_user(session, name="Sam Ortiz", email="sam@ourco.com")
    create_account(session, name="Umbrella Retail", domain="umbrella.example")
    jira = {"head": {"text": "Jira Cloud"}, "body": [{"type": "message", "text": "OPS-22 Done"}]}
    messages = [
        _zoom(1, "Sam Ortiz", "Store audits 4.2 goes out tonight.", "sam@ourco.com"),
        _zoom(2, "Fiona Gallagher", "Thanks Sam, works for us.", reply_main_message_id="m-1"),
        _zoom(3, "Jira Cloud", "", bot_message=jira),
        _zoom(
            4,
            "Kieran Doyle",
            "Audit photos still fail to upload on store wi-fi.",
            reply_main_message_id="m-1",
            bot_message={},
        ),
        _zoom(5, "Kieran Doyle", "Wrong channel, sorry about that", status="Deleted"),
    ]
    path = write_json(tmp_path / "zoom_umbrella-retail-ourco.json", _page(*messages))
    report = run(session, actor(session, "admin"), "slack", path)
    assert came_in(session, report) == [
        ("Audit photos still fail to upload on store wi-fi.", "Umbrella Retail")
    ]
    assert left_out_by_run(session, report) == [
        ("internal", "Store audits 4.2 goes out tonight."),
        ("bot", "Jira Cloud\nOPS-22 Done"),
    ]


def test_zoom_gives_addresses_only_for_the_vendors_account(tmp_path: Path) -> None:
    """Where customers' addresses are hidden, whoever has one is of the account one of the
    vendor's known people writes from; a page where everyone has one (before Zoom hid
    them) is read by each address."""
    colleague = _zoom(
        2, "Lena Brandt", "We are moving the upload retries to the app.", "lena@ourco.io"
    )
    hidden = _page(
        _zoom(1, "Dana Lee", "Welcome to the shared channel!", "dana@ourco.com"),
        colleague,
        _zoom(3, "Fiona Gallagher", "The store task list should show overdue tasks first."),
    )
    read = read_clean("slack", write_json(tmp_path / "ours.json", hidden), OURS)
    assert [r.text for r in read.feedback] == [
        "The store task list should show overdue tasks first."
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "internal"]
    shown = _page(
        _zoom(1, "Dana Lee", "Welcome to the shared channel!", "dana@ourco.com"),
        _zoom(3, "Fiona Gallagher", "Overdue tasks should come first.", "fiona@umbrella.example"),
    )
    read = read_clean("slack", write_json(tmp_path / "old.json", shown), OURS)
    assert [(r.text, r.contact_email) for r in read.feedback] == [
        ("Overdue tasks should come first.", "fiona@umbrella.example")
    ]


def test_a_zoom_page_whose_first_message_is_long_is_still_zooms(tmp_path: Path) -> None:
    long = "The audit photos fail to upload on store wi-fi. " * 120
    page = _page(_zoom(1, "Fiona Gallagher", long.strip()))
    read = read_clean("slack", write_json(tmp_path / "umbrella.json", page), OURS)
    assert [(r.external_id, r.contact_name) for r in read.feedback] == [
        ("umbrella:m-1", "Fiona Gallagher")
    ]


def test_a_zoom_page_with_messages_it_cannot_read_is_refused_naming_them(
    session: Session, tmp_path: Path
) -> None:
    nameless = _zoom(2, "Fiona Gallagher", "Overdue tasks should come first.")
    del nameless["id"]
    page = _page(_zoom(1, "Fiona Gallagher", "The audit photos fail to upload."), nameless)
    page["messages"].append("?")
    failure = refused(
        session, actor(session, "admin"), "slack", write_json(tmp_path / "c.json", page)
    )
    assert sorted(error.reason for error in failure.report.errors) == [
        "c.json: a message has no id",
        "c.json: a message must be a JSON object",
    ]
