"""JivoChat chats, read into the `intercom` connector's `Conversation` form.

JivoChat's Webhooks API posts each event as a JSON body whose `event_name` says what
happened, with the `widget_id` of the channel it came through; a request logger saves the
bodies, in an array or one a line. Two events hold a customer's words:

- `chat_finished`, once an agent closed the chat (or the visitor left): its `chat_id`, the
  `visitor` {`name`, `email`, `phone`, `number`, `description`}, the `agents` who took part
  [{`id`, `name`, `email`}], the `organization` {`id`, `name`} the client is filed under in
  JivoChat's CRM, its `tags`, the `topic` an agent chose, and the `chat` {`messages`
  [{`message`, `timestamp` (Unix seconds), `type` "visitor" or "agent", an agent's
  `agent_id`}], `rate`, `blacklisted`, and the `invitation`, the proactive message the widget
  sent to open the chat};
- `offline_message`, what a visitor left in the form while no agent was online: the same
  `visitor`, its words in `message`, its `offline_message_id` (Unix milliseconds in
  JivoChat's own example; logged without a time, the log's own time stands for it).

The other events (`chat_accepted`, `chat_assigned`, `chat_updated`, `client_updated`,
`call_event`…) say who took a chat or what changed, no one's words: skipped. A chat logged
twice (a delivery retried) is read once, as its last delivery tells it. The visitor's
messages are the customer's words, an agent's the team's; the invitation is the widget's own
(a bot's), never the customer's. A visitor JivoChat blocked (`blacklisted`: an agent banned
them) is spam. The account is the client's `organization`, else the visitor's email.
"""

import re
from dataclasses import dataclass
from typing import Any

from huddle.connectors.conversations import Conversation, Said
from huddle.connectors.record_values import as_text, dict_at, tags_from

# The events that hold words.
_FINISHED = "chat_finished"
_OFFLINE = "offline_message"
# Who wrote a message, by its `type`.
_CUSTOMER = {"visitor", "client"}
_BOT = {"bot", "chatbot", "system"}
# An id that is a time: Unix seconds or milliseconds.
_STAMP = re.compile(r"\d{9,11}|\d{12,14}")


@dataclass
class _Event:
    line: int
    record: dict[str, Any]


Gathered = dict[str, _Event]


def is_jivochat(record: Any) -> bool:
    """A JivoChat webhook body: its `event_name` and the `widget_id` every event carries."""
    return (
        isinstance(record, dict)
        and isinstance(record.get("event_name"), str)
        and "widget_id" in record
    )


def gather(gathered: Gathered, line: int, record: dict[str, Any]) -> bool:
    """A delivery kept (by its chat, or its offline message) when it holds words; False when
    it holds none (an event that only says who took the chat)."""
    event = record.get("event_name")
    if event == _FINISHED and as_text(record.get("chat_id")) is not None:
        gathered[f"chat:{record['chat_id']}"] = _Event(line, record)
        return True
    if event == _OFFLINE and as_text(record.get("message")):
        made = as_text(record.get("offline_message_id")) or as_text(record.get("chat_id"))
        key = f"offline:{made or line}"
        gathered[key] = _Event(line, record)
        return True
    return False


def _visitor(record: dict[str, Any]) -> tuple[str | None, str | None]:
    visitor = dict_at(record, "visitor")
    return as_text(visitor.get("name")), as_text(visitor.get("email"))


def _when(message: dict[str, Any]) -> float:
    stamp = message.get("timestamp")
    return float(stamp) if isinstance(stamp, int | float) and not isinstance(stamp, bool) else 0.0


def _tags(record: dict[str, Any]) -> list[str]:
    tags = record.get("tags")
    named = [
        (t.get("title") or t.get("name")) if isinstance(t, dict) else t
        for t in (tags if isinstance(tags, list) else [])
    ]
    return tags_from([t for t in named if t])


def from_jivochat(key: str, event: _Event, saved_at: float) -> Conversation:
    """A finished chat's messages oldest first (the widget's invitation before them), or an
    offline message alone; `saved_at` (the log's time) dates an offline message logged
    without one (or a chat with no message)."""
    record = event.record
    name, email = _visitor(record)
    agents = {
        str(agent.get("id")): agent
        for agent in record.get("agents") or []
        if isinstance(agent, dict) and agent.get("id") is not None
    }
    said: list[Said] = []
    if record.get("event_name") == _OFFLINE:
        made = as_text(record.get("offline_message_id")) or ""
        created: Any = int(made) / 1000 if re.fullmatch(r"\d{12,14}", made) else None
        if created is None and _STAMP.fullmatch(made):
            created = int(made)
        said.append(Said("customer", str(record["message"]).strip(), name, email))
        created_at, when_field = created or saved_at, "offline_message_id"
    else:
        chat = dict_at(record, "chat")
        invitation = as_text(chat.get("invitation"))
        if invitation:
            said.append(Said("bot", invitation))
        messages = [m for m in chat.get("messages") or [] if isinstance(m, dict)]
        messages.sort(key=_when)  # a stable sort keeps same-second messages in order
        for message in messages:
            words = as_text(message.get("message"))
            kind = str(message.get("type") or "").casefold()
            if not words:
                continue
            if kind in _CUSTOMER:
                said.append(Said("customer", words, name, email))
            else:
                agent = agents.get(str(message.get("agent_id")), {})
                who = "bot" if kind in _BOT else "team"
                said.append(
                    Said(who, words, as_text(agent.get("name")), as_text(agent.get("email")))
                )
        # A chat with no message (an invitation nobody answered): the log's time.
        created_at = messages[0].get("timestamp") if messages else saved_at
        when_field = "timestamp"
    topic = dict_at(record, "topic")
    return Conversation(
        id=key.removeprefix("chat:"),
        created_at=created_at,
        when_field=when_field,
        when_form="Unix seconds",
        said=said,
        title=as_text(topic.get("title")),
        tags=_tags(record),
        company=as_text(dict_at(record, "organization").get("name")),
        verdict="spam" if dict_at(record, "chat").get("blacklisted") is True else None,
    )
