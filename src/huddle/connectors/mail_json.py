"""What the readers of mail given as JSON share (Microsoft Graph's messages, `mail_graph`;
Postmark's inbound webhook, `mail_postmark`): each message is rebuilt as the mail it stands
for, its headers and addresses written as a mail's, so the mail pipeline reads it as any
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


def mail_address(name: Any, address: Any) -> str:
    """A person's name and address as a mail's address ("Name <a@b>"), or what is given."""
    shown, email = one_line(name), one_line(address)
    if not email:
        return shown
    return formataddr((shown, email)) if shown and shown != email else email


def copy_headers(
    mail: EmailMessage, headers: Iterable[Any], name_key: str, value_key: str, own: set[str]
) -> None:
    """The message's list of headers (`{name_key: …, value_key: …}`) onto `mail`, but those in
    `own` (lower case: what the tool's own fields say, written after) and the `Content-*`
    ones (the tool gives the body decoded); a second Message-ID is passed over, as is a header
    Python's parser cannot take (the mail is read without it)."""
    for header in headers:
        if not isinstance(header, dict):
            continue
        name, value = str(header.get(name_key) or ""), one_line(header.get(value_key))
        lowered = name.lower()
        if not _FIELD_NAME.fullmatch(name) or lowered in own or lowered.startswith("content-"):
            continue
        if lowered == "message-id" and "Message-ID" in mail:
            continue
        try:
            mail[name] = value
        except (ValueError, TypeError, IndexError):
            continue
