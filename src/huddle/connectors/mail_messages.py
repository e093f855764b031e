"""The messages of a file or folder of mail, as raw bytes with where each came from: a
mailbox or a message (an mbox cut at its 'From ' lines, an MMDF mailbox at its postmarks, an
.emlx file its message: `mail_stores`), a mail service's JSON of messages (Microsoft Graph's,
`mail_graph`; Postmark's inbound webhook, `mail_postmark`; Mailgun's stored messages,
`mail_mailgun`; Nylas's messages, `mail_nylas`), or every file of mail in a folder and its
subfolders (`mail_archives`)."""

import re
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import NamedTuple

from huddle.connectors.json_reading import is_json
from huddle.connectors.mail_archives import mail_files
from huddle.connectors.mail_graph import graph_kind, graph_mails
from huddle.connectors.mail_mailgun import mailgun_kind, mailgun_mails
from huddle.connectors.mail_nylas import is_nylas, next_cursor, nylas_mails
from huddle.connectors.mail_postmark import is_postmark_inbound, postmark_mails
from huddle.connectors.mail_stores import (
    emlx_message,
    is_emlx_head,
    is_folder_data,
    is_postmark,
    mmdf_messages,
)
from huddle.errors import Invalid
from huddle.imports.records import RowError


class Mail(NamedTuple):
    line: int
    raw: bytes
    envelope: str  # an mbox message's 'From ' line
    place: str | None  # the file of a folder it came from
    verdict: str | None  # why its mail tool filed it away ("spam")


def messages(path: Path, encoding: str) -> Iterator[Mail]:
    """Each message of a file, or of every file of mail in a folder and its subfolders."""
    if not path.is_dir():
        yield from _file_messages(path, encoding)
        return
    for item, verdict in mail_files(path):
        place = item.relative_to(path).as_posix()
        for mail in _file_messages(item, encoding):
            yield mail._replace(place=place, verdict=mail.verdict or verdict)


def _file_messages(path: Path, encoding: str) -> Iterator[Mail]:
    """The messages of one file of mail: a mail service's JSON of messages (Graph's,
    Postmark's, Mailgun's, Nylas's: `_service_messages`), or a mailbox or a message
    (`_stored_messages`). A mailbox's pseudo-message of folder data (Alpine's, Pine's, UW
    IMAP's) is not mail and is passed over (`mail_stores`)."""
    found = _service_messages(path, encoding)
    if found is not None:
        for line, raw, verdict in found:
            yield Mail(line, raw, "", None, verdict)
        return
    if is_json(path, encoding):
        # A JSON page of a service no reader here knows (or one listing no message) is no
        # mail: the import reads it as the table of its records, or says it holds nothing.
        return
    for line, raw, envelope in _stored_messages(path):
        if not is_folder_data(raw):
            yield Mail(line, raw, envelope, None, None)


def _service_messages(path: Path, encoding: str) -> Iterator[tuple[int, bytes, str | None]] | None:
    """(line, the message as RFC 822 bytes, why the service filed it away) of each message of
    a mail service's JSON, known by its head; None for a file that is none."""
    kind = graph_kind(path, encoding)
    if kind == "teams":
        # Graph's JSON of Teams chat: a person's words, but no mail; read as mail, each
        # message would be "a message with no text".
        raise Invalid(
            f"line 1: {path.name} is Microsoft Teams chat (Graph's chat or channel messages), "
            "not mail: import it with the source 'slack', which reads Teams messages"
        )
    if kind == "mail":
        return ((line, raw, None) for line, raw, _ in graph_mails(path, encoding))
    if is_postmark_inbound(path, encoding):
        return ((line, raw, None) for line, raw, _ in postmark_mails(path, encoding))
    if mailgun_kind(path, encoding) is not None:
        return mailgun_mails(path, encoding)
    if is_nylas(path, encoding):
        return nylas_mails(path, encoding)
    return None


def more_pages(path: Path, encoding: str) -> RowError | None:
    """A word when the file is one page of a mail service's list of messages and more pages
    follow (Graph's `@odata.nextLink` is told by the mail connector itself)."""
    if path.is_file() and is_nylas(path, encoding) and next_cursor(path, encoding) is not None:
        return RowError(
            1,
            "next_cursor",
            "this is one page of a Nylas message list and there are more messages: ask for the "
            "next page (GET the same list with page_token= set to its next_cursor, then each "
            "page's own, until none is given), save each page and import it too",
        )
    return None


def _stored_messages(path: Path) -> Iterator[tuple[int, bytes, str]]:
    """(first line, raw bytes, envelope 'From ' line) of each message; an mbox is cut at its
    'From ' lines, an MMDF mailbox at its postmarks, an .emlx file is its message
    (`mail_stores`)."""
    with path.open("rb") as handle:
        first = handle.readline()
        if is_postmark(first):
            yield from mmdf_messages(chain([first], handle))
            return
        if not first.startswith(b"From "):
            # One message (an .eml, an .emlx): messages are small, it is read whole.
            rest = handle.read()
            if is_emlx_head(first):
                yield 2, emlx_message(first, rest), ""
            else:
                yield 1, first + rest, ""
            return
        start, blank, envelope = 2, False, first
        lines: list[bytes] = []
        for number, raw in enumerate(handle, start=2):
            if raw.startswith(b"From ") and blank:
                yield start, b"".join(lines), envelope.decode("utf-8", "replace")
                start, lines, envelope = number + 1, [], raw
            else:
                # mboxrd escapes body lines that start with 'From ' as '>From '.
                lines.append(raw[1:] if re.match(rb">+From ", raw) else raw)
            blank = raw.strip() == b""
        if lines:
            yield start, b"".join(lines), envelope.decode("utf-8", "replace")
