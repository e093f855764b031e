"""ManageEngine ServiceDesk Plus requests, read as the tickets the `zendesk` connector knows.

ServiceDesk Plus (on-premises, Cloud, and the MSP edition) answers its REST API v3 `GET
/api/v3/requests` with `{"response_status": …, "list_info": {…}, "requests": [...]}` (a
script may gather several pages in an array) and `GET /api/v3/requests/{id}` with
`{"request": {…}, "response_status": …}`; a page whose `list_info` says `has_more_rows` is
warned of, naming where the next begins (`start_index`, or Cloud's `page`). A request's notes
(`GET /api/v3/requests/{id}/notes`: `{"notes": [...]}`, each with its HTML `description`,
`added_by` and `added_time`) are read each as a request its author made. A request has its long `id` and the `display_id`
people see, `subject`, `description` (HTML; a list gives it only when `list_info` asks for it
in `fields_required`, else only `short_description`, its first 100 characters), the
`requester` who asked and who `created_by` it (each `{name, email_id, is_technician, id}`),
the MSP edition's customer `account` (`{name, id}`) and its `site`, `mode` (E-Mail, Web Form,
Phone Call, or an integration: OpManager's alarms), `request_type`, `status`, `priority`,
`group`, `is_trashed`, and its times as `{"display_value": in the technician's own format,
"value": Unix milliseconds as text}`.

A request a technician created for a customer (logged from a call, "raised on behalf of …")
holds the team's words: staff. One a monitoring integration raised, or the System user with
no person asking, is a machine's: a bot's. One a technician raised for themself is the team's
own: internal.
"""

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.export_dates import export_date, parse_when
from huddle.connectors.json_reading import (
    first_bytes,
    first_record,
    first_value_at,
    json_values_at,
    paged_objects,
)
from huddle.connectors.record_values import as_text, dict_at
from huddle.errors import Invalid
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

# The modes a request comes in by that no person writes: a monitoring tool's alarm
# (OpManager, Applications Manager, Site24x7), an event or an integration.
_MACHINE_MODE = re.compile(
    r"opmanager|applications manager|site24x7|\b(monitoring|alarms?|alerts?|events?|"
    r"integration)\b",
    re.IGNORECASE,
)
# Who ServiceDesk Plus names as creator of what its own rules, schedules and integrations make.
_SYSTEM = {"system"}
# How much of the description a list gives without `fields_required` asking for it.
_SHORT = 100
SHORT_ONLY = (
    "the requests hold only their short_description (the first 100 characters of each): ask "
    'the API for the whole description (list_info "fields_required": ["description", …]) '
    "and import that page"
)


def is_sdp_request(record: Any) -> bool:
    """A ServiceDesk Plus request: a subject, and a requester with an `email_id`, a time as
    `{display_value, value}`, or the `is_service_request` flag every request carries."""
    if not isinstance(record, dict) or "subject" not in record or "sys_id" in record:
        return False
    requester = record.get("requester")
    created = record.get("created_time")
    return (
        (isinstance(requester, dict) and "email_id" in requester)
        or (isinstance(created, dict) and "display_value" in created)
        or "is_service_request" in record
    )


def sdp_requests(path: Path, encoding: str) -> Iterator[tuple[int, Any]] | None:
    """(line, request) of a ServiceDesk Plus API answer: a page's requests (`{"requests": [...],
    "list_info": …}`, whatever order its keys come in), those of pages gathered in an array,
    or the one request of `GET /requests/{id}`; a request's notes (`GET /requests/{id}/notes`)
    each as a request its author made; None for another file (its first request says)."""
    head = first_bytes(path, encoding)
    if re.search(rb'"notes"\s*:\s*\[', head) and _is_sdp_note(_first(path, "notes", encoding)):
        return (
            (line, _note_request(note))
            for line, note in paged_objects(
                path, "notes", alone="note", encoding=encoding, what="a note"
            )
        )
    if not re.search(rb'"requests?"\s*:\s*[\[{]', head):
        return None
    first = _first(path, "requests", encoding)
    if first is None:
        first = first_value_at(path, "request", encoding)
    if not is_sdp_request(first):
        return None
    return (
        (line, _alone(record))
        for line, record in paged_objects(
            path, "requests", alone="request", encoding=encoding, what="a request"
        )
    )


def more_requests(path: Path, encoding: str) -> list[RowError]:
    """The warning that the file is one page of a longer list (its last page's `list_info`
    says `has_more_rows`), naming where the next begins; none when the list is whole."""
    pages = [first_value_at(path, "list_info", encoding)]
    with contextlib.suppress(RowShapeError, Invalid):  # the reader says why it cannot be read
        pages += list(json_values_at(path, "item.list_info", encoding=encoding))
    last = next((page for page in reversed(pages) if isinstance(page, dict)), {})
    if last.get("has_more_rows") is not True:
        return []
    start, rows, page = (as_text(last.get(key)) for key in ("start_index", "row_count", "page"))
    if page and page.isdigit():
        after = f'"page": {int(page) + 1}'
    elif start and rows and start.isdigit() and rows.isdigit():
        after = f'"start_index": {int(start) + int(rows)}'
    else:
        after = '"start_index" past this page'
    return [
        RowError(
            1,
            "list_info",
            "this is one page of the requests and more follow (has_more_rows): fetch the next "
            f"(list_info {after}) and the rest, and import them too",
        )
    ]


def _first(path: Path, key: str, encoding: str) -> Any:
    """The first record of a page's `key` list, or of the first of pages gathered in an array."""
    first = first_record(path, (key,), encoding)
    listed = first.get(key) if isinstance(first, dict) else None
    if isinstance(listed, list):
        return listed[0] if listed else None
    return first


def _is_sdp_note(record: Any) -> bool:
    """A request's note: its words, who added it (`added_by` with `is_technician`) and when
    (`added_time` as `{display_value, value}`)."""
    if not isinstance(record, dict) or "description" not in record:
        return False
    author, added = record.get("added_by"), record.get("added_time")
    return (isinstance(author, dict) and "is_technician" in author) or (
        isinstance(added, dict) and "display_value" in added
    )


def _note_request(note: dict[str, Any]) -> dict[str, Any]:
    """A note as a request its author made: a technician's is the team's own words, a
    requester's (added from the portal) theirs."""
    author = dict_at(note, "added_by")
    return {
        "id": note.get("id"),
        "subject": dict_at(note, "request").get("subject"),
        "description": note.get("description"),
        "requester": author,
        "created_by": author,
        "created_time": note.get("added_time"),
    }


def _alone(answer: dict[str, Any]) -> dict[str, Any]:
    """The request of `GET /requests/{id}`'s answer; a page's request as it is."""
    inner = answer.get("request")
    return inner if isinstance(inner, dict) and "response_status" in answer else answer


def _when(created: Any) -> str | None:
    """A ServiceDesk Plus time as ISO text: its Unix milliseconds, else the shown value (a
    tool that flattened it to "Aug 9, 2022 06:06 AM")."""
    held = created if isinstance(created, dict) else {"display_value": created}
    value = as_text(held.get("value"))
    if value and value.isdigit():
        return parse_when(value).isoformat()
    shown = as_text(held.get("display_value"))
    if not shown:
        return None
    try:
        return export_date(shown).isoformat()
    except ValueError:
        return shown  # the reader names the date it cannot read


def _same(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two of a request's people are one: by id where both have one, else by address,
    else by name."""
    for key in ("id", "email_id", "name"):
        mine, theirs = as_text(one.get(key)), as_text(other.get(key))
        if mine and theirs:
            return mine.casefold() == theirs.casefold()
    return False


def _person(held: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": as_text(held.get("id")),
        "name": as_text(held.get("name")),
        "email": as_text(held.get("email_id") or held.get("email")),
    }


def sdp_ticket(request: dict[str, Any], warnings: list[RowError]) -> dict[str, Any]:
    """A ServiceDesk Plus request as the ticket the Zendesk reader knows: the requester as
    requester, the MSP account as organisation, a technician who created it for someone else
    as submitter; a machine's is marked so. A request with only its short description warns
    once (`warnings`) that its words are cut."""
    requester = dict_at(request, "requester")
    creator = dict_at(request, "created_by")
    mode = as_text(dict_at(request, "mode").get("name")) or as_text(request.get("mode")) or ""
    by_system = (as_text(creator.get("name")) or "").casefold() in _SYSTEM and not as_text(
        creator.get("email_id")
    )
    machine = bool(_MACHINE_MODE.search(mode)) or (by_system and not requester.get("email_id"))
    requester_id = as_text(requester.get("id"))
    creator_id = as_text(creator.get("id"))
    for_someone = (
        creator.get("is_technician") is True
        and not by_system
        and bool(requester)
        and not _same(creator, requester)
    )
    description = as_text(request.get("description"))
    if not description and (short := as_text(request.get("short_description"))):
        description = short
        said = {warning.reason for warning in warnings}
        if len(short) >= _SHORT and SHORT_ONLY not in said:
            warnings.append(RowError(1, "description", SHORT_ONLY))
    tags = [
        f"{name}:{value.lower()}"
        for name, value in (
            ("channel", mode),
            ("group", as_text(dict_at(request, "group").get("name"))),
            ("site", as_text(dict_at(request, "site").get("name"))),
        )
        if value
    ]
    return {
        "id": request.get("id") or request.get("display_id"),
        "subject": request.get("subject"),
        "description": description,
        "created_at": _when(request.get("created_time")),
        "requester": _person(requester),
        "requester_id": requester_id,
        "organization": {"name": as_text(dict_at(request, "account").get("name"))},
        "status": as_text(dict_at(request, "status").get("name")),
        "priority": as_text(dict_at(request, "priority").get("name")),
        "type": as_text(dict_at(request, "request_type").get("name")),
        "tags": tags,
        "deleted": request.get("is_trashed") is True,
        "_by_app": machine,
        # A technician asking for themself: the team's own request.
        "_verdict": "internal"
        if requester.get("is_technician") is True and not machine and not for_someone
        else None,
        # A technician who created it for the requester (a call they logged): the team's words.
        "submitter_id": creator_id if for_someone else None,
        "submitter_email": as_text(creator.get("email_id")) if for_someone else None,
        "submitter_role": "agent" if for_someone else None,
    }
