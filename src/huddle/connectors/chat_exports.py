"""Chat tools' own exports that `slack` reads beside Slack's and Discord's: Mattermost's bulk
export and Telegram Desktop's "Export chat history" in JSON.

Mattermost (`mmctl export create`, the JSON lines file alone or its zip) gives a `version` line,
then `team`, `channel`, `user` (and `bot`) lines, then `post` lines with their thread's
replies nested in `replies`, then `direct_channel` and `direct_post` lines. A user's email and
name tell whose side they are on, as Slack's `users.json` does; system posts (joins, leaves,
header changes) are Mattermost's notices, skipped; a webhook's, a bot's or a plugin's post
(`props.from_webhook`, `from_bot`, `from_plugin`, a `custom_*` type) is a bot's, under the
name it posts as (`override_username`), its words in its attachments when it has no message.
Posts have no ids in the export: a post is its channel, its time and its writer. With
`--workspace chat.ourco.com` a channel's posts link to the channel.

Telegram (`result.json`) holds one chat (`name`, `type`, `id`, `messages`), or a whole
account's data with its chats under `chats.list` (and `left_chats.list`), whose owner
(`personal_information.user_id`) is one of the vendor's people. A message's `text` is a string
or a list of strings and entities (bold, links, mentions): its words, a blockquote left out.
Service messages (members invited, the group renamed) are Telegram's notices; stickers, GIFs
and files without a caption say nothing; a message sent through an inline bot (`via_bot`)
and a sender named as a bot or as the vendor's status page ("OurCo Status") are a bot's. A
supergroup's or channel's messages link to `https://t.me/c/<id>/<message id>`.

A customer who gives no email is attached to the account the chat's title or the channel's
name names ("OurCo / Vandelay Imports"), as chat_messages says.
"""

import codecs
import io
import re
from collections.abc import Iterator
from typing import IO, Any

from ijson.common import ObjectBuilder  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import (
    Place,
    Said,
    attachment_text,
    machine_name,
    staff_role,
    unemphasised,
    unquoted,
)
from huddle.connectors.common import workspace_site
from huddle.connectors.json_reading import json_lines
from huddle.connectors.noise import names_us
from huddle.connectors.record_values import as_text, dict_at, said_yes
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError

# The chat types Telegram Desktop writes.
_TELEGRAM_CHATS = (
    "personal_chat",
    "bot_chat",
    "private_group",
    "private_supergroup",
    "public_supergroup",
    "private_channel",
    "public_channel",
    "saved_messages",
)
# Chats of several people, whose title may name the customer's company.
_GROUPS = {"private_group", "private_supergroup", "public_supergroup"}
# Chats whose messages have a link (`t.me/c/<id>/<message>`); a basic group's and a person's
# have none.
_LINKED_CHATS = {"private_supergroup", "public_supergroup", "private_channel", "public_channel"}
# Where a chat's fields sit: the file itself (one chat), or an item of an account's lists.
_CHAT_PREFIXES = ("", "chats.list.item", "left_chats.list.item")
_MESSAGE_PREFIXES = {f"{p}.messages.item" if p else "messages.item" for p in _CHAT_PREFIXES}
_VERSION_LINE = re.compile(rb'^\{[^\n]*?"type"\s*:\s*"version"\s*[,}]')
# Telegram's text entities that are someone else's words.
_QUOTE_ENTITIES = {"blockquote"}


def is_mattermost(head: bytes) -> bool:
    """A Mattermost bulk export: its first line is the version line (however long its `info`
    runs, whatever order its keys come in)."""
    return bool(_VERSION_LINE.match(head.partition(b"\n")[0]))


def is_telegram(head: bytes) -> bool:
    """Telegram's result.json: one chat of a known type, or an account's data."""
    if not head.startswith(b"{"):
        return False
    text = head.decode("utf-8", errors="ignore")
    return '"personal_information"' in text or any(
        f'"type": "{kind}"' in text or f'"type":"{kind}"' in text for kind in _TELEGRAM_CHATS
    )


def mattermost(
    raw: IO[bytes], name: str, options: ConnectorOptions, errors: list[RowError]
) -> Iterator[Said | None]:
    """Each post and reply of a Mattermost bulk export, None for a notice or another line."""
    host = workspace_site(options)
    people: dict[str, dict[str, Any]] = {}
    utf8 = codecs.lookup(options.encoding).name == "utf-8"
    # A byte-order mark before the version line is no part of it.
    text = io.TextIOWrapper(raw, encoding="utf-8-sig" if utf8 else options.encoding)
    for number, record in json_lines(text, f"{name}: the line"):
        kind = record.get("type") if isinstance(record, dict) else None
        if kind in {"user", "bot"}:
            person = dict_at(record, kind)
            if username := as_text(person.get("username")):
                full = " ".join(
                    part for part in (person.get("first_name"), person.get("last_name")) if part
                )
                people[username] = {
                    "email": as_text(person.get("email")),
                    "name": as_text(
                        full or person.get("display_name") or person.get("nickname") or username
                    ),
                    "bot": kind == "bot",
                }
        elif kind in {"post", "direct_post"}:
            post = dict_at(record, kind)
            place, link = _mattermost_place(post, host)
            root = _post(post, number, name, place, link, people, errors)
            yield root
            for reply in post.get("replies") or []:
                if isinstance(reply, dict):
                    answer = _post(reply, number, name, place, link, people, errors)
                    if answer is not None and root is not None:
                        answer.replies_to = root.external_id
                    yield answer
        elif kind is None:
            errors.append(RowError(number, "type", f"{name}: a line without a type"))
        else:
            yield None  # the version, a team, a channel, a scheme, an emoji, a direct channel


def _mattermost_place(post: dict[str, Any], host: str | None) -> tuple[Place, str | None]:
    """A post's channel (a direct or group message's by its members) and its link."""
    members = [str(m) for m in post.get("channel_members") or [] if m]
    if members:
        together = "+".join(sorted(members))
        return Place("mattermost", f"dm:{together}", f"@{together}", {}), None
    team, channel = str(post.get("team") or ""), str(post.get("channel") or "")
    place = Place("mattermost", channel, f"{team}/{channel}", {})
    return place, f"{host}/{team}/channels/{channel}" if host else None


def _post(
    post: dict[str, Any],
    line: int,
    name: str,
    place: Place,
    link: str | None,
    people: dict[str, dict[str, Any]],
    errors: list[RowError],
) -> Said | None:
    """A person's post or reply, None for Mattermost's notices (joins, leaves, renames)."""
    kind = str(post.get("type") or "")
    if kind.startswith("system_"):
        return None
    created = post.get("create_at")
    if not isinstance(created, int | float) or isinstance(created, bool):
        errors.append(RowError(line, "create_at", f"{name}: a post has no create_at"))
        return None
    username = str(post.get("user") or "")
    user = people.get(username, {})
    props = dict_at(post, "props")
    posted_as = as_text(props.get("override_username"))
    bot = bool(
        user.get("bot")
        or any(said_yes(props.get(flag)) for flag in ("from_webhook", "from_bot", "from_plugin"))
        or kind.startswith("custom_")
    )
    text = unquoted(unemphasised(str(post.get("message") or "")))
    if bot and not text:
        text = attachment_text(props.get("attachments"))
    return Said(
        file=name,
        line=line,
        text=text,
        when=created / 1000,
        when_field="create_at",
        person=(posted_as if bot and posted_as else None) or user.get("name") or username or None,
        email=None if bot else user.get("email"),
        bot=bot,
        external_id=f"{place.id}:{int(created)}:{username}",
        link=link,
        place=place,
    )


def telegram(
    events: Iterator[tuple[int, str, str, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of a Telegram export, one chat's or an account's; None for a notice."""
    chat: dict[str, Any] = {}
    owner: str | None = None
    building: ObjectBuilder | None = None
    depth = 0
    for line, prefix, event, value in events:
        if building is not None:
            building.event(event, value)
            depth += event in {"start_map", "start_array"}
            depth -= event in {"end_map", "end_array"}
            if depth == 0:
                yield _message(building.value, line, name, chat, owner, options, errors)
                building = None
            continue
        if prefix in _MESSAGE_PREFIXES and event == "start_map":
            building, depth = ObjectBuilder(), 1
            building.event(event, value)
        elif prefix in _CHAT_PREFIXES and event == "start_map":
            chat = {}
        elif prefix == "personal_information.user_id":
            owner = f"user{value}"
        elif event in {"string", "number"}:
            at, _, key = prefix.rpartition(".")
            if at in _CHAT_PREFIXES and key in {"name", "type", "id"}:
                chat[key] = value


def _message(
    message: Any,
    line: int,
    name: str,
    chat: dict[str, Any],
    owner: str | None,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Said | None:
    """A person's message, None for Telegram's service messages."""
    if not isinstance(message, dict):
        errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
        return None
    if message.get("type", "message") != "message":
        return None
    message_id = as_text(message.get("id"))
    if message_id is None:
        errors.append(RowError(line, "id", f"{name}: a message has no id"))
        return None
    chat_id = str(chat.get("id") or "")
    title = str(chat.get("name") or chat_id)
    place = Place("telegram", title, chat_id, {})
    shown = as_text(message.get("from")) or ""
    person, company = affiliation(shown)
    forwarded = as_text(message.get("forwarded_from")) or ""
    staff = bool(
        (owner is not None and message.get("from_id") == owner)
        or staff_role(shown, options)
        or (company and names_us(company, options))
        # The vendor's own post passed on ("Forwarded from OurCo Updates").
        or (forwarded and (staff_role(forwarded, options) or machine_name(forwarded, options)))
    )
    bot = bool(
        message.get("via_bot")
        or machine_name(shown, options)
        # A chat with a bot: whatever its owner did not write, the bot did.
        or (chat.get("type") == "bot_chat" and message.get("from_id") != owner)
    )
    replied = as_text(message.get("reply_to_message_id"))
    unix = as_text(message.get("date_unixtime"))
    return Said(
        file=name,
        line=line,
        text=unquoted(_words(message.get("text_entities") or message.get("text"))),
        when=unix or message.get("date"),
        when_field="date_unixtime" if unix else "date",
        person=as_text(person) or shown or None,
        email=None,
        bot=bot,
        external_id=f"{chat_id}:{message_id}",
        link=(
            f"https://t.me/c/{chat_id}/{message_id}" if chat.get("type") in _LINKED_CHATS else None
        ),
        place=place,
        staff=staff and not bot,
        # No email in Telegram: a customer's company is the one their name names, else the
        # one the group's title names ("OurCo / Vandelay Imports"); a person's chat names none.
        mentions=tuple(
            m for m in (company, title if chat.get("type") in _GROUPS else None) if m and not staff
        ),
        replies_to=f"{chat_id}:{replied}" if replied else None,
    )


def _words(text: Any) -> str:
    """A message's text: a string, or a list of strings and entities ({"type": "bold",
    "text": …}), a quoted passage left out."""
    if isinstance(text, str):
        return text
    parts = []
    for part in text if isinstance(text, list) else []:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and part.get("type") not in _QUOTE_ENTITIES:
            parts.append(str(part.get("text") or ""))
    return "".join(parts)
