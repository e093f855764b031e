"""Dixa's message export, read into the `intercom` connector's `Conversation` form.

Dixa's Exports API (`GET https://exports.dixa.io/v1/message_export`) gives a flat array of
messages, not of conversations: each names its conversation (`csid`; some saved copies call
it `conversation_id`), `created_at` in Unix milliseconds, its `direction` (`inbound`: the
customer's side; `outbound`: an agent's or Dixa's own), `author_name` and `author_email`, the
mail's `from`/`to` (`from_email`/`to_emails` in some copies), `text` (an email's also as
`html`), `is_automated_message` (what a flow, a chatbot or an auto-reply sent, not a person),
and a chat menu's prompt and answer (`chat_menu_text`, `chat_input_question`,
`chat_input_answer`). Internal notes are not in it. The messages are gathered by
conversation: an inbound message a person wrote is the customer's, an outbound one the
team's or, automated, a bot's; a call's messages (a recording, a voicemail) have no words.
The answer a visitor picked from a chat menu, written back as their message, is no words of
theirs.
"""

from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import Conversation, Said, from_millis
from huddle.connectors.record_values import as_text, said_yes

# Dixa's channels whose conversations are mail (the rest are chats and messengers).
_MAIL_CHANNELS = {"email", "contactform"}
_KEYS = ("csid", "conversation_id")


def is_dixa_message(record: Any) -> bool:
    """One message of Dixa's message export."""
    return (
        isinstance(record, dict)
        and str(record.get("direction") or "").casefold() in {"inbound", "outbound"}
        and any(record.get(key) is not None for key in _KEYS)
        and any(
            key in record
            for key in ("author_name", "author_email", "is_automated_message", "initial_channel")
        )
    )


def dixa_conversation_id(message: dict[str, Any]) -> str:
    return str(next(message[key] for key in _KEYS if message.get(key) is not None))


def _made(message: dict[str, Any]) -> float:
    made = message.get("created_at")
    return float(made) if isinstance(made, int | float) and not isinstance(made, bool) else 0.0


def _address(value: Any) -> str | None:
    """An email address from `from` (a string, or a list of one)."""
    if isinstance(value, list):
        value = value[0] if value else None
    text = as_text(value)
    return text if text and "@" in text else None


def _words(message: dict[str, Any]) -> str:
    text = as_text(message.get("text"))
    if text:
        return text.strip()
    return html_to_text(str(message.get("html") or "")).strip()


def from_dixa(conversation_id: str, messages: list[dict[str, Any]]) -> Conversation:
    """A Dixa conversation from its messages: inbound ones by a person are the customer's,
    outbound ones the team's, automated ones a bot's."""
    # Oldest first; a stable sort keeps messages of the same millisecond in order.
    ordered = sorted(messages, key=_made)
    answers = {
        answer.casefold()
        for message in ordered
        if (answer := as_text(message.get("chat_input_answer")))
    }
    said: list[Said] = []
    for message in ordered:
        text = _words(message)
        if not text:
            continue  # a call's recording, a voicemail, a file
        inbound = str(message.get("direction") or "").casefold() == "inbound"
        name = as_text(message.get("author_name"))
        if said_yes(message.get("is_automated_message")):
            said.append(Said("bot", text, name))
        elif not inbound:
            said.append(Said("team", text, name, as_text(message.get("author_email"))))
        elif text.casefold() not in answers:
            email = _address(message.get("author_email")) or _address(
                message.get("from") or message.get("from_email")
            )
            said.append(Said("customer", text, name, email))
    first = ordered[0] if ordered else {}
    channel = str(first.get("initial_channel") or first.get("channel") or "").casefold()
    created = first.get("created_at")
    return Conversation(
        id=conversation_id,
        created_at=from_millis(created),
        when_field="created_at",
        when_form="Unix milliseconds",
        said=said,
        source="ticket" if channel in _MAIL_CHANNELS else "chat",
    )
