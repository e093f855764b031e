"""ServiceNow Customer Service cases, read as the tickets the `zendesk` connector knows.

ServiceNow's Table API answers `GET /api/now/table/sn_customerservice_case` (or `incident`)
with `{"result": [...]}` (one record asked for by its sys_id: `{"result": {...}}`); the
JSONv2 web service (`…/sn_customerservice_case.do?JSONv2`) with `{"records": [...]}`. How a
field is written depends on `sysparm_display_value`: `false` (the default) gives its value
(a reference is `{"link", "value"}`, the value its sys_id), `true` what a person sees (a
reference `{"link", "display_value"}`), `all` both, every field an object `{"display_value",
"value"}` (a reference with its `link`); JSONv2 asked with `displayvalue=all` puts the shown
value beside the field as `dv_<field>`. A case holds its `number`, `sys_id`,
`short_description`, `description`, the customer's `account` and `contact` (an incident: its
`company` and `caller_id`), who opened it (`opened_by`, `sys_created_by`: "system" when no
person did), its channel (`contact_type`: web, email, phone, chat…), `opened_at` and
`sys_created_on` (the value in UTC, shown in the reader's zone), and two journals:
`comments` (Additional comments, seen by the customer) and `work_notes` (the team's own),
each asked for shown as its entries newest first, each under a line "2026-11-30 11:20:08 PST
- Tom Becker (Additional comments)".

A case's words are its description (a chat transcript pasted there cut to the contact's lines,
mail it quotes and a signature cut) and the contact's own additional comments after it; the
team's comments and work notes are not theirs, and a case with no description is its short
description. A case an agent opened for a customer (opened by someone else than its contact,
on no transcript of the contact's, and by one of the team or through a call or a visit they
logged; not the mail the contact sent, nor a case ServiceNow's Guest opened for a sender it
did not know, nor a colleague of the contact's on the portal) is the team's words: staff. One
no person opened (no contact, not even by sys_id, and created by `system` or through a
machine's channel: an Event Management alert) is a bot's. The account is the case's account
by its shown name. Only customers' cases are read (`sn_customerservice_case`, `incident`, by
`sys_class_name` or the number's CS/INC): a knowledge article or a change request is refused.
"""

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import MARKUP, customer_lines, html_to_text
from huddle.connectors.json_reading import first_bytes, json_records_at
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import as_text
from huddle.connectors.replies import split_signature
from huddle.imports.rows import RowShapeError

# The Table API's and JSONv2's answers, by the key their records are under.
_WRAPPED = re.compile(rb'^\s*\{\s*"(result|records)"\s*:\s*([\[{])')
_SYS_ID = re.compile(rb'"sys_id"\s*:')
# An answer whose first record is no object (null, a number, a string): read here so that
# each such record is named as the error it is, not taken for a ticket with no id.
_NOT_OBJECT = re.compile(rb'^\s*\{\s*"(result|records)"\s*:\s*\[\s*(null|true|false|-?\d|")')
# A sys_id: what a reference holds when its shown name was not asked for.
_SYS_ID_VALUE = re.compile(r"^[0-9a-f]{32}$")
# The channels no person writes in: an alert or an event, an integration's or a script's.
_MACHINE_CHANNELS = {"event", "alert", "monitoring", "integration", "automation", "system"}
# What `sys_created_by` says of a record a script, a flow or an event made.
_MACHINE_CREATORS = {"system"}
# Who opens a case for a sender ServiceNow does not know (inbound mail), or a script does.
_NO_PERSON = {"guest", "system"}
# The line each journal entry opens with: when (a date and a time, in the reader's format and
# perhaps their zone), who, and which journal: "2026-11-29 14:02:11 PST - Dana Lee (Additional
# comments)". A customer's "2026-11-29 - we restarted it (twice)" is no such line.
_ENTRY = re.compile(
    r"^(?P<when>\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4} \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?"
    r"(?: [A-Za-z][\w/+-]{0,30})?) - (?P<who>[^()]+?) \((?P<journal>[^()]+)\)\s*$"
)
_CUSTOMER_JOURNAL = "additional comments"
# The heading a chat transcript pasted into a case opens with.
_TRANSCRIPT_HEADING = re.compile(
    r"^\s*(chat|conversation|virtual agent)?\s*transcript\b[^\n]{0,40}\n", re.IGNORECASE
)
# The table each case number's prefix is of, for its link (when `sys_class_name` is not given).
_TABLES = {"CS": "sn_customerservice_case", "INC": "incident"}
# The tables of a customer's cases: CSM's cases (and the case types extending them, named
# `sn_customerservice_…_case`) and incidents. Another task table (a knowledge article
# KB…, a change request CHG…, a problem PRB…) is the team's own.
_CASE_TABLES = {"sn_customerservice_case", "incident"}
# The channels a case only comes in by through an agent: a call they took, a visit at a desk.
_AGENT_CHANNELS = {"phone", "walk-in", "walk_in", "walkin"}


def cases(path: Path, encoding: str) -> Iterator[tuple[int, Any]] | None:
    """The records of a Table API (or JSONv2) answer saved alone, one by one; None for any
    other file (an array or JSON lines of records are read as they are). Raises
    RowShapeError for a record that is not an object or is of another table than cases'."""
    head = first_bytes(path, encoding)
    wrapped = _WRAPPED.match(head)
    if wrapped is None or not (_SYS_ID.search(head) or _NOT_OBJECT.match(head)):
        return None
    key = wrapped.group(1).decode()
    prefix = f"{key}.item" if wrapped.group(2) == b"[" else key
    return _checked(json_records_at(path, prefix, encoding=encoding, what="a case"))


def _checked(records: Iterator[tuple[int, Any]]) -> Iterator[tuple[int, Any]]:
    for line, record in records:
        if not isinstance(record, dict):
            raise RowShapeError(line, f"a case must be a JSON object, not {json.dumps(record)}")
        is_servicenow_case(record, line)  # (refuses a record of another table, on its line)
        yield line, record


def is_servicenow_case(record: Any, line: int = 1) -> bool:
    """A ServiceNow task record (a case, an incident): its sys_id, number and descriptions.
    Raises RowShapeError, naming the table, for a record of another task table."""
    found = (
        isinstance(record, dict)
        and "sys_id" in record
        and "number" in record
        and ("short_description" in record or "description" in record)
    )
    if found and (refusal := _not_a_case(record)) is not None:
        raise RowShapeError(line, refusal)
    return found


def _not_a_case(record: dict[str, Any]) -> str | None:
    """Why a task record is no customer's case: its table (`sys_class_name`, else the one its
    number's prefix names) is not one of cases'; None for a case."""
    number = _value(record, "number") or "a record"
    table = _value(record, "sys_class_name")
    if table is None:
        prefix = re.match(r"[A-Z]+", number)
        table = _TABLES.get(prefix.group(0) if prefix else "")
        if table is None:
            return (
                f"{number} is no customer case (cases are numbered CS…, incidents INC…): "
                "export the table sn_customerservice_case or incident"
            )
    if table in _CASE_TABLES or (
        table.startswith("sn_customerservice_") and table.endswith("_case")
    ):
        return None
    return (
        f"{number} is a record of the table {table}, not a customer's case: export the table "
        "sn_customerservice_case or incident"
    )


def _field(record: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    """A field as (shown, value), however the answer wrote it."""
    held = record.get(key)
    if isinstance(held, dict):
        return as_text(held.get("display_value")), as_text(held.get("value"))
    held = None if isinstance(held, list) else held
    return as_text(record.get(f"dv_{key}")) or as_text(held), as_text(held)


def _shown(record: dict[str, Any], key: str) -> str | None:
    shown, value = _field(record, key)
    return shown or value


def _value(record: dict[str, Any], key: str) -> str | None:
    shown, value = _field(record, key)
    return value or shown


def _named(record: dict[str, Any], key: str) -> str | None:
    """A reference's shown name; None when only its sys_id was asked for."""
    shown, value = _field(record, key)
    name = shown or value
    return None if name is None or _SYS_ID_VALUE.match(name) else name


def _entries(journal: str | None) -> list[tuple[str, str, str]]:
    """A journal's entries, oldest first, as (who, which journal, words)."""
    found: list[tuple[str, str, str]] = []
    for line in (journal or "").splitlines():
        opening = _ENTRY.match(line)
        if opening:
            found.append((opening.group("who"), opening.group("journal").casefold(), ""))
        elif found:
            who, kind, said = found[-1]
            found[-1] = (who, kind, f"{said}\n{line}" if said else line)
    return [(who, kind, said.strip()) for who, kind, said in reversed(found)]


def _theirs(text: str, contact: str | None) -> tuple[str, bool]:
    """The contact's words in a description or comment (a transcript cut to their lines),
    and whether it was a transcript they spoke in."""
    plain = html_to_text(text) if MARKUP.search(text) else text
    lines = customer_lines(plain, contact)
    if lines == plain:
        return plain.strip(), False
    return _TRANSCRIPT_HEADING.sub("", lines, count=1).strip(), True


def _same(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _by_machine(record: dict[str, Any], contact: str | None) -> bool:
    """No person opened it: no contact (by name or by sys_id alone), and a machine's channel
    or creator."""
    if contact:
        return False
    channel = (_value(record, "contact_type") or "").casefold()
    creator = (_value(record, "sys_created_by") or "").casefold()
    return channel in _MACHINE_CHANNELS or creator in _MACHINE_CREATORS


def _site(record: dict[str, Any]) -> str | None:
    """The instance's address, from a reference's API link."""
    for held in record.values():
        link = held.get("link") if isinstance(held, dict) else None
        found = re.match(r"(https://[^/]+)/api/now/", str(link or ""))
        if found:
            return found.group(1)
    return None


def _link(record: dict[str, Any], site: str | None) -> str | None:
    site = _site(record) or site
    sys_id = _value(record, "sys_id")
    number = _value(record, "number") or ""
    prefix = re.match(r"[A-Z]+", number)
    table = _value(record, "sys_class_name") or _TABLES.get(prefix.group(0) if prefix else "")
    return f"{site}/{table}.do?sys_id={sys_id}" if site and table and sys_id else None


def _by_other(
    record: dict[str, Any], contact: str | None, contact_id: str | None, spoke: bool
) -> bool:
    """Someone other than the contact opened it (by name, else by sys_id), and wrote the
    words themself: not a transcript of the contact's, not the mail the contact sent (whoever
    filed it), not what ServiceNow's Guest or a script filed."""
    opener, opener_id = _named(record, "opened_by"), _value(record, "opened_by")
    channel = (_value(record, "contact_type") or "").casefold()
    if spoke or channel == "email" or _same(opener) in _NO_PERSON:
        return False
    if contact and opener:
        return _same(opener) != _same(contact)
    return bool(contact_id and opener_id) and opener_id != contact_id


def servicenow_ticket(
    record: dict[str, Any], site: str | None, options: ConnectorOptions | None = None
) -> dict[str, Any]:
    """A ServiceNow case as the ticket the Zendesk reader knows; `options` tell the team's
    own people by name (the Zendesk reader tells them by address)."""
    contact = _named(record, "contact") or _named(record, "consumer") or _named(record, "caller_id")
    contact_id = (
        _value(record, "contact") or _value(record, "consumer") or _value(record, "caller_id")
    )
    opener = _named(record, "opened_by")
    machine = _by_machine(record, contact_id)
    # Without a contact, whoever opened it is the one the words are of.
    person = contact or (None if machine or contact_id else opener)
    words: list[str] = []
    signature = ""
    spoke = False
    description = _value(record, "description")
    if description:
        said, spoke = _theirs(description, person)
        said, signature = split_signature(said, person or "")
        words += [said] if said else []
    for who, journal, said in _entries(_shown(record, "comments")):
        if person and journal == _CUSTOMER_JOURNAL and _same(who) == _same(person):
            words.append(split_signature(_theirs(said, person)[0], person)[0])
    title = _shown(record, "short_description")
    if not any(words) and title:
        words = [title]
    by_other = _by_other(record, contact, contact_id, spoke)
    opener_email = as_text(record.get("opened_by.email"))
    # One of the team opened it (by name here, by address in the Zendesk reader), or an agent
    # logged a call or a visit: the team's words. (A colleague of the contact's filing it on
    # the portal is the customer's.)
    ours = options is not None and is_staff(opener_email, opener, options)
    channel = (_value(record, "contact_type") or "").casefold()
    for_them = by_other and (channel in _AGENT_CHANNELS or ours)
    return {
        "id": _value(record, "number") or _value(record, "sys_id"),
        "subject": title,
        "description": "\n\n".join(w for w in words if w),
        "_words": ("\n\n".join(w for w in words if w), signature),
        "created_at": _value(record, "opened_at") or _value(record, "sys_created_on"),
        "requester": {
            "id": contact_id or _value(record, "opened_by"),
            "name": person,
            "email": as_text(record.get("contact.email")),
        },
        "organization": {"name": _named(record, "account") or _named(record, "company")},
        "status": _shown(record, "state"),
        "tags": [t for t in (_value(record, "category"),) if t],
        "url": _link(record, site),
        "_by_app": machine,
        # The opener by address, for the Zendesk reader's own test of the team's people.
        "submitter_id": _value(record, "opened_by") if by_other else None,
        "submitter_email": opener_email if by_other else None,
        "submitter_role": "agent" if for_them else None,
    }
