"""A page of Slack's `search.messages` Web API answer saved as JSON, read as messages.

Slack answers a search with `{"ok": true, "query": …, "messages": {"total": …, "matches":
[…], "paging": …, "pagination": …}}`: each match is a message as `conversations.history`
gives it (`user`, `ts`, `text`, `subtype`, `bot_id`…) plus the `channel` it was said in (`id`,
`name`, `is_shared`, `is_ext_shared`…), the sender's `username` (a handle: "sam.ortiz", no
profile, no email) and its `permalink`. A match's channel is its place (the name of a channel
shared with another organisation names the company: "ourco-globex-freight"; one shared only
among an Enterprise Grid's own workspaces, `is_org_shared`, names none); a sender is the
vendor's when their handle is the name of one of the workspace's people. A match carries no
`subtype` or `bot_id`: an app's post is one by a `username` with no `user` of the workspace
(Slack's own example: `"user": "", "username": "robot overlord"`).
"""

import re
from collections.abc import Iterable, Iterator
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import Place
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import as_text, dict_at

# A search answer: `messages` is an object (its `matches` inside), not a list of messages.
_SEARCH = re.compile(rb'"messages"\s*:\s*\{')
_SEARCH_KEYS = re.compile(rb'"(query|matches|paging|pagination)"\s*:')
# A handle's separators: "sam.ortiz", "tom_becker", "aisha-bello".
_HANDLE_GAPS = re.compile(r"[._\-]+")

MATCHES = "messages.matches.item"


def is_search_page(head: bytes) -> bool:
    """Whether a JSON file's first bytes are a Slack `search.messages` answer."""
    return head.startswith(b"{") and bool(_SEARCH.search(head) and _SEARCH_KEYS.search(head))


def handle_name(handle: str) -> str:
    """A handle read as a name: "sam.ortiz" is "sam ortiz"."""
    return " ".join(_HANDLE_GAPS.sub(" ", handle).split())


def search_matches(
    matches: Iterable[tuple[int, Any]],
    name: str,
    users: dict[str, dict[str, Any]],
    options: ConnectorOptions,
) -> Iterator[tuple[str, int, Any, Place]]:
    """Each match with the channel it was said in; its sender added to `users` by their
    handle (the vendor's when it names one of the workspace's people)."""
    places: dict[str, Place] = {}
    for line, match in matches:
        if not isinstance(match, dict):
            yield name, line, match, Place("slack", name, name, users)
            continue
        channel = dict_at(match, "channel")
        channel_id = as_text(channel.get("id")) or "search"
        if channel_id not in places:
            channel_name = as_text(channel.get("name")) or channel_id
            places[channel_id] = Place(
                "slack", channel_name, channel_id, users, about=_company_of(channel, channel_name)
            )
        user = as_text(match.get("user"))
        handle = as_text(match.get("username"))
        if handle and not user and not match.get("subtype"):
            match = {**match, "subtype": "bot_message"}  # an app's post, by its name alone
        if user and handle and user not in users:
            users[user] = {
                "name": handle,
                "email": None,
                "bot": False,
                "staff": is_staff(None, handle_name(handle), options),
            }
        yield name, line, match, places[channel_id]


def _company_of(channel: dict[str, Any], name: str) -> tuple[str, ...]:
    """The company a match's channel names: only one shared with another organisation's
    workspace does (Slack Connect, `is_ext_shared`); `is_shared` alone is also said of a
    channel shared among an Enterprise Grid's own workspaces (`is_org_shared`)."""
    if "is_ext_shared" in channel:
        shared = channel.get("is_ext_shared") is True
    else:
        shared = channel.get("is_shared") is True and channel.get("is_org_shared") is not True
    return (name.replace("-", " ").replace("_", " "),) if shared else ()
