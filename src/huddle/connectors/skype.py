"""Skype's exported chats that `slack` reads beside Slack's own export: the `messages.json` of
Skype's "Export files" download (a .tar holding it and, when files were asked for, their
`media/`), read from the tar or alone.

`{"userId", "exportDate", "conversations": [...]}`: `userId` is the exporting account
("live:.cid.…"), each conversation has its `id` ("19:…@thread.skype" a group chat, "8:live:…"
a chat with one person, "28:…" a bot's, "48:…" Skype's own call log and notifications), its
`displayName`, `threadProperties` (a group's `topic` and `members`) and `MessageList`, newest
first. Each message has its `id`, `originalarrivaltime` (ISO 8601), `from` ("8:live:…", or
"8:name" for an old account), the sender's `displayName` (null at times: the sender then
known by what their other messages show), `messagetype` and `content`, HTML-like markup:
`<ss>` emoticons, `<a>` links, `<at>` mentions, `<quote>` for a message quoted before the
reply (with Skype's `<legacyquote>` "[date] Name:" and "<<<" around it), `<e_m>` marking an
edit (older clients also opened it "Edited previous message: "); an edited message's
`properties` carry its `edittime`, a deleted one's its `deletetime` and its content is empty.
Microsoft Teams' export of a personal account is the same file ("19:…@unq.gbl.spaces" a chat
with one person, "19:…@thread.v2" a group). A chat with one person is titled by them.

People's words are `RichText` and `Text` messages; members added, calls, call logs, shared
photos and files, polls and Skype's notices hold none. The vendor's people are the export's
owner, a workspace user by name, or a display name that names the vendor ("Sam Ortiz
(OurCo)"); a bot writes from a "28:" id. No message carries an email: a customer's company is
the one their display name names ("Ana Lopes (Hooli Cloud)"), else the one the group chat's
topic or name names ("OurCo <> Vandelay Imports"), as a Slack Connect channel's does (never
its id, for a group with neither).
"""

import html
import re
import tarfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import Place, Said, machine_name, unquoted
from huddle.connectors.noise import is_staff, names_us
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.slack_export import SlackExport
from huddle.connectors.transcript_rules import affiliation
from huddle.errors import Invalid
from huddle.imports.records import RowError

# The export's own keys, before its conversations.
_EXPORT = re.compile(rb'^\s*\{.*?"(userId|exportDate)"\s*:.*?"conversations"\s*:', re.DOTALL)
_MESSAGE_LIST = b'"MessageList"'
# The message types that are someone's words.
_WORDS = {"RichText", "Text"}
# Skype's own conversations (call logs, notifications) and its bots' ids.
_SKYPE_OWN = "48:"
_BOT = "28:"
_GROUP = "19:"
_ONE_TO_ONE = "@unq.gbl.spaces"
# Older clients sent an edit as a new message saying so: "Edited previous message: …<e_m/>".
_EDITED = re.compile(r"^\s*Edited previous message:\s*", re.IGNORECASE)
# What a message's markup holds besides its words: a quoted message, an edit's marker, an
# emoticon, a file shared inline.
_QUOTE = re.compile(r"<quote\b.*?</quote>", re.DOTALL | re.IGNORECASE)
_EDIT_MARK = re.compile(r"<e_m\b[^>]*?(/>|>.*?</e_m>)", re.DOTALL | re.IGNORECASE)
_EMOTICON = re.compile(r"<ss\b[^>]*>.*?</ss>", re.DOTALL | re.IGNORECASE)
_SHARED = re.compile(r"<URIObject\b.*?</URIObject>", re.DOTALL | re.IGNORECASE)
_MENTION = re.compile(r"<at\b[^>]*>(.*?)</at>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
# A quote as older clients typed it: "[01/12/2026 15:10:02] Dana Lee: … <<< the reply".
_LEGACY_QUOTE = re.compile(r"^\s*\[[^\]\n]+\] [^:\n]+:.*?<<<\s?", re.DOTALL)
# The POSIX tar's magic, 257 bytes into the archive.
_TAR_MAGIC = b"ustar"


def is_skype(head: bytes) -> bool:
    """Skype's exported messages.json."""
    return bool(_EXPORT.match(head)) or (
        head.startswith(b"{") and _MESSAGE_LIST in head and b'"originalarrivaltime"' in head
    )


def is_tar(path: Path) -> bool:
    """A tar archive (Skype's download), by its magic rather than its name."""
    try:
        with path.open("rb") as raw:
            return raw.read(262)[257:262] == _TAR_MAGIC
    except OSError:
        return False


class SkypeTar(SlackExport):
    """The JSON files of Skype's .tar download (its messages.json), read without unpacking."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path = path
        self.zip = None
        try:
            self.tar = stack.enter_context(tarfile.open(path))  # noqa: SIM115 (the stack closes it)
            members = self.tar.getmembers()
        except (tarfile.TarError, OSError, EOFError) as error:
            raise Invalid(
                f"{path.name} is a damaged tar archive ({error}): download the export again"
            ) from None
        self.members = {
            m.name.removeprefix("./"): m
            for m in members
            if m.isfile() and m.name.lower().endswith(".json")
        }
        if not any(Path(name).name == "messages.json" for name in self.members):
            raise Invalid(
                f"{path.name} is a tar archive without Skype's messages.json: slack reads a "
                "tar only as Skype's export download; extract the export you meant and import it"
            )

    def names(self) -> list[str]:
        return sorted(self.members)

    def open(self, name: str) -> IO[bytes]:
        opened = self.tar.extractfile(self.members[name])
        if opened is None:  # a member that is not a regular file: never listed
            raise KeyError(name)
        return opened


def skype(
    export: SlackExport, name: str, options: ConnectorOptions, errors: list[RowError]
) -> Iterator[Said | None]:
    """Each person's message of each conversation, oldest first."""
    owner = _account(as_text(export.first(name, "userId", options.encoding)))
    for line, conversation in export.values(name, "conversations.item", options.encoding):
        if not isinstance(conversation, dict):
            errors.append(RowError(line, None, f"{name}: a conversation must be a JSON object"))
            continue
        chat_id = as_text(conversation.get("id")) or ""
        listed = conversation.get("MessageList")
        messages = [m for m in listed if isinstance(m, dict)] if isinstance(listed, list) else []
        if chat_id.startswith(_SKYPE_OWN):
            continue  # Skype's call log and notifications: no one's words
        # Who is who by every message: a sender shown once by name is known by it throughout.
        shown = {
            str(m.get("from")): n
            for m in reversed(messages)
            if (n := as_text(m.get("displayName")))
        }
        group = _is_group(chat_id)
        if not group and as_text(conversation.get("displayName")):
            shown.setdefault(chat_id, str(conversation["displayName"]))
        place = _place(conversation, chat_id, group, shown.get(chat_id))
        for message in sorted(messages, key=lambda m: str(m.get("originalarrivaltime") or "")):
            yield _said(message, line, name, place, shown, owner, options)


def _account(sender: str | None) -> str:
    """A Skype id without its kind ("8:live:dana" and "live:dana" are one account)."""
    return re.sub(r"^\d+:", "", (sender or "").rsplit("/", 1)[-1]).casefold()


def _is_group(chat_id: str) -> bool:
    """A group chat ("19:…@thread.skype"; Teams' "19:…@thread.v2"), not a chat with one
    person ("8:live:…"; Teams' "19:…@unq.gbl.spaces")."""
    return chat_id.startswith(_GROUP) and not chat_id.endswith(_ONE_TO_ONE)


def _place(conversation: dict[str, Any], chat_id: str, group: bool, person: str | None) -> Place:
    topic = as_text(dict_at(conversation, "threadProperties").get("topic"))
    named = as_text(conversation.get("displayName")) or topic
    # A group chat is named for whom it is with (its topic or name, never its id); a chat
    # with one person, by that person.
    about = tuple(dict.fromkeys(t for t in (topic, named) if t)) if group else ()
    return Place("skype", named or (None if group else person) or chat_id, chat_id, {}, about=about)


def _words(content: str) -> str:
    """A message's own words: without the message it quotes, Skype's markup and entities."""
    text = _QUOTE.sub("", _EDITED.sub("", content))
    for mark in (_EDIT_MARK, _EMOTICON, _SHARED):
        text = mark.sub("", text)
    text = _MENTION.sub(r"@\1", text)
    text = html.unescape(_TAG.sub("", text))
    return unquoted(_LEGACY_QUOTE.sub("", text)).strip()


def _said(
    message: dict[str, Any],
    line: int,
    name: str,
    place: Place,
    shown: dict[str, str],
    owner: str,
    options: ConnectorOptions,
) -> Said | None:
    if message.get("messagetype") not in _WORDS:
        return None  # a member added, a call, a photo or file shared, a poll
    text = _words(str(message.get("content") or ""))
    if not text:
        return None  # deleted (its content emptied), or only an emoticon or a quote
    sender = str(message.get("from") or "")
    display = shown.get(sender) or _account(sender).removeprefix("live:")
    person, company = affiliation(display)
    bot = sender.startswith(_BOT) or machine_name(display, options)
    staff = not bot and (
        (bool(owner) and _account(sender) == owner)
        or is_staff(None, person, options)
        or bool(company and names_us(company, options))
    )
    return Said(
        file=name,
        line=line,
        text=text,
        when=message.get("originalarrivaltime"),
        when_field="originalarrivaltime",
        person=as_text(person) or display or None,
        email=None,
        bot=bot,
        external_id=f"{place.id}:{message.get('id') or message.get('version')}",
        link=None,
        place=place,
        staff=staff,
        mentions=tuple(m for m in (company, *place.about) if m) if not (bot or staff) else (),
    )
