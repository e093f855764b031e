"""Mail as Mailgun's inbound routing gives it: the JSON of a stored message (what a route's
`store()` keeps, fetched by `GET /v3/domains/{domain}/messages/{key}` or POSTed to its
`notify` URL), or the fields a `forward()` route POSTs for each mail, kept by a small
receiver: one body a file, a JSON line each, or an array of them.

A message holds Mailgun's own keys, hyphenated: `from`, `sender` (the SMTP envelope's),
`subject`, `recipient`/`recipients`, `body-plain` (always there: Mailgun writes one from the
HTML when the mail has none), `body-html`, `stripped-text`, `stripped-html` and
`stripped-signature` (Mailgun's cut of the reply), `message-headers` as `[[name, value], …]`
(a JSON string of them in a form POST), `attachments` as `[{url, content-type, name, size}]`
(links, not files), `timestamp`, `token` and `signature` (the webhook's, to verify it); the
mail's own headers may stand beside them as keys (`From`, `Subject`, `Message-Id`). Asked
for `Accept: message/rfc2822`, the stored message is `body-mime` instead: the mail as it came.

Each message is made into the RFC 822 mail it stands for (`body-mime` when given; else its
headers, its text and HTML bodies and its attachments by name), so it is read as any mail
is: quotes, signatures and disclaimers cut, forwards unwrapped, auto-replies and bounces
known by their headers, tests and internal mail left out. `stripped-text` is not read:
Mailgun's cut stops an inline-answered reply at its first line, keeps only the forwarder's
note of a forward, and leaves disclaimers in; it stands in only for a message holding no
other body. A domain whose spam filter marks spam with MIME headers has Mailgun write
`X-Mailgun-Sflag: Yes` on what it classed as spam: such a message is left out as spam
(`X-Mailgun-Sscore`, the score Mailgun gives for calibrating a filter of one's own, is not a
verdict and is not read). A page of Mailgun's events (`GET /v3/{domain}/events`) names the
stored messages without their words: such a file is named so.
"""

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Literal

from huddle.connectors.json_reading import first_bytes, paged_objects
from huddle.connectors.mail_json import (
    attach_file,
    copy_header_pairs,
    is_field_name,
    one_line,
    set_header,
)
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError

# Keys only Mailgun's parsed messages have: its hyphenated bodies and header list.
_MAILGUN_KEY = re.compile(
    rb'"(?:body-plain|body-html|body-mime|stripped-text|stripped-html|stripped-signature'
    rb'|message-headers|content-id-map)"\s*:'
)
# An event of Mailgun's Events API, naming where its message is stored.
_EVENT = re.compile(rb'"event"\s*:\s*"[a-z_]+"')
_STORAGE = re.compile(rb'"storage"\s*:\s*\{')
# The keys that hold a message's words.
_BODIES = ("body-mime", "body-plain", "body-html", "stripped-text")
# The header list is the mail's own; the body is the one Mailgun gives, decoded.
_OWN_HEADERS = {"mime-version"}
_PARSER = BytesParser(policy=policy.default)


def mailgun_kind(path: Path, encoding: str = "utf-8") -> Literal["messages", "events"] | None:
    """What Mailgun JSON the file is, by its head: "messages" when it holds Mailgun's parsed
    messages, "events" for a page of its events; None for anything else."""
    try:
        head = first_bytes(path, encoding).lstrip()
    except (Invalid, OSError, LookupError):
        return None
    if head[:1] not in {b"{", b"["}:
        return None
    if _MAILGUN_KEY.search(head):
        return "messages"
    if _EVENT.search(head) and _STORAGE.search(head):
        return "events"
    return None


def mailgun_mails(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, bytes, str | None]]:
    """(line, the message as RFC 822 bytes, "spam" when Mailgun flagged it) of each message."""
    for line, item in paged_objects(
        path, "items", alone=_BODIES, encoding=encoding, what="a message"
    ):
        if not any(key in item for key in _BODIES):
            raise RowShapeError(
                line,
                "this is a page of Mailgun events, which name stored messages without their "
                "words: fetch each stored message (GET the event's storage.url with your API "
                "key) and import the JSON it gives",
            )
        raw = item.get("body-mime")
        if isinstance(raw, str) and raw.strip():
            data = raw.encode("utf-8", "surrogateescape")
            mail = _PARSER.parsebytes(data, headersonly=True)
        else:
            mail = as_mail(item)
            data = mail.as_bytes()
        flag = str(mail.get("X-Mailgun-Sflag", "")).strip().lower()
        yield line, data, "spam" if flag == "yes" else None


def as_mail(item: dict[str, Any]) -> EmailMessage:
    """A Mailgun parsed message as the mail it stands for."""
    mail = EmailMessage()
    copy_header_pairs(mail, _headers(item), _OWN_HEADERS)
    sender = one_line(item.get("from") or item.get("sender"))
    if "From" not in mail and sender:
        set_header(mail, "From", sender)
    if "Subject" not in mail and item.get("subject"):
        set_header(mail, "Subject", one_line(item["subject"]))
    if "Date" not in mail and "Received" not in mail:
        _stamp_received(mail, item.get("timestamp"))
    text, html = _text(item.get("body-plain")), _text(item.get("body-html"))
    if not text.strip() and not html.strip():
        text = _text(item.get("stripped-text"))
    mail.set_content(text)
    if html.strip():
        mail.add_alternative(html, subtype="html")
    for attachment in _listed(item.get("attachments")):
        if isinstance(attachment, dict):
            name = one_line(attachment.get("name") or attachment.get("filename")) or None
            attach_file(mail, b"", attachment.get("content-type"), name)
    return mail


def _headers(item: dict[str, Any]) -> list[Any]:
    """The mail's headers as (name, value) pairs: `message-headers` (a list, or the JSON
    string of one a form POST gives); else the headers Mailgun set beside its own keys, named
    as a mail names them (`From`, `Message-Id`), which its own keys never are."""
    given = _listed(item.get("message-headers"))
    if given:
        return given
    return [
        (key, value)
        for key, value in item.items()
        if key[:1].isupper() and is_field_name(key) and isinstance(value, str)
    ]


def _listed(value: Any) -> list[Any]:
    """A list Mailgun gives as it is, or as the JSON string a form POST carries."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """A body as Mailgun gives it: a string, or (`body-html` of a forward) a list of the
    mail's HTML parts."""
    if isinstance(value, list):
        return "\n".join(str(part) for part in value if part)
    return str(value or "")


def _stamp_received(mail: EmailMessage, timestamp: Any) -> None:
    """A mail kept without its headers is dated by when Mailgun received it: the webhook's
    `timestamp`, written as the top `Received` header's stamp (read as such, with a word)."""
    try:
        when = datetime.fromtimestamp(float(timestamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return
    mail["Received"] = f"by mailgun; {format_datetime(when)}"
