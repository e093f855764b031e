"""Zendesk Sunshine Conversations (Sunco, once Smooch), read into the `intercom` connector's
`Conversation` form.

API v2 lists one conversation's messages (`GET /v2/apps/{app}/conversations/{id}/messages`:
`{"messages": [...], "meta": {"hasMore", "afterCursor"}, "links": {...}}`, oldest first); a
webhook delivers them one at a time (`{"app", "webhook", "events": [{"type":
"conversation:message", "payload": {"conversation": {"id"}, "message": {...}}}]}`); API v1
wrote `{"messages": [...]}` with a `role` (`appUser`, `appMaker`) instead of an author. A
script may save pages or deliveries in an array or one a line; the messages are gathered by
their conversation (a page saved alone is one conversation: its file's).

A v2 message has its `author` (`type` "user", the visitor, or "business": an agent from the
Zendesk agent workspace, an AI agent with `subtypes: ["AI"]`, an integration through the
API), its `content` (`type` text, image, file, form, formResponse, carousel, list, location,
template; `text`; `actions` the business offers, a reply button's `payload` when the visitor
pressed it), its `source` (`web`, `whatsapp`, `api:conversations`, `zd:agentWorkspace`…), a
`quotedMessage` (someone else's words, left out) and `received` (ISO 8601). The visitor's
text messages and an image's or file's caption are theirs; a reply button they pressed is no
words of theirs, nor the form they filled in, whose fields (name, email, company) say who
they are and for whom they write.
"""

import io
import re
from datetime import UTC, datetime
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said, company_field
from huddle.connectors.email_addresses import email_in
from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import as_text, dict_at, listed

# Conversations by id as they are gathered: the line first seen on, the conversation's own
# fields, and its messages by id (a message delivered twice is read once).
Gathered = dict[str, tuple[int, dict[str, Any], dict[str, dict[str, Any]]]]

_RECEIVED = re.compile(rb'"received"\s*:')
_V2_AUTHOR = re.compile(rb'"type"\s*:\s*"(?:user|business)"')
_V1_ROLE = re.compile(rb'"role"\s*:\s*"app(?:User|Maker)"')
_MESSAGE_EVENT = "conversation:message"
# A business author's source or subtype that is a machine: an AI agent, Zendesk's answer
# bot, a flow builder's bot; an agent writes from the agent workspace.
_BOT_WORDS = re.compile(r"bot|\bai\b|aiagent|flow|ultimate", re.IGNORECASE)
# The form fields that name the visitor.
_NAME_FIELDS = ("name", "full name", "full_name", "fullname", "your name")
_FALLBACK_LINE = re.compile(r"^\s*([^:\n]{1,60}):\s*(.+?)\s*$", re.MULTILINE)
# The name Zendesk's messaging gives a visitor it knows nothing of ("Web User 6748f0c2a91e"):
# no one's name.
_ANONYMOUS = re.compile(r"^[\w ]{1,20} user [0-9a-f]{6,}$", re.IGNORECASE)


def sunco_prefix(head: bytes) -> str | None:
    """Where a JSON file saved whole (one object) keeps its Sunco messages: `messages.item`
    (a page), `events.item` (a webhook's delivery); None when it is not Sunco's."""
    if not head.lstrip().startswith(b"{") or not _RECEIVED.search(head):
        return None
    if not (_V2_AUTHOR.search(head) or _V1_ROLE.search(head)):
        return None
    top: set[str] = set()
    objects = 0
    try:
        for prefix, event, _ in ijson.parse(io.BytesIO(head), multiple_values=True):
            if event == "start_map" and not prefix:
                objects += 1
                if objects > 1:
                    return None  # one delivery or page a line: read as JSON lines
            elif event == "start_array" and "." not in prefix:
                top.add(prefix)
    except ijson.JSONError:
        pass  # the head ends mid-file: what it showed is enough
    if "events" in top:
        return "events.item"
    return "messages.item" if "messages" in top else None


def is_sunco_message(record: Any) -> bool:
    if not isinstance(record, dict) or "received" not in record:
        return False
    author = dict_at(record, "author")
    return (
        author.get("type") in {"user", "business"} and isinstance(record.get("content"), dict)
    ) or (record.get("role") in {"appUser", "appMaker"})


def sunco_messages(record: Any) -> list[tuple[dict[str, Any], dict[str, Any]]] | None:
    """(conversation, message) of each Sunco message a record holds: itself, a webhook's
    delivery or one of its events, a page (with the conversation a script saved beside it);
    None when the record is none of these. A delivery of other events (a read receipt,
    typing) holds none."""
    if is_sunco_message(record):
        return [({}, record)]
    if not isinstance(record, dict):
        return None
    delivery = "webhook" in record and isinstance(record.get("events"), list)
    found: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for event in listed(record.get("events")) if delivery else [record]:
        if isinstance(event, dict) and event.get("type") == _MESSAGE_EVENT:
            payload = dict_at(event, "payload")
            message = dict_at(payload, "message")
            if is_sunco_message(message):
                found.append((dict_at(payload, "conversation"), message))
    if found or delivery:
        return found
    if str(record.get("type") or "").startswith("conversation:") and "payload" in record:
        return []  # one event of another kind, from a delivery's `events`
    page = listed(record.get("messages"))
    if page and all(is_sunco_message(m) for m in page):
        return [(dict_at(record, "conversation"), m) for m in page]
    return None


def gather(found: Gathered, line: int, record: Any, fallback_id: str) -> bool:
    """Keeps a record's Sunco messages by conversation until the file is read; False when it
    holds none."""
    messages = sunco_messages(record)
    if messages is None:
        return False
    for conversation, message in messages:
        key = as_text(conversation.get("id") or conversation.get("_id")) or fallback_id
        _, known, held = found.setdefault(key, (line, {"id": key}, {}))
        known.update(conversation)
        held[str(message.get("id") or message.get("_id") or len(held))] = message
    return True


def _received(message: dict[str, Any]) -> datetime:
    try:
        return parse_when(message.get("received"))
    except (ValueError, TypeError, OSError, OverflowError):
        return datetime.min.replace(tzinfo=UTC)


def _by_visitor(message: dict[str, Any]) -> bool:
    return dict_at(message, "author").get("type") == "user" or message.get("role") == "appUser"


def _business(message: dict[str, Any]) -> str:
    """Who wrote a business message: "bot" (an AI agent, a bot integration) or "team"."""
    author = dict_at(message, "author")
    marks = [*map(str, listed(author.get("subtypes"))), str(dict_at(message, "source").get("type"))]
    return "bot" if any(_BOT_WORDS.search(mark) for mark in marks) else "team"


def _words(content: dict[str, Any]) -> str:
    """What a message says: a text, an image's or file's caption; a form, a card, a location
    or a template says nothing of the writer's own."""
    if content.get("type") not in {None, "text", "image", "file"}:
        return ""
    text = as_text(content.get("text") or content.get("markdownText"))
    if text is None and as_text(content.get("htmlText")):
        text = html_to_text(str(content["htmlText"]))
    return text or ""


def _offered(content: dict[str, Any]) -> set[str]:
    """The labels of the reply buttons a message offers, as the visitor's message would
    repeat them."""
    return {
        str(action.get("text") or "").strip().casefold()
        for action in listed(content.get("actions"))
        if isinstance(action, dict) and action.get("type") in {"reply", "postback"}
    }


def _answers(content: dict[str, Any]) -> dict[str, str]:
    """A form response's answers by the field's name and label, case-folded; its
    `textFallback` ("Company: Vandelay Imports") when it gives no fields."""
    answers: dict[str, str] = {}
    for field in listed(content.get("fields")):
        if not isinstance(field, dict):
            continue
        value = as_text(field.get("text") or field.get("email"))
        if value is None and listed(field.get("select")):
            first = listed(field.get("select"))[0]
            value = as_text(first.get("label") if isinstance(first, dict) else first)
        for key in (field.get("name"), field.get("label")):
            if value and as_text(key):
                answers.setdefault(str(key).strip().casefold(), value)
    if not answers:
        for label, value in _FALLBACK_LINE.findall(str(content.get("textFallback") or "")):
            answers.setdefault(label.strip().casefold(), value)
    return answers


def _who(message: dict[str, Any]) -> tuple[str | None, str | None]:
    """The visitor's name and email as their message's author gives them."""
    author = dict_at(message, "author")
    profile = dict_at(dict_at(author, "user"), "profile")
    given = " ".join(p for k in ("givenName", "surname") if (p := as_text(profile.get(k)) or ""))
    name = as_text(author.get("displayName")) or given or as_text(message.get("name"))
    name = None if name and _ANONYMOUS.match(name) else name
    email = as_text(profile.get("email")) or as_text(message.get("email"))
    return name, email or email_in(as_text(author.get("userExternalId")))


def from_sunco(conversation: dict[str, Any], messages: list[dict[str, Any]]) -> Conversation:
    """A Sunco conversation: the visitor's words, the business's (agents', AI agents') apart;
    the visitor named, addressed and placed by the form they filled in, else by their
    author."""
    ordered = sorted(messages, key=_received)
    offered: set[str] = set()
    form: dict[str, str] = {}
    said: list[Said] = []
    name = email = None
    for message in ordered:
        if message.get("deleted") is True or message.get("activity"):
            continue  # a deleted message's placeholder, a system activity's notice
        # v1 keeps the content's fields on the message itself.
        content = dict_at(message, "content") or message
        if not _by_visitor(message):
            offered |= _offered(content)
            if text := _words(content):
                author = as_text(dict_at(message, "author").get("displayName"))
                said.append(Said(_business(message), text, author or as_text(message.get("name"))))
            continue
        author_name, author_email = _who(message)
        name, email = name or author_name, email or author_email
        if content.get("type") == "formResponse":
            form.update(_answers(content))
            continue
        text = _words(content)
        if not text or content.get("payload") is not None or text.casefold() in offered:
            continue  # a file, a reply button pressed
        said.append(Said("customer", text))
    name = next((form[k] for k in _NAME_FIELDS if k in form), None) or name
    email = next((found for k, v in form.items() if "mail" in k and (found := email_in(v))), email)
    for one in said:
        if one.who == "customer":
            one.name, one.email = name, email
    company = next((value for key, value in form.items() if key in COMPANY_FIELDS), None)
    metadata = [dict_at(conversation, "metadata"), *(dict_at(m, "metadata") for m in ordered)]
    first = ordered[0].get("received") if ordered else None
    return Conversation(
        id=str(conversation.get("id")),
        created_at=conversation.get("createdAt") or first,
        when_field="received",
        when_form="ISO 8601",
        said=said,
        title=as_text(conversation.get("displayName")),
        company=company or company_field(*metadata),
    )
