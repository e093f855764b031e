"""Zoho Desk tickets, read as the tickets the `zendesk` connector knows.

Zoho Desk's REST API lists tickets as `{"data": [...]}` (`GET /api/v1/tickets?include=
contacts,assignee`; a ticket's `description`, HTML, comes with `GET /tickets/{id}`): each
with its long `id` and the `ticketNumber` people see, `subject`, `channel` (Email, Web,
Phone, Chat…), `classification`, `priority`, `status`, `isSpam`, `createdTime` (ISO 8601),
`webUrl` (the agent page), the `contact` who asked (`email`, `firstName`, `lastName`, their
`account` with `accountName` and `website`) and who created it (`createdBy`: the contact,
or one of the team logging a call on their behalf).
"""

import re
from typing import Any

from huddle.connectors.record_values import as_text, dict_at


def is_zoho_ticket(record: Any) -> bool:
    return isinstance(record, dict) and "ticketNumber" in record and "contactId" in record


def zoho_ticket(ticket: dict[str, Any]) -> dict[str, Any]:
    """A Zoho Desk ticket as the ticket the Zendesk reader knows: the contact as requester,
    their account as organisation (its website a domain it is known by), and one of the team
    as submitter when someone other than the contact created it."""
    contact = dict_at(ticket, "contact")
    account = dict_at(contact, "account")
    name = " ".join(str(contact.get(k) or "").strip() for k in ("firstName", "lastName")).strip()
    website = re.sub(r"^https?://(www\.)?", "", as_text(account.get("website")) or "")
    contact_id = as_text(ticket.get("contactId") or contact.get("id"))
    created_by = as_text(ticket.get("createdBy"))
    assignee = dict_at(ticket, "assignee")
    by_other = created_by not in (None, contact_id)
    tags = [
        f"{key}:{str(ticket[field]).lower()}"
        for key, field in (("channel", "channel"), ("category", "category"))
        if as_text(ticket.get(field))
    ]
    return {
        "id": ticket.get("id") or ticket.get("ticketNumber"),
        "subject": ticket.get("subject"),
        "description": ticket.get("description"),
        "created_at": ticket.get("createdTime"),
        "requester": {
            "id": contact_id,
            "name": name or None,
            "email": contact.get("email") or ticket.get("email"),
        },
        "requester_id": contact_id,
        "organization": {
            "name": account.get("accountName"),
            "domain_names": [website.split("/")[0]] if website else [],
        },
        "priority": ticket.get("priority"),
        "type": ticket.get("classification"),
        "status": ticket.get("status"),
        "tags": tags,
        "url": ticket.get("webUrl"),
        "spam": ticket.get("isSpam") is True,
        "submitter_id": created_by,
        # Zoho writes the contact as the creator of what they sent; anyone else is one of
        # the team (an agent logging a call, the assignee opening it for them).
        "submitter_role": "agent" if by_other else None,
        "submitter_email": assignee.get("email")
        if by_other and as_text(assignee.get("id")) == created_by
        else None,
    }
