"""Who an Intercom customer works for, when the API gives it beside the conversations.

An admin's script that saves `GET /conversations` often fetches each conversation's contacts
and their companies too and saves them beside the page: `{"type": "conversation.list",
"conversations": [...], "contacts": [...], "companies": [...]}`. A contact names its companies
by id (`companies.data[].id`, sometimes with their `name`), a company gives its `name` and
`website`. A conversation names its contacts by id (`contacts.contacts[].id`); since API 2.11
it may also carry its `company` itself. The company is what attaches a customer writing from
a personal address (outlook.com, gmail.com) to their account.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import json_shape, json_values_at
from huddle.connectors.record_values import as_text, dict_at
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError


@dataclass(frozen=True)
class Company:
    name: str
    # Other ways an account may be known: the company's website and its id in the customer's
    # own systems.
    aliases: tuple[str, ...] = ()


def _company(record: dict[str, Any]) -> Company | None:
    name = as_text(record.get("name"))
    if not name:
        return None
    aliases = tuple(
        a for a in (as_text(record.get("website")), as_text(record.get("company_id"))) if a
    )
    return Company(name, aliases)


def _listed(holder: Any, key: str) -> list[dict[str, Any]]:
    """The entries of an Intercom list, `{"type": "list", "data": [...]}` or
    `{"<key>": [...]}` or a bare array."""
    if isinstance(holder, dict):
        holder = holder.get("data", holder.get(key))
    return [e for e in holder or [] if isinstance(e, dict)] if isinstance(holder, list) else []


def companies_of_contacts(path: Path, encoding: str = "utf-8") -> dict[str, Company]:
    """Each contact id of the file's side lists `contacts` and `companies` mapped to the first
    company the contact belongs to that has a name; empty when the file has no side lists.
    A file that cannot be read whole gives what was read before the fault (the reading of the
    conversations reports it)."""
    people: dict[str, Company] = {}
    try:
        if json_shape(path, ("conversations",), encoding) == "object":
            _read_people(path, encoding, people)
    except (RowShapeError, Invalid, UnicodeDecodeError, ValueError):
        pass
    return people


def _read_people(path: Path, encoding: str, people: dict[str, Company]) -> None:
    companies: dict[str, Company] = {}
    for record in json_values_at(path, "companies.item", encoding=encoding, what="a company"):
        company = _company(record) if isinstance(record, dict) else None
        if company is not None and as_text(record.get("id")):
            companies[str(record["id"])] = company
    for contact in json_values_at(path, "contacts.item", encoding=encoding, what="a contact"):
        if not isinstance(contact, dict) or not as_text(contact.get("id")):
            continue
        for entry in _listed(contact.get("companies"), "companies"):
            company = companies.get(str(entry.get("id"))) or _company(entry)
            if company is not None:
                people[str(contact["id"])] = company
                break


def conversation_company(
    conversation: dict[str, Any], customer_ids: list[str], people: dict[str, Company]
) -> Company | None:
    """The company of a conversation: its own `company`, else the company of the customer who
    wrote in it (their author id), else of its first listed contact that has one."""
    own = _company(dict_at(conversation, "company"))
    if own is not None:
        return own
    listed = [str(c.get("id")) for c in _listed(conversation.get("contacts"), "contacts")]
    return next((people[i] for i in [*customer_ids, *listed] if i in people), None)
