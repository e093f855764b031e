"""Mail that carries other mail: an archive's journal report, and mail attached to a forward.

A **journal report** is what Exchange (2007 on, and Exchange Online) delivers to a
journaling mailbox for each message it journals (MS-XJRNL): a message from the tenant's
"Microsoft Exchange" address with an empty `X-MS-Journal-Report` header (Exchange 2003:
`Content-Identifier: exjournalreport`), whose text is the envelope, one field a line
(`Sender:`, `Subject:`, `Message-ID:`, `On-Behalf-Of:`, `To:`/`Cc:`/`Bcc:`/`Recipient:` with
`Expanded:` or `Forwarded:`, `Label:`, `Mailbox:`, `SentUtc:`, `ReceivedUtc:`; Exchange
2003's `Recipients:`), and whose attachment is the original mail, unaltered. The report is
the archive's; the original is the evidence, read as if it had arrived alone. Archivers fed
by Exchange's journal (MailArchiva, piler, Global Relay) keep that shape; a report whose
headers an export dropped is known by its envelope block.

A **mail attached** to another is a `message/rfc822` part (Outlook's, Gmail's and Apple
Mail's "Forward as attachment"; the original in a journal report), or an `.eml` file sent as
`application/octet-stream` (Outlook on the web, a file dragged from a folder); one an
archiver re-encoded as base64 is decoded. An Outlook `.msg` file attached as it is (Outlook
on the web attaching a saved item) is a binary compound file, not MIME: it is named, so that
a reader is told, and not read.
"""

import base64
import binascii
import quopri
import re
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser

_PARSER = BytesParser(policy=policy.default)

# The fields of a journal report's envelope block, lower-cased.
_ENVELOPE_FIELDS = frozenset(
    [
        "sender",
        "on-behalf-of",
        "subject",
        "message-id",
        "to",
        "cc",
        "bcc",
        "recipient",
        "recipients",
        "label",
        "mailbox",
        "sentutc",
        "receivedutc",
    ]
)
_FIELD_LINE = re.compile(r"^([A-Za-z-]+):(?:[ \t].*)?$")
# What an Outlook item saved as a file is sent as when it is attached without conversion.
_OUTLOOK_ITEM = "application/vnd.ms-outlook"


def journal_original(message: EmailMessage) -> list[EmailMessage] | None:
    """The original mail a journal report carries; [] for a report whose original cannot be
    read (attached in Exchange's own TNEF, or cut off); None when `message` is no report."""
    identifier = str(message.get("Content-Identifier", "")).strip().casefold()
    report = (
        message.get("X-MS-Journal-Report") is not None
        or identifier == "exjournalreport"
        or _is_envelope(_envelope_text(message))
    )
    return attached_mails(message)[:1] if report else None


def _envelope_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        return ""
    try:
        return str(part.get_content())
    except (LookupError, UnicodeDecodeError):
        return ""


def _is_envelope(text: str) -> bool:
    """Whether `text` is only a journal envelope's lines: its fields, one a line, the sender
    and the message's id among them. A person's mail that quotes headers has words too."""
    fields: set[str] = set()
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip() or (fields and line[:1] in {" ", "\t"}):
            continue  # a blank line, or a long recipient list folded onto the next
        found = _FIELD_LINE.match(line.strip())
        if found is None or found.group(1).casefold() not in _ENVELOPE_FIELDS:
            return False
        fields.add(found.group(1).casefold())
    return {"sender", "message-id"} <= fields


def attached_mails(message: EmailMessage) -> list[EmailMessage]:
    """Each mail attached to `message`, in order: its `message/rfc822` parts and `.eml`
    files. A part that does not read as a mail (no headers) is passed over."""
    found: list[EmailMessage] = []
    for part in message.iter_attachments():
        mail = _as_mail(part)
        if mail is not None:
            found.append(mail)
    return found


def outlook_items(message: EmailMessage) -> list[str]:
    """The names of the Outlook `.msg` files attached to `message`, which are not MIME."""
    return [
        part.get_filename() or "an Outlook item"
        for part in message.iter_attachments()
        if part.get_content_type() == _OUTLOOK_ITEM
        or (part.get_filename() or "").casefold().endswith(".msg")
    ]


def _as_mail(part: MIMEPart) -> EmailMessage | None:
    if part.get_content_type() == "message/rfc822":
        payload = part.get_payload()
        inner = payload[0] if isinstance(payload, list) and payload else None
        if not isinstance(inner, EmailMessage):
            return None
        encoding = str(part.get("Content-Transfer-Encoding", "")).strip().casefold()
        if encoding in {"base64", "quoted-printable"} and not inner.keys():
            # RFC 2046 allows no encoding here, but an archiver may write one: the parser
            # then takes the encoded mail for a body with no headers.
            return _mail_from(_decoded(str(inner.get_payload()), encoding))
        return inner if inner.keys() else None
    if (part.get_filename() or "").casefold().endswith(".eml") and not part.is_multipart():
        data = part.get_payload(decode=True)
        return _mail_from(data) if isinstance(data, bytes) else None
    return None


def _decoded(text: str, encoding: str) -> bytes:
    if encoding == "quoted-printable":
        return quopri.decodestring(text.encode("ascii", "replace"))
    try:
        return base64.b64decode(text)
    except (binascii.Error, ValueError):
        return b""


def _mail_from(data: bytes) -> EmailMessage | None:
    """The mail in `data`, or None when it has none of a mail's headers."""
    mail = _PARSER.parsebytes(data)
    if not isinstance(mail, EmailMessage):
        return None
    return mail if any(mail.get(h) for h in ("From", "Date", "Subject", "Message-ID")) else None


# A cover note that only points at what it carries: "See attached.", "FYI", "Forwarding
# this", "Please see below", in a few words.
_POINTER = re.compile(
    r"^\W*(?:(?:hi|hello|hey)\b[^.\n]{0,30}[,.!\n]\s*)?(?:please\s+)?(?:see|find|fyi|"
    r"forwarding|forwarded|as discussed|for your info|attached|below)\b",
    re.IGNORECASE,
)
# Words a cover note needs to be the sender's own evidence.
_COVER_WORDS = 6


def says_something(text: str) -> bool:
    """Whether a forward's cover note is words of the sender's own, not a pointer at what it
    carries ("See attached", "FYI") or nothing."""
    words = text.split()
    return len(words) >= _COVER_WORDS and not (
        _POINTER.match(text) and len(words) < 2 * _COVER_WORDS
    )
