"""Attio's notes from its REST API saved as JSON, read through the `hubspot` connector as a
notes export is (Attio has no connector of its own).

`GET /v2/notes` answers `{"data": [...]}` (paged by `limit` and `offset`, with no cursor in
the answer); each note `{"id": {"workspace_id", "note_id"}, "parent_object" ("companies",
"people", "deals" or another object's slug), "parent_record_id", "title", "meeting_id",
"content_plaintext", "content_markdown", "tags", "created_by_actor": {"type", "id"},
"created_at"}`. `GET /v2/notes/{note_id}` answers one note as `{"data": {...}}`. Each note
becomes the row the notes export writes for it (`crm.read_crm_rows`): a note on a company is
on that company by its record id, which no account answers to unless the workspace knows it,
so the note's title may name the account (as for another CRM's id); a note on a person, a deal
or another record has no account but the one its title (or a short first line) names.

Who made the note is an actor (Attio's docs, "Actors"): a `workspace-member` is a person of
the team, and their notes are the team's; an `api-token` is an integration writing through
the API (a call recorder's summary, a sync) and `system` is Attio's own doing, so their notes
are a bot's — given as the integration or system user a CRM's notes export names
(`crm_note_noise.note_noise`). Pages a script gathered in an array, or the notes alone in one, are read
too.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, read_json_rows
from huddle.connectors.json_reading import first_bytes, json_values_at, paged_objects
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.rows import Row

# A note's own keys: the record it hangs on, by object and id. No other JSON the connector is
# given holds these two.
_PARENT_OBJECT = re.compile(rb'"parent_object"\s*:')
_PARENT_RECORD = re.compile(rb'"parent_record_id"\s*:')
# And a note's own: its text or its id. A list's entries (`{"id": {"entry_id"},
# "parent_record_id", "parent_object", "entry_values"}`) hang on records too, and are no notes.
_NOTE_KEY = re.compile(rb'"(content_plaintext|content_markdown|note_id)"\s*:')
# Attio's object of companies: a note on one is on an account.
_COMPANIES = "companies"
# The actor who made a note, as the user a CRM's notes export names for it: a person of the
# team (no name given, only an id: none), or what `crm_note_noise.note_noise` knows as no person.
_HUMAN = "workspace-member"
_ATTIO_ITSELF = "system"
# A markdown link ("[@Sam Ortiz](attio://members/…)"): its words, when only the markdown is
# given.
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# The cells of a note, named as a notes export's columns (read by the connector's
# NOTE_FIELDS): its id, words, title, time, the company it is on by id, and who made it.
_CELLS = ("ID", "Note body", "Title", "Created at", "Associated Company IDs", "Created by")


def is_attio_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Attio notes (a note's parent object and record id, and its
    text or note id)."""
    head = first_bytes(path, encoding)
    return all(key.search(head) for key in (_PARENT_OBJECT, _PARENT_RECORD, _NOTE_KEY))


def read_attio_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, note in _notes(path, options.encoding):
            yield Row(line, _cells(note))

    return read_json_rows("notes", list(_CELLS), options, shape, records)


def _notes(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, note) of each note: of a page, of pages gathered in an array, of the notes alone
    in one; else the one note of `GET /v2/notes/{note_id}`, `{"data": {...}}`."""
    found = False
    for line, value in paged_objects(
        path, "data", alone="parent_record_id", encoding=encoding, what="a note"
    ):
        found = True
        # (A one-line file is read as JSON lines: its one note still in its `data`.)
        yield line, value if "parent_record_id" in value else dict_at(value, "data")
    if not found:
        for value in json_values_at(path, "data", encoding=encoding, what="a note"):
            if isinstance(value, dict):
                yield 1, value


def _cells(note: dict[str, Any]) -> dict[str, Any]:
    """The note as a notes export's row."""
    on_company = (as_text(note.get("parent_object")) or "").lower() == _COMPANIES
    return {
        "ID": as_text(dict_at(note, "id").get("note_id")) or as_text(note.get("id")),
        "Note body": _words(note),
        "Title": as_text(note.get("title")),
        "Created at": as_text(note.get("created_at")),
        # A company by its record id; any other record is no account.
        "Associated Company IDs": as_text(note.get("parent_record_id")) if on_company else None,
        "Created by": _maker(dict_at(note, "created_by_actor")),
    }


def _words(note: dict[str, Any]) -> str | None:
    """The note's plain text; without it, its markdown with links as their words."""
    plain = as_text(note.get("content_plaintext"))
    if plain:
        return plain
    markdown = as_text(note.get("content_markdown"))
    if markdown:
        return _LINK.sub(r"\1", markdown)
    content = note.get("content")  # a client library's shape: the text under `content`
    return as_text(content) if isinstance(content, str) else None


def _maker(actor: dict[str, Any]) -> str | None:
    """Who made the note, as a notes export's user: none for a person of the team (Attio
    gives their id alone), the system user for Attio's own, the integration user for an API
    token or an app."""
    kind = (as_text(actor.get("type")) or "").lower()
    if not kind or kind == _HUMAN:
        return None
    return "system" if kind == _ATTIO_ITSELF else "integration"
