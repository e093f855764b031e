"""Rocket.Chat messages that `slack` reads beside Slack's own export: a page of Rocket.Chat's
REST API saved as JSON.

`GET /api/v1/channels.history?roomName=…` (and `groups.history`, `im.history`,
`channels.messages`, `chat.getThreadMessages`) answer `{"messages": [...], "count", "offset",
"total", "success": true}`, newest first; `chat.syncThreadMessages` keeps them under
`messages.update`, `chat.syncMessages` under `result.updated`. Each message has its `_id`, the
room's `rid`, `msg` (its words in Markdown), `ts` (ISO 8601; `{"$date": …}` in a database
dump), `u` {`_id`, `username`, `name`}, `tmid` when it replies in a thread, `attachments`
(a file's with the `description` typed beside it; a quoted message's with its
`message_link`), and `t` for Rocket.Chat's own notices (`uj` joined, `au` added,
`room_changed_topic` with the new topic as its `msg`…). An integration posts with `bot`
{`i`: its id} and an `alias`, often in attachments alone; `rocket.cat` is Rocket.Chat's own
bot.

A message carries no email: the vendor's people are known by name, as a workspace user's
name or username ("dana.lee") or a display name naming the vendor ("Dana | OurCo"). A
customer's company is the one their display name names, else the one the room's topic or
description names, else the one its file's name names: people save a page under the room's
name, which no message gives.
"""

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import (
    Place,
    Said,
    attachment_text,
    machine_name,
    page_of_messages,
    unquoted,
)
from huddle.connectors.common import workspace_site
from huddle.connectors.noise import is_staff, names_us
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError

# A message's own keys: its room's id and its words, and its writer or its last update.
_ROOM = re.compile(rb'"rid"\s*:')
_WORDS = re.compile(rb'"msg"\s*:')
_WRITER = re.compile(rb'"u"\s*:\s*\{|"_updatedAt"\s*:')
# Where each answer keeps its messages.
_SYNCED = re.compile(rb'"messages"\s*:\s*\{')
_SYNCED_ROOM = re.compile(rb'"result"\s*:\s*\{')
# The notices that say what a room is about: the words that name the company it is with.
_ABOUT = {"room_changed_topic", "room_changed_description", "room_changed_announcement"}
# Rocket.Chat's own bot.
_ROCKET_CAT = "rocket.cat"
# A reply quoting a message opens with a link to it, its words shown apart: "[ ](…?msg=…) ".
_QUOTE_LINK = re.compile(r"^\s*(\[ ?\]\([^)]*\)\s*)+")


def is_rocketchat(head: bytes) -> bool:
    """A page of Rocket.Chat's messages API (or the list alone)."""
    return head.startswith((b"{", b"[")) and bool(
        _ROOM.search(head) and _WORDS.search(head) and _WRITER.search(head)
    )


def messages_key(head: bytes) -> str:
    """Where a page keeps its messages, for reading them one by one."""
    if head.startswith(b"["):
        return "item"
    if _SYNCED.search(head):
        return "messages.update.item"
    if _SYNCED_ROOM.search(head):
        return "result.updated.item"
    return "messages.item"


def rocketchat(
    messages: Iterable[tuple[int, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of a page, oldest first (a reply after the post it replies to): the page
    is read whole, as the API gives it newest first, and what the room is about is known
    only from its notices, wherever they are."""
    page = page_of_messages(messages, name, "_id", errors)
    page.sort(key=lambda held: _order(held[1]))
    room = Path(name).stem
    about = [
        words
        for _, message in reversed(page)  # the newest topic first
        if message.get("t") in _ABOUT and (words := as_text(message.get("msg")))
    ]
    room_id = next((str(m["rid"]) for _, m in page if as_text(m.get("rid"))), room)
    place = Place(
        "rocketchat",
        room,
        room_id,
        {},
        about=tuple(dict.fromkeys([*about, room.replace("-", " ").replace("_", " ")])),
    )
    site = workspace_site(options)
    for line, message in page:
        if message.get("t") or message.get("_hidden"):
            yield None  # Rocket.Chat's notice, or an edited message's former words
            continue
        yield _said(message, line, name, place, options, site)


def _when(message: dict[str, Any]) -> Any:
    stamp = message.get("ts")
    if isinstance(stamp, dict):  # a database dump's {"$date": …}
        stamp = stamp.get("$date")
    return stamp / 1000 if isinstance(stamp, int | float) else stamp


def _order(message: dict[str, Any]) -> tuple[float, str]:
    # Unix seconds, else the ISO 8601 time in UTC, which sorts as it reads.
    when = _when(message)
    return (float(when), "") if isinstance(when, float) else (0.0, str(when or ""))


def _is_bot(message: dict[str, Any], user: dict[str, Any], options: ConnectorOptions) -> bool:
    """An integration's post (its `bot`, the `alias` it posts under), Rocket.Cat's, or one by
    a user named as a bot ("Deploy Bot")."""
    shown = as_text(user.get("name")) or as_text(user.get("username")) or ""
    return (
        bool(message.get("bot"))
        or bool(as_text(message.get("alias")))
        or user.get("username") == _ROCKET_CAT
        or bool(shown and machine_name(shown, options))
    )


def _staff(user: dict[str, Any], company: str | None, options: ConnectorOptions) -> bool:
    """One of the vendor's people: a workspace user by their name, or by a username made of it
    ("dana.lee"), or an address as username; or a display name naming the vendor."""
    username = as_text(user.get("username")) or ""
    if "@" in username and is_staff(username, None, options):
        return True
    spelled = re.sub(r"[._-]+", " ", username)
    return (
        is_staff(None, as_text(user.get("name")), options)
        or bool(spelled and is_staff(None, spelled, options))
        or bool(company and names_us(company, options))
    )


def _words(message: dict[str, Any], bot: bool) -> str:
    """A message's own words: its `msg` without the link a quote opens with, else what was
    typed beside a file; an integration's post in its attachments."""
    text = _QUOTE_LINK.sub("", str(message.get("msg") or "")).strip()
    parts = [a for a in message.get("attachments") or [] if isinstance(a, dict)]
    if not text:
        text = "\n".join(
            d for a in parts if not a.get("message_link") and (d := as_text(a.get("description")))
        )
    if bot and not text:
        text = attachment_text(parts)
    return unquoted(text)


def _said(
    message: dict[str, Any],
    line: int,
    name: str,
    place: Place,
    options: ConnectorOptions,
    site: str | None,
) -> Said:
    user = dict_at(message, "u")
    bot = _is_bot(message, user, options)
    shown = as_text(message.get("alias")) or as_text(user.get("name")) or ""
    person, company = affiliation(shown)
    staff = not bot and _staff(user, company, options)
    username = as_text(user.get("username"))
    thread = as_text(message.get("tmid"))
    return Said(
        file=name,
        line=line,
        text=_words(message, bot),
        when=_when(message),
        when_field="ts",
        person=as_text(person) or username,
        email=username if username and "@" in username else None,
        bot=bot,
        external_id=f"{place.id}:{message['_id']}",
        link=f"{site}/channel/{place.name}?msg={message['_id']}" if site else None,
        place=place,
        staff=staff,
        # Without an address, of the company their name or the room names.
        mentions=tuple(m for m in (company, *place.about) if m) if not (bot or staff) else (),
        replies_to=f"{place.id}:{thread}" if thread else None,
    )
