"""Mail as Microsoft Graph gives it: the JSON of `GET /me/messages` (or `/users/{id}/messages`,
`/mailFolders/{id}/messages`), saved from Graph Explorer or by a script.

A page is `{"@odata.context": …, "value": [message, …], "@odata.nextLink": …}`; a script may
gather pages in an array, and one message may be saved alone (`GET /me/messages/{id}`). Each
message is a [message resource](https://learn.microsoft.com/graph/api/resources/message):
`from` (else `sender`) `.emailAddress` `{name, address}`, `toRecipients`, `subject`,
`sentDateTime` and `receivedDateTime`, `internetMessageId`, `body` `{contentType: "html" or
"text", content}` (or only `bodyPreview`, its first 255 characters, when `body` was not
selected) and, when selected, `internetMessageHeaders` as `[{name, value}]`.

Each message is made into the RFC 822 mail it stands for (its headers, then Graph's own
properties over them, its body as HTML or text), so it is read as any mail is: quotes,
signatures and disclaimers cut, auto-replies known by their headers or subject, spam, tests
and internal mail left out. A draft (`isDraft`) was never sent and is passed over. When the
file's last page carries an `@odata.nextLink`, there are more messages than the file holds
(`next_page`): the import says so.
"""

import re
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Literal

from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import first_bytes, last_page_value, paged_objects
from huddle.connectors.mail_json import copy_headers, mail_address, one_line
from huddle.errors import Invalid

# A mailbox's messages collection: `…$metadata#users('…')/messages`, `…#me/messages`,
# `…/mailFolders('inbox')/messages` (or `/childFolders('…')/messages`). Teams' chat and
# channel messages are `…#chats('19:…')/messages`, `…/channels('…')/messages`: not mail.
_CONTEXT = re.compile(
    rb'"@odata\.context"\s*:\s*"[^"]*[#/]'
    rb"(?:users\([^)\"/]*\)|me|(?:mailFolders|childFolders)\([^)\"/]*\))/messages\b"
)
# Teams' own: a chat's or a channel's messages (or a reply thread, or the `getAllMessages`
# collection of chatMessage), and a chatMessage's keys Outlook's messages never have.
_TEAMS_CONTEXT = re.compile(
    rb'"@odata\.context"\s*:\s*"[^"]*(?:[#/](?:chats|channels)\([^)"]*\)/messages\b'
    rb"|chatMessage\b)"
)
_CHAT_MESSAGE = re.compile(rb'"(?:messageType|chatId|channelIdentity)"\s*:')
_ADDRESS = re.compile(rb'"emailAddress"\s*:\s*\{')
_DATE = re.compile(rb'"(?:received|sent)DateTime"\s*:')
# Headers Graph's own properties say, or that describe the MIME body Graph has already
# decoded: the properties are written over them, the body is the one Graph gives.
_OWN_HEADERS = {"from", "to", "cc", "subject", "date", "message-id", "mime-version"}


def graph_kind(path: Path, encoding: str = "utf-8") -> Literal["mail", "teams"] | None:
    """What Graph JSON the file is, by its head: "mail" when it names a mailbox's messages
    collection (`@odata.context`) or holds a message's `emailAddress` and its dates; "teams"
    for Teams chat or channel messages (chatMessage), which hold no mail: the context names
    a chat's or a channel's messages, or the messages carry a chatMessage's own keys and no
    mail address; None for anything else."""
    try:
        head = first_bytes(path, encoding).lstrip()
    except (Invalid, OSError, LookupError):
        return None  # not JSON text: read as a mailbox, which says what is wrong with it
    if head[:1] not in {b"{", b"["}:
        return None
    address = _ADDRESS.search(head)
    if _TEAMS_CONTEXT.search(head) or (_CHAT_MESSAGE.search(head) and not address):
        return "teams"
    if _CONTEXT.search(head) or (address and _DATE.search(head)):
        return "mail"
    return None


def graph_mails(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, bytes, str]]:
    """(line, the message as RFC 822 bytes, "" for no mbox envelope) of each message the file
    holds, drafts left aside."""
    for line, item in paged_objects(
        path, "value", alone="receivedDateTime", encoding=encoding, what="a message"
    ):
        if item.get("isDraft") is True:
            continue
        yield line, as_mail(item).as_bytes(), ""


def as_mail(item: dict[str, Any]) -> EmailMessage:
    """A Graph message resource as the mail it stands for."""
    mail = EmailMessage()
    copy_headers(mail, item.get("internetMessageHeaders") or (), "name", "value", _OWN_HEADERS)
    sender = _address(item.get("from")) or _address(item.get("sender"))
    if sender:
        mail["From"] = sender
    for field, key in (("To", "toRecipients"), ("Cc", "ccRecipients")):
        people = [each for r in item.get(key) or () if (each := _address(r))]
        if people:
            mail[field] = ", ".join(people)
    if item.get("subject"):
        mail["Subject"] = one_line(item["subject"])
    when = item.get("sentDateTime") or item.get("receivedDateTime")
    if when:
        _set_date(mail, one_line(when))
    if item.get("internetMessageId"):
        mail["Message-ID"] = one_line(item["internetMessageId"])
    found = item.get("body")
    body: dict[str, Any] = found if isinstance(found, dict) else {}
    content = str(body.get("content") or item.get("bodyPreview") or "")
    kind = "html" if str(body.get("contentType", "")).lower() == "html" else "plain"
    mail.set_content(content, subtype=kind)
    return mail


_NEXT_LINK = frozenset({"@odata.nextLink", "item.@odata.nextLink"})


def next_page(path: Path, encoding: str = "utf-8") -> str | None:
    """The `@odata.nextLink` of the file's last page: there are more messages to fetch."""
    return last_page_value(path, _NEXT_LINK, encoding)


def _address(recipient: Any) -> str:
    """A Graph recipient (`{"emailAddress": {"name", "address"}}`) as a mail address."""
    found = recipient.get("emailAddress") if isinstance(recipient, dict) else None
    if not isinstance(found, dict):
        return ""
    return mail_address(found.get("name"), found.get("address"))


def _set_date(mail: EmailMessage, value: str) -> None:
    """Graph's ISO 8601 time as the mail's Date. One that cannot be read is written as it is
    (a Date header would keep nothing of "yesterday"), so the mail is named for it."""
    try:
        mail["Date"] = format_datetime(parse_when(value))
    except ValueError:
        mail.set_raw("Date", value)
