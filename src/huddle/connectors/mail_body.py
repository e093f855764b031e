"""A mail's words as a person reads them: its plain text, else its HTML as text (Outlook's
signature div set apart as a signature), decoded by the charset its client meant; a calendar
invitation's description without the event's details and notices; whether a mail carries only
files."""

import re
from email.message import EmailMessage, MIMEPart

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.join_blocks import without_join_block
from huddle.connectors.mail_charsets import mail_alias


def body_text(message: EmailMessage) -> str:
    """The message's words: its plain text, else its HTML as text. Outlook may send an empty
    plain part beside the HTML one that holds the words: an empty part is passed over."""
    for kind in ("plain", "html"):
        part = message.get_body(preferencelist=(kind,))
        if part is None:
            continue
        text = _part_text(part)
        text = html_to_text(_outlook_signature_marked(text)) if kind == "html" else text
        if text.strip():
            return invitation_words(text)
    return ""


# Outlook on the web and the new Outlook put the signature they add in a div of its own.
_OUTLOOK_SIGNATURE = re.compile(r"<div\b[^>]*\bid\s*=\s*[\"']?Signature[\"'\s>]", re.IGNORECASE)


def _outlook_signature_marked(html: str) -> str:
    """Outlook's HTML with its signature set apart as a plain-text signature is ("-- " above
    it): what the sender wrote ends there, their closing name above it included."""
    found = _OUTLOOK_SIGNATURE.search(html)
    if found is None:
        return html
    return f"{html[: found.start()]}<p>-- </p>{html[found.start() :]}"


def _part_text(part: MIMEPart) -> str:
    # A charset label a mail client writes that Python reads wrongly or not at all
    # (Outlook's "iso-8859-8-i", "ks_c_5601-1987"): read as the codec it means.
    codec = mail_alias(part.get_content_charset())
    if codec is not None:
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            return payload.decode(codec, errors="replace")
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    return str(content)


def files_only(message: EmailMessage) -> bool:
    """A message that carries files (a photo sent from a phone) and no words of its own."""
    return any(
        part.get_content_maintype() in {"image", "audio", "video", "application"}
        or (part.get_content_maintype() != "multipart" and part.is_attachment())
        for part in message.walk()
    )


# A calendar invitation's own lines after what its organiser wrote (Google Calendar's).
_INVITATION_TAIL = re.compile(
    r"^\s*(view all guest info\b|reply for \S+ and view more details|"
    r"invitation from google calendar|you are receiving this (courtesy )?email because|"
    r"forwarding this invitation could allow)",
    re.IGNORECASE | re.MULTILINE,
)
# Where an invitation's agenda starts, under its event's details (Google's "Description").
_INVITATION_DESCRIPTION = re.compile(r"^\s*(description|beschreibung|descripción)\s*$", re.I | re.M)


def invitation_words(text: str) -> str:
    """What the organiser wrote in a calendar invitation: its description, without the
    event's details (when, how to join, the guests) and the calendar's notices; any other
    mail as it is. An online meeting's join block (Teams, Zoom, Meet, Webex) under what the
    organiser wrote is cut too (`without_join_block`); a message that is only the block is
    left as it is."""
    tail = _INVITATION_TAIL.search(text)
    if tail is not None:
        text = text[: tail.start()]
        described = _INVITATION_DESCRIPTION.search(text)
        text = text[described.end() :].strip() if described else text.strip()
    return without_join_block(text) or text
