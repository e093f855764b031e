"""Jira Service Management issues, read as the tickets the `zendesk` connector knows: a page of
the issue search (`{"issues": [...]}`), each issue's `fields` with its summary, its description
in Atlassian Document Format, its reporter, creator and Service Desk organisation."""

import re
from typing import Any

from huddle.connectors.record_values import as_text, dict_at


def is_jira_issue(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("fields"), dict)


# The block nodes of Atlassian Document Format: each one starts a line of its own.
_ADF_BLOCKS = {
    "paragraph", "heading", "listItem", "codeBlock", "blockquote", "panel", "rule",
    "tableRow", "taskItem", "decisionItem", "expand", "nestedExpand",
}  # fmt: skip


def adf_text(node: Any) -> str:
    """The words of an Atlassian Document Format node (Jira's descriptions and comments),
    a line per paragraph, list item or code block; a plain string (Jira's v2 API) as it is."""
    if isinstance(node, str):
        return node
    if isinstance(node, list):
        return "".join(adf_text(child) for child in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    attrs = dict_at(node, "attrs")
    if kind == "text":
        return str(node.get("text") or "")
    if kind == "hardBreak":
        return "\n"
    if kind in {"emoji", "mention", "status", "date"}:
        return str(attrs.get("text") or attrs.get("shortName") or "")
    if kind in {"inlineCard", "blockCard"}:
        return str(attrs.get("url") or "")
    inner = adf_text(node.get("content") or [])
    return f"{inner.strip()}\n" if kind in _ADF_BLOCKS else inner


def _jira_person(person: Any) -> dict[str, Any]:
    person = person if isinstance(person, dict) else {}
    return {"name": person.get("displayName"), "email": person.get("emailAddress")}


def _jira_organization(fields: dict[str, Any]) -> dict[str, Any]:
    """The issue's first JSM organisation: the field (`customfield_10002` on most sites, but
    the number is the site's) whose value is a list of Service Desk organisations."""
    for value in fields.values():
        if not isinstance(value, list):
            continue
        for entry in value:
            if not isinstance(entry, dict):
                continue
            if "/servicedeskapi/organization/" in str(dict_at(entry, "_links").get("self")):
                return {"name": entry.get("name")}
    return {}


def jira_ticket(issue: dict[str, Any]) -> dict[str, Any]:
    """A Jira Service Management issue, as the ticket this reader knows: its summary and its
    description (Atlassian Document Format), the reporter as requester, its organisation,
    and who created it (an agent raising it for a customer, an automation rule)."""
    fields = dict_at(issue, "fields")
    reporter, creator = dict_at(fields, "reporter"), dict_at(fields, "creator")
    found = re.match(r"(https://[^/]+)/rest/", as_text(issue.get("self")) or "")
    tags = [*(fields.get("labels") or [])]
    for name, value in (
        ("priority", dict_at(fields, "priority").get("name")),
        ("type", dict_at(dict_at(fields, "customfield_10010"), "requestType").get("name")),
        ("status", dict_at(fields, "status").get("name")),
    ):
        if value:
            tags.append(f"{name}:{str(value).lower()}")
    opened_by_other = creator.get("accountId") not in (None, reporter.get("accountId"))
    return {
        "id": issue.get("key") or issue.get("id"),
        "subject": fields.get("summary"),
        "description": adf_text(fields.get("description")).strip(),
        "created_at": fields.get("created"),
        "requester": _jira_person(reporter),
        "organization": _jira_organization(fields),
        "tags": tags,
        "url": f"{found.group(1)}/browse/{issue.get('key')}" if found else None,
        # Jira's accounts: `customer` (a portal customer), `atlassian` (an agent), `app`.
        "submitter_role": "agent"
        if opened_by_other and creator.get("accountType") == "atlassian"
        else None,
        "submitter_email": creator.get("emailAddress") if opened_by_other else None,
        # (Not Zendesk's: an automation rule or an integration raised it.)
        "_by_app": "app" in (reporter.get("accountType"), creator.get("accountType")),
    }
