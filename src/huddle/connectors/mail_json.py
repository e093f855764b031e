"""What the readers of mail given as JSON share (Microsoft Graph's messages, `mail_graph`;
Postmark's inbound webhook, `mail_postmark`; Mailgun's stored messages, `mail_mailgun`;
Nylas's messages, `mail_nylas`): each message is rebuilt as the mail it stands for, its
headers, addresses and attachments written as a mail's, so the mail pipeline reads it as any
other."""

import re
from collections.abc import Iterable
from email.message import EmailMessage
from email.utils import formataddr
from typing import Any

# A header field's name (RFC 5322: printable ASCII but the colon).
_FIELD_NAME = re.compile(r"[!-9;-~]+")


def one_line(value: Any) -> str:
    return " ".join(str(value or "").split())


def is_field_name(name: str) -> bool:
    """Whether `name` can name a mail header."""
    return _FIELD_NAME.fullmatch(name) is not None


def mail_address(name: Any, address: Any) -> str:
    """A person's name and address as a mail's address ("Name <a@b>"), or what is given."""
    shown, email = one_line(name), one_line(address)
    if not email:
        return shown
    return formataddr((shown, email)) if shown and shown != email else email


def copy_headers(
    mail: EmailMessage, headers: Iterable[Any], name_key: str, value_key: str, own: set[str]
) -> None:
    """The message's list of headers (`{name_key: …, value_key: …}`) onto `mail`, as
    `copy_header_pairs` copies them."""
    copy_header_pairs(
        mail,
        ((h.get(name_key), h.get(value_key)) for h in headers if isinstance(h, dict)),
        own,
    )


def copy_header_pairs(mail: EmailMessage, headers: Iterable[Any], own: set[str]) -> None:
    """The message's headers as (name, value) pairs onto `mail`, but those in `own` (lower
    case: what the tool's own fields say, written after) and the `Content-*` ones (the tool
    gives the body decoded); a second Message-ID is passed over, as is a header Python's
    parser cannot take (the mail is read without it)."""
    for header in headers:
        if not isinstance(header, (list, tuple)) or len(header) != 2:
            continue
        name, value = str(header[0] or ""), one_line(header[1])
        lowered = name.lower()
        if not is_field_name(name) or lowered in own or lowered.startswith("content-"):
            continue
        if lowered == "message-id" and "Message-ID" in mail:
            continue
        try:
            mail[name] = value
        except (ValueError, TypeError, IndexError):
            continue


def set_header(mail: EmailMessage, field: str, value: str) -> None:
    """A header the tool's own field gives, over any the headers list gave; one Python's
    parser cannot take is written as it is."""
    del mail[field]
    try:
        mail[field] = value
    except (ValueError, TypeError, IndexError):
        mail.set_raw(field, value)


def attach_file(mail: EmailMessage, content: bytes, kind: Any, name: str | None) -> None:
    """A file as a part of the mail, of the type the tool names (a type no single part can
    have, or none, as bytes of no known type)."""
    maintype, _, subtype = str(kind or "").split(";")[0].strip().lower().partition("/")
    if maintype in {"", "multipart", "message"} or not subtype:
        maintype, subtype = "application", "octet-stream"
    mail.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
