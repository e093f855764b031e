"""Drift conversations, read into the `intercom` connector's `Conversation` form.

Drift's Conversations API gives a conversation (`id`, `contactId`, `participants`, `status`,
`inboxId`, `conversationTags`, `createdAt` in Unix milliseconds), its messages apart (`GET
/conversations/{id}/messages`: `{"data": {"messages": [...]}}`) and its contact apart (`GET
/contacts/{id}`: `attributes.email`, `attributes.name`). A dump nests the messages and the
contact into each conversation (`messages`, `contact`, bare or still in the API's `data`), or
keeps the messages alone, each naming its `conversationId`.

A message's `author` is a `contact` (the customer) or a `user` (one of the team; `bot: true`
the chatbot or a playbook); its `type` is `chat` (said in the chat), `private_note` or
`private_prompt` (the team's, never shown to the customer), or `edit` (an earlier message,
`editedMessageId`, replaced or deleted). A playbook's buttons are the bot's, and the label a
visitor clicked, which Drift writes back as their message (`attributes.buttonValue`), is no
words of theirs.
"""

from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said, from_millis
from huddle.connectors.record_values import as_text, dict_at, tags_from

LINK = "https://app.drift.com/conversations/{}"
# A contact's company: an attribute a form asked for, or the one enrichment found.
_COMPANY_ATTRIBUTES = {*COMPANY_FIELDS, "employment_name", "companyname"}
_DELETED = object()


def drift_conversation(record: dict[str, Any]) -> dict[str, Any] | None:
    """The Drift conversation a record holds (itself, or the API's `data` with the messages
    and contact saved beside it), or None when it is not one."""
    inner = dict_at(record, "data")
    if "contactId" in inner:
        return {**record, **inner}
    return record if "contactId" in record else None


def drift_messages(value: Any) -> list[dict[str, Any]] | None:
    """The messages in a list, in `{"messages": [...]}` or in the API's page `{"data":
    {"messages": [...]}}`; None when there are none to be found."""
    if isinstance(value, list):
        return [m for m in value if isinstance(m, dict)]
    if not isinstance(value, dict):
        return None
    inner = value.get("messages", dict_at(value, "data").get("messages"))
    return drift_messages(inner) if isinstance(inner, list | dict) and inner is not value else None


def messages_alone(record: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Drift messages saved without their conversation (one message, or a page of them), or
    None when the record is something else."""
    if "contactId" in record or "contactId" in dict_at(record, "data"):
        return None
    if isinstance(record.get("author"), dict) and "conversationId" in record:
        return [record]
    if "messages" in dict_at(record, "data") and "pagination" in record:
        found = drift_messages(record)
        return [m for m in found or [] if "conversationId" in m]
    return None


def _made(message: dict[str, Any]) -> float:
    made = message.get("createdAt")
    return float(made) if isinstance(made, int | float) else 0.0


def from_drift(conversation: dict[str, Any], messages: list[dict[str, Any]]) -> Conversation:
    """A Drift conversation and its messages: the contact's chat messages are theirs (named
    and addressed by the contact's attributes), a user's the team's or, `bot: true`, a bot's."""
    contact = dict_at(conversation, "contact")
    attributes = dict_at(dict_at(contact, "data") or contact, "attributes")
    name, email = as_text(attributes.get("name")), as_text(attributes.get("email"))
    # Oldest first (a stable sort keeps messages of the same millisecond in order); an edit
    # changes the message it names.
    ordered = sorted(messages, key=_made)
    edited: dict[str, Any] = {}
    for message in ordered:
        if message.get("type") == "edit":
            how = message.get("editType")
            edited[str(message.get("editedMessageId"))] = (
                _DELETED if how == "delete" else message.get("body")
            )
    said: list[Said] = []
    labels: set[str] = set()
    for message in ordered:
        if message.get("type") not in (None, "chat"):
            continue  # a private note or prompt, an edit
        body = edited.get(str(message.get("id")), message.get("body"))
        if body is _DELETED:
            continue
        text = html_to_text(str(body or ""))
        labels |= {
            str(button.get("label") or "").strip().casefold()
            for button in message.get("buttons") or []
            if isinstance(button, dict)
        }
        author = dict_at(message, "author")
        if author.get("type") == "contact":
            clicked = dict_at(message, "attributes").get("buttonValue") is not None
            if not clicked and text.casefold() not in labels:
                said.append(Said("customer", text, name, email))
        else:
            bot = author.get("bot") is True or author.get("type") == "bot"
            said.append(Said("bot" if bot else "team", text))
    company = next(
        (
            as_text(value)
            for key, value in attributes.items()
            if key.lower() in _COMPANY_ATTRIBUTES and isinstance(value, str)
        ),
        None,
    )
    created = conversation.get("createdAt") or (ordered[0].get("createdAt") if ordered else None)
    tags = conversation.get("conversationTags") or []
    conversation_id = str(conversation.get("id"))
    return Conversation(
        id=conversation_id,
        created_at=from_millis(created),
        when_field="createdAt",
        when_form="Unix milliseconds",
        said=said,
        link=LINK.format(conversation_id),
        tags=tags_from([t.get("name") if isinstance(t, dict) else t for t in tags]),
        company=company,
    )
