"""Mail as Postmark's inbound processing gives it: the JSON its inbound webhook POSTs for each
mail an inbound stream receives, kept by a small receiver (one body a file, a JSON line each,
or an array of them), or the same message from Postmark's Messages API
(`GET /messages/inbound/{id}/details`, alone or gathered in an `InboundMessages` list).

A message is an object of Postmark's PascalCase keys: `FromFull` `{Email, Name}` (and `From`,
`FromName`), `To`/`ToFull`, `Cc`/`CcFull`, `ReplyTo`, `Subject`, `Date` (as the sender's mail
server wrote it, often with a colon in its offset: `-05:00`), `MessageID` (Postmark's own id;
the mail's Message-ID is among the headers), `TextBody`, `HtmlBody`, `StrippedTextReply`,
`Headers` as `[{Name, Value}]` (SpamAssassin's `X-Spam-Status` among them), `Attachments` as
`[{Name, Content (base64), ContentType, ContentLength}]` and, when the stream is set to
include it, `RawEmail`: the mail as it came.

Each message is made into the RFC 822 mail it stands for (`RawEmail` when given; else its
headers, Postmark's own fields over them, its text and HTML bodies and its attachments), so it
is read as any mail is: quotes, signatures and disclaimers cut, forwards unwrapped,
auto-replies and bounces known by their headers, spam, tests and internal mail left out.
`StrippedTextReply` is not read: Postmark's cut keeps signatures and quotes it does not know
(Outlook's in other languages) and, for a forward, keeps only the forwarder's note and drops
the forwarded mail; it stands in only for a message holding no other body. The Messages API's
search (`GET /messages/inbound`) lists messages without their words: such a file is named so.
"""

import base64
import binascii
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import first_bytes, paged_objects
from huddle.connectors.mail_json import (
    attach_file,
    copy_headers,
    mail_address,
    one_line,
)
from huddle.connectors.mail_json import set_header as _set
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError

# A Postmark inbound message by its head: its sender as `FromFull`, and a key only Postmark's
# inbound messages have beside it.
_SENDER = re.compile(rb'"FromFull"\s*:\s*\{')
_INBOUND = re.compile(rb'"(?:OriginalRecipient|MailboxHash|StrippedTextReply)"\s*:')
# The keys that hold a message's words.
_BODIES = ("RawEmail", "TextBody", "HtmlBody", "StrippedTextReply")
# Headers Postmark's own fields say, or that describe the MIME body Postmark has decoded.
_OWN_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "subject", "date", "mime-version"}
# A zone offset written with a colon ("-05:00"), which RFC 5322 dates write without one.
_COLON_ZONE = re.compile(r"([+-]\d\d):(\d\d)\s*$")
_PARSER = BytesParser(policy=policy.default)


def is_postmark_inbound(path: Path, encoding: str = "utf-8") -> bool:
    """Whether the file holds Postmark inbound messages, by its head."""
    try:
        head = first_bytes(path, encoding).lstrip()
    except (Invalid, OSError, LookupError):
        return False
    return head[:1] in {b"{", b"["} and bool(_SENDER.search(head) and _INBOUND.search(head))


def postmark_mails(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, bytes, str]]:
    """(line, the message as RFC 822 bytes, "" for no mbox envelope) of each message."""
    for line, item in paged_objects(
        path, "InboundMessages", alone="FromFull", encoding=encoding, what="a message"
    ):
        if not any(key in item for key in _BODIES):
            raise RowShapeError(
                line,
                "this is a list of Postmark inbound messages without their words (the Messages "
                "API's search): fetch each message's details (GET /messages/inbound/"
                "{MessageID}/details) or keep the inbound webhook's JSON, and import that",
            )
        raw = item.get("RawEmail")
        if isinstance(raw, str) and raw.strip():
            yield line, raw.encode("utf-8", "surrogateescape"), ""
        else:
            yield line, as_mail(item).as_bytes(), ""


def as_mail(item: dict[str, Any]) -> EmailMessage:
    """A Postmark inbound message as the mail it stands for."""
    mail = EmailMessage()
    copy_headers(mail, item.get("Headers") or (), "Name", "Value", _OWN_HEADERS)
    sender = _address(item.get("FromFull")) or one_line(item.get("From"))
    if sender:
        mail["From"] = sender
    for field, key in (("To", "ToFull"), ("Cc", "CcFull"), ("Reply-To", "ReplyTo")):
        given = item.get(key)
        people = (
            [each for r in given if (each := _address(r))]
            if isinstance(given, list)
            else [one_line(given)]
        )
        if any(people):
            _set(mail, field, ", ".join(p for p in people if p))
    if item.get("Subject"):
        _set(mail, "Subject", one_line(item["Subject"]))
    if item.get("Date"):
        _set_date(mail, one_line(item["Date"]))
    _set_body(mail, item)
    return mail


def _set_body(mail: EmailMessage, item: dict[str, Any]) -> None:
    """The text body and the HTML one beside it (an empty text body is passed over, as
    Outlook's is), and each attachment."""
    text, html = str(item.get("TextBody") or ""), str(item.get("HtmlBody") or "")
    if not text.strip() and not html.strip():
        text = str(item.get("StrippedTextReply") or "")
    mail.set_content(text)
    if html.strip():
        mail.add_alternative(html, subtype="html")
    for attachment in item.get("Attachments") or ():
        if isinstance(attachment, dict):
            _attach(mail, attachment)


def _attach(mail: EmailMessage, attachment: dict[str, Any]) -> None:
    """One of Postmark's attachments (its content base64) as a part of the mail; an attached
    mail (`message/rfc822`) as the mail it is, so a forward as attachment is unwrapped."""
    try:
        content = base64.b64decode(str(attachment.get("Content") or ""), validate=False)
    except (binascii.Error, ValueError):
        content = b""
    kind = str(attachment.get("ContentType") or "application/octet-stream").split(";")[0]
    name = one_line(attachment.get("Name")) or None
    if kind.strip().lower() == "message/rfc822" and content:
        inner = _PARSER.parsebytes(content)
        if isinstance(inner, EmailMessage) and inner.keys():
            mail.add_attachment(inner, filename=name)
            return
    attach_file(mail, content, kind, name)


def _address(recipient: Any) -> str:
    """A Postmark address (`{"Email", "Name"}`) as a mail address."""
    if not isinstance(recipient, dict):
        return ""
    return mail_address(recipient.get("Name"), recipient.get("Email"))


def _set_date(mail: EmailMessage, value: str) -> None:
    """Postmark's `Date`, as the sender's server wrote it: an RFC 5322 date (its offset perhaps
    written with a colon, which Python's parser would drop, reading the time as UTC) or an ISO
    8601 one. One that cannot be read is written as it is, so the mail is named for it."""
    del mail["Date"]
    try:
        found = parsedate_to_datetime(_COLON_ZONE.sub(r"\1\2", value))
    except (TypeError, ValueError):
        try:
            found = parse_when(value)
        except ValueError:
            mail.set_raw("Date", value)
            return
    mail["Date"] = format_datetime(found)
