"""Twenty CRM's notes from its API saved as JSON, read through the `hubspot` connector as a
notes export is (Twenty has no connector of its own).

`GET /rest/notes?depth=1` answers `{"data": {"notes": [...]}, "pageInfo": {"hasNextPage",
"startCursor", "endCursor"}, "totalCount"}`; the GraphQL API answers `{"data": {"notes":
{"edges": [{"node": {...}}], "pageInfo", "totalCount"}}}`; `GET /rest/notes/{id}` answers one
note as `{"data": {"note": {...}}}`. Each note `{"id", "title", "bodyV2": {"blocknote" (its
BlockNote document as a JSON string), "markdown"}, "createdAt", "deletedAt", "createdBy":
{"source", "workspaceMemberId", "name"}, "noteTargets": [...]}` (older versions: `body`, the
BlockNote string). Each target links the note to one record by `companyId`, `personId`,
`opportunityId` (or a custom object's `…Id`), with the record itself beside its id when the
depth asks for it; GraphQL lists them as a connection (`{"edges": [{"node"}]}`) too.

Each note becomes the row the notes export writes for it (`crm.read_crm_rows`): a note on a
company is on that company by its name (its domain tried after it; by its id alone when only
the id is given); one on a person is on the person's company when given, else found by the
person's address, as a contact's; one on an opportunity is on its company when given, else on
the account its name or the note's title names. A note in the trash (`deletedAt` set) is not
imported. Who made it is an actor (Twenty's `FieldActorSource`): MANUAL is a member typing it
and IMPORT a member's file imported, so their notes are the team's, as are an API key's named
for moving notes in ("HubSpot migration": Twenty takes notes in through its API alone, so a
team moving its notes from another CRM does so); a WORKFLOW, an AGENT, any other API key ("Sync
key", "Zapier"), a WEBHOOK, an application or the SYSTEM is no person, so their notes are a
bot's — given as the integration or system user a CRM's notes export names (`crm_note_noise.note_noise`). A page
with more notes after it says so, since only what was saved comes in.
"""

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm import CrmShape, more_notes, read_json_rows
from huddle.connectors.email_addresses import domain_of_site
from huddle.connectors.json_reading import first_bytes, first_value_at, json_records_at
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.connectors.tickets_tools import automation
from huddle.imports.records import RowError
from huddle.imports.rows import Row

# A Twenty note's own keys: its body (`bodyV2`, no other tool's) and its targets.
_BODY = re.compile(rb'"bodyV2"\s*:')
_TARGETS = re.compile(rb'"noteTargets"\s*:')
_NOTE_KEYS = ("bodyV2", "noteTargets")
# The actors whose notes are a person's of the team: typed in, or imported from their file.
_PEOPLE = {"MANUAL", "IMPORT"}
_TWENTY_ITSELF = "SYSTEM"
# An API key: an integration's, or one named for moving the team's notes in from another CRM
# ("HubSpot migration", "Notes import"), whose notes are the team's as an IMPORT's are.
_API = "API"
_MOVED_IN = re.compile(r"\b(migrat\w*|import\w*|backfill\w*|mov(e|ed|ing) (in|over))\b", re.I)
# The record kinds a target holds by Twenty's standard objects.
_COMPANY, _PERSON, _OPPORTUNITY = "company", "person", "opportunity"
# BlockNote's list items, by how each is written as a line.
_BULLETS = {"bulletListItem", "checkListItem", "toggleListItem"}
_NUMBERED = "numberedListItem"
# Markdown's emphasis and links ("**QBR**", "[Acme](https://…)"), when only it is given.
_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# The cells of a note, named as a notes export's columns (read by the connector's
# NOTE_FIELDS): its id, words, title, time, company, contacts, deal and who made it.
_CELLS = (
    "ID",
    "Note body",
    "Title",
    "Created at",
    "Associated Company",
    "Associated Contact",
    "Associated Deal",
    "Created by",
)


def is_twenty_notes(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds Twenty notes (a note's `bodyV2`, or its `noteTargets` beside
    a `createdBy` actor)."""
    head = first_bytes(path, encoding)
    return bool(_BODY.search(head)) or (
        bool(_TARGETS.search(head)) and b'"workspaceMemberId"' in head
    )


def read_twenty_notes(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    domains: dict[str, str] = {}  # each note's company's domain, by the note's id

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, note in _notes(path, options.encoding):
            if as_text(note.get("deletedAt")):
                output.skipped_rows += 1  # in the trash: not a note any more
                continue
            cells, domain = _cells(note)
            if domain and cells["ID"]:
                domains[cells["ID"]] = domain
            yield Row(line, cells)

    def after() -> list[RowError]:
        return more_notes("pageInfo.hasNextPage", _next_page(path, options.encoding))

    output = read_json_rows("notes", list(_CELLS), options, shape, records, after)
    for record in (*output.feedback, *(left.record for left in output.left_out)):
        domain = domains.get(record.external_id or "")
        if domain and record.account_ref and domain != record.account_ref:
            # A company Huddle knows by its domain under another name.
            record.account_aliases = (*record.account_aliases, domain)
    return output


def _notes(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, note) of each note, wherever the file holds them: a REST page's `data.notes`,
    a GraphQL page's edges, pages gathered in an array, a list of notes, one note."""
    prefix = _note_prefix(first_bytes(path, encoding))
    if prefix is None:
        return
    for line, value in json_records_at(path, prefix, encoding=encoding, what="a note"):
        if isinstance(value, dict):
            yield line, value


def _note_prefix(head: bytes) -> str | None:
    """Where the notes sit (an ijson prefix): the place of the first object holding a note's
    own key, with the list it is an item of."""
    found: dict[str, str] = {}
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(head)):
            if event == "map_key" and value in _NOTE_KEYS and value not in found:
                found[value] = prefix
                if value == _NOTE_KEYS[0]:
                    break
    except ijson.JSONError:
        pass  # the head ends mid-file: what it showed is enough
    return next((found[key] for key in _NOTE_KEYS if key in found), None)


def _cells(note: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The note as a notes export's row, and its company's domain."""
    # (A task's targets, `taskTargets`, are the same links: a page of tasks reads alike.)
    found = note.get("noteTargets") or note.get("taskTargets")
    targets = [_node(target) for target in _items(found)]
    companies = [_node(t.get(_COMPANY)) for t in targets if t.get(_COMPANY) or t.get("companyId")]
    people = [_node(t.get(_PERSON)) for t in targets if t.get(_PERSON)]
    deals = [_node(t.get(_OPPORTUNITY)) for t in targets if t.get(_OPPORTUNITY)]
    company_ids = [as_text(t.get("companyId")) for t in targets if as_text(t.get("companyId"))]
    # The company a target names, else the company of the person or the deal it names.
    company = next(
        (c for c in (*companies, *(_node(r.get(_COMPANY)) for r in (*people, *deals))) if c), {}
    )
    account = as_text(company.get("name")) or _domain(company) or next(iter(company_ids), None)
    return {
        "ID": as_text(note.get("id")),
        "Note body": _words(note),
        "Title": as_text(note.get("title")),
        "Created at": as_text(note.get("createdAt")),
        "Associated Company": account,
        "Associated Contact": "; ".join(filter(None, map(_contact, people))) or None,
        "Associated Deal": next((n for d in deals if (n := as_text(d.get("name")))), None),
        "Created by": _maker(dict_at(note, "createdBy")),
    }, _domain(company)


def _items(value: Any) -> list[Any]:
    """A list as REST gives it, or a GraphQL connection's nodes."""
    if isinstance(value, dict):
        return [_node(edge) for edge in listed(value.get("edges"))]
    return listed(value)


def _node(value: Any) -> dict[str, Any]:
    """A record, or the node of a GraphQL edge."""
    if not isinstance(value, dict):
        return {}
    return dict_at(value, "node") if "node" in value and "id" not in value else value


def _domain(company: dict[str, Any]) -> str | None:
    site = as_text(dict_at(company, "domainName").get("primaryLinkUrl"))
    return domain_of_site(site) if site else None


def _contact(person: dict[str, Any]) -> str | None:
    """A person as a notes export names a contact: "Name (email)"."""
    name = dict_at(person, "name")
    full = " ".join(filter(None, (as_text(name.get("firstName")), as_text(name.get("lastName")))))
    email = as_text(dict_at(person, "emails").get("primaryEmail"))
    if email:
        return f"{full} ({email})" if full else email
    return full or None


def _maker(actor: dict[str, Any]) -> str | None:
    """Who made the note, as a notes export's user: the member for a person of the team, the
    system user for Twenty's own, the integration user for any other actor."""
    source = (as_text(actor.get("source")) or "").upper()
    name = as_text(actor.get("name"))
    if not source or source in _PEOPLE:
        return name
    if source == _API and name and _MOVED_IN.search(name) and not automation(name, ""):
        return name  # notes moved in from another CRM through a key named for it: the team's
    return "system" if source == _TWENTY_ITSELF else "integration"


def _words(note: dict[str, Any]) -> str | None:
    """The note's words: its BlockNote document as lines, else its markdown without its
    marks; an older note's `body` (BlockNote too, or plain text)."""
    body = note.get("bodyV2")
    if isinstance(body, dict):
        text = _blocknote(body.get("blocknote"))
        if text:
            return text
        markdown = as_text(body.get("markdown"))
        if markdown:
            return _LINK.sub(r"\1", _EMPHASIS.sub(r"\2", markdown))
    old = note.get("body")
    return _blocknote(old) or (as_text(old) if isinstance(old, str) else None)


def _blocknote(value: Any) -> str | None:
    """A BlockNote document's text, a block a line (a list item with its mark)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    if not isinstance(value, list):
        return None
    return "\n".join(_lines(value)).strip() or None


def _lines(blocks: list[Any], depth: int = 0) -> list[str]:
    lines: list[str] = []
    number = 0
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        number = number + 1 if kind == _NUMBERED else 0
        mark = "- " if kind in _BULLETS else f"{number}. " if kind == _NUMBERED else ""
        words = _inline(block.get("content"))
        if words:
            lines.append("  " * depth + mark + words)
        lines.extend(_lines(listed(block.get("children")), depth + 1))
    return lines


def _inline(content: Any) -> str:
    """The words of a block's content: text, a link's text, a table's rows."""
    if isinstance(content, str):
        return content.strip()
    if isinstance(content, dict) and content.get("type") == "tableContent":
        rows = [
            " | ".join(
                _inline(cell.get("content") if isinstance(cell, dict) else cell)
                for cell in listed(row.get("cells"))
            )
            for row in listed(content.get("rows"))
            if isinstance(row, dict)
        ]
        return "\n".join(row for row in rows if row.strip(" |"))
    parts: list[str] = []
    for item in listed(content):
        if isinstance(item, dict) and item.get("type") == "text":
            parts.append(str(item.get("text") or ""))
        elif isinstance(item, dict) and item.get("type") == "link":
            parts.append(_inline(item.get("content")))
        elif isinstance(item, list):
            parts.append(_inline(item))
    return "".join(parts).strip()


def _next_page(path: Path, encoding: str) -> str | None:
    """How to ask for the next page, when the saved one says more notes follow."""
    for prefix in ("pageInfo", "data.notes.pageInfo"):
        info = first_value_at(path, prefix, encoding)
        if isinstance(info, dict):
            if info.get("hasNextPage") is not True:
                return None
            cursor = as_text(info.get("endCursor"))
            return f"starting_after={cursor}" if cursor else "the next page"
    return None
