"""A page of Slack's Web API saved as JSON, read as a channel's messages.

`conversations.history` (and `conversations.replies`) answer `{"ok": true, "messages": [...],
"has_more": …, "response_metadata": {"next_cursor": …}}`: one channel's messages, newest
first, in the shape an export's day file holds them, with no `users.json` or `channels.json`
beside them. Each person is known by the `user_profile` their message carries; the channel's
id is in no field (people save a page under it: `C06UMBRSUP.json`), and the company a shared
channel is with is named only by the channel's own notices ("set the channel topic: Umbrella
Retail and OurCo, shared support").
"""

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import as_text, dict_at

# A Web API page: an object whose messages carry Slack's `ts` ("1796037131.000000"), or that
# says `"ok": true` first, as Slack's answers do.
_MESSAGES = re.compile(rb'"messages"\s*:\s*\[')
_API_ANSWER = re.compile(rb'^\{\s*"ok"\s*:\s*true\b')
_SLACK_TS = re.compile(rb'"ts"\s*:\s*"\d{9,}\.\d+"')
# A conversation's id as Slack writes it: C (a channel), G (a private one), D (a direct
# message), then capitals and digits.
_CONVERSATION_ID = re.compile(r"(?<![A-Za-z0-9])([CGD][A-Z0-9]{8,11})(?![A-Za-z0-9])")
# The notices that say what a channel is for, and the key each keeps it under.
_SETTING = {"channel_topic": "topic", "channel_purpose": "purpose"}


def is_api_page(head: bytes) -> bool:
    """Whether a JSON file's first bytes are a Slack Web API page of messages."""
    return (
        head.startswith(b"{")
        and bool(_MESSAGES.search(head))
        and bool(_API_ANSWER.match(head) or _SLACK_TS.search(head))
    )


def page_channel(name: str) -> tuple[str, str]:
    """The channel a saved page is of, as (name, id): the id its file name holds, else the
    file's name."""
    stem = Path(name).stem
    found = _CONVERSATION_ID.search(stem)
    return (found.group(1), found.group(1)) if found else (stem, stem)


def read_ahead(
    messages: Iterable[Any], users: dict[str, dict[str, Any]], options: ConnectorOptions
) -> tuple[str, ...]:
    """What a page's messages tell before any of them is read, newest first as they come:
    its people, added to `users` by the profile their messages carry (so a mention of someone
    reads as their name, wherever they first speak), and what the channel's topic and purpose
    were set to (the words that name the company a shared channel is with). A shared
    channel's people are of two workspaces (each message's `team`): everyone of the workspace
    one of the vendor's known people writes from is the vendor's (`staff`), Huddle user or
    not; a profile there carries no address to tell them by."""
    about: list[str] = []
    for message in messages:
        if not isinstance(message, dict):
            continue
        key = _SETTING.get(str(message.get("subtype")))
        if key and (text := as_text(message.get(key))):
            about.append(text)
        profile = dict_at(message, "user_profile")
        if message.get("user") and (name := as_text(profile.get("real_name"))):
            person = users.setdefault(
                str(message["user"]),
                {"name": name, "email": as_text(profile.get("email")), "bot": False},
            )
            person.setdefault("team", as_text(message.get("team") or profile.get("team")))
    ours = {
        person["team"]
        for person in users.values()
        if person.get("team") and is_staff(person.get("email"), person.get("name"), options)
    }
    for person in users.values():
        person["staff"] = bool(person.get("team")) and person.get("team") in ours
    return tuple(dict.fromkeys(about))
