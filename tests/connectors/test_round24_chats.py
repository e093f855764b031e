"""Round 24's chat, review and help-desk API shapes, each on a small input of its own: Zendesk
Sunshine Conversations' messages (an AI agent handing over to an agent, a pre-chat form, a
webhook log), the Google Play Developer API's reviews (a translated, edited review, the
developer's reply), a Webex space's messages API page (a thread, a bot, a direct room, the
Events API) and Zendesk's incremental ticket events (no users sideloaded, private notes)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.models import Feedback
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


# Sunshine Conversations ----------------------------------------------------------------------


def _sunco(number: int, who: str, content: dict[str, Any], **more: Any) -> dict[str, Any]:
    authors = {
        "visitor": {"type": "user", "userId": "u1", "displayName": "Ines P."},
        "ai": {"type": "business", "subtypes": ["AI"], "displayName": "Helper"},
        "agent": {"type": "business", "displayName": "Jonah from OurCo"},
    }
    sources = {"visitor": "web", "ai": "api:conversations", "agent": "zd:agentWorkspace"}
    return {
        "id": f"m{number}",
        "received": f"2026-11-02T09:{number:02d}:00.000Z",
        "author": authors[who],
        "content": content,
        "source": {"type": sources[who]},
        **more,
    }


HANDOVER = [
    _sunco(
        1,
        "ai",
        {
            "type": "text",
            "text": "Hi! I'm Helper, an AI agent. What do you need?",
            "actions": [{"type": "reply", "text": "Rotas", "payload": "rotas"}],
        },
    ),
    _sunco(2, "visitor", {"type": "text", "text": "Rotas", "payload": "rotas"}),
    _sunco(
        3,
        "visitor",
        {
            "type": "formResponse",
            "fields": [
                {"type": "text", "name": "name", "label": "Your name", "text": "Ines Pardo"},
                {
                    "type": "email",
                    "name": "email",
                    "label": "Email",
                    "email": "ines@larkspur.example",
                },
                {"type": "text", "name": "org", "label": "Company", "text": "Larkspur Freight"},
            ],
        },
    ),
    _sunco(4, "visitor", {"type": "text", "text": "The rota planner loses shift swaps overnight."}),
    _sunco(5, "ai", {"type": "text", "text": "Let me pass you to a person who can help."}),
    _sunco(6, "agent", {"type": "text", "text": "Hi Ines, which depot does this happen in?"}),
    _sunco(
        7,
        "visitor",
        {"type": "text", "text": "All three depots, since the October release."},
        quotedMessage={
            "type": "message",
            "message": _sunco(
                6, "agent", {"type": "text", "text": "which depot does this happen in?"}
            ),
        },
    ),
    _sunco(8, "visitor", {"type": "image", "mediaUrl": "https://x/1.png", "text": "Here it is."}),
    _sunco(9, "visitor", {"type": "file", "mediaUrl": "https://x/rota.csv", "altText": "rota.csv"}),
]


def test_a_sunco_conversation_is_the_visitors_words_on_the_company_their_form_names(
    session: Session, tmp_path: Path
) -> None:
    """An AI agent's greeting and the button the visitor pressed are no evidence; the
    agent's question (quoted by the visitor) is not theirs; the pre-chat form names who they
    are and the company they write for."""
    larkspur = create_account(session, name="Larkspur Freight", domain="larkspur.example")
    path = write_json(
        tmp_path / "conv_8f2.json", {"messages": HANDOVER, "meta": {"hasMore": False}}
    )
    [record] = read_clean("intercom", path, OURS).feedback
    assert record.text == (
        "The rota planner loses shift swaps overnight.\n\n"
        "All three depots, since the October release.\n\nHere it is."
    )
    assert (record.contact_name, record.contact_email, record.account_ref) == (
        "Ines Pardo",
        "ines@larkspur.example",
        "Larkspur Freight",
    )
    assert record.occurred_at == datetime(2026, 11, 2, 9, 1, tzinfo=UTC)
    report = run(session, actor(session, "admin"), "intercom", path)
    stored = session.scalars(select(Feedback).where(Feedback.import_id == report.import_id)).one()
    assert stored.account_id == larkspur.id


def test_sunco_webhook_deliveries_are_gathered_by_conversation(tmp_path: Path) -> None:
    """A webhook log, one delivery a line (a message delivered twice read once, a read
    receipt no message, an anonymous visitor unnamed); a conversation only the AI agent spoke
    in is the bot's."""

    def delivery(conversation: str, *messages: dict[str, Any]) -> str:
        events = [
            {
                "type": "conversation:message",
                "payload": {"conversation": {"id": conversation}, "message": m},
            }
            for m in messages
        ]
        return json.dumps({"app": {"id": "a1"}, "webhook": {"id": "w1"}, "events": events})

    read_receipt = json.dumps(
        {"app": {}, "webhook": {}, "events": [{"type": "conversation:read", "payload": {}}]}
    )
    swaps = _sunco(
        4, "visitor", {"type": "text", "text": "Shift swaps vanish overnight, twice now."}
    )
    # The name Zendesk's messaging gives a visitor it knows nothing of is no one's name.
    swaps["author"] = {"type": "user", "displayName": "Web User 65ab12cd34ef"}
    lines = [
        delivery("c-1", HANDOVER[0]),
        delivery("c-1", swaps),
        delivery("c-1", swaps),
        read_receipt,
        delivery(
            "c-2", _sunco(1, "ai", {"type": "text", "text": "Our holiday hours have changed."})
        ),
    ]
    path = tmp_path / "hooks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_clean("intercom", path, OURS)
    assert [(r.external_id, r.text, r.contact_name) for r in read.feedback] == [
        ("c-1", "Shift swaps vanish overnight, twice now.", None)
    ]
    assert left_out_of(read) == [("bot", "Our holiday hours have changed.")]


def test_a_sunco_page_cut_short_is_refused_naming_why(session: Session, tmp_path: Path) -> None:
    whole = json.dumps({"messages": HANDOVER}, indent=1)
    path = tmp_path / "conv.json"
    path.write_text(whole[: len(whole) // 2], encoding="utf-8")
    failure = refused(session, actor(session, "admin"), "intercom", path)
    assert "ends in the middle of a message (truncated JSON?)" in str(failure.report.errors[0])


# Google Play Developer API ------------------------------------------------------------------


def _stamp(seconds: int) -> dict[str, Any]:
    return {"seconds": str(seconds), "nanos": 250000000}


def _play(review_id: str, author: str, *comments: dict[str, Any]) -> dict[str, Any]:
    return {"reviewId": review_id, "authorName": author, "comments": list(comments)}


def _user(text: str, stars: int, seconds: int, **more: Any) -> dict[str, Any]:
    return {
        "userComment": {
            "text": text,
            "starRating": stars,
            "lastModified": _stamp(seconds),
            "appVersionName": "7.2.0",
            **more,
        }
    }


def _developer(text: str, seconds: int) -> dict[str, Any]:
    return {"developerComment": {"text": text, "lastModified": _stamp(seconds)}}


def test_a_play_api_page_reads_each_review_without_the_developers_reply(tmp_path: Path) -> None:
    """A title before the tab is the title; a translated review keeps the reviewer's own
    words, the translation after them; an edited review is its newest version, dated then."""
    page = {
        "reviews": [
            _play(
                "gp:1",
                "Kofi Mensah",
                _user(
                    "Scanner too slow\tThe barcode scanner needs three tries on shiny labels.",
                    2,
                    1795000000,
                ),
                _developer("Thanks Kofi, a fix ships in 7.3. - OurCo", 1795100000),
            ),
            _play(
                "gp:2",
                "Jana Novak",
                _user("\tKarte lädt nicht.", 1, 1795200000, reviewerLanguage="de"),
                _developer("Sorry Jana, try clearing the cache.", 1795300000),
                _user(
                    "\tThe map loads now, but routes ignore road closures.",
                    3,
                    1795400000,
                    reviewerLanguage="de",
                    originalText="\tDie Karte lädt jetzt, aber Routen ignorieren Sperrungen.",
                ),
            ),
            _play("gp:3", "Lea Brandt", _developer("Thanks for the five stars!", 1795500000)),
        ],
        "tokenPagination": {"nextPageToken": "abc"},
    }
    read = read_clean("reviews", write_json(tmp_path / "reviews.json", page), OURS)
    assert [(r.external_id, r.title, r.text, r.tags) for r in read.feedback] == [
        (
            "gp:1",
            "★★☆☆☆ Scanner too slow",
            "The barcode scanner needs three tries on shiny labels.",
            ["rating:2", "store:google_play", "version:7.2.0"],
        ),
        (
            "gp:2",
            "★★★☆☆",
            "Die Karte lädt jetzt, aber Routen ignorieren Sperrungen.\n\n"
            "Translation (from de): The map loads now, but routes ignore road closures.",
            ["rating:3", "store:google_play", "version:7.2.0"],
        ),
    ]
    assert read.feedback[1].occurred_at == datetime(2026, 11, 23, 2, 13, 20, 250000, tzinfo=UTC)
    assert read.skipped_rows == 1  # the developer's reply alone


def test_a_play_review_by_a_workspace_user_is_internal_read_alone_or_in_gathered_pages(
    tmp_path: Path,
) -> None:
    """A review saved alone (`reviews.get`), and pages a script gathered in an array."""
    ours = _play("gp:9", "Priya Raman", _user("\tLove it, we use it daily!", 5, 1795000000))
    theirs = _play("gp:10", "Kofi Mensah", _user("\tSync stalls on weak signal.", 2, 1795000000))
    alone = read_clean("reviews", write_json(tmp_path / "review.json", ours), OURS)
    assert (alone.feedback, left_out_of(alone)) == ([], [("internal", "Love it, we use it daily!")])
    pages = [{"reviews": [ours]}, {"reviews": [theirs]}]
    gathered = read_clean("reviews", write_json(tmp_path / "pages.json", pages), OURS)
    assert [r.text for r in gathered.feedback] == ["Sync stalls on weak signal."]
    assert left_out_of(gathered) == [("internal", "Love it, we use it daily!")]


# Webex ---------------------------------------------------------------------------------------


def _webex(number: int, email: str, text: str | None, **more: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "id": f"MSG{number}",
        "roomId": "ROOM1",
        "roomType": "group",
        "personId": f"P-{email}",
        "personEmail": email,
        "created": f"2026-11-03T10:{number:02d}:00.000Z",
        **more,
    }
    if text is not None:
        message["text"] = text
    return message


def test_a_webex_space_reads_customers_by_address_and_leaves_staff_and_bots_out(
    session: Session, tmp_path: Path
) -> None:
    """Newest first as the API gives them; a customer's thanks in a thread one of ours opened
    is skipped, a question in it kept; a bot's card is the bot's; a message written only in
    markdown reads as people saw it, the mention by name."""
    create_user(session, name="Priya Raman", email="priya@ourco.com")
    create_account(session, name="Pinecrest Dairy", domain="pinecrest.example")
    card = [
        {
            "contentType": "application/vnd.microsoft.card.adaptive",
            "content": {
                "type": "AdaptiveCard",
                "body": [{"type": "TextBlock", "text": "Deploy 7.3 finished"}],
            },
        }
    ]
    items = [
        _webex(1, "priya@ourco.com", "Tanker app 7.3 goes out tonight, offline maps included."),
        _webex(2, "marta@pinecrest.example", "Thanks Priya, works for us.", parentId="MSG1"),
        _webex(3, "deploys@webex.bot", None, attachments=card),
        _webex(
            4,
            "marta@pinecrest.example",
            None,
            markdown="<@personEmail:priya@ourco.com|Priya Raman> could the **tank temperature** "
            "show before pickup?",
        ),
        _webex(
            5, "olu@tankerco.example", "Our drivers still see the old depot list.", parentId="MSG1"
        ),
    ]
    path = write_json(tmp_path / "Pinecrest Dairy shared.json", {"items": list(reversed(items))})
    report = run(session, actor(session, "admin"), "slack", path)
    assert came_in(session, report) == [
        ("Priya Raman could the tank temperature show before pickup?", "Pinecrest Dairy"),
        ("Our drivers still see the old depot list.", None),
    ]
    left = left_out_by_run(session, report)
    assert left == [
        ("internal", "Tanker app 7.3 goes out tonight, offline maps included."),
        ("bot", "Deploy 7.3 finished"),
    ]


def test_webex_events_give_each_messages_latest_version_and_a_direct_room(tmp_path: Path) -> None:
    """The Events API's messages: an edit replaces the message, a deleted one is gone."""

    def event(kind: str, message: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": f"E-{kind}-{message['id']}",
            "resource": "messages",
            "type": kind,
            "data": message,
        }

    first = _webex(
        1, "marta@pinecrest.example", "The export drops the tank ids.", roomType="direct"
    )
    edited = {
        **first,
        "text": "The CSV export drops the tank ids.",
        "updated": "2026-11-03T11:00:00.000Z",
    }
    gone = _webex(2, "marta@pinecrest.example", "Wrong room, sorry", roomType="direct")
    items = [
        event("created", first),
        event("created", gone),
        event("updated", edited),
        event("deleted", {"id": "MSG2"}),
    ]
    read = read_clean("slack", write_json(tmp_path / "dm.json", {"items": items}), OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        ("MSG1", "The CSV export drops the tank ids.")
    ]


def test_a_webex_page_with_messages_it_cannot_read_is_refused_naming_them(
    session: Session, tmp_path: Path
) -> None:
    nameless = {"roomId": "ROOM1", "personEmail": "marta@pinecrest.example", "text": "Hi there all"}
    items = [_webex(1, "marta@pinecrest.example", "The export drops the tank ids."), nameless, "?"]
    path = write_json(tmp_path / "space.json", {"items": items})
    failure = refused(session, actor(session, "admin"), "slack", path)
    assert sorted(error.reason for error in failure.report.errors) == [
        "space.json: a message has no id",
        "space.json: a message must be a JSON object",
    ]


# Zendesk incremental ticket events -----------------------------------------------------------


def _audit(
    ticket: int, updater: int, stamp: int, *children: dict[str, Any], via: str = "Mail"
) -> dict[str, Any]:
    return {
        "id": stamp,
        "ticket_id": ticket,
        "timestamp": stamp,
        "updater_id": updater,
        "via": via,
        "event_type": "Audit",
        "child_events": list(children),
    }


def _comment(author: int, body: str, *, public: bool = True) -> dict[str, Any]:
    return {"event_type": "Comment", "body": body, "public": public, "author_id": author}


def _create(**fields: Any) -> list[dict[str, Any]]:
    return [{"event_type": "Create", key: value} for key, value in fields.items()]


def test_a_ticket_event_stream_rebuilds_tickets_named_by_their_signature(
    session: Session, tmp_path: Path
) -> None:
    """Each ticket is its first comment, the company named by the signature (on one line or
    several); an agent's private note and public reply are not the customer's; a ticket an
    agent opened for a caller is the staff's."""
    create_account(session, name="Brightwater Dental", domain="brightwater.example")
    create_account(session, name="Orchard Logistics", domain="orchard.example")
    agent = 900
    events = [
        _audit(
            1,
            501,
            1795000000,
            _comment(
                501,
                "Hi,\n\nThe recall list skips patients with two addresses.\n\n"
                "Ana Ruiz\nPractice Manager, Brightwater Dental",
            ),
            *_create(subject="Recall list", requester_id=501, status="new"),
            {"event_type": "Notification", "body": "Your request ({{ticket.id}}) was received"},
        ),
        _audit(
            1,
            agent,
            1795000600,
            _comment(agent, "Looks like the address merge bug.", public=False),
            {"event_type": "Change", "status": "open", "previous_value": "new"},
            via="Web form",
        ),
        _audit(1, agent, 1795000700, _comment(agent, "Hi Ana, we're on it."), via="Web form"),
        _audit(
            2,
            502,
            1795001000,
            _comment(
                502,
                "Pallet labels print twice since Monday.\n\n"
                "Tom Reyes | Warehouse Lead | Orchard Logistics",
            ),
            *_create(subject="Double labels", requester_id=502),
        ),
        # A page that starts after ticket 4 was made: its requester is the first person who
        # wrote in public and is no agent (901 is one: only agents write private notes).
        _audit(4, 901, 1795001500, _comment(901, "Sync worker restarted.", public=False)),
        _audit(4, 901, 1795001600, _comment(901, "We've restarted the sync, better now?")),
        _audit(4, 504, 1795001700, _comment(504, "Still failing for the Leeds depot.")),
        # 902 is an agent by making a ticket whose requester is someone else.
        _audit(
            3,
            902,
            1795002000,
            _comment(902, "Caller wants invoices split by depot."),
            *_create(subject="Phone: invoices", requester_id=503),
            via="Web form",
        ),
    ]
    path = write_json(tmp_path / "events.json", {"ticket_events": events, "end_of_stream": True})
    report = run(session, actor(session, "admin"), "zendesk", path)
    assert came_in(session, report) == [
        ("Hi,\n\nThe recall list skips patients with two addresses.", "Brightwater Dental"),
        ("Pallet labels print twice since Monday.", "Orchard Logistics"),
        ("Still failing for the Leeds depot.", None),
    ]
    left = left_out_by_run(session, report)
    assert left == [("staff", "Caller wants invoices split by depot.")]
    stored = session.scalars(
        select(Feedback).where(Feedback.import_id == report.import_id).order_by(Feedback.id)
    ).first()
    assert stored is not None
    assert stored.occurred_at.replace(tzinfo=UTC) == datetime(2026, 11, 18, 11, 6, 40, tzinfo=UTC)


def test_ticket_events_saved_without_their_comments_are_refused_saying_how_to_export(
    session: Session, tmp_path: Path
) -> None:
    bare = {"event_type": "Comment", "comment_present": True, "comment_public": True}
    events = [_audit(7, 501, 1795000000, bare, *_create(subject="Slow sync", requester_id=501))]
    path = write_json(tmp_path / "events.json", {"ticket_events": events})
    failure = refused(session, actor(session, "admin"), "zendesk", path)
    [error] = failure.report.errors
    assert error.column == "child_events"
    assert "include=comment_events" in error.reason
