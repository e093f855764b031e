"""Pylon issues, read as the tickets the `zendesk` connector knows.

Pylon's API lists issues as `{"data": [...], "pagination": {...}, "request_id": ...}`
(`GET /issues`, the same top-level key as Zoho Desk's page): each issue with its `id` (a
UUID), the `number` people see, `title`, `body_html` (HTML with entities), `state`,
`source` (slack, microsoft_teams, email, chat_widget, form, manual…), `type`, `tags`,
`created_at` (ISO 8601), `link` (the issue's page), the `requester` (often only an `id` and
an `email`), the `assignee`, and the customer's `account` (often only Pylon's own id, so the
requester's email domain finds the account; a name or domains when Pylon gives them).
"""

from typing import Any

from huddle.connectors.record_values import as_text, dict_at

# Where an issue came in from that no customer wrote: the team logged it by hand.
_BY_TEAM = {"manual"}


def is_pylon_issue(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and "body_html" in record
        and isinstance(record.get("requester"), dict)
        and "fields" not in record
    )


def _domains(account: dict[str, Any]) -> list[str]:
    found = [as_text(account.get("domain"))]
    found += [as_text(d) for d in account.get("domains") or [] if isinstance(d, str)]
    return [d for d in dict.fromkeys(found) if d]


def pylon_ticket(issue: dict[str, Any]) -> dict[str, Any]:
    """A Pylon issue as the ticket the Zendesk reader knows: `body_html` its description,
    the requester as requester, Pylon's account (when it carries a name or domains) as
    organisation, and one of the team as submitter of an issue logged by hand."""
    requester = dict_at(issue, "requester")
    account = dict_at(issue, "account")
    assignee = dict_at(issue, "assignee")
    source = (as_text(issue.get("source")) or "").lower()
    tags = [str(t) for t in issue.get("tags") or [] if as_text(t)]
    if source:
        tags.append(f"channel:{source}")
    by_team = source in _BY_TEAM
    return {
        "id": issue.get("id") or issue.get("number"),
        "subject": issue.get("title"),
        "description": issue.get("body_html") or issue.get("body"),
        "created_at": issue.get("created_at"),
        "requester": {
            "id": as_text(requester.get("id")),
            "name": as_text(requester.get("name")),
            "email": as_text(requester.get("email")),
        },
        "requester_id": as_text(requester.get("id")),
        "organization": {
            "name": as_text(account.get("name")),
            "domain_names": _domains(account),
        },
        "status": issue.get("state"),
        "tags": tags,
        "url": as_text(issue.get("link")),
        # An issue the team logged by hand (after a call, a QBR) holds their words: the
        # assignee, else someone of the team, opened it for the customer.
        "submitter_id": (as_text(assignee.get("id")) or "team") if by_team else None,
        "submitter_role": "agent" if by_team else None,
        "submitter_email": as_text(assignee.get("email")) if by_team else None,
    }
