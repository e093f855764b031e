"""EspoCRM's stream notes from its REST API saved as JSON, read through the `salesforce`
connector as a notes export is (EspoCRM has no connector of its own).

`GET /api/v1/Note` (every note), `GET /api/v1/{entityType}/{id}/stream` (one record's stream)
and `GET /api/v1/Stream` (the user's) answer `{"total", "list": [...]}`, newest first, paged by
`offset` and `maxSize`; each note `{"id", "type", "post", "data", "parentType", "parentId",
"parentName", "superParentType", "superParentId", "relatedType", "relatedName", "createdAt",
"createdById", "createdByName", "isInternal", "isGlobal", "targetType", "deleted",
"attachmentsIds"}`. Only a `Post` holds anyone's words (`post`): the other types (Update,
Create, CreateRelated, Status, Assign, Relate, Unrelate, EmailReceived, EmailSent) record what
the CRM did — a field changed, a record made, an email's subject in `data` — and are skipped.

Each post becomes the row a notes export writes for it (`crm.read_crm_rows`): a post on an
Account is on that account by its name (`parentName`, else its id); one on a Contact, a Lead,
an Opportunity or a Case is on its account (`superParentType: Account`) when a post on that
account in the same file names it, else on the account the parent's name ("Hooli Cloud -
Guest access expansion") or the post's opening (up to its first colon or full stop, when short:
a post has no title; not what it is compared with or moves to, a competitor) names, if any. A post on no record (to users, teams or everyone: the
team's own messages) is left out as internal. `createdAt` is UTC without a zone (EspoCRM
stores and answers UTC). A post by an integration's user ("Zapier Integration", "… Bot") or by
EspoCRM's `system` user is a bot's — given as the integration or system user a CRM's notes
export names (`crm_note_noise.note_noise`). A page whose `total` counts more notes than it lists says so.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput, LeftOut
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.crm_openings import note_opening
from huddle.connectors.json_reading import first_bytes, first_value_at, paged_objects
from huddle.connectors.record_values import as_text, said_yes
from huddle.connectors.tickets_tools import automation
from huddle.imports.records import SHORT_PLACE_WORDS, FeedbackRecord, RowError
from huddle.imports.rows import Row

# A stream note's own keys: its text, its parent by type, and who made it by name.
_POST = re.compile(rb'"post"\s*:')
_PARENT = re.compile(rb'"parentType"\s*:')
_NOTE_TYPE = re.compile(
    rb'"type"\s*:\s*"(Post|Update|Status|Create|CreateRelated|Assign|Relate|Unrelate|'
    rb'EmailReceived|EmailSent)"'
)
_A_POST = "Post"
_ACCOUNT = "Account"
# EspoCRM's own user, which its jobs and workflows write as.
_SYSTEM_USER = "system"
# The users a post opens by addressing ("@tom @priya.r …"), by their user names: no one's words.
_ADDRESSED = re.compile(r"^(?:\s*@[\w.@-]+[,:]?)+\s+(?=\S)")
# The cells of a post, named as a notes export's columns (read by the connector's
# NOTE_FIELDS): its id, words, time, account, parent by name and type, and who made it.
_CELLS = ("Id", "Body", "CreatedDate", "Account", "Parent Name", "Parent Type", "Created By")


def is_espo_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds EspoCRM's stream notes (a post, a parent by type, a note's
    type by EspoCRM's names)."""
    head = first_bytes(path, encoding)
    return all(key.search(head) for key in (_POST, _PARENT, _NOTE_TYPE))


def read_espo_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    accounts = _account_names(path, options.encoding)
    openings: dict[str, str] = {}  # a post's opening, by its id, for a post on no account
    internal: set[str] = set()  # the team's posts on no record, by id
    count = [0]  # the notes the page lists

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, note in _notes(path, options.encoding):
            count[0] += 1
            if said_yes(note.get("deleted")) or as_text(note.get("type")) != _A_POST:
                output.skipped_rows += 1  # what the CRM did, not anyone's words
                continue
            cells = _cells(note, accounts)
            note_id = cells["Id"]
            if note_id and not as_text(note.get("parentType")):
                internal.add(note_id)
            opening = _opening(cells["Body"])
            if note_id and opening and not cells["Account"]:
                openings[note_id] = opening
            yield Row(line, cells)

    def after() -> list[RowError]:
        total = first_value_at(path, "total", options.encoding)
        more = isinstance(total, int) and (total == -1 or total > count[0])
        return more_notes("total", f"offset={count[0]}" if more else None)

    output = read_json_rows("notes", list(_CELLS), options, shape, records, after)
    for record in (*output.feedback, *(left.record for left in output.left_out)):
        opening = openings.get(record.external_id or "")
        if opening and opening not in record.mentions:
            record.mentions = (*record.mentions, opening)
    _leave_out_internal(output, internal, options)
    return output


def _notes(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, note) of each note of a page's `list`, of pages gathered in an array, of the
    notes alone in one, or of one note (`GET /api/v1/Note/{id}`)."""
    return paged_objects(path, "list", alone="parentType", encoding=encoding, what="a note")


def _account_names(path: Path, encoding: str) -> dict[str, str]:
    """Each account's name by its id, as the notes on accounts give them."""
    names: dict[str, str] = {}
    for _, note in _notes(path, encoding):
        if as_text(note.get("parentType")) == _ACCOUNT:
            account_id, name = as_text(note.get("parentId")), as_text(note.get("parentName"))
            if account_id and name:
                names.setdefault(account_id, name)
    return names


def _cells(note: dict[str, Any], accounts: dict[str, str]) -> dict[str, Any]:
    """The post as a notes export's row."""
    parent_type = as_text(note.get("parentType"))
    parent_id, parent_name = as_text(note.get("parentId")), as_text(note.get("parentName"))
    if parent_type == _ACCOUNT:
        account = parent_name or accounts.get(parent_id or "") or parent_id
    elif as_text(note.get("superParentType")) == _ACCOUNT:
        # The account of the contact, deal or case, by its id: by name when the file has it.
        account = accounts.get(as_text(note.get("superParentId")) or "")
    else:
        account = None
    return {
        "Id": as_text(note.get("id")),
        "Body": _words(note.get("post")),
        # "2026-11-27 12:40:18", UTC (read as such: a time without its zone is UTC here).
        "CreatedDate": as_text(note.get("createdAt")),
        "Account": account,
        "Parent Name": None if parent_type == _ACCOUNT else parent_name,
        "Parent Type": parent_type,
        "Created By": _maker(note),
    }


def _words(post: Any) -> str | None:
    """A post's words, without the users it opens by addressing."""
    text = as_text(post)
    return as_text(_ADDRESSED.sub("", text)) if text else None


def _maker(note: dict[str, Any]) -> str | None:
    """Who posted, as a notes export's user: the system user for EspoCRM's own, the
    integration user for an integration's, else the person by name."""
    name = as_text(note.get("createdByName"))
    if as_text(note.get("createdById")) == _SYSTEM_USER:
        return "system"
    if name and automation(name, ""):
        return "integration"
    return name


def _opening(text: str | None) -> str | None:
    """A post's opening, where its account may be named as in a title; None when long."""
    opening = note_opening(text)
    return opening if opening and len(opening.split()) <= SHORT_PLACE_WORDS else None


def _leave_out_internal(output: ConnectorOutput, ids: set[str], options: ConnectorOptions) -> None:
    """The team's posts on no record left out as internal (kept, tagged, with --keep-noise)."""
    if not ids:
        return
    kept: list[FeedbackRecord] = []
    for record in output.feedback:
        if record.external_id not in ids:
            kept.append(record)
        elif options.keep_noise:
            record.tags = sorted({*record.tags, "noise:internal"})
            kept.append(record)
        else:
            output.left_out.append(LeftOut(record.line, "internal", record))
    output.feedback = kept
