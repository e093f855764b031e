"""HubSpot's Conversations inbox, read into the `intercom` connector's `Conversation` form.

The Conversations API lists threads (`GET /conversations/v3/conversations/threads`:
`{"results": [...], "paging": {"next": {"after"}}}`, each thread with its `id`, `createdAt`,
`status`, `spam`, `originalChannelId`, `inboxId`, `associatedContactId`) and each thread's
messages apart (`GET …/threads/{threadId}/messages`: `{"results": [...]}`). A script saves
the messages nested in their thread (`messages`, the list or the answer whole), or the two
answers together, the messages gathered by their `conversationsThreadId`. A message has its
`type` (MESSAGE; COMMENT, a note the team left; WELCOME_MESSAGE, the chat widget's greeting;
THREAD_STATUS_CHANGE, ASSIGNMENT…, no words), `createdBy` and `senders` [{`actorId`, `name`,
`deliveryIdentifier` {`type`, `value`}}] (an actor by its prefix: V- a visitor or contact, E-
an email address HubSpot knew no contact for, A- an agent, B- a bot, I- an integration, L- an
AI agent, S- HubSpot itself; since 2023 an unknown sender has no actorId at all), `direction`
(INCOMING, OUTGOING), `text` and `richText`, `subject` (an email's), `channelId` (1000 live
chat, 1002 email…).

A thread's words are its customer's messages (a visitor's or contact's, one without an actor
that came in); the team's replies and notes and a bot's greeting are not theirs. A thread
HubSpot filed as spam is spam. Its link is the thread in the inbox when the portal is known
(`--map portal_id=…`). A thread saved without its messages holds no words: it is refused,
saying to fetch them.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import Conversation, Said
from huddle.connectors.json_reading import first_bytes, json_records_at
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.records import RowError

# A page of the API's answers: its `results`, and keys only HubSpot's threads or messages have.
_RESULTS = re.compile(rb'^\s*\{\s*"results"\s*:\s*\[')
_HUBSPOT_KEYS = re.compile(
    rb'"(conversationsThreadId|originalChannelId|latestMessageTimestamp|associatedContactId)"'
)
# Who an actor is, by the prefix of their id.
_ACTORS = {
    "V": "customer",
    "E": "customer",
    "A": "team",
    "B": "bot",
    "I": "bot",
    "L": "bot",
    "S": "bot",
}
# HubSpot's channels a customer writes in by mail or a form: a ticket rather than a chat.
_MAILED = {"1002", "1003"}


@dataclass
class _Thread:
    line: int
    thread: dict[str, Any]
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)


Gathered = dict[str, _Thread]


def pages(path: Path, encoding: str) -> Iterator[tuple[int, Any]] | None:
    """The threads (or messages) of one API answer saved alone, one by one; None for any
    other file (an array or JSON lines of them are read as they are)."""
    head = first_bytes(path, encoding)
    if not (_RESULTS.match(head) and _HUBSPOT_KEYS.search(head)):
        return None
    return json_records_at(path, "results.item", encoding=encoding, what="a thread")


def _is_page(record: dict[str, Any]) -> bool:
    results = record.get("results")
    return isinstance(results, list) and any(
        isinstance(r, dict) and (_is_thread(r) or _is_message(r)) for r in results
    )


def _is_thread(record: dict[str, Any]) -> bool:
    return "originalChannelId" in record or "latestMessageTimestamp" in record


def _is_message(record: dict[str, Any]) -> bool:
    return "conversationsThreadId" in record and "type" in record


def gather(gathered: Gathered, line: int, record: Any) -> bool:
    """A HubSpot thread, message or answer of them added to what the file has told; False for
    any other record."""
    if not isinstance(record, dict):
        return False
    if _is_page(record):
        for inner in record["results"]:
            gather(gathered, line, inner)
        return True
    if _is_message(record):
        held = gathered.setdefault(str(record["conversationsThreadId"]), _Thread(line, {}))
        held.messages.setdefault(str(record.get("id") or len(held.messages)), record)
        return True
    if not (_is_thread(record) and as_text(record.get("id"))):
        return False
    held = gathered.setdefault(str(record["id"]), _Thread(line, record))
    held.thread, held.line = record, line
    nested = record.get("messages")
    listed = nested.get("results") if isinstance(nested, dict) else nested
    for message in listed if isinstance(listed, list) else []:
        if isinstance(message, dict):
            held.messages.setdefault(str(message.get("id") or len(held.messages)), message)
    return True


def conversations(
    gathered: Gathered, portal: str | None, errors: list[RowError]
) -> Iterator[tuple[int, Conversation]]:
    """Each gathered thread as a conversation; a thread without messages is an error."""
    for thread_id, held in gathered.items():
        if not held.messages:
            errors.append(
                RowError(
                    held.line,
                    "messages",
                    f"HubSpot thread {thread_id} has no messages: save each thread's messages "
                    "(GET /conversations/v3/conversations/threads/{threadId}/messages) in its "
                    "`messages`",
                )
            )
            continue
        yield held.line, _conversation(thread_id, held, portal)


def _order(message: dict[str, Any]) -> str:
    # ISO 8601 in UTC sorts as it reads.
    return str(message.get("createdAt") or "")


def _who(message: dict[str, Any], sender: dict[str, Any]) -> str:
    """'customer', 'team' or 'bot', by the actor (a note's and a greeting's are the team's
    and a bot's), else by the way it came."""
    actor = str(sender.get("actorId") or message.get("createdBy") or "")
    if "-" in actor and actor.split("-", 1)[0] in _ACTORS:
        return _ACTORS[actor.split("-", 1)[0]]
    return "customer" if str(message.get("direction")).upper() == "INCOMING" else "team"


def _email(sender: dict[str, Any]) -> str | None:
    found = dict_at(sender, "deliveryIdentifier")
    listed = sender.get("deliveryIdentifiers")
    for identifier in [found, *(listed if isinstance(listed, list) else [])]:
        if isinstance(identifier, dict) and "@" in str(identifier.get("value") or ""):
            return as_text(identifier.get("value"))
    actor = str(sender.get("actorId") or "")
    return actor[2:] if actor.startswith("E-") and "@" in actor else None


def _said(message: dict[str, Any]) -> Said | None:
    senders = [s for s in message.get("senders") or [] if isinstance(s, dict)]
    sender = senders[0] if senders else {}
    who = _who(message, sender)
    text = as_text(message.get("text")) or html_to_text(str(message.get("richText") or ""))
    if not text:
        return None  # a record of a change (THREAD_STATUS_CHANGE, ASSIGNMENT): no words
    return Said(who, text, as_text(sender.get("name")), _email(sender))


def _conversation(thread_id: str, held: _Thread, portal: str | None) -> Conversation:
    ordered = sorted(held.messages.values(), key=_order)
    said = [s for m in ordered if (s := _said(m))]
    thread = held.thread
    channel = str(thread.get("originalChannelId") or ordered[0].get("channelId") or "")
    subject = next((as_text(m.get("subject")) for m in ordered if m.get("subject")), None)
    return Conversation(
        id=thread_id,
        created_at=thread.get("createdAt") or ordered[0].get("createdAt"),
        when_field="createdAt",
        when_form="ISO 8601",
        said=said,
        title=subject,
        link=f"https://app.hubspot.com/live-messages/{portal}/inbox/{thread_id}"
        if portal
        else None,
        verdict="spam" if thread.get("spam") is True else None,
        source="ticket" if channel in _MAILED else "chat",
    )
