"""Mail as mail clients keep it on disk, other than an mbox: Apple Mail's `.emlx` files and
MMDF mailboxes. Both are known by their content, whatever the file is named.

An **`.emlx`** file is one message as Apple Mail stores it (`~/Library/Mail/V10/<account>/
<Mailbox>.mbox/<UUID>/Data/…/Messages/1234.emlx`): a first line giving the message's length
in bytes, the RFC 822 message itself, then an XML property list of Apple Mail's flags. A
`.partial.emlx` is the same, its attachments' contents left out of the message (Apple Mail
keeps them under `Attachments/` beside `Messages/`): the words are all there. Where the byte
count is wrong (a file edited by hand, or cut short), the message ends where the flags' plist
begins.

An **MMDF** mailbox (mutt's and neomutt's `mbox_type=MMDF`, SCO's scomail, Python's
`mailbox.MMDF`) is a file of messages each between two postmark lines of four Control-A
characters (`^A^A^A^A`); a message may open with an mbox 'From ' envelope line (Python's
does), and a body line starting with 'From ' is not escaped (mmdf(5)).

An mbox or MMDF mailbox kept by **UW c-client** (Alpine, Pine, UW IMAP, and what uses the
library) opens with a pseudo-message holding the folder's own data, which is not mail:
"Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA" from "Mail System Internal Data
<MAILER-DAEMON@…>", its `X-IMAP` (or `X-IMAPbase`) header keeping the folder's UID validity,
last UID and keywords. It is passed over (`is_folder_data`), neither evidence nor noise.
"""

import re
from collections.abc import Iterable, Iterator
from email import policy
from email.parser import BytesHeaderParser

POSTMARK = b"\x01\x01\x01\x01"

# The byte count on an .emlx file's first line.
_BYTE_COUNT = re.compile(rb"\s*(\d+)\s*")
# Where Apple Mail's flags begin: the plist's XML declaration, doctype or element on a line.
_PLIST = re.compile(rb"^(?:<\?xml[^>]*>\s*)?(?:<!DOCTYPE plist\b|<plist\b)", re.MULTILINE)
_PLIST_ELEMENT = re.compile(rb"^<plist\b", re.MULTILINE)
_PROLOG = re.compile(rb"(?:<\?xml[^>]*>\s*)?(?:<!DOCTYPE plist[^>]*>\s*)?\Z")


def is_postmark(line: bytes) -> bool:
    """Whether a line is an MMDF mailbox's postmark, which opens and closes each message."""
    return line.rstrip(b"\r\n") == POSTMARK


def is_emlx_head(first: bytes) -> bool:
    """Whether a file's first line is an .emlx file's byte count (a mail's first line is a
    header field or an mbox envelope, never a number alone)."""
    return _BYTE_COUNT.fullmatch(first) is not None


def emlx_message(first: bytes, rest: bytes) -> bytes:
    """The message of an .emlx file whose first line is `first`, `rest` being the rest of the
    file: its byte count's worth, or (the count not ending where the plist begins) what comes
    before the plist."""
    found = _BYTE_COUNT.fullmatch(first)
    count = int(found.group(1)) if found else len(rest)
    tail = rest[count:]
    if count <= len(rest) and (_PLIST.match(tail.lstrip()) or not tail.strip()):
        return rest[:count]
    plists = list(_PLIST_ELEMENT.finditer(rest))
    if not plists:
        return rest
    # The last plist (a message may quote one), with the declaration and doctype above it.
    head = rest[: plists[-1].start()]
    prolog = _PROLOG.search(head)
    return head[: prolog.start()] if prolog else head


def mmdf_messages(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes, str]]:
    """(first line, raw bytes, envelope 'From ' line or "") of each message of an MMDF
    mailbox's lines. What lies outside the postmarks is no message; a message whose closing
    postmark is missing (a file cut short) ends with the file."""
    inside, start, envelope = False, 0, ""
    held: list[bytes] = []
    for number, line in enumerate(lines, start=1):
        if is_postmark(line):
            if inside and held:
                yield start, b"".join(held), envelope
            inside, start, envelope, held = not inside, number + 1, "", []
        elif inside:
            if not held and not envelope and line.startswith(b"From "):
                envelope, start = line.decode("utf-8", "replace"), number + 1
            else:
                held.append(line)
    if inside and b"".join(held).strip():
        yield start, b"".join(held), envelope


_HEADERS = BytesHeaderParser(policy=policy.compat32)
# c-client's pseudo-message's subject (its `pseudo_subject`), written as it is in every version.
_FOLDER_DATA_SUBJECT = "DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA"


def is_folder_data(raw: bytes) -> bool:
    """Whether a mailbox's message is c-client's pseudo-message of folder data (see the
    module): its subject and its `X-IMAP`/`X-IMAPbase` header both; a mail that only quotes
    the subject is mail."""
    if _FOLDER_DATA_SUBJECT.encode() not in raw[:8192]:
        return False
    headers = _HEADERS.parsebytes(raw)
    subject = " ".join(str(headers.get("Subject", "")).split())
    return subject == _FOLDER_DATA_SUBJECT and (
        headers.get("X-IMAP") is not None or headers.get("X-IMAPbase") is not None
    )
