"""tawk.to chats, read into the `intercom` connector's `Conversation` form.

tawk.to posts a webhook for each of its events as a JSON body with the `event`, its `time`
(ISO 8601) and the `property` (the site the chat widget is on); a request logger saves the
bodies, one a line or in an array:

- `chat:transcript_created`, once a chat has ended: its `chat` {`id`, `visitor` {`name`,
  `email`, `city`, `country`}, `messages` [{`sender` {`t`: "v" the visitor, "a" an agent,
  "s" tawk.to's own notices ("Chat started", "Visitor left the chat"); `n` the name; an
  agent's `id`}, `type` ("msg"; "file", "webrtc-call"), `msg`, `time`}]};
- `chat:start`, when the chat's first message is sent: `chatId`, `visitor` and that `message`
  {`text`, `type`, `sender` {`type`: "visitor", "agent" or "system"}};
- `chat:end`: `chatId` and `visitor`, no words;
- `ticket:create`: the `ticket` {`id`, `humanId`, `subject`, `message`} and its `requester`
  {`name`, `email`}: what a visitor left in the offline form, or sent by email.

tawk.to retries a delivery until it is acknowledged (for up to 12 hours), so a log may hold
one twice: each chat is read once, its messages gathered by chat and each kept once; a chat's
first message (`chat:start`) only when no transcript of that chat was logged. The visitor's
messages are the customer's words, an agent's the team's, a notice no one's. A visitor who
gave no name is called by tawk.to's number for them ("V1764594912331244"), which names no
one. The visitor's email names their company; an email at a public mail provider names none,
and then the company their name names ("Beth (Vandelay Imports)") is theirs, if known.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from huddle.connectors.conversations import Conversation, Said
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.transcript_rules import affiliation

# Who wrote a message: a transcript's one-letter `t`, or chat:start's word.
_WHO = {"v": "customer", "visitor": "customer", "a": "team", "agent": "team"}
# Message types that are words; a file's or a call's message is tawk.to's description of it.
_WORDS = {"msg", ""}
# tawk.to's name for a visitor who gave none.
_ANONYMOUS = re.compile(r"^V\d{6,}$")


@dataclass
class _Chat:
    """What a log tells of one chat (or ticket), whichever deliveries it came in."""

    line: int
    time: Any
    visitor: dict[str, Any]
    # The transcript's messages, each once: (who, time, words) → the writer's name.
    messages: dict[tuple[str, str, str], str | None] = field(default_factory=dict)
    # The first message, as chat:start gave it (read only without a transcript).
    opening: list[tuple[str, str]] = field(default_factory=list)
    subject: str | None = None
    source: str = "chat"


Gathered = dict[str, _Chat]


def is_tawkto(record: Any) -> bool:
    """A tawk.to webhook body: its `event` is one of tawk.to's, `chat:…` or `ticket:…`, and it
    names the property it is of."""
    return (
        isinstance(record, dict)
        and str(record.get("event") or "").startswith(("chat:", "ticket:"))
        and isinstance(record.get("property"), dict)
    )


def gather(gathered: Gathered, line: int, record: dict[str, Any]) -> None:
    """A delivery's chat (or ticket) added to what the log has told of it."""
    event = str(record.get("event"))
    chat = dict_at(record, "chat")
    if event.startswith("ticket:"):
        _ticket(gathered, line, record)
        return
    chat_id = as_text(chat.get("id") or record.get("chatId"))
    if chat_id is None:
        return
    visitor = dict_at(chat, "visitor") or dict_at(record, "visitor")
    held = gathered.setdefault(chat_id, _Chat(line, record.get("time"), visitor))
    held.visitor = held.visitor or visitor
    for message in chat.get("messages") or []:
        if not isinstance(message, dict) or str(message.get("type") or "") not in _WORDS:
            continue
        sender = dict_at(message, "sender")
        who = _WHO.get(str(sender.get("t") or sender.get("type") or ""))
        words = as_text(message.get("msg"))
        if who and words:
            key = (who, str(message.get("time") or ""), words)
            held.messages.setdefault(key, as_text(sender.get("n")))
    opening = dict_at(record, "message")
    if str(opening.get("type") or "") in _WORDS and (words := as_text(opening.get("text"))):
        who = _WHO.get(str(dict_at(opening, "sender").get("type") or ""))
        if who and (who, words) not in held.opening:  # (a retried delivery: once)
            held.opening.append((who, words))


def _ticket(gathered: Gathered, line: int, record: dict[str, Any]) -> None:
    ticket = dict_at(record, "ticket")
    ticket_id = as_text(ticket.get("id") or ticket.get("humanId"))
    words = as_text(ticket.get("message"))
    if ticket_id is None or words is None:
        return
    requester = dict_at(record, "requester")
    held = gathered.setdefault(f"ticket:{ticket_id}", _Chat(line, record.get("time"), requester))
    held.opening = [("customer", words)]
    held.subject = as_text(ticket.get("subject"))
    held.source = "ticket"


def from_tawkto(chat_id: str, chat: _Chat) -> Conversation:
    """A chat's messages oldest first (ISO 8601 in UTC sorts as it reads), or its opening
    message alone when no transcript came."""
    shown = as_text(chat.visitor.get("name")) or ""
    person, company = affiliation(shown)
    name = None if _ANONYMOUS.match(person.strip()) else as_text(person)
    email = as_text(chat.visitor.get("email"))

    def said(who: str, words: str, writer: str | None = None) -> Said:
        return Said(who, words, name, email) if who == "customer" else Said(who, words, writer)

    if chat.messages:
        ordered = sorted(chat.messages.items(), key=lambda held: held[0][1])
        messages = [said(who, words, writer) for (who, _, words), writer in ordered]
        created_at = ordered[0][0][1] or chat.time
    else:
        messages = [said(who, words) for who, words in chat.opening]
        created_at = chat.time
    return Conversation(
        id=chat_id,
        created_at=created_at,
        when_field="time",
        when_form="ISO 8601",
        said=messages,
        title=chat.subject,
        mentions=(company,) if company else (),
        source=chat.source,
    )
