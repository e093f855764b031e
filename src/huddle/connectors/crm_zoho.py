"""Zoho CRM's notes from its REST API saved as JSON, read through the `salesforce` connector as
Zoho's notes export is (its CSV of the Notes module is read there already).

`GET /crm/v7/Notes?fields=…` (and the versions before it) answers `{"data": [...], "info":
{"per_page", "count", "page", "more_records", "next_page_token", …}}`; each note `{"id",
"Note_Title", "Note_Content", "Parent_Id": {"name", "id", "module": {"api_name"}}, "$se_module"
(the parent's module: Accounts, Contacts, Deals, Leads…), "Created_By": {"name", "email"},
"Owner", "Created_Time", "$attachments", "$voice_note"}`. Each note becomes the row the notes
export writes for it (`crm.read_crm_rows`): a note on an account is on that account, by its
name (else its id); one on a deal, a contact, a lead or another record is on the account its
name ("Globex Freight - Fleet expansion FY27") or the note's title names, if any. A note with
no words (a voice note, an attachment) is skipped. A user @mentioned in a note is written as
Zoho's token (`crm[user#…#…]crm`), which names no one: left out. A page with more records
after it says so, since only what was saved comes in.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.json_reading import first_bytes, first_value_at, paged_objects
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.records import RowError
from huddle.imports.rows import Row

# A note's own fields, by Zoho's API names: no other CRM's JSON holds them.
_NOTE_FIELD = re.compile(rb'"Note_(Content|Title)"\s*:')
_PARENT = re.compile(rb'"(Parent_Id|\$se_module)"\s*:')
# The module of accounts, by its API name (kept when the module is renamed in the UI).
_ACCOUNTS = "accounts"
# Zoho's token for a user @mentioned in a note: "crm[user#<user id>#<org id>]crm".
_MENTION = re.compile(r"crm\[user#[^\]]*\]crm[ \t]*")
# A note without its text at all (not an empty one: a voice note's): the page was asked for
# with `fields=` that left it out, which names the fields to ask for.
_NO_CONTENT = (
    " has no Note_Content, the note's text: ask the Notes API again with "
    "fields=Note_Title,Note_Content,Parent_Id,Created_Time,Created_By"
)
# The cells of a note, named as Zoho's notes export and the connector's NOTE_FIELDS name them:
# the words, the title, when, the account it is on (by name, else id), the record it is on
# with its module, and who made it.
_CELLS = (
    "Id",
    "Note Title",
    "Note Content",
    "Created Time",
    "Regarding",
    "Parent",
    "Parent type",
    "Created By",
)


def is_zoho_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file is an answer of Zoho CRM's Notes API."""
    head = first_bytes(path, encoding)
    return bool(_NOTE_FIELD.search(head) and _PARENT.search(head))


def read_zoho_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    def records(output: ConnectorOutput) -> Iterator[Row]:
        found = paged_objects(
            path, "data", alone="Note_Content", encoding=options.encoding, what="a note"
        )
        for line, note in found:
            if "Note_Content" not in note:
                label = f"note {as_text(note.get('id'))}" if note.get("id") else "a note"
                output.errors.append(RowError(line, "Note_Content", label + _NO_CONTENT))
                continue
            yield Row(line, _cells(note))

    def after() -> list[RowError]:
        return more_notes("info.more_records", _next_page(path, options.encoding))

    return read_json_rows("notes", list(_CELLS), options, shape, records, after)


def _cells(note: dict[str, Any]) -> dict[str, Any]:
    """The note as the notes export's row."""
    parent = dict_at(note, "Parent_Id")
    name = as_text(parent.get("name"))
    module = as_text(dict_at(parent, "module").get("api_name")) or as_text(note.get("$se_module"))
    on_account = (module or "").lower() == _ACCOUNTS
    maker = dict_at(note, "Created_By") or dict_at(note, "Owner")
    return {
        "Id": as_text(note.get("id")),
        "Note Title": as_text(note.get("Note_Title")),
        "Note Content": _words(note.get("Note_Content")),
        "Created Time": as_text(note.get("Created_Time")),
        # An account by its name; without it (the API may give none), by its id.
        "Regarding": (name or as_text(parent.get("id"))) if on_account else None,
        "Parent": name,
        "Parent type": module,
        "Created By": as_text(maker.get("name")) or as_text(maker.get("email")),
    }


def _words(content: Any) -> str | None:
    """The note's words, without the tokens of the users it mentions."""
    text = as_text(content)
    return as_text(_MENTION.sub("", text)) if text else None


def _next_page(path: Path, encoding: str) -> str | None:
    """How to ask for the next page, when the saved one says more records follow."""
    info = first_value_at(path, "info", encoding)
    if not isinstance(info, dict) or info.get("more_records") is not True:
        return None
    token = as_text(info.get("next_page_token"))
    if token:
        return f"page_token={token}"
    page = info.get("page")
    return f"page={page + 1}" if isinstance(page, int) else "the next page"
