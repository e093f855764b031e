"""Zendesk's Ticket Audits API read as tickets, for the `zendesk` connector.

The Ticket Audits API (`{"audits": [...]}`, and the incremental ticket events read as
audits: `connectors/zendesk_events.py`) holds no tickets: each one is rebuilt from its
audits' Create, Change and Comment events (`audit_ticket`); the help desk's address, for
links, is read from a side-loaded record's API url (`side_loaded_site`).
"""

import re
from typing import Any

from huddle.connectors.record_values import as_text


def is_audit(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and record.get("ticket_id") is not None
        and isinstance(record.get("events"), list)
    )


def _audit_order(held: tuple[int, dict[str, Any]]) -> tuple[str, str]:
    # ISO 8601 in UTC sorts as it reads; the id (which grows) orders audits of one second.
    audit = held[1]
    return str(audit.get("created_at") or ""), str(audit.get("id") or "").rjust(20, "0")


def side_loaded_site(*records: dict[str, dict[str, Any]]) -> str | None:
    """The help desk's address, from a side-loaded record's API url."""
    for found in records:
        for record in found.values():
            site = re.match(r"(https://[^/]+)/api/v2/", str(record.get("url") or ""))
            if site:
                return site.group(1)
    return None


def audit_ticket(
    ticket_id: str,
    audits: list[tuple[int, dict[str, Any]]],
    users: dict[str, dict[str, Any]],
    site: str | None,
) -> tuple[int, dict[str, Any]] | None:
    """A ticket rebuilt from its audits (the Ticket Audits API holds no ticket): its fields as
    its Create and Change events last set them; its description the comment of the audit
    that created it, whoever wrote it, as Zendesk's own description is; its submitter that
    audit's author. Without that audit (a page that starts after it), the requester's first
    public comment, or None when the file holds no words of theirs. The line and date are
    those of the audit the words came in."""
    fields: dict[str, Any] = {}
    # Public comments after the opening one, oldest first, with their line and audit.
    said: list[tuple[dict[str, Any], int, dict[str, Any]]] = []
    opening: tuple[int, dict[str, Any]] | None = None
    description = None
    for line, audit in sorted(audits, key=_audit_order):
        events = [e for e in audit["events"] if isinstance(e, dict)]
        if opening is None and any(e.get("type") == "Create" for e in events):
            opening = (line, audit)
        for event in events:
            kind = str(event.get("type") or "")
            if kind in {"Create", "Change"} and event.get("field_name"):
                fields[str(event["field_name"])] = event.get("value")
            elif kind.endswith("Comment"):  # also a VoiceComment, a FacebookComment
                body = event.get("html_body") or event.get("body")
                author = str(event.get("author_id") or audit.get("author_id"))
                if opening is not None and opening[1] is audit and description is None:
                    description = body
                elif event.get("public") is not False:
                    said.append(({"author_id": author, "body": body}, line, audit))
    requester_id = as_text(fields.get("requester_id"))
    if opening is None:
        # The requester a Change named, else the first end user who commented in public.
        requester_id = requester_id or next(
            (
                comment["author_id"]
                for comment, _, _ in said
                if users.get(comment["author_id"], {}).get("role") in (None, "end-user")
            ),
            None,
        )
        theirs = [
            (line, audit) for comment, line, audit in said if comment["author_id"] == requester_id
        ]
        if not theirs:
            return None  # only the team's replies and changes: the words are on another page
        line, opener = theirs[0]
        submitter_id = fields.get("submitter_id")
    else:
        line, opener = opening
        requester_id = requester_id or as_text(opener.get("author_id"))
        submitter_id = fields.get("submitter_id") or opener.get("author_id")
    requester = users.get(requester_id or "", {})
    tags = fields.get("tags")
    return line, {
        "id": ticket_id,
        "subject": fields.get("subject"),
        "description": description,
        "comments": [comment for comment, _, _ in said if comment["author_id"] == requester_id],
        "created_at": opener.get("created_at"),
        "requester_id": requester_id,
        "submitter_id": as_text(submitter_id),
        "organization_id": fields.get("organization_id") or requester.get("organization_id"),
        "tags": tags.split() if isinstance(tags, str) else tags,
        "status": fields.get("status"),
        "priority": fields.get("priority"),
        "type": fields.get("type"),
        "via": opener.get("via"),
        "url": f"{site}/api/v2/tickets/{ticket_id}.json" if site else None,
    }
