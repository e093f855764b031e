"""LiveChat chats, read into the `intercom` connector's `Conversation` form.

LiveChat's Agent Chat API (`list_archives`: `{"chats": [...], "found_chats",
"next_page_id"}`, the same key as Zendesk Chat's but another shape) gives each chat its
`users` (`type` `customer` or `agent`; a human agent's id is their email, a ChatBot agent's a
hex id) and its `thread` (older versions: `threads`) of `events`, times in ISO 8601 with
microseconds.

A `message` event by the customer is theirs; one seen only by agents (`visibility:
agents`) is a whisper between the team. A `system_message` (a transfer, a closing) is no
one's words, nor a `file`; a `rich_message`'s cards and buttons are the team's or the bot's,
and a button's text a customer sent back by clicking it is no words of theirs. The pre-chat
form (`filled_form`) names the customer's company (a field labelled Company) and, when the
customer is anonymous, their email. The comment left with a rating is the customer's too.
"""

import re
from typing import Any

from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said
from huddle.connectors.record_values import as_text, dict_at, tags_from

LINK = "https://my.livechatinc.com/archives/{}"


def is_livechat(record: dict[str, Any]) -> bool:
    return isinstance(record.get("users"), list) and (
        isinstance(record.get("thread"), dict) or isinstance(record.get("threads"), list)
    )


def _threads(chat: dict[str, Any]) -> list[dict[str, Any]]:
    threads = chat.get("threads")
    listed: list[Any] = threads if isinstance(threads, list) else [chat.get("thread")]
    return [t for t in listed if isinstance(t, dict)]


def _button_texts(event: dict[str, Any]) -> set[str]:
    return {
        str(button.get(key) or "").strip().casefold()
        for element in event.get("elements") or []
        if isinstance(element, dict)
        for button in element.get("buttons") or []
        if isinstance(button, dict)
        for key in ("text", "value")
    }


def _form_answers(event: dict[str, Any]) -> dict[str, str]:
    """A filled form's answers by what they ask: `company`, `email`, `name`."""
    answers: dict[str, str] = {}
    for field in event.get("fields") or []:
        if not isinstance(field, dict) or not isinstance(field.get("answer"), str):
            continue
        label = re.sub(r"[^a-z ]", "", str(field.get("label") or "").lower()).strip()
        kind = str(field.get("type") or "")
        if label in COMPANY_FIELDS:
            answers.setdefault("company", field["answer"])
        elif kind in {"email", "name"}:
            answers.setdefault(kind, field["answer"])
    return answers


def _is_bot(user: dict[str, Any]) -> bool:
    # A human agent signs in with their email, which is their id; a bot has none.
    return user.get("type") == "bot" or (
        user.get("type") == "agent" and "@" not in str(user.get("id") or "")
    )


def from_livechat(chat: dict[str, Any]) -> Conversation:
    """A LiveChat chat: its customers' public messages are theirs, agents' the team's, a bot
    agent's the bot's."""
    users = {str(u.get("id")): u for u in chat.get("users") or [] if isinstance(u, dict)}
    customer = next((u for u in users.values() if u.get("type") == "customer"), {})
    threads = _threads(chat)
    # ISO 8601 in UTC, which sorts as it reads; a stable sort keeps same-time events in order.
    events = sorted(
        (e for t in threads for e in t.get("events") or [] if isinstance(e, dict)),
        key=lambda e: str(e.get("created_at") or ""),
    )
    form: dict[str, str] = {}
    for event in events:
        if event.get("type") == "filled_form":
            form = {**_form_answers(event), **form}
    name = as_text(customer.get("name")) or as_text(form.get("name"))
    email = as_text(customer.get("email")) or as_text(form.get("email"))
    said: list[Said] = []
    buttons: set[str] = set()
    for event in events:
        if event.get("visibility") == "agents":
            continue  # a whisper among the team
        author = users.get(str(event.get("author_id")), {})
        if event.get("type") == "rich_message":
            buttons |= _button_texts(event)
            continue
        text = as_text(event.get("text"))
        if event.get("type") != "message" or not text:
            continue  # a system message, a file, a form
        if author.get("type") == "customer":
            if text.casefold() not in buttons:
                said.append(Said("customer", text, as_text(author.get("name")) or name, email))
        else:
            said.append(Said("bot" if _is_bot(author) else "team", text, author.get("name")))
    for thread in threads:
        comment = as_text(dict_at(dict_at(thread, "properties"), "rating").get("comment"))
        if comment:
            said.append(Said("customer", comment, name, email))
    chat_id = str(chat.get("id"))
    created = next((t.get("created_at") for t in threads if t.get("created_at")), None)
    return Conversation(
        id=chat_id,
        created_at=created or (events[0].get("created_at") if events else None),
        when_field="created_at",
        when_form="ISO 8601",
        said=said,
        link=LINK.format(chat_id),
        tags=tags_from([tag for t in threads for tag in t.get("tags") or []]),
        company=as_text(form.get("company")),
    )
