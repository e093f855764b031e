"""Matrix rooms as Element's "Export chat" writes them in JSON, read by `slack`.

Element (Web and Desktop) writes one object: `room_name`, `room_creator`, `topic`,
`export_date`, `exported_by` (the creator and the exporter by display name or Matrix id) and
`messages`, the room's raw events in order (its zip, when attachments were included, holds the
same JSON beside the files). Each event has its `type`, `sender` (a Matrix id, `@user:server`:
not an email), `content`, `origin_server_ts` (Unix milliseconds), `event_id` and `room_id`; an
encrypted room's events are the decrypted ones (an older Element wrapped them in `decrypted`),
and one it could not decrypt has no words.

Only `m.room.message` events are someone's words: `m.text` and `m.emote`; an `m.notice` is
what a bot or an integration posts (Matrix's own rule for notices); an image, a file, a video
or a voice message says nothing unless it carries a caption (its `body` beside its
`filename`). State events (the room made, named, its topic, joins and leaves), reactions,
redactions and calls are Matrix's notices. A redacted message (its content emptied, or named
by a redaction) says nothing. An edit (`m.relates_to.rel_type: m.replace`) is a second event
whose `m.new_content` replaces the first one's words (its own body is " * " and the new words,
a fallback): the message is read once, with the latest words its sender gave it. A reply's body
repeats the message it answers first (`> <@user:server> …`), someone else's words, left out;
it replies to that message (`m.in_reply_to`), or in a thread to its root (`m.thread`).

Who is who: a sender's display name is the one their membership events give (else the id's
local part). The vendor's people are known by a workspace user's name, a display name naming
the vendor ("Dana | OurCo"), or their homeserver being the vendor's domain (`@dana:ourco.com`);
a sender named as a bot or as the vendor's status page ("OurCo Status") is a bot. A customer's
account is the one their display name names ("Alejandro Ruiz (Hooli)"), else the room's name
("OurCo & Hooli Cloud") or topic, else their homeserver's domain, as chat_messages says. Links
go to the event through matrix.to.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import (
    Place,
    Said,
    machine_name,
    staff_role,
    unemphasised,
    unquoted,
)
from huddle.connectors.email_addresses import is_internal
from huddle.connectors.noise import names_us
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError

# Message types that are someone's words; a notice is a bot's.
_WORDS = {"m.text", "m.emote", "m.notice"}
# Media, whose body is its file's name unless a `filename` beside it makes the body a caption.
_MEDIA = {"m.image", "m.file", "m.video", "m.audio"}


def is_element(head: bytes) -> bool:
    """Element's JSON export of a room: its header's keys come before the events."""
    return head.startswith(b"{") and (
        b'"room_name"' in head
        and any(key in head for key in (b'"exported_by"', b'"export_date"', b'"room_creator"'))
    )


def _event(value: Any) -> dict[str, Any] | None:
    """An exported event; an older Element's `{"decrypted": …, "encrypted": …}` unwrapped."""
    if not isinstance(value, dict):
        return None
    decrypted = value.get("decrypted")
    return decrypted if isinstance(decrypted, dict) else value


def _relation(content: dict[str, Any]) -> dict[str, Any]:
    return dict_at(content, "m.relates_to")


def _server(sender: str) -> str:
    """The homeserver of `@user:server`, without a port."""
    server = sender.partition(":")[2]
    return server.rsplit(":", 1)[0] if server.count(":") == 1 else server


def _domains(server: str) -> tuple[str, ...]:
    """A homeserver and the domains it sits under ("matrix.hooli.example", "hooli.example")."""
    labels = server.lower().split(".")
    return tuple(".".join(labels[i:]) for i in range(len(labels) - 1)) if "." in server else ()


def element(
    events: Iterable[tuple[int, Any]],
    name: str,
    header: dict[str, Any],
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of one room's export (`header` holds its room_name and topic), None for a
    notice. The room is read whole first: an edit or a redaction comes after what it changes,
    a member's name may come after their first words."""
    room: list[tuple[int, dict[str, Any]]] = []
    for line, value in events:
        event = _event(value)
        if event is None:
            errors.append(RowError(line, None, f"{name}: an event must be a JSON object"))
            continue
        room.append((line, event))
    names: dict[str, str] = {}
    redacted: set[str] = set()
    room_name = as_text(header.get("room_name"))
    for _, event in room:
        kind, content = event.get("type"), dict_at(event, "content")
        sender = str(event.get("sender") or "")
        if kind == "m.room.member" and (shown := as_text(content.get("displayname"))):
            names[str(event.get("state_key") or sender)] = shown
        elif kind == "m.room.redaction":
            redacted.add(str(event.get("redacts") or content.get("redacts") or ""))
        elif kind == "m.room.name" and not header.get("room_name"):
            room_name = as_text(content.get("name")) or room_name
    present = {str(e.get("event_id")): e.get("sender") for _, e in room if _edited(e) is None}
    edits = _latest_edits(room, present)
    topic = as_text(header.get("topic"))
    for line, event in room:
        content = dict_at(event, "content")
        event_id = str(event.get("event_id") or "")
        if event.get("type") != "m.room.message" or "state_key" in event:
            yield None  # a state event, a reaction, a redaction, a call, an undecryptable one
            continue
        if (target := _edited(event)) is not None:
            if target in present or edits.get(target) is not event or target in redacted:
                yield None  # read with the message it edits
                continue
            # The message edited is not in the export: the edit stands for it.
            event_id, content = target, dict_at(content, "m.new_content") or content
        elif (edit := edits.get(event_id)) is not None:
            content = dict_at(dict_at(edit, "content"), "m.new_content") or content
        if event_id in redacted or dict_at(event, "unsigned").get("redacted_because"):
            yield None
            continue
        yield _said(event, event_id, content, line, name, room_name, topic, names, options)


def _edited(event: dict[str, Any]) -> str | None:
    """The id of the message an edit replaces; None when the event is no edit."""
    relation = _relation(dict_at(event, "content"))
    if event.get("type") != "m.room.message" or relation.get("rel_type") != "m.replace":
        return None
    return str(relation.get("event_id") or "")


def _latest_edits(
    room: list[tuple[int, dict[str, Any]]], senders: dict[str, Any]
) -> dict[str, dict[str, Any]]:
    """Each edited message's latest edit by its own sender (no one else may edit it), by the
    edited message's id; an edit of a message not in the export counts whoever sent it."""
    latest: dict[str, dict[str, Any]] = {}
    for _, event in room:
        target = _edited(event)
        if target is None or (target in senders and event.get("sender") != senders[target]):
            continue
        if target not in latest or _ts(event) >= _ts(latest[target]):
            latest[target] = event
    return latest


def _ts(event: dict[str, Any]) -> float:
    ts = event.get("origin_server_ts")
    return float(ts) if isinstance(ts, int | float) and not isinstance(ts, bool) else 0.0


def _words(content: dict[str, Any]) -> str | None:
    """A message's words; None for one without (an image, a file, an emptied one)."""
    kind = content.get("msgtype")
    body = as_text(content.get("body"))
    if kind in _MEDIA:
        caption = body if body and body != as_text(content.get("filename")) else None
        return caption if content.get("filename") else None
    if kind not in _WORDS:
        return None
    if body is None and content.get("formatted_body"):
        html = str(content["formatted_body"])
        if "</mx-reply>" in html:
            html = html.split("</mx-reply>", 1)[1]
        body = html_to_text(html)
    return unquoted(unemphasised(body or "")) or None


def _said(
    event: dict[str, Any],
    event_id: str,
    content: dict[str, Any],
    line: int,
    name: str,
    room_name: str | None,
    topic: str | None,
    names: dict[str, str],
    options: ConnectorOptions,
) -> Said | None:
    text = _words(content)
    if text is None:
        return None
    sender = str(event.get("sender") or "")
    local = sender.lstrip("@").partition(":")[0]
    server = _server(sender)
    shown = names.get(sender) or local
    person, company = affiliation(shown)
    staff = bool(
        (server and is_internal(f"{local}@{server}", options.internal_domains))
        or staff_role(shown, options)
        or (company and names_us(company, options))
    )
    bot = (
        content.get("msgtype") == "m.notice"
        or machine_name(shown, options)
        or machine_name(local.replace("-", " ").replace("_", " ").replace(".", " "), options)
    )
    room_id = str(event.get("room_id") or "")
    relation = _relation(content) or _relation(dict_at(event, "content"))
    replied = as_text(dict_at(relation, "m.in_reply_to").get("event_id"))
    root = as_text(relation.get("event_id")) if relation.get("rel_type") == "m.thread" else None
    place = Place("matrix", room_name or room_id or name, room_id, {})
    return Said(
        file=name,
        line=line,
        text=text,
        when=_ts(event) / 1000 if _ts(event) else event.get("origin_server_ts"),
        when_field="origin_server_ts",
        person=as_text(person) or shown or None,
        email=None,
        bot=bot,
        external_id=f"{room_id}:{event_id}",
        link=f"https://matrix.to/#/{room_id}/{event_id}" if room_id and event_id else None,
        place=place,
        staff=staff and not bot,
        mentions=tuple(
            m for m in (company, room_name, topic, *_domains(server)) if m and not staff and not bot
        ),
        replies_to=f"{room_id}:{root or replied}" if root or replied else None,
    )
