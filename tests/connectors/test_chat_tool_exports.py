"""Chat and help-desk tools' own API exports as the t19 tuning files showed them: Help Scout's
Mailbox API and a Crisp dump through `intercom`, a DiscordChatExporter channel through
`slack`. Each rule on a small file of its own, so a change that breaks one names it."""

import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.models import Feedback
from tests.connectors.helpers import left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
DANA = {"id": 1, "type": "user", "first": "Dana", "last": "Lee", "email": "dana@ourco.com"}
MARTA = {
    "id": 7,
    "type": "customer",
    "first": "Marta",
    "last": "Ruiz",
    "email": "marta@gmail.com",
}


def _read(source: str, path: Path, options: ConnectorOptions = OURS) -> ConnectorOutput:
    return read_clean(source, path, options)


def _thread(kind: str, by: dict[str, Any], body: str | None, at: str) -> dict[str, Any]:
    return {"type": kind, "state": "published", "createdBy": by, "body": body, "createdAt": at}


def _help_scout_page(*conversations: dict[str, Any]) -> str:
    return json.dumps(
        {
            "_embedded": {"conversations": list(conversations)},
            "_links": {"self": {"href": "https://api.helpscout.net/v2/conversations?page=1"}},
            "page": {"size": 25, "totalElements": len(conversations), "number": 1},
        },
        indent=1,
    )


def _help_scout(cid: int, threads: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "number": cid - 100,
        "type": "email",
        "status": "active",
        "state": "published",
        "subject": f"Subject {cid}",
        "createdAt": threads[-1]["createdAt"],
        "customFields": [],
        "tags": [],
        "_embedded": {"threads": threads},
        **more,
    }


def test_help_scout_mailbox_api_conversations(session: Session, tmp_path: Path) -> None:
    """Help Scout's API v2 page: conversations under HAL's `_embedded`, threads newest first.
    The customer's threads come in oldest first, without the Gmail quote of the team's reply
    or the signature; the team's replies, notes and status changes stay out; the company in
    the Company custom field (a legal form, or one the workspace does not know) is the
    account; what Help Scout filed as spam is spam; the team's outreach is internal, an
    out-of-office answering it an auto-reply."""
    quoted = (
        '<div dir="ltr">Thanks, but someone has to remember it every Monday. Can the export '
        'retry by itself?</div><div class="gmail_quote"><div class="gmail_attr">On Tue, Dec 1, '
        "2026 at 4:10 PM OurCo Support &lt;help@ourco.com&gt; wrote:<br></div><blockquote>"
        "<div>You can run the export by hand.</div></blockquote></div>"
    )
    first = "<p>Our Monday export arrives empty.</p><p>Marta Ruiz<br>Planning | Globex</p>"
    exports = _help_scout(
        101,
        [
            {"type": "lineitem", "createdBy": DANA, "createdAt": "2026-12-02T09:00:00Z"},
            _thread("customer", MARTA, quoted, "2026-12-01T17:31:40Z"),
            _thread(
                "reply", DANA, "<p>You can run the export by hand.</p>", "2026-12-01T16:10:44Z"
            ),
            _thread("note", DANA, "<p>Known issue ENG-4412.</p>", "2026-12-01T16:08:02Z"),
            _thread("customer", MARTA, first, "2026-11-30T14:02:11Z"),
        ],
        customFields=[{"id": 1, "name": "Company", "value": "Globex Freight Ltd"}],
        tags=[{"id": 1, "tag": "Exports"}],
        _links={"web": {"href": "https://secure.helpscout.net/conversation/101/1"}},
    )
    alan = {**MARTA, "first": "Alan", "last": "Pierce", "email": "alan@brightwater.example"}
    chat = _help_scout(
        102,
        [
            _thread("chat", alan, "can patients get reminders by SMS?", "2026-12-03T15:21:02Z"),
        ],
        type="chat",
        customFields=[{"id": 1, "name": "Company", "value": "Brightwater Dental"}],
    )
    spam = _help_scout(
        103,
        [_thread("customer", MARTA, "<p>Hello, how are you doing today?</p>", "2026-12-02T13:05Z")],
        status="spam",
    )
    outreach = _help_scout(
        104,
        [_thread("message", DANA, "<p>Checking in on the Leeds rollout.</p>", "2026-12-02T11:30Z")],
    )
    helen = {**MARTA, "first": "Helen", "email": "helen@initech.example"}
    away = _help_scout(
        105,
        [
            _thread(
                "customer",
                helen,
                "<p>I am out of the office until 7 December.</p>",
                "2026-12-03T08:00:09Z",
            ),
            _thread("message", DANA, "<p>Your invoice is attached.</p>", "2026-12-03T08:00:00Z"),
        ],
    )
    path = tmp_path / "helpscout.json"
    path.write_text(_help_scout_page(exports, chat, spam, outreach, away))

    read = _read("intercom", path)
    assert [(r.external_id, r.text, r.source, r.account_ref) for r in read.feedback] == [
        (
            "101",
            "Our Monday export arrives empty.\n\nThanks, but someone has to remember it every "
            "Monday. Can the export retry by itself?",
            "ticket",
            "Globex Freight Ltd",
        ),
        ("102", "can patients get reminders by SMS?", "chat", "Brightwater Dental"),
    ]
    first_item = read.feedback[0]
    assert first_item.link_url == "https://secure.helpscout.net/conversation/101/1"
    assert first_item.tags == ["exports"]
    assert (first_item.contact_email, first_item.contact_name) == ("marta@gmail.com", "Marta Ruiz")
    assert first_item.occurred_at == datetime(2026, 11, 30, 14, 2, 11, tzinfo=UTC)
    assert left_out_of(read) == [
        ("spam", "Hello, how are you doing today?"),
        ("internal", "Checking in on the Leeds rollout."),
        ("auto-reply", "I am out of the office until 7 December."),
    ]

    globex = create_account(session, name="Globex Freight", domain="globex.example")
    report = run(
        session, actor(session, "admin"), "intercom", path, internal_domains=("ourco.com",)
    )
    attached = dict(session.execute(select(Feedback.external_id, Feedback.account_id)).all())
    assert attached == {"101": globex.id, "102": None}
    assert report.unmatched_accounts == {"Brightwater Dental": 1}


def _crisp_message(
    kind: str, by: str, content: Any, at: int, *, who: str = "Yuki Tanaka", bot: bool = False
) -> dict[str, Any]:
    return {
        "session_id": "session_1",
        "type": kind,
        "from": by,
        "origin": "urn:crisp.im:bot:0" if bot else "chat",
        "content": content,
        "timestamp": at,
        "user": {"nickname": who, "user_id": "urn:crisp.im:bot:0" if bot else "u1"},
    }


def _crisp_session(sid: str, meta: dict[str, Any], messages: list[Any]) -> dict[str, Any]:
    return {
        "session_id": sid,
        "website_id": "w1",
        "created_at": 1796087525000,
        "meta": {"subject": "", "data": {}, "segments": [], **meta},
        "messages": messages,
    }


def test_crisp_sessions_with_their_messages(session: Session, tmp_path: Path) -> None:
    """A Crisp dump: the visitor's text messages are one conversation, oldest first; the
    chatbot's topic menu and the topic the visitor picked from it, the operators' replies,
    private notes, files and events are not theirs. The company in `meta.data` is the account;
    times are Unix milliseconds; a visitor who only said hello is skipped; a workspace user
    trying the widget is a test."""
    menu = {"text": "What can we help you with?", "choices": [{"label": "A feature question"}]}
    yuki = _crisp_session(
        "session_1",
        {
            "nickname": "Yuki Tanaka",
            "email": "yuki@hooli.example",
            "data": {"company": "Hooli Cloud", "plan": "Enterprise"},
            "segments": ["enterprise"],
        },
        [
            _crisp_message("picker", "operator", menu, 1796087525000, who="Bot", bot=True),
            _crisp_message("text", "user", "A feature question", 1796087539000),
            _crisp_message(
                "text", "user", "Can a saved view be the team's default?", 1796087582000
            ),
            _crisp_message("text", "operator", "Not yet, sorry.", 1796087984000, who="Dana Lee"),
            _crisp_message("note", "operator", "Third request this month.", 1796088010000),
            _crisp_message(
                "file", "user", {"name": "a.png", "url": "https://x/a.png"}, 1796088020000
            ),
            _crisp_message("text", "user", "New hires complain about it first.", 1796088063000),
            _crisp_message("event", "operator", {"text": "Conversation resolved"}, 1796088600000),
        ],
    )
    hello = _crisp_session(
        "session_2",
        {"nickname": "visitor642", "email": None},
        [_crisp_message("text", "user", "hello 👋", 1796232044000, who="visitor642")],
    )
    trying = _crisp_session(
        "session_3",
        {"nickname": "Dana Lee", "email": "dana@ourco.com"},
        [
            _crisp_message(
                "text", "user", "testing the new chatbox colours, please ignore", 1796292900000
            )
        ],
    )
    path = tmp_path / "crisp.json"
    path.write_text(json.dumps([yuki, hello, trying], indent=1))

    read = _read("intercom", path)
    assert [(r.external_id, r.text, r.account_ref, r.contact_email) for r in read.feedback] == [
        (
            "session_1",
            "Can a saved view be the team's default?\n\nNew hires complain about it first.",
            "Hooli Cloud",
            "yuki@hooli.example",
        )
    ]
    item = read.feedback[0]
    assert item.occurred_at == datetime(2026, 12, 1, 1, 12, 5, tzinfo=UTC)
    assert item.link_url == "https://app.crisp.chat/website/w1/inbox/session_1/"
    assert item.tags == ["enterprise"]
    assert left_out_of(read) == [("test", "testing the new chatbox colours, please ignore")]
    assert read.skipped_rows == 1  # hello 👋

    hooli = create_account(session, name="Hooli Cloud", domain="hooli.example")
    run(session, actor(session, "admin"), "intercom", path, internal_domains=("ourco.com",))
    stored = session.scalars(select(Feedback)).all()
    assert [(f.external_id, f.account_id) for f in stored] == [("session_1", hooli.id)]


def test_crisp_messages_alone_are_gathered_by_session(tmp_path: Path) -> None:
    """Crisp's messages endpoint saved as it answers (`{"data": [...]}`), without the
    sessions: each session's visitor lines are one conversation."""
    path = tmp_path / "messages.json"
    path.write_text(
        json.dumps(
            {
                "error": False,
                "data": [
                    _crisp_message(
                        "text", "user", "The sync shows yesterday's prices.", 1796392102000
                    ),
                    _crisp_message("text", "operator", "Which version?", 1796392327000),
                    _crisp_message("text", "user", "4.8.2 on all of the handhelds.", 1796392410000),
                ],
            }
        )
    )
    read = _read("intercom", path)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        ("session_1", "The sync shows yesterday's prices.\n\n4.8.2 on all of the handhelds.")
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 12, 4, 13, 48, 22, tzinfo=UTC)


def test_bad_help_scout_and_crisp_records_name_their_line(session: Session, tmp_path: Path) -> None:
    """A Crisp session saved without its messages, a Help Scout conversation without a date:
    refused, each error naming its line and what to do; nothing is written."""
    admin = actor(session, "admin")
    bare = tmp_path / "sessions.json"
    sessions = [
        _crisp_session("session_1", {}, [_crisp_message("text", "user", "Exports time out.", 1)]),
        {"session_id": "session_9", "website_id": "w1", "created_at": 1796087525000},
    ]
    bare.write_text(json.dumps(sessions, indent=1))
    error = refused(session, admin, "intercom", bare).report.errors[0]
    lines = bare.read_text().splitlines()
    starts = max(n for n, line in enumerate(lines, start=1) if line == " {")  # session_9's
    assert error.column == "messages" and error.line > starts
    assert "session_9 has no messages" in error.reason
    undated = tmp_path / "helpscout.json"
    conversation = _help_scout(
        201, [_thread("customer", MARTA, "<p>The export is empty.</p>", "2026-12-01T10:00:00Z")]
    )
    undated.write_text(_help_scout_page({**conversation, "createdAt": "soon"}))
    error = refused(session, admin, "intercom", undated).report.errors[0]
    assert error.column == "createdAt"
    assert error.reason == "conversation 201: no readable createdAt (ISO 8601)"


def _author(nick: str, *roles: str, bot: bool = False, uid: str = "1") -> dict[str, Any]:
    return {
        "id": uid,
        "name": nick.split()[0].lower(),
        "nickname": nick,
        "isBot": bot,
        "roles": [{"id": str(n), "name": role} for n, role in enumerate(roles)],
    }


def _discord(mid: int, author: dict[str, Any], content: str, **more: Any) -> dict[str, Any]:
    return {
        "id": str(mid),
        "type": "Default",
        "timestamp": "2026-11-30T09:14:02.512+01:00",
        "content": content,
        "author": author,
        "attachments": [],
        "embeds": [],
        **more,
    }


def _discord_export(*messages: dict[str, Any]) -> str:
    return json.dumps(
        {
            "guild": {"id": "900", "name": "OurCo Community"},
            "channel": {"id": "555", "name": "feature-requests", "category": "FEEDBACK"},
            "dateRange": {"after": None, "before": None},
            "messages": list(messages),
            "messageCount": len(messages),
        },
        indent=1,
    )


KENJI = _author("Kenji | Acme Robotics", "Customer", uid="11")
RAFA = _author("rafa.souza", uid="14")


def test_a_discord_channel_exported_as_json(session: Session, tmp_path: Path) -> None:
    """DiscordChatExporter's JSON given to `slack`: people's messages (Default and Reply), not
    joins, thread notices or pins; the vendor's people by their staff role or a display name
    naming the vendor (internal); bots' posts and embeds (bot); a Nitro scam (spam); "+1",
    "thanks!" and an attachment alone say nothing. A reply's "> " quote of the team is cut;
    the customer's company in the display name is the account; Japanese is long enough to
    keep; times with offsets are read as UTC; each links to the message in Discord."""
    team = _author("tombecker", "OurCo Team", uid="13")
    dana = _author("Dana | OurCo", uid="12")
    path = tmp_path / "OurCo Community - feature-requests [555].json"
    path.write_text(
        _discord_export(
            _discord(1, RAFA, "", type="GuildMemberJoin"),
            _discord(2, team, "Update: we're looking at pagination for the export next sprint"),
            _discord(3, KENJI, "**Feature request:** bulk edit skips our custom fields."),
            _discord(4, _author("MEE6", bot=True), "GG @Kenji, you just advanced to level 5!"),
            _discord(5, dana, "Custom fields in bulk edit are on our list for next quarter."),
            _discord(6, RAFA, "+1", type="Reply"),
            _discord(
                7,
                RAFA,
                "> we're looking at pagination for the export next sprint\n"
                "any news? our nightly export still times out at 10k rows",
                type="Reply",
            ),
            _discord(
                8,
                _author("GitHub", bot=True),
                "",
                embeds=[{"title": "[ourco/sdk] New release published: v2.3.0", "description": ""}],
            ),
            _discord(9, RAFA, "Free Nitro + $50 USDT airdrop! Connect your crypto wallet here"),
            _discord(10, KENJI, "Mobile app ideas", type="ThreadCreated"),
            _discord(11, KENJI, "", attachments=[{"fileName": "screenshot.png"}]),
            _discord(
                12,
                _author("Haruto | Hooli Cloud", "Customer", uid="18"),
                "ダッシュボードの日付がUTCで表示されるので、毎朝9時間ずらして読んでいます。",
                timestamp="2026-12-03T09:31:27.455+09:00",
            ),
            _discord(13, RAFA, "thanks!"),
            _discord(14, dana, "", type="ChannelPinnedMessage"),
        )
    )
    read = _read("slack", path)
    assert [(r.external_id, r.text, r.contact_name) for r in read.feedback] == [
        ("555:3", "Feature request: bulk edit skips our custom fields.", "Kenji"),
        ("555:7", "any news? our nightly export still times out at 10k rows", "rafa.souza"),
        (
            "555:12",
            "ダッシュボードの日付がUTCで表示されるので、毎朝9時間ずらして読んでいます。",
            "Haruto",
        ),
    ]
    assert [(reason, text.split("\n")[0]) for reason, text in left_out_of(read)] == [
        ("internal", "Update: we're looking at pagination for the export next sprint"),
        ("bot", "GG @Kenji, you just advanced to level 5!"),
        ("internal", "Custom fields in bulk edit are on our list for next quarter."),
        ("bot", "[ourco/sdk] New release published: v2.3.0"),
        ("spam", "Free Nitro + $50 USDT airdrop! Connect your crypto wallet here"),
    ]
    first = read.feedback[0]
    assert first.link_url == "https://discord.com/channels/900/555/3"
    assert (first.title, first.tags) == ("#feature-requests", ["discord:feature-requests"])
    assert first.occurred_at == datetime(2026, 11, 30, 8, 14, 2, 512000, tzinfo=UTC)
    assert read.feedback[2].occurred_at == datetime(2026, 12, 3, 0, 31, 27, 455000, tzinfo=UTC)

    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    hooli = create_account(session, name="Hooli Cloud", domain="hooli.example")
    run(session, actor(session, "admin"), "slack", path, internal_domains=("ourco.com",))
    attached = dict(session.execute(select(Feedback.external_id, Feedback.account_id)).all())
    assert attached == {"555:3": acme.id, "555:7": None, "555:12": hooli.id}


def test_discord_exports_zipped_and_a_slack_quote(tmp_path: Path) -> None:
    """A zip of DiscordChatExporter files (one per channel) is read like one; a Slack
    message's quoted lines ("&gt; …") are someone else's words, as in Discord."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "OurCo - FEEDBACK - ideas [555].json",
            _discord_export(_discord(3, KENJI, "The bulk edit skips our custom fields.")),
        )
    path = tmp_path / "discord.zip"
    path.write_bytes(buffer.getvalue())
    read = _read("slack", path)
    assert [r.text for r in read.feedback] == ["The bulk edit skips our custom fields."]
    day = tmp_path / "2026-12-01.json"
    day.write_text(
        json.dumps(
            [
                {
                    "type": "message",
                    "user": "U1",
                    "ts": "1764580000.000100",
                    "text": "&gt; the export is paginated now\nit still stops at 10k rows for us",
                }
            ]
        )
    )
    read = _read("slack", day)
    assert [r.text for r in read.feedback] == ["it still stops at 10k rows for us"]


def test_broken_discord_exports_are_refused(session: Session, tmp_path: Path) -> None:
    """DiscordChatExporter's default HtmlDark format handed to `slack` is refused at line 1,
    saying it is an HTML page and which JSON slack reads; a JSON export cut short is refused
    at the line where it ends. Nothing is written."""
    admin = actor(session, "admin")
    page = tmp_path / "OurCo Community - feature-requests [555].html"
    page.write_text("<!DOCTYPE html>\n<html lang=en>\n<head><title>OurCo</title></head></html>\n")
    error = refused(session, admin, "slack", page).report.errors[0]
    assert error.line == 1
    assert "is an HTML page, not JSON" in error.reason
    assert "DiscordChatExporter's JSON" in error.reason
    whole = _discord_export(*(_discord(n, KENJI, f"Bulk edit skips field {n}.") for n in range(9)))
    cut = tmp_path / "cut.json"
    cut.write_text(whole[: len(whole) // 2])
    error = refused(session, admin, "slack", cut).report.errors[0]
    assert error.line == cut.read_text().count("\n") + 1
    assert "truncated" in error.reason


def test_a_chat_servers_scam_and_what_is_too_short_to_be_evidence() -> None:
    from huddle.connectors.noise import spam
    from huddle.connectors.slack import too_short, unquoted

    assert spam("Free Nitro for the first 100 members, connect your wallet to claim")
    assert not spam("Can the mobile app connect your wallet card to the expense report?")

    assert too_short("+1") and too_short("thanks!") and too_short("ありがとう")
    assert not too_short("チームごとにタイムゾーンを設定したい")
    assert not too_short("the export times out")
    assert unquoted("> quoted\nmine\n>>> all\nof this") == "mine"
