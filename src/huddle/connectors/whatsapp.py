"""WhatsApp's "Export chat" text file, read by `slack`.

WhatsApp (Android and iOS) exports a chat as `WhatsApp Chat with <chat>.txt` (iOS: `_chat.txt`
in `WhatsApp Chat - <chat>.zip`, beside the media when they were included), one message per
line, a message's further lines after it:

- Android: `03/12/2026, 09:14 - Kwame Mensah: text`; iOS: `[03/12/2026, 09:14:05] Kwame
  Mensah: text`. The date and clock follow the phone's locale: day or month first (the US),
  dots or dashes for slashes, a year of two digits or first, a 12-hour clock with "PM",
  "p.m." or "p. m." (often after a narrow no-break space), "hh.mm" in some languages.
- WhatsApp's own lines: on Android a line with no "Name: " (the encryption notice, "created
  group", "added", "left", a changed subject); on iOS often said by the chat itself (the
  group's name as the sender) or opened with a left-to-right mark (U+200E), as are its media
  placeholders ("image omitted", "<attached: 0001-PHOTO….jpg>"). Those, "<Media omitted>",
  "This message was deleted" and missed calls are no one's words.

A file's numeric dates are all written one way: the order is the one its dates show (a
number past 12, or the day wrapping as the month goes on), else month first when the clock
is 12-hour (as `export_dates` reads American dates), else day first. WhatsApp writes local
time without a zone: read as UTC.

Who is who: no emails. The vendor's people are known by a workspace user's name, a name that
names the vendor ("Dana | OurCo"); the others are the customer's, of the company their name
names ("Kwame (Globex)"), else the one the chat's name names ("OurCo x Globex Freight", from
the file's name or the "created group" line).
"""

import codecs
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import pairwise
from typing import IO

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import Place, Said, machine_name, staff_role
from huddle.connectors.export_dates import clock_hour, slash_order
from huddle.connectors.noise import names_us
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError
from huddle.kit.ids import content_id

# Marks WhatsApp writes around names and notices: left-to-right and right-to-left marks,
# embeddings around a phone number ("\u202a+44 7700 900412\u202c"), a byte-order mark.
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
# A message's first line: its date and time, then "] " (iOS) or " - " (Android). A short
# word may sit between date and time (Finnish "klo", French "à").
_STAMP = re.compile(
    rf"^[{_MARKS}]*(?P<open>\[)?"
    r"(?P<a>\d{1,4})(?P<sep>[./-]) ?(?P<b>\d{1,2})(?P=sep) ?(?P<c>\d{1,4})\.?"
    r",?\s+(?:[^\W\d_]{1,4}\.?\s+)?"
    r"(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:[\s\u00a0\u202f]*(?P<ampm>[aApP])\.?\s?[mM]\.?)?"
    r"(?(open)\]\s|\s[-\u2013]\s)"
    r"(?P<rest>.*)$"
)
_SENDER = re.compile(r"^(?P<who>[^:\n]{1,100}?): (?P<said>.*)$", re.DOTALL)
# The chat's name as WhatsApp names the file, in the languages it writes ("WhatsApp Chat with
# X", "WhatsApp Chat - X", "WhatsApp-Chat mit X", "Chat de WhatsApp con X", "Discussion
# WhatsApp avec X", "Conversa do WhatsApp com X"), a download's " (1)" dropped.
_FILE_TITLE = re.compile(
    r"whats\s?app\b.*?[\s_-](?:with|mit|met|con|avec|com|med|-)\s+(?P<name>.+?)(?:\s*\(\d+\))?$",
    re.IGNORECASE,
)
# Notices that name the group: created, renamed.
_GROUP_NAME = re.compile(
    r"(?:created group|changed the (?:subject|group name)(?: from .+?)? to|"
    r"changed this group's name(?: from .+?)? to)\s+[\"\u201c](?P<name>[^\"\u201d]+)[\"\u201d]"
)
# What WhatsApp writes in a message's place: media left out of the export, a deleted or
# undecryptable message, a call, a view-once message.
_PLACEHOLDER = re.compile(
    r"^(?:<media omitted>|<[^<>]*\bomitted>|(?:image|video|audio|sticker|gif|document|"
    r"contact card) omitted|this message was deleted\.?|you deleted this message\.?|"
    r"waiting for this message\. this may take a while\.?|null|"
    r"missed (?:group )?(?:voice|video) call(?:, tap to call back)?|"
    r"(?:voice|video) call(?:, \S+)?|live location shared)$",
    re.IGNORECASE,
)
# Attached media: iOS's "<attached: 00000042-PHOTO-2026-12-03-09-14-20.jpg>", Android's
# "IMG-20261203-WA0001.jpg (file attached)"; a caption beside it is the sender's words.
_ATTACHED = re.compile(r"<attached: [^<>]+>|^\S[^\n]*\.\w{2,5} \(file attached\)$", re.MULTILINE)
_EDITED = re.compile(r"\s*<this message was edited>\s*$", re.IGNORECASE)
# The encryption notices, which iOS says in the other person's name in a chat of two.
_ENCRYPTION = re.compile(
    r"end-to-end encrypted|secured with end-to-end encryption|security code (?:with .+ )?changed",
    re.IGNORECASE,
)


def is_whatsapp(head: bytes) -> bool:
    """A WhatsApp chat export: its first line is a message or notice with WhatsApp's stamp."""
    first = head.decode("utf-8", errors="replace").lstrip("\ufeff").split("\n", 1)[0]
    return _STAMP.match(first.rstrip("\r")) is not None


def not_a_chat(name: str) -> RowShapeError:
    """The refusal of a text file given to `slack` that is no chat export it reads."""
    return RowShapeError(
        1,
        f"{name} is not a WhatsApp chat export: its first line is neither 'date, time - Name: "
        "text' (Android) nor '[date, time] Name: text' (iOS). slack reads WhatsApp's text "
        "export and JSON exports (Slack, Discord, Telegram, Mattermost, Teams, Element)",
    )


def chat_title(*names: str) -> str | None:
    """The chat's name the first of `names` (file or folder names) gives as WhatsApp writes
    them ("WhatsApp Chat with OurCo x Globex Freight")."""
    for name in names:
        found = _FILE_TITLE.search(name.strip())
        if found and found.group("name").strip():
            return found.group("name").strip()
    return None


@dataclass
class _Stamp:
    a: str
    b: str
    c: str
    hour: int
    minute: int
    second: int
    ampm: str | None


@dataclass
class _Chat:
    """What the first reading of a file settles: the order of its dates, the group's names."""

    order: str = "dmy"
    names: list[str] = field(default_factory=list)


def whatsapp(
    open_chat: Callable[[], IO[bytes]],
    name: str,
    title: str | None,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of a WhatsApp export, None for WhatsApp's own lines. The file is read
    twice: first for the order of its dates and the group's names, then for its messages."""
    chat = _settle(_messages(open_chat, options.encoding))
    titles = tuple(dict.fromkeys(n for n in (*reversed(chat.names), title) if n))
    place = Place("whatsapp", titles[0] if titles else name, titles[0] if titles else name, {})
    seen: dict[tuple[str, str], int] = {}
    for line, stamp, rest in _messages(open_chat, options.encoding):
        when = _moment(stamp, chat.order)
        if when is None:
            errors.append(
                RowError(line, "date", f"{name}: {stamp.a}/{stamp.b}/{stamp.c} is not a date")
            )
            yield None
            continue
        yield _said(rest, line, name, when, place, titles, chat.names, options, seen)


def _messages(
    open_chat: Callable[[], IO[bytes]], encoding: str
) -> Iterator[tuple[int, _Stamp, str]]:
    """(line, stamp, the rest with its further lines) of each message or notice."""
    utf8 = codecs.lookup(encoding).name == "utf-8"
    with open_chat() as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig" if utf8 else encoding, newline=None)
        current: tuple[int, _Stamp, list[str]] | None = None
        for number, line in enumerate(text, start=1):
            line = line.rstrip("\n")
            found = _STAMP.match(line)
            if found is None:
                if current is not None:
                    current[2].append(line)
                elif line.strip():
                    raise RowShapeError(number, "the chat does not open with a dated message")
                continue
            if current is not None:
                yield current[0], current[1], "\n".join(current[2])
            stamp = _Stamp(
                found["a"],
                found["b"],
                found["c"],
                int(found["h"]),
                int(found["m"]),
                int(found["s"] or 0),
                found["ampm"].lower() if found["ampm"] else None,
            )
            current = (number, stamp, [found["rest"]])
        if current is not None:
            yield current[0], current[1], "\n".join(current[2])


def _settle(messages: Iterator[tuple[int, _Stamp, str]]) -> _Chat:
    chat = _Chat()
    dates: list[tuple[str, str, str]] = []
    twelve_hour = False
    for _, stamp, rest in messages:
        date = (stamp.a, stamp.b, stamp.c)
        if not dates or dates[-1] != date:
            dates.append(date)
        twelve_hour = twelve_hour or stamp.ampm is not None
        renamed = _GROUP_NAME.search(rest) if _notice(rest) else None
        if renamed:
            chat.names.append(renamed.group("name").strip())
    chat.order = _date_order(dates, twelve_hour)
    return chat


def _date_order(dates: list[tuple[str, str, str]], twelve_hour: bool) -> str:
    """'ymd', 'dmy' or 'mdy' for the file's dates, in the order they were written."""
    if any(len(a) == 4 for a, _, _ in dates):
        return "ymd"
    order = slash_order(f"{a}/{b}/{c}" for a, b, c in dates)
    if order is not None:
        return "mdy" if order else "dmy"
    # A chat goes forward in time: within a year, the number that falls back to a lower one
    # as the other rises is the day.
    for (a1, b1, c1), (a2, b2, c2) in pairwise(dates):
        if c1 != c2:
            continue
        if int(a2) < int(a1) and int(b2) > int(b1):
            return "dmy"
        if int(b2) < int(b1) and int(a2) > int(a1):
            return "mdy"
    return "mdy" if twelve_hour else "dmy"


def _moment(stamp: _Stamp, order: str) -> datetime | None:
    parts = {"ymd": (stamp.a, stamp.b, stamp.c), "dmy": (stamp.c, stamp.b, stamp.a)}
    year, month, day = parts.get(order, (stamp.c, stamp.a, stamp.b))
    hour = clock_hour(stamp.hour, stamp.ampm)
    if hour is None:
        return None
    try:
        return datetime(
            int(year) + (2000 if len(year) <= 2 else 0),
            int(month),
            int(day),
            hour,
            stamp.minute,
            stamp.second,
            tzinfo=UTC,
        )
    except ValueError:
        return None


def _notice(rest: str) -> bool:
    """WhatsApp's own line: no "Name: " (Android); a "Name: " holding quotes, which is a new
    subject holding ": " ('Tom changed the subject to "Q4: rollout"'); words opened with a
    left-to-right mark (iOS), unless they are media with a caption."""
    found = _SENDER.match(rest)
    if found is None or any(q in found.group("who") for q in '"\u201c\u201d'):
        return True
    return found.group("said").startswith("\u200e") and not _ATTACHED.search(found.group("said"))


def _said(
    rest: str,
    line: int,
    name: str,
    when: datetime,
    place: Place,
    titles: tuple[str, ...],
    groups: list[str],
    options: ConnectorOptions,
    seen: dict[tuple[str, str], int],
) -> Said | None:
    found = _SENDER.match(rest)
    if found is None or _notice(rest):
        return None  # WhatsApp's notice: no one's words
    shown = found.group("who").strip(_MARKS + " ")
    if shown in groups:
        return None  # iOS says its notices in the group's name
    text = _EDITED.sub("", _ATTACHED.sub("", found.group("said"))).strip(_MARKS + " \n")
    if not text or _PLACEHOLDER.match(text) or _ENCRYPTION.search(text):
        return None
    person, company = affiliation(shown)
    staff = bool(staff_role(shown, options) or (company and names_us(company, options)))
    bot = machine_name(shown, options)
    moment = when.isoformat()
    # Messages have no ids: a message is its chat, its minute, its sender and its place among
    # that sender's messages of that minute, the same however often the chat is exported.
    key = (moment, shown)
    seen[key] = seen.get(key, 0) + 1
    return Said(
        file=name,
        line=line,
        text=text,
        when=moment,
        when_field="date",
        person=person or shown,
        email=None,
        bot=bot,
        external_id=content_id("whatsapp", place.id, moment, shown, seen[key]),
        link=None,
        place=place,
        staff=staff and not bot,
        mentions=tuple(m for m in (company, *titles) if m and not staff and not bot),
    )
