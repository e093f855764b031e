"""Webex messages that `slack` reads beside Slack's own export: a page of Webex's messaging
API saved as JSON.

`GET /v1/messages?roomId=…` answers `{"items": [...]}`, newest first: each message with its
`id`, `roomId`, `roomType` ("group", a space; "direct", a 1:1 room), `text` (plain; `markdown`
and `html` beside it when it was written rich), `files`, `personId`, `personEmail`,
`created` (ISO 8601), `parentId` when it replies in a thread, `mentionedPeople`, and a bot's
Adaptive Card in `attachments`. The Events API of a compliance officer (`GET /v1/events?
resource=messages`) gives the same messages as `{"items": [{"resource": "messages", "type":
"created"|"updated"|"deleted", "data": {…}}]}`: a message's latest version is read, a deleted
one not at all.

Webex names neither the space nor its people: who wrote is known by their address (the
vendor's people by its domains, a customer's company by theirs); a bot's address is one
Webex gives bots (`…@webex.bot`, the older `…@sparkbot.io`). The space is named by the file
(people save a page under the space's name).
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import Place, Said, unemphasised, unquoted
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.workspace_chats import card_texts
from huddle.imports.records import RowError

_BOT_ADDRESS = re.compile(r"@(?:[\w-]+\.)*(?:webex\.bot|sparkbot\.io)$", re.IGNORECASE)
# Webex's markdown for a mention: `<@personEmail:tom@ourco.com|Tom Becker>`, shown as the name.
_MENTION = re.compile(r"<@(?:personEmail|personId|groupMention|all)[^|>]*(?:\|([^>]*))?>")


def is_webex(head: bytes) -> bool:
    """A page of Webex's messages (or of its events about messages), or the list alone."""
    return head.startswith((b"{", b"[")) and b'"roomId"' in head and b'"personEmail"' in head


def webex(messages: Iterable[tuple[int, Any]], name: str, errors: list[RowError]) -> Iterator[Said]:
    """Each message of a page, oldest first (a reply after what it replies to): the page is
    read whole, as the API gives it newest first."""
    latest: dict[str, tuple[int, dict[str, Any]]] = {}
    deleted: set[str] = set()
    for line, item in messages:
        if not isinstance(item, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
            continue
        event = item.get("resource") == "messages"
        message = dict_at(item, "data") if event else item
        message_id = as_text(message.get("id"))
        if message_id is None:
            errors.append(RowError(line, "id", f"{name}: a message has no id"))
        elif event and item.get("type") == "deleted":
            deleted.add(message_id)
        elif message_id not in latest or _edited(message) >= _edited(latest[message_id][1]):
            latest[message_id] = (line, message)  # (a later edit replaces the message)
    page = [held for message_id, held in latest.items() if message_id not in deleted]
    # ISO 8601 in UTC, which sorts as it reads.
    for line, message in sorted(page, key=lambda held: str(held[1].get("created") or "")):
        yield _said(message, line, name)


def _edited(message: dict[str, Any]) -> str:
    return str(message.get("updated") or message.get("created") or "")


def _said(message: dict[str, Any], line: int, name: str) -> Said:
    email = as_text(message.get("personEmail"))
    bot = bool(email and _BOT_ADDRESS.search(email))
    text = as_text(message.get("text"))
    if text is None and as_text(message.get("markdown")):
        text = unemphasised(_MENTION.sub(lambda m: m.group(1) or "", str(message["markdown"])))
    if text is None and as_text(message.get("html")):
        text = html_to_text(str(message["html"]))
    if text is None and bot:
        text = "\n".join(dict.fromkeys(card_texts(message.get("attachments"))))
    room = as_text(message.get("roomId")) or name
    parent = as_text(message.get("parentId"))
    return Said(
        file=name,
        line=line,
        text=unquoted(text or ""),
        when=message.get("created"),
        when_field="created",
        person=None,
        email=email,
        bot=bot,
        external_id=str(message.get("id")),
        link=None,
        place=Place("webex", Path(name).stem, room, {}),
        replies_to=parent,
    )
