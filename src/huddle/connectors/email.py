"""Email: one .eml message, an mbox, or a folder of .eml files (a mail drop).

Each message from a customer becomes evidence of source `email`: the subject is the title,
the body (plain text, or the HTML part as text) without quoted replies and signatures is the
text, `Message-ID` is the external id (so re-reading a mailbox is idempotent) and the link is
`mid:<message-id>` (RFC 2392). A message that your own people forwarded (`Fwd:`, a
"Forwarded message" block) is read as the original: its sender, date and words — this is the
forward-to-an-address pattern of docs/connectors.md. With `--internal-domain`, mail written by
your own people that is not a forward is left out. Auto-replies are left out.
"""

import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import (
    email_in,
    html_to_text,
    is_internal,
    parse_when,
    pick_source,
    run_rows,
)
from huddle.imports.records import FeedbackRecord, RowError
from huddle.kit.ids import content_id

_PARSER = BytesParser(policy=policy.default)
_FORWARD = re.compile(
    r"^-{2,}\s*(?:Forwarded message|Original Message)\s*-{2,}\s*$|^Begin forwarded message:\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_QUOTE_HEAD = re.compile(r"^On .{5,200}wrote:\s*$", re.MULTILINE)


def _messages(path: Path) -> Iterator[tuple[int, bytes]]:
    """(first line, raw bytes) of each message; an mbox is cut at its 'From ' lines."""
    if path.is_dir():
        for item in sorted(path.glob("*.eml")):
            yield 1, item.read_bytes()
        return
    with path.open("rb") as handle:
        first = handle.readline()
        if not first.startswith(b"From "):
            # One message (an .eml): messages are small, it is read whole.
            yield 1, first + handle.read()
            return
        start, blank = 2, False
        lines: list[bytes] = []
        for number, raw in enumerate(handle, start=2):
            if raw.startswith(b"From ") and blank:
                yield start, b"".join(lines)
                start, lines = number + 1, []
            else:
                # mboxrd escapes body lines that start with 'From ' as '>From '.
                lines.append(raw[1:] if re.match(rb">+From ", raw) else raw)
            blank = raw.strip() == b""
        if lines:
            yield start, b"".join(lines)


def _body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    text = str(content)
    return html_to_text(text) if part.get_content_type() == "text/html" else text


def _strip_replies(text: str) -> str:
    found = _QUOTE_HEAD.search(text)
    if found:
        text = text[: found.start()]
    kept = []
    for line in text.splitlines():
        if line.rstrip() in {"--", "-- "}:
            break  # the signature separator
        if not line.startswith(">"):
            kept.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _forwarded(text: str) -> dict[str, Any] | None:
    """The original sender, date, subject and words inside a forwarded message's body."""
    found = _FORWARD.search(text)
    if found is None:
        return None
    rest = text[found.end() :].lstrip("\n")
    headers: dict[str, str] = {}
    lines = rest.splitlines()
    index = 0
    for index, line in enumerate(lines):  # noqa: B007
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in {
            "from",
            "date",
            "subject",
            "to",
            "cc",
            "sent",
            "reply-to",
        }:
            headers[key.strip().lower()] = value.strip().strip("*")
        elif line.strip() and headers:
            break
    body = "\n".join(lines[index:])
    return {"headers": headers, "body": _strip_replies(body)}


class EmailConnector:
    name = "email"
    description = "Email: an .eml file, an mbox, or a folder of .eml files; forwards are unwrapped."
    suffixes = (".eml", ".mbox", "")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "email")

        def handle(row: tuple[int, bytes]) -> None:
            line, raw = row
            record = self.message(line, raw, source, options, output.errors)
            if record is not None:
                output.feedback.append(record)

        run_rows(output, lambda: _messages(path), handle)
        return output

    @staticmethod
    def message(
        line: int, raw: bytes, source: str, options: ConnectorOptions, errors: list[RowError]
    ) -> FeedbackRecord | None:
        message = _PARSER.parsebytes(raw)
        if not isinstance(message, EmailMessage) or not message.keys():
            errors.append(RowError(line, None, "not an email message (no headers)"))
            return None
        if str(message.get("Auto-Submitted", "no")).lower() != "no":
            return None
        sender = getaddresses([str(message.get("From", ""))])
        name, address = sender[0] if sender else ("", "")
        address = address.lower()
        subject = str(message.get("Subject", "")).strip() or None
        text = _body(message)
        when: Any = message.get("Date")
        forwarded = _forwarded(text)
        if forwarded is not None:
            original = forwarded["headers"]
            address = email_in(original.get("from")) or address
            name = (
                re.sub(r"<[^>]*>|\[mailto:[^\]]*\]", "", original.get("from", "")).strip() or name
            )
            subject = (
                original.get("subject")
                or re.sub(r"^(fwd?|fw):\s*", "", subject or "", flags=re.I)
                or None
            )
            when = original.get("date") or original.get("sent") or when
            text = forwarded["body"]
        else:
            text = _strip_replies(text)
            if options.internal_domains and is_internal(address, options.internal_domains):
                return None  # our own reply in a thread
        if not text:
            errors.append(RowError(line, "body", f"the message {subject or ''!r} has no text"))
            return None
        occurred_at = None
        if when:
            try:
                occurred_at = parsedate_to_datetime(str(when))
            except (TypeError, ValueError):
                try:
                    occurred_at = parse_when(str(when))
                except ValueError:
                    occurred_at = None
        if occurred_at is None:
            errors.append(RowError(line, "Date", f"no readable date: {when!r}"))
            return None
        if occurred_at.tzinfo is None:
            from datetime import UTC

            occurred_at = occurred_at.replace(tzinfo=UTC)
        message_id = str(message.get("Message-ID", "")).strip().strip("<>")
        return FeedbackRecord(
            line=line,
            text=text,
            source=source,
            occurred_at=occurred_at,
            external_id=message_id or content_id(address, occurred_at.isoformat(), text[:200]),
            title=subject,
            link_url=f"mid:{message_id}" if message_id else None,
            contact_email=address if "@" in address else None,
            contact_name=name or None,
            tags=["forwarded"] if forwarded is not None else [],
        )


connector = EmailConnector()
