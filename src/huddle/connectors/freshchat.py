"""Freshchat conversations, read into the `intercom` connector's `Conversation` form.

Freshchat's API v2 gives a conversation (`conversation_id`, `app_id`, `status`,
`created_time` in ISO 8601) apart from its messages (`GET /v2/conversations/{id}/messages`:
`{"messages": [...]}`, newest first) and its user (`GET /v2/users/{id}`: `email`,
`first_name`, `last_name`, `properties` as `[{"name", "value"}]`). A dump nests the messages
(`messages`, bare or as the API's page) and the user (`user`, or the first of `users`) into
each conversation.

A message's words are the `text.content` of its `message_parts`; an image, a file or the
quick-reply button a visitor clicked (`quick_reply_response`) are no words. Its
`actor_type` is `user` (the customer), `agent`, `bot` (Freddy, a flow) or `system` (an
assignment, a resolution: no one's words); a `private` message is an agent's note, never
shown to the customer.
"""

from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said
from huddle.connectors.drift import drift_messages
from huddle.connectors.record_values import as_text, dict_at


def is_freshchat(record: dict[str, Any]) -> bool:
    return "conversation_id" in record and any(
        key in record for key in ("messages", "user", "users", "app_id", "channel_id")
    )


def freshchat_messages(conversation: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The conversation's messages (a list, or the API's `{"messages": [...]}` page), or None
    when the dump did not save them."""
    return drift_messages(conversation.get("messages"))


def _user(conversation: dict[str, Any]) -> dict[str, Any]:
    user = conversation.get("user")
    if isinstance(user, dict):
        return user
    users = [u for u in conversation.get("users") or [] if isinstance(u, dict)]
    return users[0] if users else {}


def _company(user: dict[str, Any]) -> str | None:
    properties = user.get("properties")
    if isinstance(properties, dict):
        pairs = list(properties.items())
    else:
        pairs = [(p.get("name"), p.get("value")) for p in properties or [] if isinstance(p, dict)]
    return next(
        (
            as_text(value)
            for key, value in pairs
            if str(key or "").lower() in COMPANY_FIELDS and isinstance(value, str)
        ),
        None,
    )


def _labels(value: Any) -> set[str]:
    """Every button label in a message's parts: what a visitor's click writes back."""
    if isinstance(value, list):
        return set().union(*(_labels(v) for v in value)) if value else set()
    if not isinstance(value, dict):
        return set()
    found = (
        {str(value["label"]).strip().casefold()} if isinstance(value.get("label"), str) else set()
    )
    return found.union(*(_labels(v) for v in value.values() if isinstance(v, list | dict)))


def _words(message: dict[str, Any]) -> str:
    parts = [p for p in message.get("message_parts") or [] if isinstance(p, dict)]
    return "\n".join(
        html_to_text(str(dict_at(part, "text").get("content") or "")) for part in parts
    ).strip()


def from_freshchat(conversation: dict[str, Any], messages: list[dict[str, Any]]) -> Conversation:
    """A Freshchat conversation and its messages: the user's text messages are theirs, an
    agent's public messages the team's, a bot's the bot's; notes and system messages left out."""
    user = _user(conversation)
    name = " ".join(str(user.get(k) or "").strip() for k in ("first_name", "last_name")).strip()
    email = as_text(user.get("email"))
    # Oldest first: the API lists them newest first (a stable sort keeps same-time messages
    # in the order they happened). ISO 8601 in UTC sorts as it reads.
    ordered = sorted(reversed(messages), key=lambda m: str(m.get("created_time") or ""))
    said: list[Said] = []
    labels: set[str] = set()
    for message in ordered:
        actor = message.get("actor_type")
        if actor == "system" or message.get("message_type") in {"private", "system"}:
            continue
        if actor != "user":
            labels |= _labels(message.get("message_parts")) | _labels(message.get("reply_parts"))
        text = _words(message)
        if not text:
            continue  # an image, a file, a quick reply clicked
        if actor == "user":
            if text.casefold() not in labels:
                said.append(Said("customer", text, name or None, email))
        else:
            said.append(Said("bot" if actor == "bot" else "team", text))
    created = conversation.get("created_time") or (
        ordered[0].get("created_time") if ordered else None
    )
    return Conversation(
        id=str(conversation.get("conversation_id")),
        created_at=created,
        when_field="created_time",
        when_form="ISO 8601",
        said=said,
        company=_company(user),
    )
