"""HubSpot's CRM API pages saved as JSON, read as the CSV exports of the same records are.

`GET /crm/v3/objects/{notes,calls,emails,meetings,tasks,communications}` (also its search and
batch-read answers) gives `{"results": [...], "paging": {"next": {"after": …}}}`, each result
`{"id", "properties": {…}, "createdAt", "archived", "associations": {"companies": {"results":
[{"id", "type"}]}, …}}`. An engagement's words are in its body property, HTML for most
(`hs_note_body`, `hs_call_body`, a meeting's `hs_internal_meeting_notes` then
`hs_meeting_body`, `hs_email_text` then `hs_email_html`, `hs_task_body`,
`hs_communication_body`), its time in `hs_timestamp`, its companies by HubSpot's own ids (the
first is its account: one no workspace account answers to is listed as unknown), an email's
direction in `hs_email_direction` (`INCOMING_EMAIL`, `EMAIL`, `FORWARDED_EMAIL`) and its
sender in `hs_email_from_email` or `hs_email_headers`. Each result becomes the row the notes
export writes for it (`crm.read_crm_rows`), so its HTML, noise and account are read as a
CSV's are. A page of companies (told by `domain`, a property every company has by default;
a product's or line item's `name` is no company's) is read as the companies export. An archived
(deleted) record is skipped; a page with a next page says so, since only what was saved comes
in.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import unreadable
from huddle.connectors.crm import CrmShape, read_json_rows
from huddle.connectors.hubspot_engagements import is_v1_page, is_v1_result, v1_cells
from huddle.connectors.json_reading import (
    first_bytes,
    first_value_at,
    iter_json_records,
)
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.errors import Invalid
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

_PROPERTIES = re.compile(rb'"properties"\s*:\s*\{')
# Every CRM object carries HubSpot's own properties (`hs_object_id`, `hs_createdate`).
_HS_PROPERTY = re.compile(rb'"hs_[a-z0-9_]+"\s*:')
# Close's leads, which the same connector reads, hold no `properties` object.
_LIST_KEYS = ("results",)

# Each engagement object: its activity type as the export writes it, its body properties in
# the order they are read, and its title's.
_Engagement = tuple[str, tuple[str, ...], tuple[str, ...]]
_ENGAGEMENTS: tuple[_Engagement, ...] = (
    ("NOTE", ("hs_note_body",), ()),
    ("CALL", ("hs_call_body",), ("hs_call_title",)),
    # A meeting's own notes before its description (often only the invitation).
    ("MEETING", ("hs_internal_meeting_notes", "hs_meeting_body"), ("hs_meeting_title",)),
    ("EMAIL", ("hs_email_text", "hs_email_html"), ("hs_email_subject",)),
    ("TASK", ("hs_task_body",), ("hs_task_subject",)),
    # A logged SMS, WhatsApp or LinkedIn message; a postal mail.
    ("COMMUNICATION", ("hs_communication_body",), ()),
    ("POSTAL_MAIL", ("hs_postal_mail_body",), ()),
)
_ENGAGEMENT_NAMES = ", ".join(texts[0] for _, texts, _ in _ENGAGEMENTS)


def is_api_page(path: Path, encoding: str) -> bool:
    """Whether a JSON file holds HubSpot CRM objects: `properties` objects with HubSpot's own
    `hs_` properties."""
    head = first_bytes(path, encoding)
    return bool(_PROPERTIES.search(head) and _HS_PROPERTY.search(head)) or is_v1_page(head)


def read_api_page(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    """A page of HubSpot's engagements (as notes) or companies (as accounts)."""
    try:
        # The cells of every result: a property left out of the first may be on the next.
        header = list(dict.fromkeys(name for _, cells, _ in _rows(path, options) for name in cells))
        kind = _kind(path, options)
    except (RowShapeError, Invalid) as error:
        return unreadable(error)
    if kind is None:
        output = ConnectorOutput()
        output.errors.append(
            RowError(
                1,
                "properties",
                f"{path.name} holds HubSpot CRM objects, but none with an engagement's body "
                f"({_ENGAGEMENT_NAMES}) or a company's domain: request those properties "
                "(properties=hs_note_body,hs_timestamp&associations=companies)",
            )
        )
        return output

    def records(output: ConnectorOutput) -> Iterator[Row]:
        for line, cells, archived in _rows(path, options):
            if archived:
                output.skipped_rows += 1  # deleted in HubSpot: no record any more
                continue
            yield Row(line, cells)

    def after() -> list[RowError]:
        page = _next_page(path, options)
        if not page:
            return []
        return [
            RowError(
                1,
                "paging",
                f"this is one page of the results: the next starts after {page}; fetch it "
                f"(after={page}) and import it too",
            )
        ]

    return read_json_rows(kind, header, options, shape, records, after)


def _kind(path: Path, options: ConnectorOptions) -> str | None:
    """'notes' when the results are engagements, 'accounts' when companies, else None."""
    for _, result in iter_json_records(path, list_keys=_LIST_KEYS, encoding=options.encoding):
        if is_v1_result(result):
            return "notes"
        properties = dict_at(result, "properties") if isinstance(result, dict) else {}
        if _engagement(properties) is not None:
            return "notes"
        # Every company has a `domain` among its default properties; products, line items
        # and custom objects have a `name` too.
        if "domain" in properties:
            return "accounts"
    return None


def _engagement(properties: dict[str, Any]) -> _Engagement | None:
    """Which engagement a result is, by the body properties it was asked for."""
    return next(
        (kind for kind in _ENGAGEMENTS if any(name in properties for name in kind[1])), None
    )


def _rows(path: Path, options: ConnectorOptions) -> Iterator[tuple[int, dict[str, Any], bool]]:
    """(line, the result as an export's row, whether it is archived) for each result."""
    for line, result in iter_json_records(
        path, list_keys=_LIST_KEYS, encoding=options.encoding, what="a result"
    ):
        if is_v1_result(result):
            yield line, v1_cells(result), False
            continue
        if not isinstance(result, dict) or not isinstance(result.get("properties"), dict):
            raise RowShapeError(
                line, "a result must be an object with its `properties` (or v1's `engagement`)"
            )
        yield line, _cells(result), result.get("archived") is True


def _cells(result: dict[str, Any]) -> dict[str, Any]:
    properties: dict[str, Any] = result["properties"]
    record_id = as_text(result.get("id")) or as_text(properties.get("hs_object_id"))
    engagement = _engagement(properties)
    if engagement is None:
        # A company: its properties are the companies export's columns by their API names.
        plain = {k: v for k, v in properties.items() if not isinstance(v, dict | list)}
        return {**plain, "Record ID": record_id}
    kind, texts, titles = engagement
    cells: dict[str, Any] = {
        "Activity ID": record_id,
        "Activity type": kind,
        "Body": next((properties[name] for name in texts if as_text(properties.get(name))), None),
        "Subject": next((properties[n] for n in titles if as_text(properties.get(n))), None),
        "Activity date": as_text(properties.get("hs_timestamp"))
        or as_text(properties.get("hs_createdate"))
        or as_text(result.get("createdAt")),
        "Associated Company IDs": ";".join(_associated(result, "companies")),
    }
    if kind == "EMAIL":
        email, name = _sender(properties)
        # "INCOMING_EMAIL" read as the export writes it: "Incoming email".
        direction = as_text(properties.get("hs_email_direction")) or ""
        cells.update(
            {
                "Email direction": direction.replace("_", " "),
                "Email from address": email,
                "Person name": name,
            }
        )
    return cells


def _associated(result: dict[str, Any], kind: str) -> list[str]:
    """The ids of the records of `kind` a result is associated with (v3's `id`, v4's
    `toObjectId`), in order."""
    found = dict_at(dict_at(result, "associations"), kind).get("results")
    ids = (
        as_text(item.get("id") or item.get("toObjectId"))
        for item in listed(found)
        if isinstance(item, dict)
    )
    return list(dict.fromkeys(i for i in ids if i))


def _sender(properties: dict[str, Any]) -> tuple[str | None, str | None]:
    """An email's sender: its `hs_email_from_*` properties, else its `hs_email_headers`."""
    email = as_text(properties.get("hs_email_from_email"))
    first = as_text(properties.get("hs_email_from_firstname")) or ""
    last = as_text(properties.get("hs_email_from_lastname")) or ""
    if email is None:
        try:
            headers = json.loads(str(properties.get("hs_email_headers") or "{}"))
        except ValueError:
            headers = {}
        sender = dict_at(headers, "from") if isinstance(headers, dict) else {}
        email = as_text(sender.get("email"))
        first = first or as_text(sender.get("firstName")) or ""
        last = last or as_text(sender.get("lastName")) or ""
    return email, f"{first} {last}".strip() or None


def _next_page(path: Path, options: ConnectorOptions) -> str | None:
    """The cursor of the page after this one, when the saved answer has one."""
    found = first_value_at(path, "paging.next.after", options.encoding)
    # v1's engagements: `hasMore` and the `offset` to ask for next.
    if found is None and first_value_at(path, "hasMore", options.encoding):
        found = first_value_at(path, "offset", options.encoding)
    return as_text(found)
