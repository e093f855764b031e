"""Zulip messages that `slack` reads beside Slack's own export: a page of Zulip's messages API
saved as JSON, or the messages of Zulip's export of a whole organisation.

`GET /api/v1/messages` answers `{"messages": [...], "result": "success", "msg", "anchor",
"found_anchor", "found_oldest", "found_newest", "history_limited"}` (the list may be saved
alone), oldest first: each message with its `id`, `sender_full_name`, `sender_email`,
`content` (rendered HTML, or the Markdown its sender wrote when fetched with
`apply_markdown=false`), `timestamp` (Unix seconds), `type` ("stream", or "private" for a
direct message), `display_recipient` (a stream's name; a direct message's people as a list),
`stream_id`, `subject` (the topic), `is_me_message` and `client`.

`zulip export` (`manage.py export`, or an organisation's export from its settings) writes
`realm.json` (its people in `zerver_userprofile`, Zulip's own bots in
`zerver_userprofile_crossrealm`, `zerver_stream`, `zerver_recipient`) beside
`messages-000001.json`… (`zerver_message`: `sender` and `recipient` by id, `subject`,
`content` in Markdown, `rendered_content`, `date_sent`). The export's folder or its zip is read
(the tarball Zulip writes: unpacked first); a messages file alone names no one and is refused.

Who wrote is known by their address (the vendor's people by its domains or a workspace user's
name; a customer's company by their domain, else the stream's name or the topic's). A hidden
address (`user14@ourco.zulipchat.com`, when the organisation shows no one's email) names no
one. Bots are Zulip's own (Notification Bot, Welcome Bot: sent by the `Internal` client) and
those an organisation adds, whose address Zulip makes `<name>-bot@<its host>` (Jira, GitHub),
or a sender named as a bot. A quote-reply's quote ("Sam Ortiz said:" and the blockquote) is
someone else's words, left out. Each message of a topic replies in the thread its first
message opened. Links go to the message when `--workspace` names the Zulip server.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import Place, Said, machine_name, unemphasised, unquoted
from huddle.connectors.common import workspace_site
from huddle.connectors.record_values import as_text
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

# Keys only Zulip's messages carry beside `sender_id`.
_ZULIP_KEYS = (
    b'"display_recipient"',
    b'"sender_email"',
    b'"sender_realm_str"',
    b'"recipient_id"',
    b'"topic_links"',
    b'"is_me_message"',
)
_EXPORT_MESSAGES = re.compile(r"(?:^|/)messages-\d+\.json$")
# A bot's address as Zulip makes it, and the address a hidden email is shown as.
_BOT_ADDRESS = re.compile(r"-bot@", re.IGNORECASE)
_HIDDEN_ADDRESS = re.compile(r"^user\d+@", re.IGNORECASE)
_SERVER_CLIENT = "internal"
# The line a quote-reply opens with, in HTML and in Markdown: a silent mention of whom it
# quotes and a link to their message ("Sam Ortiz [said](…/near/3312052):").
_QUOTE_INTRO_HTML = re.compile(
    r"<p>\s*<span class=\"user-mention silent\"[^>]*>[^<]*</span>\s*"
    r"<a href=\"[^\"]*/near/\d+\"[^>]*>[^<]*</a>\s*:?\s*</p>\s*(?=<blockquote)"
)
_QUOTE_INTRO_MD = re.compile(r"^@_\*\*[^*\n]+\*\*\s*\[[^\]\n]*\]\([^)\n]*/near/\d+\)\s*:?\s*$")
_QUOTE_FENCE = re.compile(r"^(`{3,}|~{3,})\s*quote\s*$")
_MENTION_MD = re.compile(r"@_?\*\*([^*|\n]+)(?:\|\d+)?\*\*|@_?\*([^*\n]+)\*")
_STREAM_LINK_MD = re.compile(r"#\*\*([^*\n]+)\*\*")

# What the export's realm.json holds, by the key its tables are under.
Tables = Callable[[str, str], Iterable[tuple[int, Any]]]


def is_zulip(head: bytes) -> bool:
    """A page of Zulip's messages API (or the list alone)."""
    return (
        head.startswith((b"{", b"["))
        and b'"sender_id"' in head
        and any(key in head for key in _ZULIP_KEYS)
    )


def is_zulip_export(name: str, head: bytes) -> bool:
    """A messages file of Zulip's export of an organisation."""
    return head.startswith(b"{") and (
        b'"zerver_message"' in head or bool(_EXPORT_MESSAGES.search(name))
    )


def zulip(
    messages: Iterable[tuple[int, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of an API page, in the order Zulip gives them (oldest first)."""
    site = workspace_site(options)
    opened: dict[tuple[str, str], str] = {}
    for line, message in messages:
        if not isinstance(message, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
            continue
        if as_text(message.get("id")) is None:
            errors.append(RowError(line, "id", f"{name}: a message has no id"))
            continue
        recipient = message.get("display_recipient")
        people = recipient if isinstance(recipient, list) else []
        content = str(message.get("content") or "")
        html = message.get("content_type") == "text/html" or content.lstrip().startswith("<")
        yield _said(
            message,
            line,
            name,
            text=_words(content, html=html),
            stream=None if people else as_text(recipient),
            stream_id=as_text(message.get("stream_id")),
            people=[as_text(p.get("full_name")) or "" for p in people if isinstance(p, dict)],
            when=message.get("timestamp"),
            when_field="timestamp",
            person=as_text(message.get("sender_full_name")),
            email=as_text(message.get("sender_email")),
            bot=_BOT_ADDRESS.search(str(message.get("sender_email") or "")) is not None
            or str(message.get("client") or "").casefold() == _SERVER_CLIENT,
            site=site,
            opened=opened,
            options=options,
        )


def zulip_export(
    name: str, names: list[str], tables: Tables, options: ConnectorOptions, errors: list[RowError]
) -> Iterator[Said | None]:
    """Each message of one messages file of an organisation's export, its people, streams
    and recipients read from realm.json beside it."""
    folder = str(Path(name).parent)
    realm = next(
        (n for n in names if str(Path(n).parent) == folder and n.endswith("realm.json")), None
    )
    if realm is None:
        raise RowShapeError(
            1,
            f"{name} is one file of Zulip's export, which names its people and streams in "
            "realm.json: import the export's folder (or a zip of it)",
        )
    users: dict[str, dict[str, Any]] = {}
    for key, bot in (("zerver_userprofile", False), ("zerver_userprofile_crossrealm", True)):
        for _, user in tables(realm, f"{key}.item"):
            if isinstance(user, dict) and user.get("id") is not None:
                users[str(user["id"])] = {**user, "is_bot": bot or bool(user.get("is_bot"))}
    streams = {
        str(s.get("id")): as_text(s.get("name"))
        for _, s in tables(realm, "zerver_stream.item")
        if isinstance(s, dict)
    }
    # A recipient is a stream (type 2, its type_id the stream's id), a person or a group.
    recipients = {
        str(r.get("id")): r
        for _, r in tables(realm, "zerver_recipient.item")
        if isinstance(r, dict)
    }
    site = workspace_site(options)
    opened: dict[tuple[str, str], str] = {}
    for line, message in tables(name, "zerver_message.item"):
        if not isinstance(message, dict) or message.get("id") is None:
            errors.append(RowError(line, "id", f"{name}: a message has no id"))
            continue
        sender = users.get(str(message.get("sender")), {})
        recipient = recipients.get(str(message.get("recipient")), {})
        stream_id = str(recipient.get("type_id")) if recipient.get("type") == 2 else None
        # A direct message to one person (type 1) is named by them; a group's by its id.
        to = users.get(str(recipient.get("type_id")), {}) if recipient.get("type") == 1 else {}
        rendered = as_text(message.get("rendered_content"))
        yield _said(
            message,
            line,
            name,
            text=_words(rendered or str(message.get("content") or ""), html=rendered is not None),
            stream=streams.get(stream_id or ""),
            stream_id=stream_id,
            people=[]
            if stream_id
            else [as_text(to.get("full_name")) or f"recipient {message.get('recipient')}"],
            when=message.get("date_sent", message.get("pub_date")),
            when_field="date_sent",
            person=as_text(sender.get("full_name")),
            email=as_text(sender.get("delivery_email") or sender.get("email")),
            bot=bool(sender.get("is_bot")),
            site=site,
            opened=opened,
            options=options,
        )


def _words(content: str, *, html: bool) -> str:
    """A message's words as people read them, without the message a quote-reply quotes."""
    if html:
        return unquoted(html_to_text(_QUOTE_INTRO_HTML.sub("", content)))
    kept: list[str] = []
    fence: str | None = None
    lines = content.splitlines()
    for number, line in enumerate(lines):
        if fence is not None:
            closing = line.strip()
            if len(closing) >= len(fence) and not closing.strip(fence[0]):
                fence = None  # the quote's end
            continue
        if opening := _QUOTE_FENCE.match(line.strip()):
            fence = opening.group(1)
            continue
        following = lines[number + 1].strip() if number + 1 < len(lines) else ""
        if _QUOTE_INTRO_MD.match(line.strip()) and (
            _QUOTE_FENCE.match(following) or following.startswith(">")
        ):
            continue
        kept.append(line)
    text = _MENTION_MD.sub(lambda m: "@" + (m.group(1) or m.group(2)), "\n".join(kept))
    return unquoted(unemphasised(_STREAM_LINK_MD.sub(r"#\1", text)))


def _said(
    message: dict[str, Any],
    line: int,
    name: str,
    *,
    text: str,
    stream: str | None,
    stream_id: str | None,
    people: list[str],
    when: Any,
    when_field: str,
    person: str | None,
    email: str | None,
    bot: bool,
    site: str | None,
    opened: dict[tuple[str, str], str],
    options: ConnectorOptions,
) -> Said:
    message_id = str(message.get("id"))
    topic = as_text(message.get("subject") or message.get("topic")) or ""
    if stream:
        place = Place("zulip", stream, stream_id or stream, {})
    else:
        together = ", ".join(sorted(p for p in people if p))
        place = Place("zulip", f"dm:{together}", f"dm:{together}", {})
    external_id = f"{place.id}:{message_id}"
    # A topic is a thread: its first message opened it.
    first = opened.setdefault((place.id, topic), external_id)
    if message.get("is_me_message") and text.startswith("/me "):
        text = f"{person or ''} {text[4:]}".strip()
    if email and _HIDDEN_ADDRESS.match(email):
        email = None  # the organisation shows no one's address
    bot = bot or bool(person and machine_name(person, options))
    link = None
    if site and stream:
        narrow = f"{stream_id}-{stream}" if stream_id else stream
        link = f"{site}/#narrow/channel/{_hash(narrow)}/topic/{_hash(topic)}/near/{message_id}"
    return Said(
        file=name,
        line=line,
        text=text,
        when=when,
        when_field=when_field,
        person=person,
        email=email,
        bot=bot,
        external_id=external_id,
        link=link,
        place=place,
        # Of the company the stream (or the topic) names, when their address names none.
        mentions=tuple(
            m for m in (stream.replace("-", " ").replace("_", " ") if stream else None, topic) if m
        )
        if not bot
        else (),
        replies_to=first if first != external_id else None,
    )


def _hash(part: str) -> str:
    """A narrow's part as Zulip writes it in a link: percent-encoded, with "." for "%"."""
    return quote(part, safe="").replace(".", "%2E").replace("%", ".")
