"""Odoo's chatter as a CRM's notes: its messages (`mail.message`) exported from a list view.

Odoo keeps every note, logged mail and change of a record in one table of messages, each on
its record by model and id ("Related Document Model" `res.partner`, a company or a contact;
`crm.lead`, a lead or an opportunity) with the record's name beside it ("Message Record
Name"). Exported with its field labels (or, "import-compatible", with its field names:
`model`, `record_name`, `message_type`, `subtype_id`), a message's `Type` says who made it —
a person's comment, an incoming or outgoing mail, the system's notification — and its
`Subtype` what it is: a note, a message to the record's followers ("Discussions"), an
activity marked done (its feedback), a stage changed. The system's notifications are the
record's history (tracking), no one's words; an activity's feedback is a person's.
"""

import re
from collections.abc import Mapping

from huddle.connectors.tickets_tools import first_account
from huddle.imports.fields import normalise

# The record's model, by its label (English, French), and its name or id; and the fields
# the CRM's notes read an Odoo message by, with the columns that hold them.
_MODEL = ("related_document_model", "modele_de_document_concerne", "model", "res_model")
_RECORD_NAME = ("message_record_name", "nom_de_l_enregistrement_du_message", "record_name")
_RECORD_ID = ("related_document_id", "id_du_document_associe", "res_id")
_COLUMNS = {
    "message_type": ("type", "message_type"),
    "activity_type": ("subtype", "subtype_id", "sous_type"),
    "parent_name": _RECORD_NAME,
    "parent_type": _MODEL,
    "contact_email": ("email_from", "from", "de"),
}


def is_messages(header: list[str]) -> bool:
    """Whether a header is Odoo's messages': the record's model, and its name or id."""
    names = {normalise(name) for name in header}
    return bool(names.intersection(_MODEL) and names.intersection(_RECORD_NAME + _RECORD_ID))


def odoo_columns(header: list[str], columns: Mapping[str, str]) -> dict[str, str]:
    """The note fields of an Odoo messages export, its own columns added to those the CRM's
    names found (the message's type and subtype, its record's name and model, its sender);
    any other file's columns as they are."""
    if not is_messages(header):
        return dict(columns)
    by_normal = {normalise(name): name for name in header}
    taken = set(columns.values())
    found = dict(columns)
    for field, names in _COLUMNS.items():
        column = next((by_normal[n] for n in names if n in by_normal), None)
        if column is not None and column not in taken:
            found[field] = column
            taken.add(column)
    return found


def _said(value: str | None) -> str:
    return normalise(value or "")


# A message's type as Odoo writes it, in its labels (English, French, German, Spanish,
# Italian) or its own values ("notification", "email_outgoing"). Odoo before 17 labels an
# incoming mail "Email".
_SYSTEM = re.compile(r"notif|benachrichtigung|^auto_comment$")
_OUTGOING = re.compile(r"outgoing|sortant|ausgehend|saliente|in_uscita|^email_outgoing$")
_INCOMING = re.compile(r"incoming|entrant|eingehend|entrante|in_arrivo|^e_?mail$|^courriel$")
# A subtype: an activity marked done, a message to the followers ("Discussions"; the
# subtype's own id `mail.mt_comment`).
_ACTIVITY = re.compile(r"activit|aktivitat|mt_activities")
_DISCUSSION = re.compile(r"discus|diskussion|conversac|mt_comment")


def posted_as(message_type: str | None, subtype: str | None) -> str | None:
    """What an Odoo message is, by its type and subtype: "system" (a notification the system
    posted: a stage changed, a lead created), "in" or "out" (a mail; a comment to the
    record's followers is read as one that came in, and its sender says whose it is: the
    team's is internal), "note" (a note, a comment, an activity's feedback); None with no
    type (not Odoo's messages)."""
    kind, sub = _said(message_type), _said(subtype)
    if not kind:
        return None
    if _SYSTEM.search(kind):
        return "note" if _ACTIVITY.search(sub) else "system"
    if _OUTGOING.search(kind):
        return "out"
    if _INCOMING.search(kind):
        return "in"
    return "in" if _DISCUSSION.search(sub) else "note"


def partner_account(record_name: str, model: str | None) -> str | None:
    """The account a message's record names when the record is a partner (`res.partner`): a
    company by its name, a contact by the company Odoo writes before it ("Globex Freight,
    Hector Ruiz"); None for a record of another kind (an opportunity names its account, if
    at all, in its name)."""
    if _said(model) != "res_partner":
        return None
    return first_account(record_name) or None
