"""Round 25's chat and review API shapes, each on a small input of its own: Olark's webhook
transcripts (read by `intercom`), Zulip's messages API and its organisation export (read by
`slack`), and Firefox Add-ons' ratings API (read by `reviews`)."""

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

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))


# Olark ---------------------------------------------------------------------------------------


def _item(kind: str, seconds: float, body: str, nickname: str, **more: Any) -> dict[str, Any]:
    return {"kind": kind, "timestamp": f"{seconds:.6f}", "body": body, "nickname": nickname, **more}


def _olark(chat_id: str, items: list[dict[str, Any]], **visitor: Any) -> dict[str, Any]:
    return {
        "kind": "Conversation",
        "id": chat_id,
        "manuallySubmitted": False,
        "items": items,
        "tags": ["Billing"],
        "groups": [{"kind": "Group", "id": "g1", "name": "Support"}],
        "visitor": {"kind": "Visitor", "id": f"v-{chat_id}", **visitor},
        "operators": {
            "77": {
                "kind": "Operator",
                "id": "77",
                "nickname": "Priya",
                "emailAddress": "priya@ourco.com",
            }
        },
    }


GREETING = _item("MessageToVisitor", 1795000000, "Hi! Questions about OurCo?", "OurCo")


def test_an_olark_chat_is_the_visitors_words_on_the_organization_they_gave(
    session: Session, tmp_path: Path
) -> None:
    """The visitor's messages (not the site's greeting, an operator's answer or Olark's
    notices) are one item, with the comment left with the rating; the visitor's organization
    names the account, one the workspace does not know is listed as unmatched."""
    create_account(session, name="Larkspur Freight", domain="larkspur.example")
    chats = [
        _olark(
            "EV1",
            [
                GREETING,
                _item("EventJoined", 1795000010, "Priya has joined the chat", "Priya"),
                _item("MessageToOperator", 1795000020, "Route export drops the stops.", "Ines"),
                _item(
                    "MessageToVisitor",
                    1795000030,
                    "A fix ships next week.",
                    "Priya",
                    operatorId="77",
                ),
                _item("MessageToOperator", 1795000040, "It also loses the driver notes.", "Ines"),
            ],
            fullName="Ines Pardo",
            emailAddress="ines@gmx.example",
            organization="Larkspur Freight",
            chat_feedback={"overall_chat": 2, "comments": "Export bugs keep coming back."},
        ),
        _olark(
            "EV2",
            [_item("OfflineMessage", 1795100000, "Can rotas repeat every two weeks?", "Bo")],
            fullName="Bo Lind",
            emailAddress="bo@saltmarsh.example",
            organization="Saltmarsh Ferries",
        ),
    ]
    path = write_json(tmp_path / "olark.json", chats)
    read = read_clean("intercom", path, OURS)
    assert [
        (r.external_id, r.text, r.contact_name, r.contact_email, r.account_ref, r.tags)
        for r in read.feedback
    ] == [
        (
            "EV1",
            "Route export drops the stops.\n\nIt also loses the driver notes.\n\n"
            "Export bugs keep coming back.",
            "Ines Pardo",
            "ines@gmx.example",
            "Larkspur Freight",
            ["billing"],
        ),
        (
            "EV2",
            "Can rotas repeat every two weeks?",
            "Bo Lind",
            "bo@saltmarsh.example",
            "Saltmarsh Ferries",
            ["billing"],
        ),
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC)
    report = run(
        session, actor(session, "admin"), "intercom", path, internal_domains=("ourco.com",)
    )
    assert came_in(session, report) == [
        (read.feedback[0].text, "Larkspur Freight"),
        ("Can rotas repeat every two weeks?", None),
    ]
    assert report.unmatched_accounts == {"Saltmarsh Ferries": 1}


def test_an_olark_delivery_saved_as_its_form_field_and_a_nickname_carrying_the_email(
    tmp_path: Path,
) -> None:
    """A request logger keeps the POST's `data` field, the transcript as JSON text, one a
    line; a visitor known only by the nickname Olark gave them ("Bo (bo@…)") is named by it;
    a custom field named Company names the account, one named Website another way to it."""
    chat = _olark(
        "EV3",
        [
            _item(
                "MessageToOperator",
                1795000000,
                "Ferry rotas ignore tide tables.",
                "Bo (bo@saltmarsh.example)",
            )
        ],
        customFields={"Company": "Saltmarsh Ferries", "website": "saltmarsh.example"},
    )
    path = tmp_path / "hooks.jsonl"
    path.write_text(json.dumps({"data": json.dumps(chat)}) + "\n", encoding="utf-8")
    [record] = read_clean("intercom", path, OURS).feedback
    assert (
        record.text,
        record.contact_name,
        record.contact_email,
        record.account_ref,
        record.account_aliases,
    ) == (
        "Ferry rotas ignore tide tables.",
        "Bo",
        "bo@saltmarsh.example",
        "Saltmarsh Ferries",
        ("saltmarsh.example",),
    )


def test_olark_spam_and_a_greeting_nobody_answered_are_left_out(tmp_path: Path) -> None:
    chats = [
        _olark(
            "EV4",
            [
                GREETING,
                _item(
                    "MessageToOperator",
                    1795000100,
                    "We provide cheap SEO services, guaranteed first page Google ranking "
                    "and 5000 backlinks. Whatsapp for best price offer!!!",
                    "Olark Visitor",
                ),
            ],
        ),
        _olark("EV5", [GREETING]),
    ]
    read = read_clean("intercom", write_json(tmp_path / "olark.json", chats), OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        (
            "spam",
            "We provide cheap SEO services, guaranteed first page Google ranking and 5000 "
            "backlinks. Whatsapp for best price offer!!!",
        ),
        ("bot", "Hi! Questions about OurCo?"),
    ]


def test_an_olark_chat_without_a_readable_time_or_an_id_is_refused_naming_the_field(
    session: Session, tmp_path: Path
) -> None:
    chat = _olark("EV6", [_item("MessageToOperator", 0, "Rotas vanish overnight.", "Ines")])
    chat["items"][0]["timestamp"] = "yesterday"
    path = write_json(tmp_path / "olark.json", [chat])
    failure = refused(session, actor(session, "admin"), "intercom", path)
    assert [(e.column, e.reason) for e in failure.report.errors] == [
        ("timestamp", "conversation EV6: no readable timestamp (Unix seconds)")
    ]
    nameless = _olark("EV7", [_item("MessageToOperator", 0, "Rotas vanish overnight.", "Ines")])
    del nameless["id"]
    path = write_json(tmp_path / "nameless.json", [nameless])
    failure = refused(session, actor(session, "admin"), "intercom", path)
    assert [(e.column, e.reason) for e in failure.report.errors] == [
        ("id", "an Olark chat has no id")
    ]


# Zulip ---------------------------------------------------------------------------------------


def _zulip(
    number: int, name: str, email: str, content: str, topic: str = "exports", **more: Any
) -> dict[str, Any]:
    return {
        "id": 500 + number,
        "sender_id": number,
        "sender_full_name": name,
        "sender_email": email,
        "sender_realm_str": "ourco",
        "content": content,
        "content_type": "text/html",
        "timestamp": 1795000000 + number * 60,
        "display_recipient": "pinecrest-dairy",
        "stream_id": 9,
        "recipient_id": 30,
        "subject": topic,
        "topic_links": [],
        "type": "stream",
        "client": "website",
        "is_me_message": False,
        "reactions": [],
        "flags": ["read"],
        **more,
    }


def test_a_zulip_page_reads_customers_and_leaves_staff_bots_and_quotes_out(
    session: Session, tmp_path: Path
) -> None:
    """Each message is an item; the vendor's people (by domain, or by name behind a hidden
    address) are internal; Zulip's own bots (the Internal client, "Welcome Bot") and an
    integration's (`…-bot@`) are bots; a quote-reply keeps only the writer's words; someone on
    a public mail provider is of the company the stream names; a customer's thanks in a
    topic one of ours opened is skipped."""
    create_user(session, name="Priya Raman", email="priya@ourco.com")
    create_account(session, name="Pinecrest Dairy", domain="pinecrest.example")
    quote = (
        '<p><span class="user-mention silent" data-user-id="2">Priya Raman</span> '
        '<a href="https://ourco.zulipchat.com/#narrow/channel/9-pinecrest-dairy/topic/'
        'exports/near/502">said</a>:</p>\n<blockquote>\n<p>Would a weekly export do?</p>\n'
        "</blockquote>\n<p>Only if it includes the tank temperatures.</p>"
    )
    messages = [
        _zulip(
            1,
            "Notification Bot",
            "notification-bot@zulip.com",
            "<p>Stream created by Priya Raman.</p>",
            topic="stream events",
            client="Internal",
        ),
        _zulip(2, "Priya Raman", "user2@ourco.zulipchat.com", "<p>Would a weekly export do?</p>"),
        _zulip(3, "Marta Silva", "marta@pinecrest.example", quote),
        _zulip(4, "Marta Silva", "marta@pinecrest.example", "<p>Thanks Priya, that works.</p>"),
        _zulip(
            5,
            "Jira",
            "jira-bot@ourco.zulipchat.com",
            "<p>Priya created <a href='https://x/PD-1'>PD-1: Weekly export</a></p>",
        ),
        _zulip(
            6,
            "Olu Ade",
            "olu.ade@gmail.com",
            "<p>Our drivers still <strong>see the old depot list</strong> in the app.</p>",
            topic="depots",
        ),
        _zulip(7, "Welcome Bot", "welcome@zulip.example", "<p>Welcome to Zulip, Olu!</p>"),
        _zulip(
            8,
            "Zulip",
            "system@zulip.example",
            "<p>This topic was moved here from #pinecrest-dairy > general.</p>",
            topic="depots",
            client="Internal",
        ),
    ]
    page = {"result": "success", "msg": "", "messages": messages, "found_newest": True}
    path = write_json(tmp_path / "pinecrest.json", page)
    report = run(session, actor(session, "admin"), "slack", path)
    assert came_in(session, report) == [
        ("Only if it includes the tank temperatures.", "Pinecrest Dairy"),
        ("Our drivers still see the old depot list in the app.", "Pinecrest Dairy"),
    ]
    assert left_out_by_run(session, report) == [
        ("bot", "Stream created by Priya Raman."),
        ("internal", "Would a weekly export do?"),
        ("bot", "Priya created PD-1: Weekly export"),
        ("bot", "Welcome to Zulip, Olu!"),
        ("bot", "This topic was moved here from #pinecrest-dairy > general."),
    ]
    assert report.skipped_rows == 1  # "Thanks Priya, that works."


def test_a_zulip_list_of_markdown_messages_a_direct_message_and_a_link(tmp_path: Path) -> None:
    """Fetched with `apply_markdown=false`: mentions and stream links read as names, a quote
    block (and the line that introduces it) is someone else's; a /me message reads with the
    name; a direct message's place is its people; `--workspace` links each message."""
    markdown = (
        "@_**Priya Raman|2** [said](https://chat.ourco.com/#narrow/channel/9-x/topic/y/near/502):"
        "\n```quote\nWould a weekly export do?\n```\n"
        "@**Priya Raman|2** only with **tank temperatures**, see #**pinecrest-dairy>exports**"
    )
    direct = _zulip(
        2,
        "Marta Silva",
        "marta@pinecrest.example",
        "/me can't find the depot filter",
        display_recipient=[
            {"id": 3, "full_name": "Marta Silva", "email": "marta@pinecrest.example"},
            {"id": 2, "full_name": "Priya Raman", "email": "priya@ourco.com"},
        ],
        type="private",
        is_me_message=True,
        content_type="text/x-markdown",
    )
    direct.pop("stream_id")
    messages = [
        _zulip(
            1, "Marta Silva", "marta@pinecrest.example", markdown, content_type="text/x-markdown"
        ),
        direct,
    ]
    options = ConnectorOptions(internal_domains=("ourco.com",), workspace="chat.ourco.com")
    read = read_clean("slack", write_json(tmp_path / "page.json", messages), options)
    assert [(r.text, r.title, r.link_url) for r in read.feedback] == [
        (
            "@Priya Raman only with tank temperatures, see #pinecrest-dairy>exports",
            "#pinecrest-dairy",
            "https://chat.ourco.com/#narrow/channel/9-pinecrest-dairy/topic/exports/near/501",
        ),
        (
            "Marta Silva can't find the depot filter",
            "#dm:Marta Silva, Priya Raman",
            None,
        ),
    ]


def _export_folder(folder: Path, *, with_realm: bool = True) -> Path:
    folder.mkdir()
    realm = {
        "zerver_realm": [{"id": 1, "string_id": "ourco"}],
        "zerver_userprofile": [
            {"id": 2, "full_name": "Priya Raman", "delivery_email": "priya@ourco.com"},
            {"id": 3, "full_name": "Marta Silva", "delivery_email": "marta@pinecrest.example"},
            {"id": 4, "full_name": "GitHub", "email": "github-bot@ourco.example", "is_bot": True},
        ],
        "zerver_userprofile_crossrealm": [{"id": 1, "email": "notification-bot@zulip.com"}],
        "zerver_stream": [{"id": 9, "name": "pinecrest-dairy"}],
        "zerver_recipient": [{"id": 30, "type": 2, "type_id": 9}],
    }
    if with_realm:
        write_json(folder / "realm.json", realm)

    def message(number: int, sender: int, markdown: str, html: str) -> dict[str, Any]:
        return {
            "id": 700 + number,
            "sender": sender,
            "recipient": 30,
            "subject": "exports",
            "content": markdown,
            "rendered_content": html,
            "date_sent": 1795000000.5 + number,
        }

    messages = {
        "zerver_message": [
            message(1, 1, "Stream created by Priya.", "<p>Stream created by Priya.</p>"),
            message(2, 2, "Would a weekly export do?", "<p>Would a weekly export do?</p>"),
            message(
                3,
                3,
                "It must include **tank temperatures**.",
                "<p>It must include <strong>tank temperatures</strong>.</p>",
            ),
            message(4, 4, "PR #12 opened", "<p>PR #12 opened</p>"),
        ],
        "zerver_usermessage": [],
    }
    return write_json(folder / "messages-000001.json", messages)


def test_a_zulip_organisation_export_names_its_people_from_realm_json(tmp_path: Path) -> None:
    _export_folder(tmp_path / "zulip-export")
    read = read_clean("slack", tmp_path / "zulip-export", OURS)
    assert [(r.text, r.title, r.contact_email) for r in read.feedback] == [
        ("It must include tank temperatures.", "#pinecrest-dairy", "marta@pinecrest.example")
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 18, 11, 6, 43, 500000, tzinfo=UTC)
    assert left_out_of(read) == [
        ("bot", "Stream created by Priya."),
        ("internal", "Would a weekly export do?"),
        ("bot", "PR #12 opened"),
    ]


def test_a_zulip_messages_file_without_its_realm_is_refused_naming_it(
    session: Session, tmp_path: Path
) -> None:
    path = _export_folder(tmp_path / "export", with_realm=False)
    failure = refused(session, actor(session, "admin"), "slack", path)
    assert [e.reason for e in failure.report.errors] == [
        "messages-000001.json is one file of Zulip's export, which names its people and "
        "streams in realm.json: import the export's folder (or a zip of it)"
    ]


# Firefox Add-ons -----------------------------------------------------------------------------


def _rating(rating_id: int, name: str, score: int, body: str | None, **more: Any) -> dict[str, Any]:
    return {
        "id": rating_id,
        "addon": {"id": 55, "slug": "ourco-clipper", "name": "OurCo Clipper"},
        "body": body,
        "created": "2026-11-20T08:30:00Z",
        "is_deleted": False,
        "is_developer_reply": False,
        "is_latest": True,
        "previous_count": 0,
        "reply": None,
        "score": score,
        "user": {"id": rating_id * 10, "name": name, "username": name.lower()},
        "version": {"id": 9, "version": "3.1.0"},
        **more,
    }


def _reply(body: str) -> dict[str, Any]:
    return {
        "id": 99,
        "body": body,
        "created": "2026-11-21T08:30:00Z",
        "is_deleted": False,
        "is_developer_reply": True,
        "user": {"id": 1, "name": "Priya Raman", "username": "ourco-team"},
    }


def test_an_amo_ratings_page_reads_each_review_without_the_developers_reply(
    tmp_path: Path,
) -> None:
    """The body is the review, as written (German stays German), rated and linked to its
    page; the developer's nested reply, a reply listed alone, a deleted rating and a rating
    without words are no reviews; spam and a review by one of ours are left out."""
    results = [
        _rating(
            1,
            "Katrin S.",
            1,
            "Die Anmeldung über Microsoft funktioniert nicht mehr.",
            reply=_reply("A fix ships in 3.1.1."),
        ),
        _rating(2, "Firefox user 20", 3, None),
        _rating(3, "Owen", 2, "Tables come through as one long line.", is_deleted=True),
        {**_reply("Thanks for the feedback!"), "score": None},
        _rating(4, "vpn deals", 5, "Limited time offer: 90% off our VPN, click here!!!"),
        _rating(5, "Priya Raman", 5, "Clipping quotes into the board saves me hours."),
    ]
    page = {"count": 6, "next": "https://addons.mozilla.org/api/v5/ratings/rating/?page=2"}
    path = write_json(tmp_path / "amo.json", {**page, "previous": None, "results": results})
    read = read_clean("reviews", path, OURS)
    assert [
        (r.external_id, r.title, r.text, r.contact_name, r.link_url, r.tags) for r in read.feedback
    ] == [
        (
            "amo:1",
            "★☆☆☆☆",
            "Die Anmeldung über Microsoft funktioniert nicht mehr.",
            "Katrin S.",
            "https://addons.mozilla.org/firefox/addon/ourco-clipper/reviews/1/",
            ["rating:1", "store:firefox_add_ons", "version:3.1.0"],
        )
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
    assert left_out_of(read) == [
        ("spam", "Limited time offer: 90% off our VPN, click here!!!"),
        ("internal", "Clipping quotes into the board saves me hours."),
    ]
    assert read.skipped_rows == 3  # without words, deleted, the reply listed alone


def test_amo_pages_gathered_in_an_array_and_a_rating_saved_alone(tmp_path: Path) -> None:
    one = _rating(7, "Owen", 3, "Please let us restrict it to a list of domains.")
    two = _rating(8, "Lucía", 4, "Impossible de l'utiliser avec notre proxy.")
    pages = [{"count": 2, "next": None, "results": [one]}, {"results": [two]}]
    gathered = read_clean("reviews", write_json(tmp_path / "pages.json", pages), OURS)
    assert [r.external_id for r in gathered.feedback] == ["amo:7", "amo:8"]
    alone = read_clean("reviews", write_json(tmp_path / "rating.json", one), OURS)
    assert [r.text for r in alone.feedback] == ["Please let us restrict it to a list of domains."]


def test_a_zulip_page_whose_first_message_is_long_is_still_known(tmp_path: Path) -> None:
    """Zulip writes a message's content before its sender's keys: a first message of several
    kilobytes pushes every key that names the tool past the first 4 KB of the file."""
    long = "<p>" + "The tank temperature export stops at midnight. " * 150 + "</p>"
    first = {"content": long, **_zulip(1, "Marta Silva", "marta@pinecrest.example", long)}
    path = write_json(tmp_path / "zulip.json", {"result": "success", "messages": [first]})
    assert b'"sender_id"' not in path.read_bytes()[:4096]
    (item,) = read_clean("slack", path, ConnectorOptions()).feedback
    assert item.text.startswith("The tank temperature export stops at midnight.")
