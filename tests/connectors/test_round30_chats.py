"""Round 30's chat shapes, each on a small input of its own: Re:amaze's messages and
conversations API (read by `intercom`) and Skype's exported messages.json, alone or in the
.tar Skype's download is (read by `slack`)."""

import json
import tarfile
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
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


# Re:amaze ------------------------------------------------------------------------------------


def _conversation(slug: str, author: tuple[str, str], status: int = 0, **data: str) -> Any:
    name, email = author
    return {
        "slug": slug,
        "subject": slug.replace("-", " "),
        "created_at": "2026-12-01T09:00:00.000Z",
        "status": status,
        "category": {"name": "Live Chat", "slug": "live-chat", "channel": 6},
        "author": {"id": 1, "name": name, "email": email, "data": data},
        "tag_list": ["dashboard"],
        "perma_url": f"https://ourco.reamaze.com/admin/conversations/{slug}",
    }


def _message(
    n: int, conversation: Any, user: tuple[str, str, bool | None], body: str, **more: Any
) -> Any:
    """Message `n` of a conversation, `n` minutes after 09:00 UTC on 2026-12-01."""
    name, email, staff = user
    who: dict[str, Any] = {"name": name, "email": email}
    if staff is not None:
        who["staff?"] = staff
    return {
        "id": 1000 + n,
        "body": body,
        "created_at": f"2026-12-01T09:{n:02d}:00.000Z",
        "visibility": 0,
        "origin_id": None,
        "user": who,
        "attachments": [],
        "conversation": conversation,
        **more,
    }


HECTOR = ("Hector Ruiz", "hector@globex.example", False)
NADIA = ("Nadia Petrov", "nadia.ops@gmail.com", False)
KELSEY = ("Kelsey Dunn", "kelsey@ourco.com", True)
# An integration's or Re:amaze's own notes: no email, no staff flag.
ROBOT = ("Shopify", "", None)


def test_reamaze_messages_are_the_customers_words_by_conversation(
    session: Session, tmp_path: Path
) -> None:
    """A page of Re:amaze's messages (newest first, each with its conversation nested) reads
    as one item per conversation: the customer's messages oldest first, without staff
    replies, internal notes, Re:amaze's collision notice or a closing "ok thanks"; the
    author's custom data names the company (a gmail.com customer's too), an unknown one is
    listed unattached; a conversation filed as spam is spam; one only a teammate wrote to
    try the widget is a test."""
    create_account(session, name="Globex Freight", domain="globex.example")
    create_account(session, name="Umbrella Retail", domain="umbrella.example")
    depot = _conversation("depot-filter", HECTOR[:2], status=2)
    alerts = _conversation("price-alerts", NADIA[:2], company="Umbrella Retail")
    families = _conversation(
        "family-access", ("Grace Holloway", "grace@pinegrove.example"), company="Pinegrove Living"
    )
    spam = _conversation("passive-income", ("Wealth Desk", "vip@wealth.example"), status=3)
    widget = _conversation("widget-test", KELSEY[:2])
    page = {
        "page_size": 30,
        "page_count": 1,
        "total_count": 9,
        "messages": [
            _message(9, depot, HECTOR, "ok thanks"),
            _message(8, depot, ROBOT, "Order 4471 refunded by the Shopify app.", visibility=1),
            _message(7, depot, ROBOT, "Kelsey is also replying to this customer", visibility=2),
            _message(6, depot, KELSEY, "<p>Sorry about that, engineering is on it.</p>"),
            _message(5, depot, HECTOR, "is there any way to pin a default depot?"),
            _message(4, depot, HECTOR, "the exceptions dashboard keeps resetting my filter"),
            _message(3, alerts, NADIA, "<div>We need an alert when a store misses a price change.</div>"),
            _message(2, families, ("Grace Holloway", "grace@pinegrove.example", False),
                     "Could families get read-only access to visit schedules?"),
            _message(1, spam, ("Wealth Desk", "vip@wealth.example", False),
                     "Earn 300% passive income with our AI crypto trading bot, claim your bonus"),
            _message(0, widget, KELSEY, "testing the new chat widget colours, please ignore"),
        ],
    }  # fmt: skip
    path = write_json(tmp_path / "reamaze_messages.json", page)
    report = run(
        session, actor(session, "admin"), "intercom", path, internal_domains=("ourco.com",)
    )
    assert came_in(session, report) == [
        (
            "the exceptions dashboard keeps resetting my filter\n\n"
            "is there any way to pin a default depot?",
            "Globex Freight",
        ),
        ("We need an alert when a store misses a price change.", "Umbrella Retail"),
        ("Could families get read-only access to visit schedules?", None),
    ]
    assert report.unmatched_accounts == {"Pinegrove Living": 1}
    assert sorted(left_out_by_run(session, report)) == [
        ("spam", "Earn 300% passive income with our AI crypto trading bot, claim your bonus"),
        ("test", "testing the new chat widget colours, please ignore"),
    ]
    read = read_clean("intercom", path, OURS)
    depot_item = read.feedback[0]
    assert (depot_item.external_id, str(depot_item.occurred_at), depot_item.title) == (
        "depot-filter",
        "2026-12-01 09:00:00+00:00",
        "depot filter",
    )
    assert depot_item.link_url == "https://ourco.reamaze.com/admin/conversations/depot-filter"
    assert depot_item.tags == ["dashboard"]


def test_reamaze_pages_lines_and_conversations(tmp_path: Path) -> None:
    """Pages a script gathered in an array (a message both hold read once), one message a
    line, and the conversations API: each conversation with its messages nested, or only
    its opening and the customer's last message. Without Re:amaze's `staff?` flag (older
    answers), the author and their colleagues are the customer's side, others the team."""
    depot = _conversation("depot-filter", HECTOR[:2])
    first = _message(1, depot, HECTOR, "the dashboard keeps resetting my filter")
    second = _message(2, depot, ("Kelsey Dunn", "kelsey@ourco.com", None), "Looking into it.")
    third = _message(3, depot, ("Ana Ruiz", "ana@globex.example", None), "Same for our depot.")
    pages = [{"page_count": 2, "messages": [second, first]}, {"messages": [third, first]}]
    gathered = read_clean("intercom", write_json(tmp_path / "pages.json", pages), OURS)
    expected = "the dashboard keeps resetting my filter\n\nSame for our depot."
    assert [r.text for r in gathered.feedback] == [expected]
    lines = tmp_path / "messages.jsonl"
    lines.write_text("\n".join(json.dumps(m) for m in (third, second, first, first)) + "\n")
    assert [r.text for r in read_clean("intercom", lines, OURS).feedback] == [expected]

    nested = _conversation("terraform", ("Marcus Webb", "marcus@hooli.example"), company="Hooli")
    nested["messages"] = [
        {k: v for k, v in m.items() if k != "conversation"}
        for m in (
            _message(2, None, ("Sam Ortiz", "sam@ourco.com", True), "Not yet, on the roadmap."),
            _message(1, None, ("Marcus Webb", "marcus@hooli.example", False),
                     "Do you have a Terraform provider?"),
        )
    ]  # fmt: skip
    listed = _conversation("sso", ("Ines Park", "ines@initech.example"))
    listed["message"] = {"body": "Does SSO work with Okta?"}
    listed["last_customer_message"] = {"body": "Also SCIM provisioning, please."}
    conversations = {"page_size": 30, "page_count": 1, "conversations": [nested, listed]}
    read = read_clean("intercom", write_json(tmp_path / "conversations.json", conversations), OURS)
    assert [(r.text, r.account_ref, r.contact_email) for r in read.feedback] == [
        ("Do you have a Terraform provider?", "Hooli", "marcus@hooli.example"),
        (
            "Does SSO work with Okta?\n\nAlso SCIM provisioning, please.",
            None,
            "ines@initech.example",
        ),
    ]


# Skype ---------------------------------------------------------------------------------------

OWNER = "live:.cid.5d9f0c1e2b3a4d67"
# The vendor known by its domain alone: the export's owner (Dana Lee) is known as its owner.
VENDOR = ConnectorOptions(internal_domains=("ourco.com",))


def _skype(n: int, sender: str, shown: str | None, content: str, **more: Any) -> Any:
    """Skype message `n`, `n` minutes after 15:00 UTC on 2026-12-01."""
    return {
        "id": str(1796137200000 + n * 60000),
        "displayName": shown,
        "originalarrivaltime": f"2026-12-01T15:{n:02d}:00.000Z",
        "messagetype": more.pop("messagetype", "RichText"),
        "version": 1796137200000 + n * 60000,
        "content": content,
        "conversationid": "19:abc@thread.skype",
        "from": sender,
        "properties": more.pop("properties", None),
        "amsreferences": None,
    }


def _skype_export() -> Any:
    group = [
        _skype(0, f"8:{OWNER}", None, "<addmember><target>8:live:marco</target></addmember>",
               messagetype="ThreadActivity/AddMember"),
        _skype(1, "8:live:rita", "Rita Vasquez",
               "Morning all! Marco runs our warehouse systems, he&apos;ll chime in"),
        _skype(2, "8:live:marco", "Marco Bianchi",
               "The scanner app logs people out after 30 seconds <ss type=\"facepalm\">(facepalm)</ss>"),
        _skype(3, f"8:{OWNER}", "Dana Lee", "Thanks Marco, can you send a screenshot?"),
        _skype(4, "8:live:marco", "Marco Bianchi",
               '<URIObject type="Picture.1">To view this shared photo, go to: <a href="x">x</a>'
               "</URIObject>", messagetype="RichText/UriObject"),
        _skype(5, "8:live:marco", None,
               '<quote author="live:.cid.5d9f" authorname="Dana Lee">Thanks Marco, can you '
               "send a screenshot?</quote>That&apos;s the one: the camera takes 3 seconds to "
               "focus &amp; the queue backs up."),
        _skype(6, "8:live:sam.ortiz", "Sam Ortiz (OurCo)", "The NetSuite beta opens next week."),
        _skype(7, "8:live:rita", "Rita Vasquez", "", properties={"deletetime": "1796137700000"}),
        _skype(8, "28:4c7e1a2b", "OurCo Status", "<b>[Resolved]</b> Scanner sign-in delays"),
        _skype(9, f"8:{OWNER}", None, '<partlist type="ended"><part identity="x"/></partlist>',
               messagetype="Event/Call"),
        _skype(10, "8:live:rita", "Rita Vasquez", "thanks!!"),
        _skype(11, f"8:{OWNER}", None,
               "<topicupdate><eventtime>1796137860000</eventtime><initiator>8:live:x</initiator>"
               "<value>OurCo &lt;&gt; Vandelay Imports rollout channel</value></topicupdate>",
               messagetype="ThreadActivity/TopicUpdate"),
        _skype(12, "8:live:rita", "Rita Vasquez",
               "[01/12/2026 15:06:00] Dana Lee: Which devices do the pickers use?\n\n"
               "&lt;&lt;&lt; Zebra TC52 handhelds, the old firmware one hangs on login",
               messagetype="Text"),
    ]  # fmt: skip
    direct = [
        _skype(20, "8:live:ana", "Ana Lopes (Hooli Cloud)", "Could invoices be split by cost center?"),
        _skype(21, f"8:{OWNER}", "Dana Lee", "I&apos;ve passed that to the billing team."),
    ]  # fmt: skip
    return {
        "userId": OWNER,
        "exportDate": "2026-12-04T09:12",
        "conversations": [
            {
                "id": "19:abc@thread.skype",
                "displayName": None,
                "threadProperties": {"membercount": 5, "topic": "OurCo <> Vandelay Imports"},
                "MessageList": list(reversed(group)),  # newest first, as Skype saves them
            },
            {
                "id": "8:live:ana",
                "displayName": "Ana Lopes (Hooli Cloud)",
                "threadProperties": None,
                "MessageList": list(reversed(direct)),
            },
            {
                "id": "48:calllogs",
                "displayName": None,
                "MessageList": [_skype(30, f"8:{OWNER}", None, "{}", messagetype="Event/CallLog")],
            },
            {
                "id": "48:notifications",
                "displayName": None,
                "MessageList": [
                    _skype(31, "8:live:skype", "Skype", "Your Skype Number expires in 7 days")
                ],
            },
        ],
    }


def test_skype_export_is_peoples_messages(session: Session, tmp_path: Path) -> None:
    """Skype's messages.json: people's RichText messages oldest first, without their markup,
    the message they quote or their emoticons; members added, calls, call logs, shared
    photos and deleted messages hold no words; the export's owner and a display name naming
    the vendor are the vendor's people, a 28: sender a bot; a customer's company is the one
    their display name names, else the group chat's topic; a sender shown without a name is
    known by their other messages; a colleague handed the chat, a bare thanks, skipped."""
    create_account(session, name="Vandelay Imports", domain="vandelay.example")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    path = write_json(tmp_path / "messages.json", _skype_export())
    report = run(session, actor(session, "admin"), "slack", path, internal_domains=("ourco.com",))
    assert came_in(session, report) == [
        ("The scanner app logs people out after 30 seconds", "Vandelay Imports"),
        (
            "That's the one: the camera takes 3 seconds to focus & the queue backs up.",
            "Vandelay Imports",
        ),
        ("Zebra TC52 handhelds, the old firmware one hangs on login", "Vandelay Imports"),
        ("Could invoices be split by cost center?", "Hooli Cloud"),
    ]
    assert sorted(left_out_by_run(session, report)) == [
        ("bot", "[Resolved] Scanner sign-in delays"),
        ("internal", "I've passed that to the billing team."),
        ("internal", "Thanks Marco, can you send a screenshot?"),
        ("internal", "The NetSuite beta opens next week."),
    ]
    read = read_clean("slack", path, VENDOR)
    assert [(r.contact_name, r.title, str(r.occurred_at)) for r in read.feedback] == [
        ("Marco Bianchi", "#OurCo <> Vandelay Imports", "2026-12-01 15:02:00+00:00"),
        ("Marco Bianchi", "#OurCo <> Vandelay Imports", "2026-12-01 15:05:00+00:00"),
        ("Rita Vasquez", "#OurCo <> Vandelay Imports", "2026-12-01 15:12:00+00:00"),
        ("Ana Lopes", "#Ana Lopes (Hooli Cloud)", "2026-12-01 15:20:00+00:00"),
    ]


def test_skype_download_is_read_from_its_tar(session: Session, tmp_path: Path) -> None:
    """The .tar Skype's download is: its messages.json read without unpacking, its media
    beside it ignored; a tar without one is refused, saying what slack reads in a tar."""
    (tmp_path / "messages.json").write_text(json.dumps(_skype_export()))
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    download = tmp_path / "8_live_cid_export.tar"
    with tarfile.open(download, "w") as tar:
        tar.add(tmp_path / "messages.json", "messages.json")
        tar.add(tmp_path / "photo.jpg", "media/photo.jpg")
    read = read_clean("slack", download, VENDOR)
    assert [r.text[:27] for r in read.feedback] == [
        "The scanner app logs people",
        "That's the one: the camera ",
        "Zebra TC52 handhelds, the o",
        "Could invoices be split by ",
    ]
    assert [reason for reason, _ in left_out_of(read)] == [
        "internal",
        "internal",
        "bot",
        "internal",
    ]
    other = tmp_path / "photos.tar"
    with tarfile.open(other, "w") as tar:
        tar.add(tmp_path / "photo.jpg", "media/photo.jpg")
    failure = refused(session, actor(session, "admin"), "slack", other)
    assert "tar archive without Skype's messages.json" in failure.report.errors[0].reason
