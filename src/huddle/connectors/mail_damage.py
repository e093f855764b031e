"""A mail whose headers were damaged: a line lost or garbled in an archive, two mails run
together. Read on, the rest of its headers or its MIME parts would be taken for the sender's
words; it is named as damaged instead."""

import re
from email.errors import MissingHeaderBodySeparatorDefect
from email.message import EmailMessage

# A header line: met under a line that broke the header block, headers were cut off.
_HEADER_LINE = re.compile(
    r"^(from|to|cc|subject|date|message-id|content-type|mime-version|received|x-[\w-]+):", re.I
)
# A MIME part's opening, its boundary line then its headers: the words of a multipart mail.
_MIME_PART = re.compile(r"^--\S+\r?\n(?:[\w-]+:.*\r?\n)*content-type:", re.I | re.M)


def damage(message: EmailMessage) -> str | None:
    """What is wrong with a mail whose headers were damaged, or None when they are sound: a
    line that broke its header block with headers after it, a multipart mail's parts under
    no `Content-Type` or under another boundary. A message that only lacks the blank line
    before its words is sound."""
    payload = message.get_payload()
    if not isinstance(payload, str):
        return None
    if any(isinstance(d, MissingHeaderBodySeparatorDefect) for d in message.defects):
        head = re.split(r"\r?\n[ \t]*\r?\n", payload, maxsplit=1)[0].splitlines()
        if any(_HEADER_LINE.match(line) for line in head):
            return f"its headers break off at {head[0][:60]!r}"
    if message.get("Content-Type") is None and _MIME_PART.search(payload):
        return "its Content-Type header is lost and its parts read as text"
    if message.get_content_maintype() == "multipart":
        return "its parts are not found under the boundary its Content-Type names"
    return None
