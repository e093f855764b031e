"""Pipedrive's notes API pages saved as JSON, read through the `hubspot` connector as the notes
export of the same notes is (Pipedrive's CSV exports are read there already).

`GET /v1/notes` answers `{"success": true, "data": [...], "additional_data": {"pagination":
{"start", "limit", "more_items_in_collection", "next_start"}}, "related_objects": {...}}`;
each note `{"id", "content" (HTML), "add_time" ("YYYY-MM-DD HH:MM:SS", UTC), "active_flag"
(false: deleted), "org_id", "person_id", "deal_id", "lead_id", "organization": {"name"},
"person": {"name"}, "deal": {"title"}, "user": {"name", "email"}}`. The page's
`related_objects` give the same records by id (an organisation's name, a person's emails, a
deal's title) where a note carries the id alone. Each note becomes the row the notes export
writes for it (`crm.read_crm_rows`): its organisation is its account; a note on a deal or a
lead only, with no organisation, is on the account the deal's title, else the note's short
first line, names ("Hooli Cloud - SCIM add-on", a bold "Umbrella Retail" heading); its
noise is a note's (a test, a call logger's stub: `crm_note_noise.note_noise`). A deleted note is
skipped. Pages a script gathered in an array, or the notes alone in one, are read too; a page
with more after it says so, since only what was saved comes in.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.json_reading import (
    first_record,
    first_value_at,
    json_records_at,
    json_shape,
    json_values_at,
)
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

# A note's own fields, and the records it may be attached to: no other CRM's JSON the
# connector is given holds these together.
_NOTE_KEYS = {"content", "add_time"}
_ATTACHED_TO = {"org_id", "person_id", "deal_id", "lead_id"}
# The cells of a note, named as Pipedrive's notes export names its columns (read by the
# connector's NOTE_FIELDS): the words, the time, the organisation, the deal (or lead) whose
# title may name the account, the person, and the user who wrote it.
_CELLS = (
    "ID",
    "Note - Content",
    "Note - Add time",
    "Note - Organization",
    "Note - Deal",
    "Person - Name",
    "Person - Email",
    "Created by",
)
# The related records a page gives by id.
_Related = dict[str, dict[str, dict[str, Any]]]


def is_pipedrive_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Pipedrive notes (its first record a note: `content` and
    `add_time`, and the ids of what it is attached to)."""
    record = first_record(path, ("data",), encoding)
    if record is not None and isinstance(record.get("data"), list):
        record = next((n for n in record["data"] if isinstance(n, dict)), None)
    return record is not None and _is_note(record)


def _is_note(record: dict[str, Any]) -> bool:
    return record.keys() >= _NOTE_KEYS and bool(_ATTACHED_TO & record.keys())


def read_pipedrive_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, note, related in _notes(path, options.encoding):
            if note.get("active_flag") is False:
                output.skipped_rows += 1  # deleted in Pipedrive: no note any more
                continue
            yield Row(line, _cells(note, related))

    def after() -> list[RowError]:
        start = _next_start(path, options.encoding)
        return more_notes("pagination", None if start is None else f"start={start}")

    return read_json_rows("notes", list(_CELLS), options, shape, records, after)


def _notes(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any], _Related]]:
    """(line, note, the related records of its page) for each note: of a page, of pages
    gathered in an array, or of an array of notes."""
    if json_shape(path, ("data",), encoding) == "object":
        related = _related(next(json_values_at(path, "related_objects", encoding=encoding), None))
        yield from _listed(json_records_at(path, "data.item", encoding=encoding), related)
        return
    for line, value in json_records_at(path, "item", encoding=encoding, what="a note"):
        if isinstance(value, dict) and isinstance(value.get("data"), list):
            related = _related(value.get("related_objects"))
            yield from _listed(((line, note) for note in value["data"]), related)
        else:
            yield from _listed([(line, value)], {})


def _listed(
    found: Iterator[tuple[int, Any]] | list[tuple[int, Any]], related: _Related
) -> Iterator[tuple[int, dict[str, Any], _Related]]:
    for line, note in found:
        if not isinstance(note, dict):
            raise RowShapeError(line, "a note must be a JSON object")
        yield line, note, related


def _related(value: Any) -> _Related:
    """The page's related records by kind and id (`organization`, `person`, `deal`, `user`)."""
    if not isinstance(value, dict):
        return {}
    return {
        kind: {str(k): v for k, v in records.items() if isinstance(v, dict)}
        for kind, records in value.items()
        if isinstance(records, dict)
    }


def _cells(note: dict[str, Any], related: _Related) -> dict[str, Any]:
    """The note as the notes export's row."""

    def of(kind: str, key: str) -> dict[str, Any]:
        # The note's own object ("organization": {"name"}) over the page's of the same id
        # (which may tell more: a person's emails).
        return {**related.get(kind, {}).get(str(note.get(key)), {}), **dict_at(note, kind)}

    person = of("person", "person_id")
    parent = of("deal", "deal_id") or dict_at(note, "lead")
    return {
        "ID": as_text(note.get("id")),
        "Note - Content": note.get("content"),
        "Note - Add time": as_text(note.get("add_time")),
        "Note - Organization": as_text(of("organization", "org_id").get("name")),
        "Note - Deal": as_text(parent.get("title")),
        "Person - Name": as_text(person.get("name")),
        "Person - Email": _primary_email(person),
        "Created by": as_text(of("user", "user_id").get("name")),
    }


def _primary_email(person: dict[str, Any]) -> str | None:
    """A related person's address: the primary of their `email` list, else the first."""
    emails = [e for e in listed(person.get("email")) if isinstance(e, dict) and e.get("value")]
    chosen = next((e for e in emails if e.get("primary")), emails[0] if emails else {})
    return as_text(chosen.get("value"))


def _next_start(path: Path, encoding: str) -> str | None:
    """Where the next page starts, when the saved page says more notes follow."""
    paging = first_value_at(path, "additional_data.pagination", encoding)
    if not isinstance(paging, dict) or paging.get("more_items_in_collection") is not True:
        return None
    return as_text(paging.get("next_start"))
