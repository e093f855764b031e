"""Chat tools' exports as the t20 tuning files showed them: Zendesk Chat's (the old Zopim)
`GET /api/v2/chats` through `intercom`, and a Slack Connect export with a huddle, Slackbot's
huddle notes and a customer thanking the vendor for an update. Each rule on a small file of
its own, so a change that breaks one names it."""

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.models import Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
WELCOME = "Hi there! An agent will be with you shortly."


def _read(source: str, path: Path, options: ConnectorOptions = OURS) -> ConnectorOutput:
    return read_clean(source, path, options)


def _event(kind: str, nick: str, at: str, **more: Any) -> dict[str, Any]:
    name = "Leah Whitcombe" if nick == "visitor" else "OurCo Support"
    return {"name": name, "nick": nick, "channel": "#", "type": kind, "timestamp": at, **more}


def _chat(cid: str, visitor: dict[str, str], history: list[Any], **more: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "type": "chat",
        "timestamp": history[0]["timestamp"] if history else "2026-12-01T02:13:44Z",
        "visitor": {"id": "v1", "phone": "", "notes": "", **visitor},
        "history": history,
        "tags": [],
        "rating": None,
        "comment": None,
        **more,
    }


LEAH = {"name": "Leah Whitcombe", "email": "leah@initech.example"}


def test_zendesk_chat_api_chats(session: Session, tmp_path: Path) -> None:
    """A page of Zendesk Chat's chats: the visitor's messages and the comment left with the
    rating are one conversation, oldest first; the welcome trigger (`agent:trigger`), the
    agents' replies, joins, files and the rating are not theirs. An offline message's words
    are in `message`; a chat the agent opened is the visitor's when they answer; a visitor
    who only said hello is skipped; a workspace user trying the widget is a test. The account
    is the visitor's email domain."""
    leah = _chat(
        "2611.1",
        LEAH,
        [
            _event("chat.memberjoin", "visitor", "2026-11-30T14:02:11Z"),
            _event("chat.msg", "agent:trigger", "2026-11-30T14:02:11Z", msg=WELCOME),
            _event("chat.msg", "visitor", "2026-11-30T14:02:40Z", msg="Uploads stop at 10 MB."),
            _event("chat.msg", "agent:3612", "2026-11-30T14:03:30Z", msg="Could you compress?"),
            _event("chat.file", "visitor", "2026-11-30T14:05:40Z", attachment={"name": "a.png"}),
            _event("chat.rating", "visitor", "2026-11-30T14:20:15Z", new_rating="bad"),
            _event(
                "chat.comment",
                "visitor",
                "2026-11-30T14:21:30Z",
                new_comment="Raising the limit should be basic.",
            ),
        ],
        tags=["attachments"],
        rating="bad",
        comment="Raising the limit should be basic.",
    )
    offline = {
        "id": "2612.2",
        "type": "offline_msg",
        "timestamp": "2026-12-01T02:13:44Z",
        "visitor": {"name": "Ravi Menon", "email": "ravi@brightwater.example"},
        "message": "Does OurCo support depot-level permissions?",
        "history": [],
        "tags": ["offline"],
    }
    proactive = _chat(
        "2612.3",
        {"name": "Carla Mendes", "email": "carla@vandelay.example"},
        [
            _event("chat.msg", "agent:3613", "2026-12-03T18:02:44Z", msg="Looking at add-ons?"),
            _event("chat.msg", "visitor", "2026-12-03T18:04:12Z", msg="Is it per user?"),
        ],
    )
    hello = _chat(
        "2611.4",
        {"name": "Visitor 41780", "email": ""},
        [
            _event("chat.msg", "agent:trigger", "2026-11-30T16:47:03Z", msg=WELCOME),
            _event("chat.msg", "visitor", "2026-11-30T16:47:20Z", msg="hello? anyone there"),
        ],
    )
    trying = _chat(
        "2612.5",
        {"name": "Sam Ortiz", "email": "sam@ourco.com"},
        [_event("chat.msg", "visitor", "2026-12-02T15:30:25Z", msg="test chat, please ignore")],
    )
    path = tmp_path / "chats.json"
    chats = [leah, offline, proactive, hello, trying]
    path.write_text(json.dumps({"chats": chats, "count": 5, "next_url": None}, indent=1))

    read = _read("intercom", path)
    assert [(r.external_id, r.text, r.contact_email, r.tags) for r in read.feedback] == [
        (
            "2611.1",
            "Uploads stop at 10 MB.\n\nRaising the limit should be basic.",
            "leah@initech.example",
            ["attachments"],
        ),
        (
            "2612.2",
            "Does OurCo support depot-level permissions?",
            "ravi@brightwater.example",
            ["offline"],
        ),
        ("2612.3", "Is it per user?", "carla@vandelay.example", []),
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 30, 14, 2, 11, tzinfo=UTC)
    assert read.feedback[0].source == "chat"
    assert left_out_of(read) == [("test", "test chat, please ignore")]
    assert read.skipped_rows == 1  # hello? anyone there

    initech = create_account(session, name="Initech Health", domain="initech.example")
    run(session, actor(session, "admin"), "intercom", path, internal_domains=("ourco.com",))
    stored = session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert [(f.external_id, f.account_id) for f in stored] == [
        ("2611.1", initech.id),
        ("2612.2", None),
        ("2612.3", None),
    ]


def test_a_zendesk_chat_rating_comment_wherever_it_is_kept(tmp_path: Path) -> None:
    """The rating comment is the visitor's whether the chat's history holds it (a
    `chat.comment` event) or only the chat's `comment` does (an older page); chats saved one
    a line read the same way."""
    only_field = _chat(
        "2612.9",
        LEAH,
        [_event("chat.msg", "visitor", "2026-12-02T09:15:51Z", msg="Exports stop at 10,000.")],
        comment="Pagination should be basic.",
    )
    only_history = _chat(
        "2612.10",
        LEAH,
        [
            _event("chat.msg", "visitor", "2026-12-02T10:15:51Z", msg="No cursor on exports."),
            _event("chat.comment", "visitor", "2026-12-02T10:20:00Z", new_comment="Add one."),
        ],
    )
    path = tmp_path / "chats.jsonl"
    path.write_text(f"{json.dumps(only_field)}\n{json.dumps(only_history)}\n")
    read = _read("intercom", path)
    assert [r.text for r in read.feedback] == [
        "Exports stop at 10,000.\n\nPagination should be basic.",
        "No cursor on exports.\n\nAdd one.",
    ]


USERS = [
    {"id": "U1TOM", "real_name": "Tom Becker", "profile": {"email": "tom@ourco.com"}},
    {"id": "U2HEN", "real_name": "Henrik Aalto", "profile": {"email": "henrik@globex.example"}},
]


def _message(user: str, ts: str, text: str, **more: Any) -> dict[str, Any]:
    return {"type": "message", "user": user, "ts": ts, "text": text, **more}


def _slack_zip(tmp_path: Path, messages: list[dict[str, Any]]) -> Path:
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr("channels.json", json.dumps([{"id": "C1", "name": "ext-globex"}]))
        archive.writestr("ext-globex/2026-12-03.json", json.dumps(messages))
    return path


def test_slackbots_huddle_notes_are_a_bots(tmp_path: Path) -> None:
    """Slackbot (`USLACKBOT`, in no users.json) posting a huddle's AI notes in its thread is a
    bot; the customer's words in the huddle's thread are evidence."""
    path = _slack_zip(
        tmp_path,
        [
            _message(
                "U1TOM",
                "1796100000.000001",
                "",
                subtype="huddle_thread",
                thread_ts="1796100000.000001",
            ),
            _message(
                "U2HEN",
                "1796100000.000002",
                "Line 14 lost its UN number again.",
                thread_ts="1796100000.000001",
            ),
            _message(
                "USLACKBOT",
                "1796100000.000003",
                "Huddle notes are ready: UN numbers dropped.",
                thread_ts="1796100000.000001",
            ),
        ],
    )
    read = _read("slack", path)
    assert [r.text for r in read.feedback] == ["Line 14 lost its UN number again."]
    assert left_out_of(read) == [("bot", "Huddle notes are ready: UN numbers dropped.")]


def test_thanking_the_vendor_for_an_update_is_not_evidence(tmp_path: Path) -> None:
    """In the thread of the vendor's own update, a customer reply that only thanks for it is
    skipped like a "thanks!"; one that goes on to say what is still wrong, or asks, is
    evidence, and so is a thank-you in a thread the customer opened."""
    path = _slack_zip(
        tmp_path,
        [
            _message(
                "U2HEN", "1796200000.000001", "Manifests lose the hazmat flag one time in ten."
            ),
            _message(
                "U1TOM",
                "1796200000.000002",
                "Thanks Henrik, looking now.",
                thread_ts="1796200000.000001",
            ),
            _message(
                "U2HEN",
                "1796200000.000003",
                "Thanks Tom, our dispatchers see it daily.",
                thread_ts="1796200000.000001",
            ),
            _message("U1TOM", "1796300000.000001", "Update: the fix is in QA, targeting 12/10."),
            _message(
                "U2HEN",
                "1796300000.000002",
                "Thanks Tom. Our Q1 volumes start on 4 January, so 12/10 works for us.",
                thread_ts="1796300000.000001",
                subtype="thread_broadcast",
            ),
            _message(
                "U2HEN",
                "1796300000.000003",
                "Thanks Tom, but the fix doesn't cover the CSV import.",
                thread_ts="1796300000.000001",
            ),
            _message(
                "U2HEN",
                "1796300000.000004",
                "Thanks Tom, will it reach the EU region too?",
                thread_ts="1796300000.000001",
            ),
        ],
    )
    read = _read("slack", path)
    assert [r.text for r in read.feedback] == [
        "Manifests lose the hazmat flag one time in ten.",
        "Thanks Tom, our dispatchers see it daily.",
        "Thanks Tom, but the fix doesn't cover the CSV import.",
        "Thanks Tom, will it reach the EU region too?",
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "internal"]
    assert read.skipped_rows == 1
