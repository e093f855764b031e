"""Dynamics 365's notes from its Web API (Dataverse's `annotations`) saved as JSON, read through
the `salesforce` connector as the notes export of the same notes is (Dynamics' CSV and Excel
notes exports are read there already).

`GET /api/data/v9.2/annotations` answers `{"@odata.context": "…$metadata#annotations(…)",
"value": [...], "@odata.nextLink": …}`; each note `{"annotationid", "subject", "notetext"
(the rich-text editor's HTML, or plain text), "isdocument", "filename", "createdon",
"objecttypecode", "_objectid_value", "_createdby_value"}`. Asked with `Prefer:
odata.include-annotations="*"`, a lookup carries its record's name
(`_objectid_value@OData.Community.Display.V1.FormattedValue`) and table
(`…@Microsoft.Dynamics.CRM.lookuplogicalname`). Each note becomes the row the notes export
writes for it (`crm.read_crm_rows`): a note on an account is on that account, by its name
(else its id); one on an opportunity, a contact or a lead is on the account its name
("Hooli Cloud - 2027 expansion") or the note's subject names, if any. A note that is only an
attachment (`isdocument`, no text) is skipped; one made by an application user (Dataverse
names them with a leading '#', a Power Automate flow's) is a bot's (`crm.note_noise`). A
single note (`GET /annotations(id)`), or pages gathered in an array, are read too; a page
with a next link says so, since only what was saved comes in.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.json_reading import first_bytes, first_value_at, paged_objects
from huddle.connectors.record_values import as_text
from huddle.imports.records import RowError
from huddle.imports.rows import Row

# An OData answer of the annotations table: its context names the entity set, its records
# hold their own id.
_CONTEXT = re.compile(rb'"@odata\.context"\s*:\s*"[^"]*\$metadata#annotations\b')
_ANNOTATION = re.compile(rb'"annotationid"\s*:')
# A lookup's record as Dataverse describes it when asked to (`odata.include-annotations`).
_NAME = "@OData.Community.Display.V1.FormattedValue"
_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname"
# The cells of a note, named as Dynamics' notes export and the connector's NOTE_FIELDS name
# them: the words, the title, the file it may be, when, the account it is on (by name, else
# id), the record it is on with its table, and who made it.
_CELLS = (
    "Id",
    "Title",
    "Description",
    "Is Document",
    "File Name",
    "Created On",
    "Regarding",
    "Parent",
    "Parent type",
    "Created By",
)


def is_dataverse_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file is a Web API answer of Dataverse's notes (`annotations`)."""
    head = first_bytes(path, encoding)
    return bool(_CONTEXT.search(head) or _ANNOTATION.search(head))


def read_dataverse_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    def records(output: ConnectorOutput) -> Iterator[Row]:
        found = paged_objects(
            path, "value", alone="annotationid", encoding=options.encoding, what="a note"
        )
        for line, note in found:
            yield Row(line, _cells(note))

    def after() -> list[RowError]:
        following = "its @odata.nextLink" if _next_link(path, options.encoding) else None
        return more_notes("@odata.nextLink", following)

    return read_json_rows("notes", list(_CELLS), options, shape, records, after)


def _cells(note: dict[str, Any]) -> dict[str, Any]:
    """The note as the notes export's row."""
    parent = as_text(note.get(f"_objectid_value{_NAME}"))
    table = as_text(note.get(f"_objectid_value{_TABLE}")) or as_text(note.get("objecttypecode"))
    on_account = (table or "").lower() == "account"
    return {
        "Id": as_text(note.get("annotationid")),
        "Title": as_text(note.get("subject")),
        "Description": note.get("notetext"),
        "Is Document": note.get("isdocument"),
        "File Name": as_text(note.get("filename")),
        "Created On": as_text(note.get("createdon")),
        # An account by its name; without the names asked for, by its id.
        "Regarding": (parent or as_text(note.get("_objectid_value"))) if on_account else None,
        "Parent": parent,
        "Parent type": table,
        "Created By": as_text(note.get(f"_createdby_value{_NAME}")),
    }


def _next_link(path: Path, encoding: str) -> bool:
    return as_text(first_value_at(path, "@odata.nextLink", encoding)) is not None
