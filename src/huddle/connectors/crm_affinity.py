"""Affinity's notes from its API v1 saved as JSON, read through the `hubspot` connector as a
notes export is (Affinity has no connector of its own).

`GET /notes` answers `{"notes": [...], "next_page_token"}` (paged by `page_size` and
`page_token`); `GET /notes/{note_id}` answers one note alone. Each note `{"id", "creator_id",
"person_ids", "associated_person_ids", "interaction_person_ids", "mentioned_person_ids",
"organization_ids", "opportunity_ids", "interaction_id", "interaction_type", "is_meeting",
"parent_id", "content", "type", "created_at", "updated_at"}`; `type` says what `content` is: 0
plain text, 2 HTML, 3 a summary Affinity's Notetaker wrote of a meeting (1, an email, is no
longer made). The Python SDK's dump names the same keys in camelCase (`organizationIds`),
read alike.

Affinity names every record by its own number alone: a note's organizations, people, deals
and writer come as ids, with no name beside them. Each note becomes the row the notes export
writes for it (`crm.read_crm_rows`): its first organization is its account by that id, which
no account answers to unless the workspace knows it (listed as unknown, as another CRM's id
is), so the note's opening — its heading, or its words up to the first colon or full stop
("Globex Freight - QBR notes", "Call w/ Hooli Cloud platform team.") — is where the account is
looked for (`crm_openings`). A reply (`parent_id`) is on what the note it answers is on. A
Notetaker summary is a tool's writing, given as the integration user a CRM's notes export
names; its noise is a note's (a test, a call recorder's stub: `crm_note_noise.note_noise`).
Pages a script gathered in an array, the notes alone in one, JSON lines and one note alone are
read too; a page with a next page token says so, since only what was saved comes in.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.crm_openings import add_openings
from huddle.connectors.json_reading import (
    first_bytes,
    last_page_value,
    paged_objects,
)
from huddle.connectors.record_values import as_text, given_by_letters, listed
from huddle.errors import Invalid
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

# A note's own keys, as the API writes them or the SDK dumps them: its organizations and its
# writer by id. No other CRM's JSON the connector is given holds these.
_ORGANIZATIONS = re.compile(rb'"organization_?[iI]ds"\s*:')
_CREATOR = re.compile(rb'"creator_?[iI]d"\s*:')
_CONTENT = re.compile(rb'"content"\s*:')
# A summary only Affinity's Notetaker writes (`NoteType.AI_SUMMARY`).
_AI_SUMMARY = 3
# The cells of a note, named as a notes export's columns (read by the connector's
# NOTE_FIELDS): its id, words, time, organization by id, and who made it.
_CELLS = ("ID", "Note body", "Created at", "Associated Company IDs", "Created by")


def is_affinity_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Affinity notes (their organizations and writer by id, and
    their content)."""
    head = first_bytes(path, encoding)
    return all(key.search(head) for key in (_ORGANIZATIONS, _CREATOR, _CONTENT))


def read_affinity_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    try:
        organizations = _organizations(path, options.encoding)
    except (RowShapeError, Invalid):
        organizations = {}  # the reading below names what is wrong, and where
    replies: dict[str, str] = {}  # each reply's id, with the id of the note it answers

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, note in _notes(path, options.encoding):
            cells = _cells(note)
            parent = as_text(given_by_letters(note, "parentid"))
            if parent and cells["ID"]:
                replies[cells["ID"]] = parent
                own = cells["Associated Company IDs"]
                cells["Associated Company IDs"] = own or organizations.get(parent)
            yield Row(line, cells)

    def after() -> list[RowError]:
        token = _next_page(path, options.encoding)
        return more_notes("next_page_token", f"page_token={token}" if token else None)

    output = read_json_rows("notes", list(_CELLS), options, shape, records, after)
    everything = [*output.feedback, *(left.record for left in output.left_out)]
    add_openings(everything, lambda record: True)
    for record in everything:
        record.link_url = None  # (a HubSpot link, with a portal id given, to an Affinity id)
    # A reply opens with its own words ("Agreed, …"): the note it answers says where it is.
    openings = {r.external_id: r.mentions for r in everything if r.external_id not in replies}
    for record in everything:
        answered = openings.get(replies.get(record.external_id or "", ""), ())
        record.mentions = tuple(dict.fromkeys((*record.mentions, *answered)))
    return output


def _notes(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, note) of each note: of a page, of pages gathered in an array, of the notes alone
    in one, of JSON lines; else the one note of `GET /notes/{note_id}`."""
    return paged_objects(
        path,
        "notes",
        alone=("organization_ids", "organizationIds"),
        encoding=encoding,
        what="a note",
    )


def _organizations(path: Path, encoding: str) -> dict[str, str]:
    """Each note's first organization by the note's id, for the replies to it."""
    found: dict[str, str] = {}
    for _, note in _notes(path, encoding):
        note_id, organization = as_text(given_by_letters(note, "id")), _first_organization(note)
        if note_id and organization:
            found[note_id] = organization
    return found


def _cells(note: dict[str, Any]) -> dict[str, Any]:
    """The note as a notes export's row."""
    kind = given_by_letters(note, "type")
    return {
        "ID": as_text(given_by_letters(note, "id")),
        # HTML (type 2) is read as HTML wherever it is: the notes export's bodies are too.
        "Note body": given_by_letters(note, "content"),
        "Created at": as_text(given_by_letters(note, "createdat")),
        # The first organization, by Affinity's id (a note may be on several).
        "Associated Company IDs": _first_organization(note),
        "Created by": "integration" if kind == _AI_SUMMARY else None,
    }


def _first_organization(note: dict[str, Any]) -> str | None:
    ids = (as_text(value) for value in listed(given_by_letters(note, "organizationids")))
    return next((found for found in ids if found), None)


_NEXT_TOKEN = frozenset({"next_page_token", "item.next_page_token"})


def _next_page(path: Path, encoding: str) -> str | None:
    """The token of the page after the last one saved, when the answer has one."""
    return last_page_value(path, _NEXT_TOKEN, encoding)
