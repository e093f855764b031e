"""Zendesk Chat (the old Zopim) chats, read into the `intercom` connector's `Conversation`
form: `GET /api/v2/chats` gives `{"chats": [...]}`, each with its `visitor` and a `history`
of events; an offline message has no history."""

from typing import Any

from huddle.connectors.conversations import Conversation, Said, tag_names
from huddle.connectors.record_values import as_text, dict_at


def is_zendesk_chat(record: dict[str, Any]) -> bool:
    return isinstance(record.get("visitor"), dict) and (
        isinstance(record.get("history"), list) or record.get("type") in {"chat", "offline_msg"}
    )


def from_zendesk_chat(chat: dict[str, Any]) -> Conversation:
    """A Zendesk Chat (Zopim) chat: its `history` of events, each by the visitor (`nick:
    visitor`), an agent (`agent:<id>`) or a trigger (`agent:trigger`, the welcome a rule
    sends: a bot's); the comment the visitor left with their rating is theirs too. An offline
    message has no history, its words in `message`."""
    visitor = dict_at(chat, "visitor")
    name, email = as_text(visitor.get("name")), as_text(visitor.get("email"))
    events = [e for e in chat.get("history") or [] if isinstance(e, dict)]
    # ISO 8601 in UTC, which sorts as it reads; a stable sort keeps same-second events in order.
    events.sort(key=lambda e: str(e.get("timestamp") or ""))
    said: list[Said] = []
    if as_text(chat.get("message")):
        said.append(Said("customer", str(chat["message"]).strip(), name, email))
    commented = False
    for event in events:
        kind, nick = event.get("type"), str(event.get("nick") or "")
        if kind == "chat.comment":
            text = as_text(event.get("new_comment") or event.get("comment"))
            commented = commented or text is not None
        elif kind == "chat.msg":
            text = as_text(event.get("msg"))
        else:
            continue  # joins, leaves, files, ratings: no one's words
        if not text:
            continue
        if nick == "visitor":
            said.append(Said("customer", text, as_text(event.get("name")) or name, email))
        else:
            who = "bot" if nick in {"agent:trigger", "agent:bot"} else "team"
            said.append(Said(who, text, as_text(event.get("name"))))
    comment = as_text(chat.get("comment"))
    if comment and not commented:
        said.append(Said("customer", comment, name, email))
    return Conversation(
        id=str(chat.get("id")),
        created_at=chat.get("timestamp"),
        when_field="timestamp",
        when_form="ISO 8601",
        said=said,
        tags=tag_names(chat),
    )
