"""Round 29's chat shapes, each on a small input of its own: JivoChat's webhook deliveries
(read by `intercom`) and a page of Basecamp's Campfire lines (read by `slack`)."""

import json
from datetime import UTC, datetime
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


# JivoChat ------------------------------------------------------------------------------------


def _visitor(name: str, email: str) -> dict[str, Any]:
    return {"name": name, "email": email, "phone": "", "number": "77", "chats_count": 1}


def _finished(chat_id: int, visitor: dict[str, Any], *said: tuple[str, str], **more: Any) -> Any:
    """A `chat_finished` delivery: ("visitor" | "agent", words) a minute apart from 09:00 UTC
    on 2026-12-01."""
    start = 1796115600  # 2026-12-01T09:00:00Z
    messages = [
        {"timestamp": start + 60 * n, "type": kind, "message": words}
        | ({"agent_id": "5"} if kind == "agent" else {})
        for n, (kind, words) in enumerate(said)
    ]
    chat: dict[str, Any] = {"messages": messages, "rate": None, "blacklisted": False}
    chat |= more.pop("chat", {})
    return {
        "event_name": "chat_finished",
        "widget_id": "w1",
        "chat_id": chat_id,
        "visitor": visitor,
        "agents": [{"id": "5", "name": "Sam Ortiz", "email": "sam@ourco.com"}],
        "chat": chat,
        "page": {"url": "https://ourco.com/pricing", "title": "Pricing"},
        **more,
    }


def test_jivochat_webhooks_are_the_visitors_words(session: Session, tmp_path: Path) -> None:
    """A finished chat's visitor messages, oldest first, without the widget's invitation,
    the agent's replies or a closing "thanks!"; the client's organization in JivoChat's CRM
    names the account, else the visitor's email does; an offline message is the visitor's,
    dated by its id; a retried delivery is read once; an event that only says who took the
    chat holds no words; a visitor who only said "hello?" is skipped; one an agent
    blacklisted is spam."""
    create_user(session, name="Sam Ortiz", email="sam@ourco.com")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    billing = _finished(
        101,
        _visitor("Ines Carvalho", "ines@gmail.com"),
        ("agent", "Hi Ines, anything I can help with?"),  # sorted after the visitor's below
        ("visitor", "thanks!"),
        chat={"invitation": "Questions about billing? Ask us."},
        organization={"id": 3, "name": "Acme Robotics"},
        tags=[{"id": 1, "title": "Billing"}],
    )
    billing["chat"]["messages"].append(  # logged last, said first
        {"timestamp": 1796115500, "type": "visitor", "message": "Invoices ignore our PO number."}
    )
    routes = _finished(
        102,
        _visitor("Kenji Mori", "kenji@globex.example"),
        ("visitor", "Can routes be exported to our TMS?"),
        ("agent", "Not yet, I'll pass it on."),
    )
    log = [
        {"event_name": "chat_accepted", "widget_id": "w1", "chat_id": 101, "visitor": {}},
        billing,
        routes,
        routes,  # retried
        _finished(103, _visitor("", ""), ("visitor", "hello?"), ("agent", "Hi there!")),
        _finished(
            104,
            _visitor("Growth", "growth@mail.example"),
            ("visitor", "Do you want more customers for your shop?"),
            chat={"blacklisted": True},
        ),
        {
            "event_name": "offline_message",
            "widget_id": "w1",
            "visitor": _visitor("Noor Haddad", "noor@hotels.example"),
            "message": "Does the app work offline? Half our rooms have no signal.",
            "offline_message_id": 1796119200000,
        },
    ]
    path = write_json(tmp_path / "jivo.json", log)
    report = run(session, actor(session, "admin"), "intercom", path)
    assert came_in(session, report) == [
        ("Invoices ignore our PO number.", "Acme Robotics"),
        ("Can routes be exported to our TMS?", "Globex Freight"),
        ("Does the app work offline? Half our rooms have no signal.", None),
    ]
    assert left_out_by_run(session, report) == [
        ("spam", "Do you want more customers for your shop?")
    ]
    read = read_clean("intercom", path, OURS)
    assert [(r.external_id, str(r.occurred_at), r.tags) for r in read.feedback] == [
        ("101", "2026-12-01 08:58:20+00:00", ["billing"]),
        ("102", "2026-12-01 09:00:00+00:00", []),
        ("offline:1796119200000", "2026-12-01 10:00:00+00:00", []),
    ]
    assert read.skipped_rows == 2  # the chat taken, the "hello?"


def test_a_jivochat_chat_only_the_team_wrote_and_an_offline_message_without_a_time(
    tmp_path: Path,
) -> None:
    """The widget's invitation nobody answered is the widget's (a bot's), never a customer's;
    an offline message logged without a time is dated by the log."""
    unanswered = _finished(
        201, _visitor("", ""), chat={"invitation": "Hi! Want a demo of the route planner?"}
    )
    offline = {
        "event_name": "offline_message",
        "widget_id": "w1",
        "visitor": _visitor("Mei Lin", "mei@initech.example"),
        "message": "Can we pay by bank transfer in euros?",
        "offline_message_id": "om_5",
    }
    path = write_json(tmp_path / "jivo.json", [unanswered, offline])
    read = read_clean("intercom", path, OURS)
    assert left_out_of(read) == [("bot", "Hi! Want a demo of the route planner?")]
    assert [(r.external_id, r.occurred_at) for r in read.feedback] == [
        ("offline:om_5", datetime.fromtimestamp(int(path.stat().st_mtime), UTC))
    ]


# Basecamp ------------------------------------------------------------------------------------


def _person(name: str, email: str | None, **more: Any) -> dict[str, Any]:
    return {
        "id": sum(map(ord, name)),
        "name": name,
        "email_address": email,
        "personable_type": more.pop("kind", "User"),
        "admin": False,
        "owner": False,
        "client": more.pop("client", True),
        "employee": more.pop("employee", False),
        "time_zone": "Etc/UTC",
        **({"company": {"id": 9, "name": c}} if (c := more.pop("company", None)) else {}),
        **more,
    }


def _line(number: int, creator: dict[str, Any], content: str, **more: Any) -> dict[str, Any]:
    rich = more.pop("rich", False)
    return {
        "id": 7000 + number,
        "status": "active",
        "created_at": f"2026-12-01T09:{number:02d}:00.000Z",
        "title": content,
        "type": "Chat::Lines::RichText" if rich else "Chat::Lines::Text",
        "app_url": f"https://3.basecamp.com/1/buckets/31/chats/88@{7000 + number}",
        "parent": {"id": 88, "title": "Campfire", "type": "Chat::Transcript"},
        "bucket": {"id": 31, "name": more.pop("project", "OurCo / Acme Robotics"), "type": "P"},
        "creator": creator,
        "content": content,
        **more,
    }


def test_a_basecamp_campfire_page_reads_the_clients_on_their_companies(
    session: Session, tmp_path: Path
) -> None:
    """Oldest first though the API gives them newest first: a client's lines are evidence on
    the company Basecamp names (from a public mail provider too), else on the one the
    project names; a partner's people at their own company are theirs, not the project's; the
    vendor's people (by address, by a company naming the vendor, or an account employee
    naming no company) are internal; a chatbot (an `Integration`) is a bot; rich text reads
    as plain text without its quote; "+1" and "thanks!" say nothing."""
    create_user(session, name="Dana Lee", email="dana@ourco.com")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    kenji = _person("Kenji Mori", "kenji@acme-robotics.example", company="Acme Robotics")
    mei = _person("Mei Lin", "meilin.ops@gmail.com", company="Globex Freight")
    ana = _person("Ana Ruiz", "ana.ruiz@gmail.com")
    anders = _person("Anders Berg", "anders@nordlys.example", company="Nordlys Logistics")
    dana = _person("Dana Lee", "dana@ourco.com", client=False, employee=True, company="OurCo")
    contractor = _person("Luca Neri", "luca@studio.example", client=False, company="OurCo")
    owner = _person("Priya Raman", "priya@priya.example", client=False, employee=True)
    tally = _person("Tally", None, kind="Integration", client=False)
    quoted = (
        "<blockquote>can you send the CSV?</blockquote>"
        "<div>The CSV is <strong>attached</strong>.</div>"
    )
    lines = [
        _line(1, kenji, "The route importer rejects depot codes with a dash."),
        _line(2, dana, "Reminder: the v2 importer ships on Thursday."),
        _line(3, mei, quoted, rich=True),
        _line(4, ana, "Our drivers can't see the delivery window on Android."),
        _line(5, anders, "The label PDF is A4 only, our printers are 4x6 thermal."),
        _line(6, contractor, "I'll have the mock-ups for the label editor on Monday."),
        _line(7, owner, "Logged as a bug, we'll update here when it's fixed."),
        _line(8, tally, "Build 2026.48.1 deployed to production (12 commits)"),
        _line(9, kenji, "+1"),
        _line(10, mei, "thanks!"),
    ]
    path = write_json(tmp_path / "lines.json", list(reversed(lines)))
    report = run(session, actor(session, "admin"), "slack", path)
    assert came_in(session, report) == [
        ("The route importer rejects depot codes with a dash.", "Acme Robotics"),
        ("The CSV is attached.", "Globex Freight"),
        ("Our drivers can't see the delivery window on Android.", "Acme Robotics"),
        ("The label PDF is A4 only, our printers are 4x6 thermal.", None),
    ]
    assert left_out_by_run(session, report) == [
        ("internal", "Reminder: the v2 importer ships on Thursday."),
        ("internal", "I'll have the mock-ups for the label editor on Monday."),
        ("internal", "Logged as a bug, we'll update here when it's fixed."),
        ("bot", "Build 2026.48.1 deployed to production (12 commits)"),
    ]
    read = read_clean("slack", path, OURS)
    assert [(r.external_id, r.link_url) for r in read.feedback][:1] == [
        ("88:7001", "https://3.basecamp.com/1/buckets/31/chats/88@7001")
    ]


def test_one_basecamp_line_saved_alone_and_lines_it_cannot_read(
    session: Session, tmp_path: Path
) -> None:
    """`GET …/lines/{id}.json` saved: the line alone is read; a page whose line has no id is
    refused naming it."""
    kenji = _person("Kenji Mori", "kenji@acme-robotics.example", company="Acme Robotics")
    alone = _line(1, kenji, "Can the route importer accept depot codes with a dash?")
    read = read_clean("slack", write_json(tmp_path / "line.json", alone), OURS)
    assert [r.text for r in read.feedback] == [
        "Can the route importer accept depot codes with a dash?"
    ]
    nameless = _line(2, kenji, "The label PDF is A4 only.")
    del nameless["id"]
    path = tmp_path / "page.json"
    path.write_text(json.dumps([alone, nameless]), encoding="utf-8")
    failure = refused(session, actor(session, "admin"), "slack", path)
    assert [error.reason for error in failure.report.errors] == ["page.json: a message has no id"]
