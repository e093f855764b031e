"""LivePerson conversations, read into the `intercom` connector's `Conversation` form.

LivePerson's Messaging Interactions API (`conversations/search`: `{"_metadata": {…},
"conversationHistoryRecords": [...]}`) gives each conversation its `info` (id, start in
Unix milliseconds), its `messageRecords` (the words in `messageData.msg.text`, `sentBy`
"Consumer" or "Agent", `participantId`), its `agentParticipants` (a bot has `userTypeName`
"Bot"), its `consumerParticipants` (name, email) and its engagement attributes (`sdes`): the
consumer's `personalInfo` names their company and email.

A consumer's text message is theirs; an agent's the team's, a bot agent's the bot's; a file,
a rich card or a form is no one's words.
"""

from typing import Any

from huddle.connectors.conversations import Conversation, Said, from_millis
from huddle.connectors.record_values import as_text, dict_at, listed

LIST_KEY = "conversationHistoryRecords"


def is_liveperson(record: dict[str, Any]) -> bool:
    return isinstance(record.get("messageRecords"), list) and isinstance(record.get("info"), dict)


def _personal_info(record: dict[str, Any]) -> dict[str, Any]:
    """What the consumer told of themselves (the PERSONAL_INFO engagement attribute)."""
    for event in listed(dict_at(record, "sdes").get("events")):
        if isinstance(event, dict) and event.get("sdeType") == "PERSONAL_INFO":
            info = dict_at(event, "personalInfo")
            return dict_at(info, "personalInfo") or info
    return {}


def _info_email(info: dict[str, Any]) -> str | None:
    """The first email of the consumer's personal contacts."""
    for contact in listed(info.get("contacts")):
        if isinstance(contact, dict):
            email = as_text(dict_at(contact, "personalContact").get("email"))
            if email:
                return email
    return None


def _sequence(message: dict[str, Any]) -> int:
    seq = message.get("seq")
    return seq if isinstance(seq, int) else 0


def from_liveperson(record: dict[str, Any]) -> Conversation:
    """A LivePerson conversation: its consumer's text messages are theirs."""
    info = dict_at(record, "info")
    bots = {
        str(agent.get(key))
        for agent in listed(record.get("agentParticipants"))
        if isinstance(agent, dict) and str(agent.get("userTypeName") or "").lower() == "bot"
        for key in ("agentPid", "agentId")
        if agent.get(key) is not None
    }
    consumer = next(
        (c for c in listed(record.get("consumerParticipants")) if isinstance(c, dict)), {}
    )
    personal = _personal_info(record)
    name = as_text(consumer.get("consumerName")) or " ".join(
        part for part in (as_text(personal.get("name")), as_text(personal.get("surname"))) if part
    )
    email = as_text(consumer.get("email")) or _info_email(personal)
    messages = sorted(
        (m for m in listed(record.get("messageRecords")) if isinstance(m, dict)),
        key=_sequence,
    )
    said: list[Said] = []
    for message in messages:
        text = as_text(dict_at(dict_at(message, "messageData"), "msg").get("text"))
        if not text:
            continue  # a file, a rich card, a form: no `msg.text`
        if str(message.get("sentBy") or "").lower() == "consumer":
            said.append(Said("customer", text, name or None, email))
        else:
            who = "bot" if str(message.get("participantId")) in bots else "team"
            said.append(Said(who, text))
    conversation_id = as_text(info.get("conversationId")) or ""
    return Conversation(
        id=conversation_id,
        created_at=from_millis(info.get("startTimeL")) or info.get("startTime"),
        when_field="info.startTimeL",
        when_form="Unix milliseconds",
        said=said,
        company=as_text(personal.get("company")),
        source="chat",
    )
