"""Office suites' chat that `slack` reads beside Slack's own export: Google Chat from Google
Takeout and Microsoft Teams messages saved from Microsoft Graph.

Google Takeout's `Google Chat/Groups/<Space …|DM …>/` folder holds `messages.json` (`messages`:
each with its `creator` {name, email, user_type}, a `created_date` written for people
("Monday, November 30, 2026 at 9:40:31 AM UTC"), `text`, `topic_id`, `message_id`) and
`group_info.json` (the space's `name`, its `members`). A creator whose `user_type` is "Bot"
(an app: Jira, Google Calendar) is a bot; a deleted message has no text and says nothing; a
quote-reply's quoted message sits in `quoted_message_metadata`, someone else's words, left
out. A message replies in its topic's thread, whose first message opened it. A space's
customers without an email are attached to the account its name names; a DM names none.

Microsoft Graph's channel or chat messages (`GET …/messages?$expand=replies`: a page
{"@odata.context", "value": [chatMessage…]}, or the list alone) give each message's
`messageType` (only "message" is someone's words: system events are Teams' notices), `from`
(`user` with its `displayName` and `tenantId`, or an `application`: a bot), an HTML or text
`body` (mentions as `<at>` tags, read as the name), `deletedDateTime` for a deleted one,
replies nested in `replies`, a quoted message as a `messageReference` attachment (its
preview is someone else's words, left out) and `webUrl`, the message's link, whose
`channelName` names the channel. Graph gives no emails: the vendor's people are known by a
workspace user's name, and then by their tenant (anyone of a workspace user's tenant who is
not marked a guest is one of them); "(Guest)" and "(External)" after a name mark someone
from outside, whose company is the one the channel's name names ("Hooli Cloud (shared)").
"""

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import Place, Said, unquoted
from huddle.connectors.export_dates import human_date
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError

# Teams' marks after a display name for someone outside the organisation.
_OUTSIDER = re.compile(r"\s*\((?:guest|external)\)\s*$", re.IGNORECASE)


def is_google_chat(name: str, head: bytes) -> bool:
    """A Takeout `messages.json` of Google Chat: messages with creators and dates written for
    people (an empty one by its place in the Takeout)."""
    if not head.startswith(b"{"):
        return False
    if b'"creator"' in head and b'"created_date"' in head:
        return True
    path = "/" + name.replace("\\", "/")
    return "/Google Chat/Groups/" in path and path.endswith("/messages.json")


def is_teams(head: bytes) -> bool:
    """Microsoft Graph's chatMessage page (or the list alone)."""
    return head.startswith((b"{", b"[")) and b'"messageType"' in head


def google_chat(
    messages: Iterable[tuple[int, Any]],
    name: str,
    group: dict[str, Any],
    folder: str,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of one Google Chat space or DM (`group` is its group_info.json)."""
    title = as_text(group.get("name"))
    place = Place("google-chat", title or folder, folder, {})
    threads: dict[str, str] = {}
    for line, message in messages:
        if not isinstance(message, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
            yield None
            continue
        yield _google_message(message, line, name, place, bool(title), threads, errors)


def _google_message(
    message: dict[str, Any],
    line: int,
    name: str,
    place: Place,
    space: bool,
    threads: dict[str, str],
    errors: list[RowError],
) -> Said | None:
    created = as_text(message.get("created_date"))
    if created is None:
        errors.append(RowError(line, "created_date", f"{name}: a message has no created_date"))
        return None
    creator = dict_at(message, "creator")
    person = as_text(creator.get("name"))
    bot = str(creator.get("user_type") or "").casefold() == "bot"
    topic = as_text(message.get("topic_id"))
    external_id = as_text(message.get("message_id")) or f"{place.id}:{created}:{person}"
    opened = threads.setdefault(topic, external_id) if topic else external_id
    when = human_date(created)
    return Said(
        file=name,
        line=line,
        text=unquoted(str(message.get("text") or "")),
        when=when.isoformat() if when else created,
        when_field="created_date",
        person=person,
        email=None if bot else as_text(creator.get("email")),
        bot=bot,
        external_id=external_id,
        link=None,
        place=place,
        mentions=(place.name,) if space and not bot else (),
        replies_to=opened if opened != external_id else None,
    )


def teams(
    messages: Iterable[tuple[int, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message and reply of a Graph messages page; None for a notice or a deleted one.
    A page is read whole first: who is the vendor's is known by tenant only once a workspace
    user's message has been seen."""
    page: list[tuple[int, dict[str, Any]]] = []
    for line, message in messages:
        if not isinstance(message, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
            continue
        page.append((line, message))
        page.extend((line, r) for r in message.get("replies") or [] if isinstance(r, dict))
    ours = {
        tenant
        for _, message in page
        if (user := _user(message))
        and not _OUTSIDER.search(str(user.get("displayName") or ""))
        and is_staff(None, as_text(user.get("displayName")), options)
        and (tenant := as_text(user.get("tenantId")))
    }
    for line, message in page:
        yield _teams_message(message, line, name, ours, options, errors)


def _user(message: dict[str, Any]) -> dict[str, Any]:
    return dict_at(dict_at(message, "from"), "user")


def _teams_message(
    message: dict[str, Any],
    line: int,
    name: str,
    ours: set[str],
    options: ConnectorOptions,
    errors: list[RowError],
) -> Said | None:
    if message.get("messageType", "message") != "message" or message.get("deletedDateTime"):
        return None
    message_id = as_text(message.get("id"))
    if message_id is None:
        errors.append(RowError(line, "id", f"{name}: a message has no id"))
        return None
    sender = dict_at(message, "from")
    application, user = dict_at(sender, "application"), dict_at(sender, "user")
    if not application and not user:
        return None  # nobody's words
    bot = bool(application)
    shown = as_text((application or user).get("displayName")) or ""
    outsider = bool(_OUTSIDER.search(shown))
    person, company = affiliation(shown)
    staff = not bot and not outsider and as_text(user.get("tenantId")) in ours
    body = dict_at(message, "body")
    content = str(body.get("content") or "")
    text = html_to_text(content) if body.get("contentType") == "html" else content
    if bot and not text:
        text = "\n".join(_card_words(message.get("attachments")))
    link = as_text(message.get("webUrl"))
    query = parse_qs(urlsplit(link or "").query)
    channel = dict_at(message, "channelIdentity")
    where = as_text(channel.get("channelId")) or as_text(message.get("chatId")) or name
    title = next(iter(query.get("channelName") or []), None) or where
    place = Place("teams", title, where, {})
    replied = as_text(message.get("replyToId"))
    return Said(
        file=name,
        line=line,
        text=unquoted(text),
        when=message.get("createdDateTime"),
        when_field="createdDateTime",
        person=as_text(person) or shown or None,
        email=None,
        bot=bot,
        external_id=f"{where}:{message_id}",
        link=link,
        place=place,
        staff=staff,
        mentions=tuple(m for m in (company, title) if m and not staff and not bot),
        replies_to=f"{where}:{replied}" if replied else None,
    )


def _card_words(attachments: Any) -> Iterator[str]:
    """The words of the cards an app posts (an Adaptive Card's TextBlocks); not a quoted
    message's preview."""
    for attachment in attachments if isinstance(attachments, list) else []:
        if not isinstance(attachment, dict) or "card" not in str(attachment.get("contentType")):
            continue
        try:
            card = json.loads(str(attachment.get("content") or "{}"))
        except json.JSONDecodeError:
            continue
        yield from card_texts(card)


def card_texts(node: Any) -> Iterator[str]:
    """The words of an Adaptive Card's TextBlocks, wherever in the card they sit (an app's
    post in Teams or Webex)."""
    if isinstance(node, dict):
        if node.get("type") == "TextBlock" and (said := as_text(node.get("text"))):
            yield said
        for value in node.values():
            yield from card_texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from card_texts(value)
