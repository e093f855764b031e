"""Mail as Nylas's Email API gives it: a page of `GET /v3/grants/{grant_id}/messages`
(`{"request_id", "data": [message, …], "next_cursor"}`), pages a script gathered in an
array, one message alone (`GET …/messages/{id}`: `{"request_id", "data": message}`), or the
`message.created` webhook notifications a receiver kept (`{"specversion", "type", "data":
{"object": message}}`), one a file, a JSON line each or an array of them. Nylas v2's messages
(`account_id`, `labels` or `folder`) read alike.

A message is `from`, `to`, `cc`, `reply_to` as `[{name, email}]`, `subject`, `date` (when the
mail server received it, in Unix seconds), `body` (HTML: Nylas up-converts a plain-text mail),
`snippet` (its first hundred characters), `thread_id`, `folders` (the ids of the folders it
lies in: on Gmail its labels, `INBOX`, `SENT`, `SPAM`, `TRASH`, `DRAFT`, `CATEGORY_…`; on IMAP
the folders' names; on Microsoft opaque ids), `attachments` as `[{filename, content_type,
size}]` (no content), and, when asked (`fields=include_headers`), `headers` as `[{name,
value}]`; asked `fields=raw_mime`, `raw_mime` is the mail as it came, base64url.

Each message is made into the RFC 822 mail it stands for (`raw_mime` when given; else its
headers, Nylas's own fields over them, its HTML body and its attachments by name), so it is
read as any mail is: quotes, signatures and disclaimers cut, auto-replies known by their
headers or words, tests and internal mail left out. A message in a spam or junk folder is
left out as spam; a draft was never sent and is passed over. A message whose body was left
out (a list asked with `select`, a webhook notification Nylas truncated) is named, never
read from its snippet; so is a page of threads. When the file's last page carries a
`next_cursor`, there are more messages than the file holds (`next_cursor`). Nylas's Node SDK
gives the same page with its keys in camelCase (`grantId`, `replyTo`, `nextCursor`), read
alike.
"""

import base64
import binascii
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import first_bytes, last_page_value, paged_objects
from huddle.connectors.mail_json import (
    attach_file,
    copy_headers,
    mail_address,
    one_line,
    set_header,
)
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError

# A Nylas message or thread by its head: the grant (v3; `grantId` as the Node SDK writes it)
# or account (v2) that owns it.
_OWNER = re.compile(rb'"(?:grant_id|grantId|account_id)"\s*:')
_OBJECT = re.compile(rb'"object"\s*:\s*"(?:message|thread)"')
# How far the head is read: a message's keys in order of name (a webhook's, `jq -S`'s) put its
# body, which Nylas gives whole up to a megabyte, before them.
_HEAD = 1 << 20
# A camelCase key's capitals, written snake_case as the API's keys are.
_CAPITAL = re.compile(r"(?<=[a-z0-9])([A-Z])")
# Where a page (or a page of a script's array of pages) names the page after it.
_NEXT_CURSOR = frozenset({"next_cursor", "item.next_cursor", "nextCursor", "item.nextCursor"})
# The folders (Gmail's label ids, IMAP folders' names, v2's canonical names) a mail tool
# files spam in, and drafts.
_SPAM_FOLDERS = {"spam", "junk", "junk email", "junk e-mail", "bulk mail"}
_DRAFT_FOLDERS = {"draft", "drafts"}
# The body is the one Nylas gives, decoded.
_OWN_HEADERS = {"mime-version"}


def is_nylas(path: Path, encoding: str = "utf-8") -> bool:
    """Whether the file holds Nylas messages (or threads), by its head."""
    try:
        head = first_bytes(path, encoding, _HEAD).lstrip()
    except (Invalid, OSError, LookupError):
        return False
    return head[:1] in {b"{", b"["} and bool(_OWNER.search(head) and _OBJECT.search(head))


def nylas_mails(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, bytes, str | None]]:
    """(line, the message as RFC 822 bytes, "spam" for one in a spam folder) of each message
    the file holds, drafts left aside."""
    for line, found in paged_objects(
        path,
        "data",
        alone=("grant_id", "grantId", "account_id", "data"),
        encoding=encoding,
        what="a message",
    ):
        item = _message(found)
        if item.get("object") == "thread":
            raise RowShapeError(
                line,
                "this is a list of Nylas threads, which hold only their latest message: list "
                "the messages instead (GET /v3/grants/{grant_id}/messages, with thread_id= for "
                "one thread) and import that",
            )
        folders = _folders(item)
        if folders & _DRAFT_FOLDERS:
            continue
        verdict = "spam" if folders & _SPAM_FOLDERS else None
        raw = _raw_mime(item)
        if raw is not None:
            yield line, raw, verdict
        elif "body" not in item:
            raise RowShapeError(
                line,
                f"the Nylas message {one_line(item.get('subject'))!r} is given without its "
                "body (a list asked with select=, or a webhook notification Nylas truncated): "
                "fetch each message (GET /v3/grants/{grant_id}/messages/{id}) and import that",
            )
        else:
            yield line, as_mail(item).as_bytes(), verdict


def as_mail(item: dict[str, Any]) -> EmailMessage:
    """A Nylas message as the mail it stands for."""
    mail = EmailMessage()
    copy_headers(mail, _listed(item.get("headers")), "name", "value", _OWN_HEADERS)
    for field, key in (("From", "from"), ("To", "to"), ("Cc", "cc"), ("Reply-To", "reply_to")):
        people = [
            mail_address(each.get("name"), each.get("email"))
            for each in _listed(item.get(key))
            if isinstance(each, dict)
        ]
        if any(people):
            set_header(mail, field, ", ".join(p for p in people if p))
    if item.get("subject"):
        set_header(mail, "Subject", one_line(item["subject"]))
    try:
        when = datetime.fromtimestamp(float(item["date"]), UTC)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        pass  # the Date header, if the headers gave one
    else:
        set_header(mail, "Date", format_datetime(when))
    mail.set_content(str(item.get("body") or ""), subtype="html")
    # (v2 calls them `files`.)
    for attachment in [*_listed(item.get("attachments")), *_listed(item.get("files"))]:
        if isinstance(attachment, dict):
            name = one_line(attachment.get("filename")) or None
            attach_file(mail, b"", attachment.get("content_type"), name)
    return mail


def next_cursor(path: Path, encoding: str = "utf-8") -> str | None:
    """The `next_cursor` of the file's last page: there are more messages to fetch."""
    return last_page_value(path, _NEXT_CURSOR, encoding)


def _message(found: dict[str, Any]) -> dict[str, Any]:
    """The message in what the file holds: itself, the `data` of one fetched alone, or the
    `data.object` of a webhook notification; its keys as the API writes them (the Node SDK's
    `replyTo`, `rawMime` as `reply_to`, `raw_mime`)."""
    for key in ("data", "object"):
        inner = found.get(key)
        if isinstance(inner, dict):
            found = inner
    return {_CAPITAL.sub(lambda m: "_" + m.group(1).lower(), k): v for k, v in found.items()}


def _folders(item: dict[str, Any]) -> set[str]:
    """The names of the folders a message lies in, lower case: v3's `folders` (ids, which on
    Gmail are its labels and on IMAP the folders' paths, "INBOX.Junk", "[Gmail]/Spam"), v2's
    `labels` and `folder` ({name, display_name})."""
    names: set[str] = set()
    for each in [*_listed(item.get("folders")), *_listed(item.get("labels")), item.get("folder")]:
        if isinstance(each, dict):
            each = each.get("name") or each.get("display_name")
        if isinstance(each, str) and each.strip():
            names.add(re.split(r"[/.]", each)[-1].strip().casefold())
    return names


def _raw_mime(item: dict[str, Any]) -> bytes | None:
    """The mail as it came, when Nylas was asked for it (`raw_mime`, base64url)."""
    given = item.get("raw_mime")
    if not isinstance(given, str) or not given.strip():
        return None
    text = "".join(given.split())
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
