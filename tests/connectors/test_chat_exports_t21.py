"""Chat tools' exports as the t21 tuning files showed them, read through `slack`: Mattermost's
bulk export (JSON lines, alone or zipped) and Telegram Desktop's result.json (one chat, or a
whole account's). Each rule on a small file of its own, so a change that breaks one names it."""

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


def _read(path: Path, options: ConnectorOptions = OURS) -> ConnectorOutput:
    return read_clean("slack", path, options)


def _items(read: ConnectorOutput) -> list[tuple[str, str | None, str | None]]:
    return [(r.text, r.contact_email, r.contact_name) for r in read.feedback]


# Mattermost ------------------------------------------------------------------------------


def _user(username: str, email: str, first: str, last: str, roles: str) -> dict[str, Any]:
    return {
        "type": "user",
        "user": {
            "username": username,
            "email": email,
            "first_name": first,
            "last_name": last,
            "roles": roles,
            "teams": [{"name": "ourco", "roles": "team_user", "channels": [{"name": "ext-acme"}]}],
        },
    }


def _post(user: str, message: str, at: int, **more: Any) -> dict[str, Any]:
    return {"user": user, "type": None, "message": message, "props": {}, "create_at": at, **more}


MATTERMOST_LINES: list[dict[str, Any]] = [
    {"type": "version", "version": 1, "info": {"generator": "mattermost-server"}},
    {"type": "team", "team": {"name": "ourco", "display_name": "OurCo", "type": "I"}},
    {
        "type": "channel",
        "channel": {"team": "ourco", "name": "ext-acme", "display_name": "Acme", "type": "P"},
    },
    _user("dana", "dana@ourco.com", "Dana", "Lee", "system_admin system_user"),
    _user("kenji.w", "kenji@acme.example", "Kenji", "Watanabe", "system_guest"),
    {"type": "bot", "bot": {"username": "deploys", "display_name": "Deploys", "owner": "dana"}},
    {
        "type": "post",
        "post": {
            "team": "ourco",
            "channel": "ext-acme",
            **_post("kenji.w", "kenji.w joined the channel.", 1795420931000),
            "type": "system_join_channel",
        },
    },
    {
        "type": "post",
        "post": {
            "team": "ourco",
            "channel": "ext-acme",
            **_post("kenji.w", "The **fleet map** freezes after twenty minutes.", 1795506510000),
            "replies": [
                _post("dana", "Thanks Kenji, I can reproduce that on Chrome.", 1795507512000),
                _post("kenji.w", "> freezes\nWe reload it by hand every hour.", 1795507907000),
                _post("kenji.w", "+1", 1795507999000),
            ],
        },
    },
    {
        "type": "post",
        "post": {
            "team": "ourco",
            "channel": "ext-acme",
            **_post("dana", "", 1796094764000),
            "props": {
                "from_webhook": "true",
                "override_username": "Statuspage",
                "attachments": [{"title": "Delayed telemetry ingestion", "text": "Fixed now."}],
            },
        },
    },
    {
        "type": "post",
        "post": {
            "team": "ourco",
            "channel": "ext-acme",
            **_post("deploys", "Release 4.2 is rolling out to every region today.", 1796100000000),
        },
    },
    {
        "type": "post",
        "post": {
            "team": "ourco",
            "channel": "ext-acme",
            **_post("dana", "Maintenance on Saturday from 02:00 to 04:00 UTC.", 1796200000000),
            "replies": [_post("kenji.w", "Thanks Dana, Saturday works for us.", 1796200100000)],
        },
    },
    {"type": "direct_channel", "direct_channel": {"members": ["dana", "kenji.w"]}},
    {
        "type": "direct_post",
        "direct_post": {
            "channel_members": ["dana", "kenji.w"],
            **_post("kenji.w", "Our CTO wants SSO with Okta before the renewal.", 1796301610000),
        },
    },
]


def _jsonl(path: Path, lines: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_mattermost_bulk_export(tmp_path: Path) -> None:
    """A Mattermost bulk export: posts and the replies nested in them are each a message;
    the users' emails and names tell the vendor's people; a join is Mattermost's notice, a
    "+1" says nothing, a quote is someone else's words; a webhook's post (under the admin who
    made it) and a bot user's post are a bot's; a reply only thanking the vendor for their own
    post is skipped; a direct message is read like a channel's. Times are milliseconds."""
    read = _read(_jsonl(tmp_path / "export.jsonl", MATTERMOST_LINES))
    assert _items(read) == [
        ("The fleet map freezes after twenty minutes.", "kenji@acme.example", "Kenji Watanabe"),
        ("We reload it by hand every hour.", "kenji@acme.example", "Kenji Watanabe"),
        ("Our CTO wants SSO with Okta before the renewal.", "kenji@acme.example", "Kenji Watanabe"),
    ]
    assert left_out_of(read) == [
        ("internal", "Thanks Kenji, I can reproduce that on Chrome."),
        ("bot", "Delayed telemetry ingestion\nFixed now."),
        ("bot", "Release 4.2 is rolling out to every region today."),
        ("internal", "Maintenance on Saturday from 02:00 to 04:00 UTC."),
    ]
    assert [o.record.contact_name for o in read.left_out][1:3] == ["Statuspage", "Deploys"]
    assert read.skipped_rows == 1  # the thanks for the vendor's own post
    first, reply, direct = read.feedback
    assert first.occurred_at == datetime(2026, 11, 24, 7, 48, 30, tzinfo=UTC)
    assert (first.title, first.tags) == ("#ext-acme", ["mattermost:ext-acme"])
    assert reply.external_id != first.external_id
    assert direct.title == "#dm:dana+kenji.w"
    assert first.link_url is None


def test_mattermost_zip_links_with_a_server(tmp_path: Path) -> None:
    """`mmctl export create --attachments` gives a zip of the JSON lines and the files; with
    `--workspace` naming the server, a channel's posts link to the channel."""
    lines = _jsonl(tmp_path / "export.jsonl", MATTERMOST_LINES)
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.write(lines, "import.jsonl")
        zipped.writestr("data/attachments/screenshot.png", b"\x89PNG\r\n")
    options = ConnectorOptions(internal_domains=("ourco.com",), workspace="chat.ourco.com")
    read = _read(archive, options)
    assert [r.link_url for r in read.feedback] == [
        "https://chat.ourco.com/ourco/channels/ext-acme",
        "https://chat.ourco.com/ourco/channels/ext-acme",
        None,  # a direct message has no team to link through
    ]


def test_broken_mattermost_export_is_refused(session: Session, tmp_path: Path) -> None:
    """A line cut short is refused by its number, nothing imported."""
    path = _jsonl(tmp_path / "export.jsonl", MATTERMOST_LINES[:7])
    with path.open("a") as handle:
        handle.write('{"type":"post","post":{"team":"ourco","channel":"ext-acme","mess\n')
    error = refused(session, actor(session, "admin"), "slack", path).report.errors[0]
    assert error.line == 8
    assert "export.jsonl: the line is not valid JSON" in error.reason


# Telegram --------------------------------------------------------------------------------


def _message(number: int, sender: str, text: Any, **more: Any) -> dict[str, Any]:
    at = 1794218531 + number * 60
    return {
        "id": number,
        "type": "message",
        "date": "2026-11-09T11:02:11",
        "date_unixtime": str(at),
        "from": sender,
        "from_id": f"user{sum(map(ord, sender))}",
        "text": text,
        **more,
    }


GROUP_MESSAGES: list[dict[str, Any]] = [
    {
        "id": 1,
        "type": "service",
        "date": "2026-11-09T11:02:11",
        "actor": "Sam Ortiz",
        "action": "invite_members",
        "members": ["Giulia Ferraro"],
        "text": "Sam Ortiz invited Giulia Ferraro to the group",
    },
    _message(2, "Sam Ortiz", "Welcome Giulia! Ask us anything about the customs module here."),
    _message(
        3,
        "Giulia Ferraro",
        [
            "We tried the ",
            {"type": "bold", "text": "customs pre-check"},
            " and it caught three wrong codes.",
            {"type": "blockquote", "text": "Someone else's words about invoices"},
        ],
    ),
    _message(
        4,
        "Giulia Ferraro",
        "Labels print twice when a shipment is split.",
        forwarded_from="Dario Russo",
        edited="2026-11-09T11:10:00",
    ),
    _message(5, "Giulia Ferraro", "", media_type="sticker", sticker_emoji="😩"),
    _message(6, "Giulia Ferraro", "Funny cat typing very fast", via_bot="@gif"),
    _message(7, "OurCo Status", "All systems operational again after the filing delay."),
    _message(8, "Giulia Ferraro", "thanks!", reply_to_message_id=2),
]


def _chat(messages: list[dict[str, Any]], **more: Any) -> dict[str, Any]:
    return {
        "name": "OurCo & Vandelay Imports",
        "type": "private_supergroup",
        "id": 1987654321,
        "messages": messages,
        **more,
    }


def test_telegram_chat_export(tmp_path: Path) -> None:
    """One chat's result.json: a message's text as a string or as strings and entities (a
    blockquote left out); service messages (whatever their text), stickers and a bare "thanks!"
    say nothing; an
    inline bot's GIF and the vendor's status account ("OurCo Status") are a bot's; the
    workspace's people by name are internal; a forwarded message is its sender's. A
    supergroup's messages link to t.me; times are the Unix ones."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_chat(GROUP_MESSAGES), indent=1, ensure_ascii=False))
    read = _read(path)
    assert _items(read) == [
        ("We tried the customs pre-check and it caught three wrong codes.", None, "Giulia Ferraro"),
        ("Labels print twice when a shipment is split.", None, "Giulia Ferraro"),
    ]
    assert left_out_of(read) == [
        ("internal", "Welcome Giulia! Ask us anything about the customs module here."),
        ("bot", "Funny cat typing very fast"),
        ("bot", "All systems operational again after the filing delay."),
    ]
    first = read.feedback[0]
    assert first.link_url == "https://t.me/c/1987654321/3"
    assert first.occurred_at == datetime.fromtimestamp(1794218531 + 180, UTC)
    assert first.mentions == ("OurCo & Vandelay Imports",)


def test_telegram_group_title_names_the_account(session: Session, tmp_path: Path) -> None:
    """No email in Telegram: a customer's message is attached to the account the group's
    title names; a basic group's messages have no link."""
    vandelay = create_account(session, name="Vandelay Imports", domain="vandelay.example")
    path = tmp_path / "result.json"
    said = [_message(3, "Giulia Ferraro", "Labels print twice when a shipment is split.")]
    path.write_text(json.dumps(_chat(said, type="private_group")))
    run(session, actor(session, "admin"), "slack", path, **_options())
    stored = session.scalars(select(Feedback)).all()
    assert [(f.text, f.account_id, f.link_url) for f in stored] == [
        ("Labels print twice when a shipment is split.", vandelay.id, None)
    ]


def _options() -> dict[str, object]:
    return {"internal_domains": ("ourco.com",), "staff_names": ("Sam Ortiz",)}


def test_telegram_account_export(tmp_path: Path) -> None:
    """Telegram's "Export Telegram data": chats under `chats.list` (and those left under
    `left_chats.list`); the account's owner is one of the vendor's people whatever their name,
    and whatever is said in a chat with a bot is the bot's."""
    owner = {"from": "Pat Quinn", "from_id": "user42"}
    data = {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 42, "first_name": "Pat", "last_name": "Quinn"},
        "contacts": {"about": "", "list": [{"first_name": "Giulia", "user_id": 7}]},
        "chats": {
            "about": "",
            "list": [
                _chat(
                    [
                        _message(
                            1, "Giulia Ferraro", "The export to Zucchetti drops the VAT line."
                        ),
                        {
                            **_message(2, "x", "Thanks, we are looking at the VAT line now."),
                            **owner,
                        },
                    ]
                ),
                {
                    "name": "Weather Helper",
                    "type": "bot_chat",
                    "id": 555,
                    "messages": [
                        {**_message(1, "x", "What is the forecast for Milan tomorrow?"), **owner},
                        _message(2, "Weather Helper", "Sunny with light wind over the city."),
                    ],
                },
            ],
        },
        "left_chats": {
            "about": "",
            "list": [
                {
                    "name": "Hooli Beta",
                    "type": "private_group",
                    "id": 77,
                    "messages": [_message(9, "Lucie Moreau", "The inline diff saves us a trip.")],
                }
            ],
        },
    }
    path = tmp_path / "result.json"
    path.write_text(json.dumps(data, indent=1))
    read = _read(path, ConnectorOptions(internal_domains=("ourco.com",)))
    assert [(r.text, r.title) for r in read.feedback] == [
        ("The export to Zucchetti drops the VAT line.", "#OurCo & Vandelay Imports"),
        ("The inline diff saves us a trip.", "#Hooli Beta"),
    ]
    assert left_out_of(read) == [
        ("internal", "Thanks, we are looking at the VAT line now."),
        ("internal", "What is the forecast for Milan tomorrow?"),
        ("bot", "Sunny with light wind over the city."),
    ]


def test_broken_telegram_export_is_refused(session: Session, tmp_path: Path) -> None:
    """A result.json cut short is refused, nothing imported."""
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_chat(GROUP_MESSAGES), indent=1)[:900])
    error = refused(session, actor(session, "admin"), "slack", path).report.errors[0]
    assert "ends in the middle" in error.reason
