"""Chatwoot conversations, read into the `intercom` connector's `Conversation` form.

Chatwoot's Application API lists conversations as `{"data": {"meta": {counts}, "payload":
[...]}}` (`GET /api/v1/accounts/{account_id}/conversations`): each with its `id` (the number
people see), `account_id`, `inbox_id`, `status`, `labels`, `created_at` in Unix seconds,
`additional_attributes` (an email conversation's `mail_subject`), `meta.sender` (the contact:
`name`, `email`, `additional_attributes.company_name`, `custom_attributes`), `meta.channel`
(`Channel::WebWidget`, `Channel::Email`…) and `messages`. The list carries only the newest
message; a script saves each conversation's whole thread from `GET …/conversations/{id}/
messages` (`{"meta": {…}, "payload": [...]}`), beside it or alone. Messages alone (that page,
a webhook log) name their conversation (`conversation_id`, a webhook's `conversation.id`) and
are gathered by it, each once: a later copy of a message (an answered survey) replaces it.

A message's `message_type` is 0 `incoming` (the contact's), 1 `outgoing` (an agent's, or a
bot's: `sender_type` `AgentBot` or Captain's assistant; one without a sender an automation's),
2 `activity` (Chatwoot's own notices: resolved, assigned, labelled: no one's words) or 3
`template` (a bot's greeting, menu, form or satisfaction survey), as the number or its name.
`private: true` is an agent's note, never shown to the contact. The option a visitor picked
from a bot's menu (`input_select`), which Chatwoot writes back as their message, is no words
of theirs; the comment left with a satisfaction rating (`submitted_values.csat_survey_response
.feedback_message`) is. The link is the conversation in Chatwoot's app: Chatwoot Cloud's, or
the server `--workspace` names (a self-hosted Chatwoot).
"""

from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import Conversation, Said, company_field
from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import as_text, dict_at, listed, tags_from

CLOUD = "https://app.chatwoot.com"
_TYPES = {0: "incoming", 1: "outgoing", 2: "activity", 3: "template"}
_NAMES = set(_TYPES.values())
# Conversations by id as they are gathered: the line it was first seen on, the conversation's
# own fields, and its messages by id.
Gathered = dict[str, tuple[int, dict[str, Any], dict[str, dict[str, Any]]]]


def _kind(message: dict[str, Any]) -> str | None:
    kind = message.get("message_type")
    if isinstance(kind, int) and not isinstance(kind, bool):
        return _TYPES.get(kind)
    return kind if isinstance(kind, str) and kind in _NAMES else None


def is_chatwoot_message(record: Any) -> bool:
    """One message of a Chatwoot conversation, saved without it."""
    return (
        isinstance(record, dict)
        and _kind(record) is not None
        and "content" in record
        and _conversation_id(record) is not None
    )


def is_chatwoot(record: dict[str, Any]) -> bool:
    """A Chatwoot conversation: its inbox, and its contact in `meta` or its messages."""
    meta = dict_at(record, "meta")
    return (
        "inbox_id" in record
        and "conversation_id" not in record
        and ("sender" in meta or "channel" in meta or isinstance(record.get("messages"), list))
    )


def _conversation_id(message: dict[str, Any]) -> str | None:
    return as_text(message.get("conversation_id") or dict_at(message, "conversation").get("id"))


def gather(found: Gathered, line: int, record: dict[str, Any]) -> None:
    """A conversation (with the messages it carries) or a message alone, kept by
    conversation until the file is read."""
    if is_chatwoot_message(record):
        key, conversation, messages = str(_conversation_id(record)), {}, [record]
    else:
        key, conversation, messages = str(record.get("id")), record, listed(record.get("messages"))
    _, known, held = found.setdefault(key, (line, {"id": key}, {}))
    known.update({k: v for k, v in conversation.items() if k != "messages"})
    for message in messages:
        if isinstance(message, dict):
            held[str(message.get("id") or f"#{len(held)}")] = message


def _when(message: dict[str, Any]) -> float:
    try:
        return parse_when(message.get("created_at")).timestamp()
    except (ValueError, TypeError, OSError, OverflowError):
        return 0.0


def _words(message: dict[str, Any]) -> str:
    """A message's text; an email's reply without the mail it quotes when Chatwoot kept it
    apart (`content_attributes.email`)."""
    email = dict_at(dict_at(message, "content_attributes"), "email")
    reply = as_text(dict_at(email, "text_content").get("reply"))
    if reply:
        return reply
    content = as_text(message.get("content"))
    if content:
        return content
    return html_to_text(str(dict_at(email, "html_content").get("reply") or "")).strip()


def _sender_kind(message: dict[str, Any]) -> str:
    """Who sent it, as Chatwoot names them (`Contact`, `User`, `AgentBot`,
    `Captain::Assistant`; a webhook's `contact`, `user`, `agent_bot`), letters only."""
    named = message.get("sender_type") or dict_at(message, "sender").get("type") or ""
    return "".join(c for c in str(named).casefold() if c.isalpha())


def _who(kind: str | None, sender: str) -> str | None:
    """`customer`, `team` or `bot` for a message of this type and sender; None for an
    activity, or a message of no known type nor sender."""
    if kind == "activity":
        return None
    if sender == "user":
        return "team"
    if sender == "contact" or (kind == "incoming" and not sender):
        return "customer"
    # A bot (AgentBot, Captain's assistant), a template, an automation's outgoing message.
    return "bot" if kind is not None or sender else None


def _options(message: dict[str, Any]) -> set[str]:
    """The titles and values of the choices a bot's menu or cards offered."""
    attributes = dict_at(message, "content_attributes")
    found: set[str] = set()
    for item in listed(attributes.get("items")):
        if not isinstance(item, dict):
            continue
        found |= {str(item.get(k) or "").strip().casefold() for k in ("title", "value")}
        for action in listed(item.get("actions")):
            if isinstance(action, dict):
                found |= {str(action.get(k) or "").strip().casefold() for k in ("text", "payload")}
    return found - {""}


def _picked(message: dict[str, Any], text: str, offered: set[str]) -> bool:
    """The contact's message is only the option they clicked in a bot's menu."""
    attributes = dict_at(message, "content_attributes")
    clicked = {
        str(value.get(k) or "").strip().casefold()
        for value in listed(attributes.get("submitted_values"))
        if isinstance(value, dict)
        for k in ("title", "value")
    }
    said = text.strip().casefold()
    return message.get("content_type") == "input_select" or said in clicked or said in offered


def _company(contact: dict[str, Any]) -> str | None:
    """The contact's company: Chatwoot's own (`company`, newer versions), else the one its
    attributes name (`additional_attributes.company_name`, a custom attribute)."""
    company = contact.get("company")
    named = company.get("name") if isinstance(company, dict) else company
    return (
        as_text(named)
        if isinstance(named, str) and named.strip()
        else company_field(
            dict_at(contact, "additional_attributes"), dict_at(contact, "custom_attributes")
        )
    )


def _person(person: dict[str, Any]) -> tuple[str | None, str | None]:
    return as_text(person.get("name")), as_text(person.get("email"))


def from_chatwoot(
    conversation: dict[str, Any], messages: list[dict[str, Any]], site: str
) -> Conversation:
    """A Chatwoot conversation from its messages: the contact's incoming words are theirs,
    agents' replies the team's, a bot's, a template's or an automation's the bot's; notes and
    activity messages are no one's."""
    meta = dict_at(conversation, "meta")
    ordered = sorted(messages, key=_when)  # stable: same-second messages keep their order
    contact = (
        dict_at(meta, "sender")
        or dict_at(conversation, "contact")
        or next(
            (dict_at(m, "sender") for m in ordered if _kind(m) == "incoming" and m.get("sender")),
            {},
        )
    )
    name, email = _person(contact)
    email = email or next(
        (
            found
            for m in ordered
            if (found := as_text(dict_at(m, "content_attributes").get("submitted_email")))
        ),
        None,
    )
    offered: set[str] = set()
    said: list[Said] = []
    for message in ordered:
        if message.get("private") is True:
            continue  # a note (an agent's, or one an integration filed): never shown to them
        who = _who(_kind(message), _sender_kind(message))
        text = _words(message)
        writer = dict_at(message, "sender")
        if who == "customer":
            if text and not _picked(message, text, offered):
                mail = as_text(writer.get("email")) or email
                said.append(Said("customer", text, as_text(writer.get("name")) or name, mail))
            continue
        if who is None:
            continue  # an activity: Chatwoot's notice
        offered |= _options(message)
        if text:
            said.append(Said(who, text, as_text(writer.get("name"))))
        submitted = dict_at(dict_at(message, "content_attributes"), "submitted_values")
        feedback = as_text(dict_at(submitted, "csat_survey_response").get("feedback_message"))
        if feedback:
            said.append(Said("customer", feedback, name, email))
    created = conversation.get("created_at") or (ordered[0].get("created_at") if ordered else None)
    conversation_id = str(conversation.get("id"))
    account = as_text(conversation.get("account_id")) or as_text(
        next((m.get("account_id") for m in ordered if m.get("account_id")), None)
    )
    channel = str(meta.get("channel") or conversation.get("channel") or "")
    return Conversation(
        id=conversation_id,
        created_at=created,
        when_field="created_at",
        when_form="Unix seconds",
        said=said,
        title=as_text(dict_at(conversation, "additional_attributes").get("mail_subject")),
        link=f"{site}/app/accounts/{account}/conversations/{conversation_id}" if account else None,
        tags=tags_from(listed(conversation.get("labels"))),
        company=_company(contact),
        source="ticket" if channel == "Channel::Email" else "chat",
    )
