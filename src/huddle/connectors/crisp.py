"""Crisp conversations, read into the `intercom` connector's `Conversation` form.

A Crisp dump holds sessions (`session_id`, `meta` with the visitor's `email`, `nickname`,
`segments` and `data`, and `messages`, times in Unix milliseconds), or the messages alone,
each naming its `session_id`, which the connector gathers by session.
"""

from typing import Any

from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said, from_millis
from huddle.connectors.record_values import as_text, dict_at, tags_from


def is_crisp_message(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and "session_id" in record
        and "messages" not in record
        and "from" in record
        and "timestamp" in record
    )


def from_crisp(session: dict[str, Any]) -> Conversation:
    """A Crisp session: the visitor's (`from: user`) text messages are theirs; operators'
    messages, private notes, events, files and the chatbot's menus are not, nor the menu
    choice a visitor clicked, which Crisp writes as the visitor's text."""
    session_id = str(session.get("session_id"))
    meta = dict_at(session, "meta")
    messages = [m for m in session.get("messages") or [] if isinstance(m, dict)]
    messages.sort(key=lambda m: from_millis(m.get("timestamp")) or 0)
    email = as_text(meta.get("email"))
    said: list[Said] = []
    choices: set[str] = set()
    for message in messages:
        kind, content = message.get("type"), message.get("content")
        user = dict_at(message, "user")
        name = as_text(user.get("nickname"))
        if kind == "picker" and isinstance(content, dict):
            choices |= {
                str(choice.get("label") or "").strip().casefold()
                for choice in content.get("choices") or []
                if isinstance(choice, dict)
            }
            content = content.get("text")
        elif kind != "text":
            continue  # a note, an event, a file, a form field
        text = str(content or "").strip()
        if not text:
            continue
        if message.get("from") == "user":
            if text.casefold() in choices:
                continue  # the chatbot's topic the visitor picked
            said.append(Said("customer", text, name or as_text(meta.get("nickname")), email))
            continue
        by_bot = "bot" in str(message.get("origin") or "") or "bot" in str(user.get("user_id"))
        said.append(Said("bot" if by_bot else "team", text, name))
    data = dict_at(meta, "data")
    company = next(
        (as_text(value) for key, value in data.items() if key.lower() in COMPANY_FIELDS), None
    )
    website = as_text(session.get("website_id"))
    created = session.get("created_at") or (messages[0].get("timestamp") if messages else None)
    return Conversation(
        id=session_id,
        created_at=from_millis(created),
        when_field="created_at",
        when_form="Unix milliseconds",
        said=said,
        title=as_text(meta.get("subject")),
        link=f"https://app.crisp.chat/website/{website}/inbox/{session_id}/" if website else None,
        tags=tags_from(meta.get("segments") if isinstance(meta.get("segments"), list) else []),
        company=company,
    )
