"""Zendesk tickets: the API's JSON (with sideloaded users and organizations) or JSON lines.

Accepted: `{"tickets": [...], "users": [...], "organizations": [...]}` (a page of
`/api/v2/tickets.json?include=users,organizations` or the incremental export), a bare array of
tickets, or Zendesk's admin JSON export (one ticket per line). The requester's email comes from
the ticket's `requester` object or the sideloaded users, and links the ticket to the account
with that email domain. The link is the agent page of the ticket.
"""

import re
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import (
    as_text,
    html_to_text,
    iter_json_records,
    json_shape,
    json_values_at,
    parse_when,
    pick_source,
    run_rows,
    tags_from,
)
from huddle.imports.records import FeedbackRecord, RowError


def _agent_link(ticket: dict[str, Any]) -> str | None:
    url = as_text(ticket.get("url"))
    if url:
        # The API url of a ticket; a person wants the agent page of the same ticket.
        found = re.match(r"(https://[^/]+)/api/v2/tickets/(\d+)", url)
        return f"{found.group(1)}/agent/tickets/{found.group(2)}" if found else url
    return None


def _sideloaded_users(path: Path, encoding: str) -> dict[str, dict[str, Any]]:
    if json_shape(path, ("tickets", "results"), encoding) != "object":
        return {}
    users: dict[str, dict[str, Any]] = {}
    for user in json_values_at(path, "users.item", encoding=encoding, what="a user"):
        if isinstance(user, dict) and user.get("id") is not None:
            users[str(user["id"])] = {"email": user.get("email"), "name": user.get("name")}
    return users


class ZendeskConnector:
    name = "zendesk"
    description = "Zendesk tickets (API JSON with sideloads, or the JSON-lines export)."
    suffixes = (".json", ".jsonl", ".ndjson")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        users: dict[str, dict[str, Any]] = {}

        def tickets() -> Any:
            # Sideloads come after the tickets in Zendesk's pages: a first pass reads only them.
            users.update(_sideloaded_users(path, options.encoding))
            return iter_json_records(
                path, list_keys=("tickets", "results"), encoding=options.encoding, what="a ticket"
            )

        def handle(row: tuple[int, Any]) -> None:
            line, ticket = row
            record = self.ticket(line, ticket, users, options, output.errors)
            if record is not None:
                output.feedback.append(record)

        run_rows(output, tickets, handle)
        return output

    @staticmethod
    def ticket(
        line: int,
        ticket: Any,
        users: dict[str, dict[str, Any]],
        options: ConnectorOptions,
        errors: list[RowError],
    ) -> FeedbackRecord | None:
        if not isinstance(ticket, dict):
            errors.append(RowError(line, None, "a ticket must be a JSON object"))
            return None
        ticket_id = as_text(ticket.get("id"))
        label = f"ticket {ticket_id}" if ticket_id else "a ticket"
        if ticket_id is None:
            errors.append(RowError(line, "id", f"{label} has no id"))
            return None
        body = ticket.get("description")
        if not body:
            comments = ticket.get("comments") or []
            body = next(
                (c.get("html_body") or c.get("body") for c in comments if isinstance(c, dict)),
                None,
            )
        text = html_to_text(str(body)) if body else ""
        if not text:
            errors.append(RowError(line, "description", f"{label} has no description"))
            return None
        created = ticket.get("created_at")
        try:
            occurred_at = parse_when(created) if created is not None else None
        except ValueError as error:
            errors.append(RowError(line, "created_at", f"{label}: {error}"))
            return None
        if occurred_at is None:
            errors.append(RowError(line, "created_at", f"{label} has no created_at"))
            return None
        requester = ticket.get("requester")
        if not isinstance(requester, dict):
            requester = users.get(str(ticket.get("requester_id")), {})
        email = as_text(requester.get("email"))
        tags = tags_from(ticket.get("tags"))
        for name in ("priority", "type", "status"):
            if ticket.get(name):
                tags.append(f"{name}:{str(ticket[name]).lower()}")
        return FeedbackRecord(
            line=line,
            text=text,
            source=pick_source(options, "ticket"),
            occurred_at=occurred_at,
            external_id=ticket_id,
            title=as_text(ticket.get("subject") or ticket.get("raw_subject")),
            link_url=_agent_link(ticket),
            contact_email=email.lower() if email and "@" in email else None,
            contact_name=as_text(requester.get("name")),
            team="support",
            tags=sorted(set(tags)),
        )


connector = ZendeskConnector()
