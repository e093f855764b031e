"""Chat and help-desk exports as the t22 tuning files showed them: Freshchat's API v2 and
LiveChat's `list_archives` through `intercom`, Zoho Desk's API tickets through `zendesk`.
Each rule on a small file of its own, so a change that breaks one names it."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.conversations import Said
from huddle.connectors.freshchat import from_freshchat
from huddle.connectors.livechat import from_livechat
from huddle.connectors.noise import says_nothing
from tests.connectors.helpers import left_out_of, read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

# Freshchat ----------------------------------------------------------------------------------


def _part(text: str) -> dict[str, Any]:
    return {"text": {"content": text}}


def _message(actor: str, at: str, *parts: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "message_parts": list(parts),
        "actor_type": actor,
        "message_type": "normal",
        "created_time": f"2026-12-03T09:{at}.000Z",
        **more,
    }


def _freshchat(cid: str, messages: list[dict[str, Any]], **user: Any) -> dict[str, Any]:
    return {
        "conversation_id": cid,
        "app_id": "app-1",
        "status": "resolved",
        "created_time": "2026-12-03T09:00:00.000Z",
        "user": {
            "email": "ana@globex.example",
            "first_name": "Ana",
            "last_name": "Pereira",
            **user,
        },
        "messages": messages,
    }


def test_freshchat_conversations_are_the_users_text_messages(tmp_path: Path) -> None:
    """Newest first as the API lists them, read oldest first: the user's text parts are the
    words; the bot's greeting, the quick reply the user clicked (a part, or its label sent
    back as text), an image, the agent's reply and private note and the system's
    assignment are not. The company is the user's `company` property."""
    buttons = [{"collection": {"sub_parts": [{"quick_reply_button": {"label": "Billing"}}]}}]
    messages = [
        _message("system", "09:00", _part("Conversation assigned to Tom")),
        _message("agent", "08:00", _part("Known CDN bug"), message_type="private"),
        _message("agent", "07:00", _part("We can reproduce it.")),
        _message("user", "06:00", {"image": {"url": "https://x.example/a.png"}}),
        _message("user", "05:00", _part("Customers only see a grey box.")),
        _message("user", "04:00", _part("POD photos are missing in the portal.")),
        _message("user", "03:00", _part("billing")),
        _message("user", "02:00", {"quick_reply_response": {"label": "Something broke"}}),
        _message("bot", "01:00", _part("Hi, I'm the bot. How can I help?"), reply_parts=buttons),
    ]
    properties = [{"name": "plan", "value": "Pro"}, {"name": "company", "value": "Globex"}]
    path = tmp_path / "freshchat.json"
    conversation = _freshchat("c-1", messages, properties=properties)
    path.write_text(json.dumps({"conversations": [conversation], "agents": []}))

    [record] = read_clean("intercom", path, OURS).feedback
    assert (record.text, record.contact_email, record.contact_name, record.account_ref) == (
        "POD photos are missing in the portal.\n\nCustomers only see a grey box.",
        "ana@globex.example",
        "Ana Pereira",
        "Globex",
    )
    assert record.occurred_at == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert (record.external_id, record.source) == ("c-1", "chat")


def test_a_freshchat_private_note_is_no_message_of_the_conversation() -> None:
    """An agent's private note is never shown to the customer: not a team message either
    (a conversation opened by a note and a bot's greeting is the bot's)."""
    messages = [
        _message("bot", "01:00", _part("Hi, how can I help?")),
        _message("agent", "00:00", _part("VIP, renews in May"), message_type="private"),
    ]
    assert from_freshchat(_freshchat("c-5", []), messages).said == [
        Said("bot", "Hi, how can I help?")
    ]


def test_freshchat_noise_is_left_out_with_its_reason(tmp_path: Path) -> None:
    """An agent's announcement nobody answered is internal; a visitor who only said
    "hiii anyone here" is skipped, not evidence."""
    announcement = _freshchat(
        "c-2", [_message("agent", "00:00", _part("Stock transfers are now live for you!"))]
    )
    hello = _freshchat("c-3", [_message("user", "00:00", _part("hiii anyone here"))])
    path = tmp_path / "freshchat.json"
    path.write_text(json.dumps([announcement, hello]))
    read = read_clean("intercom", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [("internal", "Stock transfers are now live for you!")]
    assert read.skipped_rows == 1


def test_freshchat_conversations_without_messages_are_refused(
    session: Session, tmp_path: Path
) -> None:
    """The conversation alone holds no one's words: the refusal says where they come from."""
    path = tmp_path / "freshchat.json"
    conversation = _freshchat("c-4", [])
    del conversation["messages"]
    path.write_text(json.dumps([conversation]))
    failure = refused(session, actor(session, "admin"), "intercom", path)
    assert "Freshchat conversation c-4 has no messages" in failure.report.errors[0].reason


def test_stretched_greetings_say_nothing() -> None:
    assert all(says_nothing(t) for t in ("hiii anyone here", "Helloo?", "heyyy"))
    assert not says_nothing("hiii, the export is broken")


# LiveChat -----------------------------------------------------------------------------------


def _event(kind: str, author: str | None, at: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"e{at}",
        "type": kind,
        "author_id": author,
        "visibility": "all",
        "created_at": f"2026-12-03T09:00:{at}.120441Z",
        **more,
    }


USERS = [
    {"id": "v-1", "type": "customer", "name": "Pavel", "email": "pavel@globex.example"},
    {"id": "tom@ourco.com", "type": "agent", "name": "Tom", "email": "tom@ourco.com"},
    {"id": "6f0d1e2c3b4a", "type": "agent", "name": "ChatBot", "email": "6f0d1e2c3b4a"},
]


def _chat(cid: str, events: list[dict[str, Any]], **thread: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "users": USERS,
        "thread": {
            "id": f"{cid}-t",
            "events": events,
            "created_at": "2026-12-03T09:00:00.120441Z",
            **thread,
        },
    }


def test_livechat_chats_are_the_customers_public_messages(tmp_path: Path) -> None:
    """The customer's messages are the words; the bot's and agent's messages, an agents-only
    whisper, a system message, a rich message's buttons (and the button the customer sent
    back) are not. The pre-chat form's Company answer is the account; the rating's comment is
    the customer's; the link is the chat in LiveChat's archives."""
    form = [
        {"type": "email", "label": "E-mail:", "answer": "pavel@globex.example"},
        {"type": "question", "label": "Company:", "answer": "Globex Freight"},
    ]
    buttons = [{"title": "Was this helpful?", "buttons": [{"text": "Yes", "value": "yes"}]}]
    events = [
        _event("filled_form", None, "01", form_type="prechat", fields=form),
        _event("message", "6f0d1e2c3b4a", "02", text="Hi! I'm the assistant."),
        _event("system_message", None, "03", text="Chat transferred to Tom"),
        _event("message", "v-1", "04", text="The SMS ETA is in UTC, not local time."),
        _event("message", "tom@ourco.com", "05", text="Which depot?", visibility="all"),
        _event("message", "tom@ourco.com", "06", text="Known tz bug", visibility="agents"),
        _event("message", "v-1", "07", text="All the Irish depots."),
        _event("rich_message", "tom@ourco.com", "08", elements=buttons),
        _event("message", "v-1", "09", text="Yes"),
    ]
    rating = {"rating": {"score": 1, "comment": "Please fix it soon."}}
    path = tmp_path / "livechat.json"
    chat = _chat("RK1", events, properties=rating, tags=["SMS"])
    path.write_text(json.dumps({"chats": [chat], "found_chats": 1, "next_page_id": None}))

    [record] = read_clean("intercom", path, OURS).feedback
    assert (record.text, record.contact_email, record.account_ref, record.tags) == (
        "The SMS ETA is in UTC, not local time.\n\nAll the Irish depots.\n\nPlease fix it soon.",
        "pavel@globex.example",
        "Globex Freight",
        ["sms"],
    )
    assert record.occurred_at == datetime(2026, 12, 3, 9, 0, 0, 120441, tzinfo=UTC)
    assert record.link_url == "https://my.livechatinc.com/archives/RK1"


def test_a_livechat_whisper_is_no_message_of_the_chat() -> None:
    """A message only agents see (`visibility: agents`) is left out, not taken as the team's."""
    events = [
        _event("message", "tom@ourco.com", "01", text="Known tz bug", visibility="agents"),
        _event("message", "tom@ourco.com", "02", text="Hi Pavel!"),
    ]
    assert from_livechat(_chat("RK3", events)).said == [Said("team", "Hi Pavel!", "Tom")]


def test_a_chat_only_the_livechat_bot_wrote_is_left_out_as_bot(tmp_path: Path) -> None:
    """A ChatBot agent (its id no email) is a bot, not one of the team."""
    path = tmp_path / "livechat.json"
    events = [_event("message", "6f0d1e2c3b4a", "01", text="Our new planner is live!")]
    path.write_text(json.dumps({"chats": [_chat("RK2", events)]}))
    read = read_clean("intercom", path, OURS)
    assert left_out_of(read) == [("bot", "Our new planner is live!")]


# Zoho Desk ----------------------------------------------------------------------------------


def _zoho(number: str, description: str, **more: Any) -> dict[str, Any]:
    contact = {
        "id": "c-1",
        "firstName": "Nora",
        "lastName": "Lind",
        "email": "nora@initech.example",
        "account": {"accountName": "Initech Health Ltd", "website": "https://initech.example"},
    }
    return {
        "id": f"48192000000{number}",
        "ticketNumber": number,
        "subject": f"Ticket {number}",
        "description": description,
        "channel": "Email",
        "priority": "High",
        "classification": "Problem",
        "status": "Open",
        "isSpam": False,
        "createdTime": "2026-12-03T09:00:00.000Z",
        "contactId": "c-1",
        "createdBy": "c-1",
        "webUrl": f"https://desk.zoho.eu/support/ourco/ShowHomePage.do#Cases/dv/{number}",
        "contact": contact,
        "assignee": {"id": "a-1", "email": "tom@ourco.com"},
        **more,
    }


def test_zoho_desk_tickets_are_their_descriptions(tmp_path: Path) -> None:
    """A page of Zoho Desk's API (`{"data": [...]}`): the HTML description without its quoted
    reply, the contact as requester, their account as organisation (its website a domain it
    is known by), the channel a tag, the link the ticket's agent page."""
    body = (
        "<div>The lab PDF cuts off the ranges column.</div>"
        "<div>On Mon, 30 Nov 2026 at 17:10, OurCo Support &lt;support@ourco.com&gt; wrote:</div>"
        "<blockquote><div>Could you send the panel code?</div></blockquote>"
    )
    path = tmp_path / "zoho.json"
    path.write_text(json.dumps({"data": [_zoho("2041", body)]}))
    [record] = read_clean("zendesk", path, OURS).feedback
    assert (record.text, record.contact_email, record.contact_name) == (
        "The lab PDF cuts off the ranges column.",
        "nora@initech.example",
        "Nora Lind",
    )
    assert (record.account_ref, record.account_aliases) == (
        "Initech Health Ltd",
        ("initech.example",),
    )
    assert record.tags == ["channel:email", "priority:high", "status:open", "type:problem"]
    assert record.link_url == "https://desk.zoho.eu/support/ourco/ShowHomePage.do#Cases/dv/2041"
    assert (record.external_id, record.occurred_at) == (
        "481920000002041",
        datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
    )


def test_zoho_desk_spam_and_tickets_an_agent_logged_are_left_out(tmp_path: Path) -> None:
    """`isSpam` is spam; a ticket created by someone other than its contact (an agent
    logging a call, not the one it is assigned to) is the team's words, staff."""
    spam = _zoho("2045", "<div>Cheap watches for sale, great prices.</div>", isSpam=True)
    logged = _zoho("2044", "<div>Pavel says routes ignore vehicle height.</div>", createdBy="a-2")
    path = tmp_path / "zoho.json"
    path.write_text(json.dumps({"data": [spam, logged]}))
    read = read_clean("zendesk", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("spam", "Cheap watches for sale, great prices."),
        ("staff", "Pavel says routes ignore vehicle height."),
    ]
