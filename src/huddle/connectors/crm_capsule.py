"""Capsule CRM's entries from its API v2 saved as JSON, read through the `salesforce`
connector as a notes export is (Capsule has no connector of its own).

`GET /api/v2/entries` (and a party's, an opportunity's or a project's, `GET /api/v2/parties/
{id}/entries`) answers `{"entries": [...]}`, newest first, its next page named only in the
answer's `Link` header (not saved with the body); `GET /api/v2/entries/{id}` answers one as
`{"entry": {...}}`. Each entry `{"id", "type" (note, email or task: a completed task),
"creator": {"id", "username", "name"}, "content", "subject" (an email's), "entryAt" (when it
shows on the timeline), "createdAt", "party": {"id", "type" (person or organisation), "name"
(or a person's `firstName` and `lastName`), "organisation"}, "kase" (a project), "opportunity",
"activityType": {"id", "name"}, "attachments", "participants": [{"address", "name", "role"
(FROM, TO, CC, BCC), "party"}], "parties"}`, the party, project and opportunity given whole
when the request embeds them.

Each entry becomes the row a notes export writes for it (`crm.read_crm_rows`). Its account is
its party when an organisation, the organisation a person party is of, else the organisation
of its opportunity or project or one of an email's parties, by name (by Capsule's id when no
name is given); an organisation the workspace does not know is listed as unknown. A note on a
person alone is on the account its opportunity's or project's name, else its opening (its words
up to the first colon or full stop: "Rita (Vandelay Imports) complained …"), names
(`crm_openings`). An email is read by its sender (the FROM participant): one of the team's is
the team's own mail, left out as internal; a customer's is theirs, without what it quotes, its
account found by their address. An email with no sender given is read as a note. An entry made
by an integration's user ("Zapier Integration", a web-form sync) is a bot's — given as the
integration user a CRM's notes export names (`crm_note_noise.note_noise`). Pages a script
gathered in an array, the entries alone in one, JSON lines and one entry are read too.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, read_json_rows
from huddle.connectors.crm_openings import add_openings
from huddle.connectors.json_reading import first_bytes, paged_objects
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.connectors.tickets_tools import automation
from huddle.imports.rows import Row

# An entry's own keys: when it shows on the timeline, and its type by Capsule's names.
_ENTRY_AT = re.compile(rb'"entryAt"\s*:')
_ENTRY_TYPE = re.compile(rb'"type"\s*:\s*"(note|email|task)"')
_EMAIL, _ORGANISATION, _PERSON = "email", "organisation", "person"
_SENDER = "FROM"
# The cells of an entry, named as a notes export's columns (read by the connector's
# NOTE_FIELDS): its id, words, subject, kind, time, account, the opportunity or project it is
# on, the person it is with (an email's sender), which way an email went, and who made it.
_CELLS = (
    "Id",
    "Body",
    "Subject",
    "Activity Type",
    "CreatedDate",
    "Account",
    "Parent Name",
    "FromAddress",
    "FromName",
    "Incoming",
    "Created By",
)


def is_capsule_entries(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Capsule entries (`entryAt`, a note's, an email's or a task's
    type)."""
    head = first_bytes(path, encoding)
    return bool(_ENTRY_AT.search(head) and _ENTRY_TYPE.search(head))


def read_capsule_entries(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    unplaced: set[str] = set()  # the notes on no organisation, by id: their opening may name it

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, entry in _entries(path, options.encoding):
            cells = _cells(entry)
            if cells["Id"] and not cells["Account"] and cells["Incoming"] is None:
                unplaced.add(cells["Id"])
            yield Row(line, cells)

    output = read_json_rows("notes", list(_CELLS), options, shape, records)
    everything = [*output.feedback, *(left.record for left in output.left_out)]
    add_openings(everything, lambda record: record.external_id in unplaced)
    for record in everything:
        # (A mail's `Incoming` column reads every row as the support team's; a Salesforce
        # link to a Capsule id leads nowhere.)
        record.team, record.link_url = "sales", None
    return output


def _entries(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, entry) of each entry: of a page, of pages gathered in an array, of the entries
    alone in one, of JSON lines; else the one entry of `GET /api/v2/entries/{id}`."""
    for line, value in paged_objects(
        path, "entries", alone=("entry", "entryAt"), encoding=encoding, what="an entry"
    ):
        yield line, dict_at(value, "entry") or value


def _cells(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry as a notes export's row."""
    kind = (as_text(entry.get("type")) or "note").lower()
    party = dict_at(entry, "party")
    parent = dict_at(entry, "opportunity") or dict_at(entry, "kase")
    person = party if party.get("type") == _PERSON else {}
    contact_email, contact_name = _email_of(person), _name_of(person)
    incoming = None
    sender = next(
        (p for p in listed(entry.get("participants")) if isinstance(p, dict) and _sent(p)), None
    )
    if kind == _EMAIL and sender is not None:
        contact_email = as_text(sender.get("address"))
        contact_name = as_text(sender.get("name"))
        # Read as its sender's mail: one of the team's is their own, left out as internal as
        # any mail from the team is (`noise.noise_reason`).
        incoming = "true"
    creator = dict_at(entry, "creator")
    maker = as_text(creator.get("name")) or as_text(creator.get("username"))
    return {
        "Id": as_text(entry.get("id")),
        "Body": entry.get("content"),
        "Subject": as_text(entry.get("subject")),
        # A note or a completed task is the team's words; so is an email with no sender given,
        # read as a note: whose mail it is is not known.
        "Activity Type": "Email" if incoming else "Note",
        "CreatedDate": as_text(entry.get("entryAt")) or as_text(entry.get("createdAt")),
        "Account": _account(entry, party, parent),
        "Parent Name": as_text(parent.get("name")),
        "FromAddress": contact_email,
        "FromName": contact_name,
        "Incoming": incoming,
        "Created By": "integration" if maker and automation(maker, "") else maker,
    }


def _sent(participant: dict[str, Any]) -> bool:
    return (as_text(participant.get("role")) or "").upper() == _SENDER


def _account(entry: dict[str, Any], party: dict[str, Any], parent: dict[str, Any]) -> str | None:
    """The organisation an entry is on: its party's, else its opportunity's or project's, else
    one of an email's parties'; by name, else by Capsule's id."""
    for found in (party, dict_at(parent, "party"), *listed(entry.get("parties"))):
        if not isinstance(found, dict):
            continue
        organisation = found if found.get("type") == _ORGANISATION else {}
        organisation = organisation or dict_at(found, "organisation")
        named = as_text(organisation.get("name")) or as_text(organisation.get("id"))
        if named:
            return named
    return None


def _name_of(person: dict[str, Any]) -> str | None:
    full = " ".join(
        filter(None, (as_text(person.get("firstName")), as_text(person.get("lastName"))))
    )
    return as_text(person.get("name")) or full or None


def _email_of(person: dict[str, Any]) -> str | None:
    """A person party's first email address, when the party is given whole."""
    found = (
        as_text(e.get("address"))
        for e in listed(person.get("emailAddresses"))
        if isinstance(e, dict)
    )
    return next((address for address in found if address), None)
