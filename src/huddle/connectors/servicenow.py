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
description. A case an agent opened for a customer (a call they logged: opened by someone
else than its contact, on no transcript of the contact's; not the mail the contact sent,
nor a case ServiceNow's Guest opened for a sender it did not know) is the team's words: staff. One no
person opened (no contact, and created by `system` or through a machine's channel: an
Event Management alert) is a bot's. The account is the case's account by its shown name.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.cell_text import customer_lines, html_to_text
from huddle.connectors.json_reading import first_bytes, json_records_at
from huddle.connectors.replies import split_signature

# The Table API's and JSONv2's answers, by the key their records are under.
_WRAPPED = re.compile(rb'^\s*\{\s*"(result|records)"\s*:\s*([\[{])')
_SYS_ID = re.compile(rb'"sys_id"\s*:')
# A sys_id: what a reference holds when its shown name was not asked for.
_SYS_ID_VALUE = re.compile(r"^[0-9a-f]{32}$")
# The channels no person writes in: an alert or an event, an integration's or a script's.
_MACHINE_CHANNELS = {"event", "alert", "monitoring", "integration", "automation", "system"}
# What `sys_created_by` says of a record a script, a flow or an event made.
_MACHINE_CREATORS = {"system"}
# Who opens a case for a sender ServiceNow does not know (inbound mail), or a script does.
_NO_PERSON = {"guest", "system"}
# The line each journal entry opens with: when, who, and which journal.
_ENTRY = re.compile(r"^(?=\d)(?P<when>.{8,40}?) - (?P<who>.+?) \((?P<journal>[^()]+)\)\s*$")
_CUSTOMER_JOURNAL = "additional comments"
# The heading a chat transcript pasted into a case opens with.
_TRANSCRIPT_HEADING = re.compile(
    r"^\s*(chat|conversation|virtual agent)?\s*transcript\b[^\n]{0,40}\n", re.IGNORECASE
)
# The table each case number's prefix is of, for its link (when `sys_class_name` is not given).
_TABLES = {"CS": "sn_customerservice_case", "INC": "incident"}


def cases(path: Path, encoding: str) -> Iterator[tuple[int, Any]] | None:
    """The records of a Table API (or JSONv2) answer saved alone, one by one; None for any
    other file (an array or JSON lines of records are read as they are)."""
    head = first_bytes(path, encoding)
    wrapped = _WRAPPED.match(head)
    if wrapped is None or not _SYS_ID.search(head):
        return None
    key = wrapped.group(1).decode()
    prefix = f"{key}.item" if wrapped.group(2) == b"[" else key
    return json_records_at(path, prefix, encoding=encoding, what="a case")


def is_servicenow_case(record: Any) -> bool:
    """A ServiceNow task record (a case, an incident): its sys_id, number and descriptions."""
    return (
        isinstance(record, dict)
        and "sys_id" in record
        and "number" in record
        and ("short_description" in record or "description" in record)
    )


def _field(record: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    """A field as (shown, value), however the answer wrote it."""
    held = record.get(key)
    if isinstance(held, dict):
        return _text(held.get("display_value")), _text(held.get("value"))
    return _text(record.get(f"dv_{key}")) or _text(held), _text(held)


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


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


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
    plain = html_to_text(text) if "<" in text and ">" in text else text
    lines = customer_lines(plain, contact)
    if lines == plain:
        return plain.strip(), False
    return _TRANSCRIPT_HEADING.sub("", lines, count=1).strip(), True


def _same(name: str | None) -> str:
    return " ".join((name or "").split()).casefold()


def _by_machine(record: dict[str, Any], contact: str | None) -> bool:
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


def servicenow_ticket(record: dict[str, Any], site: str | None) -> dict[str, Any]:
    """A ServiceNow case as the ticket the Zendesk reader knows."""
    contact = _named(record, "contact") or _named(record, "consumer") or _named(record, "caller_id")
    contact_id = (
        _value(record, "contact") or _value(record, "consumer") or _value(record, "caller_id")
    )
    opener = _named(record, "opened_by")
    machine = _by_machine(record, contact)
    # Without a contact, whoever opened it is the one the words are of.
    person = contact or (None if machine else opener)
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
    # Someone other than the contact opened it, and wrote the words themself (not a transcript
    # of the contact's): an agent logging a call, a team member filing it for them.
    channel = (_value(record, "contact_type") or "").casefold()
    for_them = (
        bool(contact and opener)
        and _same(opener) != _same(contact)
        and _same(opener) not in _NO_PERSON
        and channel != "email"  # the mail the contact sent, whoever filed it
        and not spoke
    )
    return {
        "id": _value(record, "number") or _value(record, "sys_id"),
        "subject": title,
        "description": "\n\n".join(w for w in words if w),
        "_words": ("\n\n".join(w for w in words if w), signature),
        "created_at": _value(record, "opened_at") or _value(record, "sys_created_on"),
        "requester": {
            "id": contact_id if contact else _value(record, "opened_by"),
            "name": person,
            "email": _text(record.get("contact.email")),
        },
        "organization": {"name": _named(record, "account") or _named(record, "company")},
        "status": _shown(record, "state"),
        "tags": [t for t in (_value(record, "category"),) if t],
        "url": _link(record, site),
        "_by_app": machine,
        "submitter_id": _value(record, "opened_by") if for_them else None,
        "submitter_role": "agent" if for_them else None,
    }
