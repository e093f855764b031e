"""What a CRM's activities carry beside the words a note or a mail is evidence for.

- A logged email's direction (HubSpot's "Email direction": "Incoming email", "Outgoing
  email", "Forwarded email"; Salesforce's EmailMessage `Incoming`): a mail that came in is
  the customer's; one that went out is the team's (or a sequence's); a mail a rep forwarded
  into the CRM is the forwarded customer's mail, read from under its "Forwarded message"
  header with its sender.
- Contacts an export writes as `Name (email)`, several joined by ';' (HubSpot's
  "Associated Contact").
- What is no one's words about the customer inside a note: a meeting invitation's join
  details pasted under it (Teams', Zoom's, Google Meet's, Webex's: `join_blocks.without_join_block`,
  the cut mail gets), a "-- Tom" sign-off at its end; and a
  call recorder's stub ("Call recorded with Gong: https://…"), which is only a link.
"""

import re

from huddle.connectors.email_addresses import email_in
from huddle.connectors.mail_quotes import forwarded_part
from huddle.connectors.replies import strip_replies

# A direction as CRMs write it: "Incoming email", "INBOUND", "Received"; "Outgoing email",
# "Sent"; "Forwarded email". HubSpot's export names a mail the team sent by its type alone,
# "Email" (its API's EMAIL, beside INCOMING_EMAIL and FORWARDED_EMAIL).
_INCOMING = re.compile(r"\b(incoming|inbound|received|in)\b", re.IGNORECASE)
_OUTGOING = re.compile(r"\b(outgoing|outbound|sent|out)\b", re.IGNORECASE)
_FORWARDED = re.compile(r"\bforward(ed)?\b", re.IGNORECASE)
_SENT_BY_TYPE = re.compile(r"e-?mail$", re.IGNORECASE)


def mail_direction(value: str | None) -> str | None:
    """'in', 'out' or 'forwarded' for a mail's direction as written; None when unknown."""
    text = (value or "").strip()
    if _FORWARDED.search(text):
        return "forwarded"
    if _INCOMING.search(text):
        return "in"
    if _OUTGOING.search(text) or _SENT_BY_TYPE.match(text):
        return "out"
    return None


def forwarded_mail(text: str) -> tuple[str, str | None, str | None] | None:
    """The forwarded mail inside a rep's forward: its words (without what it quotes, or the
    rep's own lines above it), its sender's email and name; None when the text holds no
    forwarded message."""
    found = forwarded_part(text)
    if found is None:
        return None
    headers, body = found
    sender = headers.get("from", "")
    name_of = re.sub(r"<[^>]*>|\[mailto:[^\]]*\]|\"", "", sender).strip() or None
    if name_of and "@" in name_of:
        name_of = None
    words = strip_replies(body, name_of or "")
    return (words, email_in(sender), name_of) if words else None


# One contact as an export writes it: "Noor Haddad (noor.haddad@initech.example)", "Noor
# Haddad <noor@…>", or only the name or the address.
_CONTACT = re.compile(r"^(?P<name>[^(<]*?)\s*[(<]\s*(?P<email>[^()<>\s]+@[^()<>\s]+)\s*[)>]\s*$")


def contacts_in(value: str | None) -> list[tuple[str | None, str | None]]:
    """Each contact of a cell, as (name, email), in the order written; several are joined by
    ';' (a name holds a comma: "Oyelaran, Marcus")."""
    found: list[tuple[str | None, str | None]] = []
    for part in (value or "").split(";"):
        text = part.strip()
        if not text:
            continue
        matched = _CONTACT.match(text)
        if matched:
            found.append((matched["name"].strip().strip('"') or None, matched["email"].lower()))
        elif "@" in text and " " not in text:
            found.append((None, email_in(text)))
        else:
            found.append((text, None))
    return found


# A note signed at its end with a dash and the writer's name or initials: "-- Tom", "— TB",
# "~Priya R.". (A bullet is one "-" and words in lower case: "- Needs a fix".)
_DASH_SIGN_OFF = re.compile(
    r"\n\s*(--+|[\u2013\u2014~]+)\s*[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,2}\s*$",
)


def without_sign_off(text: str) -> str:
    """The note without a dash sign-off on its last line."""
    return _DASH_SIGN_OFF.sub("", text.rstrip()).rstrip()


# A call recorder's stub: only that a call was recorded, by a tool, with a link to it ("Call
# recorded with Gong: https://…", "Gong call recorded: https://… (no summary available)").
_RECORDED = re.compile(
    r"\b(record(ed|ing)|aufgezeichnet|aufzeichnung|enregistr(é|ée|ement)|grabad[ao]|grabación|"
    r"gravad[ao]|gravação|registrat[ao]|registrazione|opgenomen|opname)\b",
    re.IGNORECASE,
)
# The call recorders that log a call on a CRM record.
_RECORDERS = (
    r"gong|chorus|fireflies|otter|fathom|grain|avoma|clari|wingman|jiminny|modjo|tl;?dv|"
    r"sembly|read\.ai"
)
_RECORDER = re.compile(rf"\b({_RECORDERS}|zoom|teams)\b", re.IGNORECASE)
# What a recorder's stub says of its link ("View the recording, transcript and AI summary").
_VIEW_IT = re.compile(r"\b(view|watch|listen to) the (recording|call|meeting|transcript)\b", re.I)
# A stub whose link became its text when the note's HTML was read: "Call recorded by Gong:
# Hooli / OurCo weekly sync" (the words after it are the call's title).
_RECORDED_BY = re.compile(
    rf"^\W*(call|meeting) recorded (by|with|in) ({_RECORDERS})\b", re.IGNORECASE
)
_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
# Words a stub may hold beside its link ("Call recorded with Gong: … (no summary
# available)"), and without one, beside the recorder's name ("Recorded by Chorus").
_STUB_WORDS = 10
_BARE_STUB_WORDS = 5


def recorder_stub(text: str) -> bool:
    """Whether the note only says a call was recorded and where: a recording word and a link,
    or the recorder's name, and little else."""
    if not _RECORDED.search(text):
        return False
    words = len(_URL.sub(" ", text).split())
    if _URL.search(text):
        # "Meeting recorded by Fathom. View the recording, transcript and AI summary: <link>".
        tool_says = bool(_RECORDED_BY.match(text) and _VIEW_IT.search(text))
        return words <= _STUB_WORDS + (4 if tool_says else 0)
    if _RECORDED_BY.match(text):
        # The call's title in the link's place: a line, not a summary ("…: they want SSO.").
        one_line = "\n" not in text.strip()
        return one_line and words <= _STUB_WORDS + 4 and not re.search(r"[.!?]\s+\S", text)
    return bool(_RECORDER.search(text)) and words <= _BARE_STUB_WORDS
