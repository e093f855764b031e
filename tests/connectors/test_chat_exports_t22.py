"""Office suites' chat as the t22 tuning files showed them, read through `slack`: Google
Chat's Takeout and Microsoft Teams' messages saved from Microsoft Graph. Each rule on a small
file of its own, so a change that breaks one names it."""

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


def _options() -> dict[str, object]:
    return {"internal_domains": ("ourco.com",), "staff_names": ("Dana Lee", "Sam Ortiz")}


# Google Chat -----------------------------------------------------------------------------

DANA = {"name": "Dana Lee", "email": "dana@ourco.com", "user_type": "Human"}
KENJI = {"name": "Kenji Watanabe", "email": "kenji@acme.example", "user_type": "Human"}


def _said(
    creator: dict[str, Any], text: str | None, topic: str, number: int, **more: Any
) -> dict[str, Any]:
    message: dict[str, Any] = {
        "creator": creator,
        # Takeout writes a narrow no-break space before AM/PM.
        "created_date": f"Tuesday, December 1, 2026 at 2:0{number}:00\u202fPM UTC",
        "topic_id": topic,
        "message_id": f"AAAAspace/{topic}/m{number}",
        **more,
    }
    if text is not None:
        message["text"] = text
    return message


def _takeout(path: Path, messages: list[dict[str, Any]], name: str | None) -> Path:
    folder = "Takeout/Google Chat/Groups/Space AAAAspace"
    info: dict[str, Any] = {"members": [DANA, KENJI]}
    if name is not None:
        info["name"] = name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Takeout/archive_browser.html", "<html><body>Google Chat</body></html>")
        archive.writestr(f"{folder}/group_info.json", json.dumps(info))
        archive.writestr(f"{folder}/messages.json", json.dumps({"messages": messages}))
        archive.writestr(
            "Takeout/Google Chat/Users/User 1/user_info.json", json.dumps({"user": DANA})
        )
    return path


def test_google_chat_takeout(tmp_path: Path) -> None:
    """A space's messages: the vendor's by email internal, an app's (`user_type` Bot) a bot's,
    a deleted one skipped, a quote-reply without the message it quotes, a customer's "thanks"
    in a thread the vendor opened skipped; dates written for people read as UTC."""
    path = _takeout(
        tmp_path / "takeout.zip",
        [
            _said(DANA, "Welcome, Acme team! Post anything about the rollout here.", "t1", 1),
            _said(KENJI, "Thanks Dana, glad to be here with the team", "t1", 2),
            _said(KENJI, "The scanner app logs everyone out at midnight every day.", "t2", 3),
            _said(DANA, "Which sites see it most often today?", "t2", 4),
            _said(
                KENJI,
                "Both warehouses, and the night shift loses their picks.",
                "t2",
                5,
                quoted_message_metadata={"creator": DANA, "text": "Which sites see it most?"},
            ),
            _said(
                {"name": "Jira Cloud", "user_type": "Bot"},
                "Dana Lee created SCAN-12: Scanner logs out at midnight",
                "t2",
                6,
            ),
            _said(KENJI, None, "t3", 7, deletion_metadata={"deletion_type": "CREATOR"}),
        ],
        "OurCo / Acme Robotics",
    )
    read = _read(path)
    assert [(r.text, r.contact_email, r.occurred_at, r.title) for r in read.feedback] == [
        (
            "The scanner app logs everyone out at midnight every day.",
            "kenji@acme.example",
            datetime(2026, 12, 1, 14, 3, tzinfo=UTC),
            "#OurCo / Acme Robotics",
        ),
        (
            "Both warehouses, and the night shift loses their picks.",
            "kenji@acme.example",
            datetime(2026, 12, 1, 14, 5, tzinfo=UTC),
            "#OurCo / Acme Robotics",
        ),
    ]
    assert left_out_of(read) == [
        ("internal", "Welcome, Acme team! Post anything about the rollout here."),
        ("internal", "Which sites see it most often today?"),
        ("bot", "Dana Lee created SCAN-12: Scanner logs out at midnight"),
    ]
    assert read.skipped_rows == 1  # the thanks in Dana's thread


def test_google_chat_space_name_names_the_account(session: Session, tmp_path: Path) -> None:
    """A customer without an email is attached to the account the space's name names."""
    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    guest = {"name": "Ines Carvalho", "user_type": "Human"}
    said = [_said(guest, "Exports stop at ten thousand rows, we need all of them.", "t1", 1)]
    path = _takeout(tmp_path / "takeout.zip", said, "OurCo / Acme Robotics")
    run(session, actor(session, "admin"), "slack", path, **_options())
    stored = session.scalars(select(Feedback)).all()
    assert [(f.text, f.account_id) for f in stored] == [
        ("Exports stop at ten thousand rows, we need all of them.", acme.id)
    ]


def test_google_chat_messages_file_alone(session: Session, tmp_path: Path) -> None:
    """A space's messages.json given alone still reads the group_info.json beside it."""
    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    folder = tmp_path / "Space AAAAspace"
    folder.mkdir()
    (folder / "group_info.json").write_text(json.dumps({"name": "OurCo / Acme Robotics"}))
    guest = {"name": "Ines Carvalho", "user_type": "Human"}
    said = [_said(guest, "Exports stop at ten thousand rows, we need all of them.", "t1", 1)]
    (folder / "messages.json").write_text(json.dumps({"messages": said}))
    run(session, actor(session, "admin"), "slack", folder / "messages.json", **_options())
    assert [f.account_id for f in session.scalars(select(Feedback))] == [acme.id]


def test_google_chat_dm_names_no_account(session: Session, tmp_path: Path) -> None:
    """A DM (no space name) names no company: its customer stays unattached."""
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    guest = {"name": "Ines Carvalho", "user_type": "Human"}
    said = [_said(guest, "Exports stop at ten thousand rows, we need all of them.", "t1", 1)]
    run(
        session,
        actor(session, "admin"),
        "slack",
        _takeout(tmp_path / "takeout.zip", said, None),
        **_options(),
    )
    assert [f.account_id for f in session.scalars(select(Feedback))] == [None]


def test_broken_google_chat_takeout_is_refused(session: Session, tmp_path: Path) -> None:
    undated = _said(KENJI, "The scanner app logs everyone out at midnight.", "t1", 1)
    del undated["created_date"]
    path = _takeout(tmp_path / "takeout.zip", [undated], "OurCo / Acme Robotics")
    error = refused(session, actor(session, "admin"), "slack", path).report.errors[0]
    assert "created_date" in error.reason


# Microsoft Teams -------------------------------------------------------------------------

OUR_TENANT, THEIR_TENANT = "tenant-ourco", "tenant-hooli"
CHANNEL = "19:abc@thread.tacv2"
URL = (
    "https://teams.microsoft.com/l/message/19%3Aabc%40thread.tacv2/{id}?tenantId=tenant-ourco"
    "&parentMessageId={id}&teamName=OurCo%20Customers&channelName=Hooli%20Cloud%20(shared)"
)


def _person(name: str, tenant: str) -> dict[str, Any]:
    user = {"id": name.lower(), "displayName": name, "tenantId": tenant}
    return {"application": None, "device": None, "user": user}


def _message(number: int, sender: dict[str, Any] | None, html: str, **more: Any) -> dict[str, Any]:
    return {
        "id": str(number),
        "replyToId": None,
        "messageType": "message",
        "createdDateTime": f"2026-12-01T10:0{number}:00.000Z",
        "deletedDateTime": None,
        "webUrl": URL.format(id=number),
        "from": sender,
        "body": {"contentType": "html", "content": html},
        "channelIdentity": {"teamId": "team-1", "channelId": CHANNEL},
        "attachments": [],
        "replies": [],
        **more,
    }


TEAMS_PAGE = [
    _message(
        1,
        # A tool may keep the event's words and its initiator: still Teams' notice.
        _person("Mei Tanaka (Guest)", THEIR_TENANT),
        "<p>Mei Tanaka (Guest) joined the shared channel this morning</p>",
        messageType="systemEventMessage",
        eventDetail={"@odata.type": "#microsoft.graph.membersAddedEventMessageDetail"},
    ),
    _message(
        2,
        _person("Mei Tanaka (Guest)", THEIR_TENANT),
        "<p>Our finance team can&#39;t reconcile invoices without the cost-centre field.</p>",
        replies=[
            {
                **_message(3, _person("Dana Lee", OUR_TENANT), "<p>We'll check with engineering."),
                "replyToId": "2",
            },
            {
                # Not a workspace user, but of Dana's tenant and no guest: one of the vendor's.
                **_message(
                    4, _person("Lee Park", OUR_TENANT), "<p>Engineering has it on the list.</p>"
                ),
                "replyToId": "2",
            },
            {
                # A guest account lives in the host's tenant: still from outside.
                **_message(
                    8,
                    _person("Kenji Watanabe | Acme Robotics (Guest)", OUR_TENANT),
                    "<p>We see the same gap in our invoice exports.</p>",
                ),
                "replyToId": "2",
            },
        ],
    ),
    _message(
        5,
        _person("Mei Tanaka (Guest)", THEIR_TENANT),
        '<attachment id="2"></attachment><p><at id="0">Dana Lee</at>&nbsp;any date for the '
        "cost-centre field? Month-end close is on the 4th.</p>",
        attachments=[
            {
                "id": "2",
                "contentType": "messageReference",
                "content": json.dumps({"messageId": "2", "messagePreview": "Our finance team…"}),
            }
        ],
    ),
    _message(
        6,
        _person("Mei Tanaka (Guest)", THEIR_TENANT),
        "<p>Please ignore the message I posted a minute ago</p>",
        deletedDateTime="2026-12-01T10:07:00Z",
    ),
    _message(
        7,
        {"application": {"displayName": "Workflows", "applicationIdentityType": "bot"}},
        "",
        attachments=[
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "content": json.dumps(
                    {
                        "type": "AdaptiveCard",
                        "body": [{"type": "TextBlock", "text": "New ticket #77 from Mei Tanaka"}],
                    }
                ),
            }
        ],
    ),
]


def test_teams_channel_messages(tmp_path: Path) -> None:
    """A Graph page: system events and deleted messages skipped, HTML read as words (a
    mention as the name, the quoted message's attachment left out), an app's card a bot's;
    the vendor's people by name, then anyone of their tenant who is no guest."""
    path = tmp_path / "messages.json"
    path.write_text(
        json.dumps(
            {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata", "value": TEAMS_PAGE}
        )
    )
    read = _read(path)
    assert [(r.text, r.contact_name, r.link_url, r.external_id, r.tags) for r in read.feedback] == [
        (
            "Our finance team can't reconcile invoices without the cost-centre field.",
            "Mei Tanaka",
            URL.format(id=2),
            f"{CHANNEL}:2",
            ["teams:hooli cloud (shared)"],
        ),
        (
            "We see the same gap in our invoice exports.",
            "Kenji Watanabe",
            URL.format(id=8),
            f"{CHANNEL}:8",
            ["teams:hooli cloud (shared)"],
        ),
        (
            "Dana Lee any date for the cost-centre field? Month-end close is on the 4th.",
            "Mei Tanaka",
            URL.format(id=5),
            f"{CHANNEL}:5",
            ["teams:hooli cloud (shared)"],
        ),
    ]
    assert left_out_of(read) == [
        ("internal", "We'll check with engineering."),
        ("internal", "Engineering has it on the list."),
        ("bot", "New ticket #77 from Mei Tanaka"),
    ]


def test_teams_list_alone(tmp_path: Path) -> None:
    """The `value` list saved without its page around it reads the same."""
    path = tmp_path / "messages.json"
    path.write_text(json.dumps(TEAMS_PAGE))
    assert len(_read(path).feedback) == 3


def test_teams_channel_name_names_the_account(session: Session, tmp_path: Path) -> None:
    """No emails in Graph: a guest's message is attached to the account the channel's name
    (in `webUrl`) names."""
    hooli = create_account(session, name="Hooli Cloud", domain="hooli.example")
    path = tmp_path / "messages.json"
    path.write_text(json.dumps({"value": [{**TEAMS_PAGE[1], "replies": []}]}))
    run(session, actor(session, "admin"), "slack", path, **_options())
    stored = session.scalars(select(Feedback)).all()
    assert [(f.text, f.account_id) for f in stored] == [
        ("Our finance team can't reconcile invoices without the cost-centre field.", hooli.id)
    ]


def test_teams_guest_name_names_the_account(session: Session, tmp_path: Path) -> None:
    """A guest's display name naming their company ("Kenji | Acme Robotics (Guest)") names
    the account before the channel does."""
    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    path = tmp_path / "messages.json"
    path.write_text(json.dumps({"value": TEAMS_PAGE[1]["replies"][2:]}))
    run(session, actor(session, "admin"), "slack", path, **_options())
    stored = session.scalars(select(Feedback)).all()
    assert [(f.text, f.account_id) for f in stored] == [
        ("We see the same gap in our invoice exports.", acme.id)
    ]


def test_broken_teams_page_is_refused(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "messages.json"
    path.write_text(json.dumps({"value": TEAMS_PAGE})[:-400])
    error = refused(session, actor(session, "admin"), "slack", path).report.errors[0]
    assert "truncated" in error.reason
