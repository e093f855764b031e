"""Which CRM notes and logged mails are no evidence, and what of a logged mail is: a test, what a
tool logged or sent to many, what the CRM's own application users wrote, the team's own
sent mail or a sequence's step, an auto-reply its headers declare; a logged mail's words
without what it quotes."""

import re

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.crm_activity import recorder_stub
from huddle.connectors.crm_labels import LIST_EMAIL
from huddle.connectors.mail_quotes import HEADER_BLOCK
from huddle.connectors.noise import noise_reason, staff_trial
from huddle.connectors.replies import strip_replies
from huddle.imports.fields import RowParser

_AUTO_SUBMITTED = re.compile(r"^auto-submitted:\s*auto-(replied|generated)", re.I | re.M)
# An email a CRM logged (Salesforce's "Email: …" tasks): its header lines, then "Body:".
_LOGGED_MAIL = re.compile(
    r"\A\s*(?:(?:To|CC|BCC|Attachment|From|Subject):[^\n]*\n\s*)+Body:[ \t]*\n", re.IGNORECASE
)

# What a tool logged on a record, no one's words: a marketing list email, a sales sequence's
# step, a call recorder's stub.
_TOOL_LOGGED = re.compile(
    r"^\s*(list email:|\[outreach\]|\[sequence:|sequence step completed by|recorded by gong\b|"
    r"gong call:|gong:|\[salesloft\]|cadence step\b|mass email:|"
    # A call recorder's stub: "This call was recorded by Gong. Listen to the recording: …".
    r"this (call|meeting) was recorded by\b)|"
    # A customer-success tool's rules engine: "… created automatically by rule 'Create
    # renewal 120 days out'".
    r"\bcreated automatically by (rule|the rules engine)\b",
    re.IGNORECASE,
)


# A CRM's user that is no person: Dataverse's application users, which it names with a
# leading '#' ("# OurCo Power Automate", "# D365WorkAssignment"), and its SYSTEM and
# INTEGRATION users, which flows and plug-ins write as.
_APP_USER = re.compile(r"^\s*#\s*\w|^\s*(system|integration)\s*$", re.IGNORECASE)


# An activity type that is a mail: "Email", "EMAIL", "Incoming email".
# Salesforce's "List Email" and "Mass Email" activities: one mail sent to many, not a talk
# (in other languages too: "Correo de lista", "Listen-E-Mail").
_MASS_MAIL = re.compile(rf"^\s*((list|mass|bulk)\s*e-?mail|{LIST_EMAIL})\s*$", re.IGNORECASE)
_A_MAIL = re.compile(r"^\s*(\w+\s+)?e-?mail\s*$", re.IGNORECASE)


def logged_words(text: str, parser: RowParser) -> str:
    """A note's words; a mail logged as a note, without what it quotes."""
    if _LOGGED_MAIL.match(text):
        # A logged email: the mail under its header lines, without what it quotes.
        mail = _LOGGED_MAIL.sub("", text, count=1)
        return strip_replies(mail) or mail
    if _A_MAIL.match(parser.raw("activity_type") or ""):
        # A synced email activity (Copper's, HubSpot's): the sender's words, not the quote.
        return strip_replies(text, parser.raw("contact_name") or "") or text
    if HEADER_BLOCK.search(text):
        # An email a tool logged as it was (Gainsight Assist): the sender's words only.
        return strip_replies(text) or text
    return text


def note_noise(
    text: str,
    title: str | None,
    options: ConnectorOptions,
    kind: str | None = None,
    author: str | None = None,
) -> str | None:
    """Why a note the team wrote is no evidence. Notes are the team's own words: only a test
    is noise here, and one of theirs may be told by their trying something out; or what a
    tool logged, or sent to many (an activity of `kind` "List Email"), or made under its
    own user (`author`)."""
    if noise_reason(text, title, options=options) == "test" or staff_trial(text, title):
        return "test"
    if _TOOL_LOGGED.search(title or "") or _TOOL_LOGGED.search(text) or recorder_stub(text):
        return "bot"
    if author and _APP_USER.match(author):
        return "bot"
    if kind and _MASS_MAIL.match(kind):
        return "bot"
    return None


def mail_noise(
    parser: RowParser,
    direction: str | None,
    text: str,
    title: str | None,
    sender: str | None,
    name: str | None,
    options: ConnectorOptions,
) -> str | None:
    """Why a mail the CRM keeps is no evidence: the team's own (sent, not received) or a
    sequence's step, an auto-reply its headers declare, or what any mail may be (spam, a
    test…). A forward is the forwarded mail's: its sender's."""
    if parser.raw("sequence") and direction != "in":
        # A sequence's step, whichever way the export writes its direction.
        return "bot"
    if direction == "out":
        return "internal"
    if _AUTO_SUBMITTED.search(parser.raw("mail_headers") or ""):
        return "auto-reply"
    return noise_reason(text, title, email=sender, name=name, options=options)
