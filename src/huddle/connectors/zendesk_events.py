"""Zendesk's incremental ticket event export, read as the ticket audits the `zendesk`
connector rebuilds tickets from.

`GET /api/v2/incremental/ticket_events.json?include=comment_events` answers
`{"ticket_events": [...], "next_page", "count", "end_of_stream", "end_time"}`: each event an
update of one ticket (`ticket_id`, `updater_id`, `via` as Zendesk names the channel: "Mail",
"Web form", "Web service", "Rule"…, `created_at` or only `timestamp` in Unix seconds) with
its `child_events`: a Create event for each field a new ticket was given and a Change event
for each field changed (the field's own key: `{"status": "open", "previous_value": "new"}`),
a Comment event (`body`, `html_body`, `public`, `author_id`; without `include=comment_events`
only `comment_present`: refused, saying so), and notifications a trigger sent (its placeholders, nobody's words).
No ticket, user or organisation comes with them: each ticket is rebuilt from its events, its
requester known only by id.

Who is one of the team is read from the stream itself: whoever creates a ticket for someone
else (the Create's updater is not its requester: an agent who took a call) or writes a
private note, which only agents can.
"""

from datetime import UTC, datetime
from typing import Any

from huddle.connectors.record_values import as_text, listed

# What a child event carries beside the field it sets.
_NOT_FIELDS = {
    "id",
    "via",
    "via_reference_id",
    "event_type",
    "type",
    "previous_value",
    "added_tags",
    "removed_tags",
}
# The channel a ticket event's `via` names, as the Ticket API's `via.channel` writes it.
_CHANNELS = {"mail": "email", "web form": "web", "web service": "api", "rule": "rule"}


def is_ticket_event(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and record.get("ticket_id") is not None
        and isinstance(record.get("child_events"), list)
    )


def missing_comments(event: dict[str, Any]) -> str | None:
    """Why an event cannot be read (its comment saved without its words: the export was
    made without `include=comment_events`), or None."""
    for child in listed(event.get("child_events")):
        if (
            isinstance(child, dict)
            and child.get("comment_present") is True
            and not any(child.get(k) for k in ("body", "html_body", "plain_body"))
        ):
            return (
                f"ticket {event.get('ticket_id')}'s comment has no text: export the ticket "
                "events with their comments (GET /api/v2/incremental/ticket_events.json"
                "?include=comment_events)"
            )
    return None


def _channel(via: Any) -> dict[str, Any]:
    if isinstance(via, dict):
        return via
    name = str(via or "").strip().lower()
    return {"channel": _CHANNELS.get(name, name.replace(" ", "_"))} if name else {}


def _created(event: dict[str, Any]) -> Any:
    if event.get("created_at"):
        return event["created_at"]
    stamp = event.get("timestamp")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        return datetime.fromtimestamp(stamp, UTC).isoformat().replace("+00:00", "Z")
    return None


def as_audit(event: dict[str, Any]) -> dict[str, Any]:
    """A ticket event as the Ticket Audits API gives an audit: `author_id`, `via.channel`
    and `events` of type Create or Change (`field_name`, `value`) and Comment."""
    updater = event.get("updater_id")
    events: list[dict[str, Any]] = []
    for child in listed(event.get("child_events")):
        if not isinstance(child, dict):
            continue
        kind = str(child.get("event_type") or child.get("type") or "")
        if kind in {"Create", "Change"}:
            events.extend(
                {"type": kind, "field_name": key, "value": value}
                for key, value in child.items()
                if key not in _NOT_FIELDS
            )
        elif kind.endswith("Comment"):
            public = child.get("public", child.get("comment_public"))
            events.append(
                {
                    "type": kind,
                    "body": child.get("body") or child.get("plain_body"),
                    "html_body": child.get("html_body"),
                    "public": public is not False,
                    "author_id": child.get("author_id") or updater,
                }
            )
        else:
            events.append({"type": kind})  # a notification, a CC: nobody's words
    return {
        "id": event.get("id"),
        "ticket_id": event.get("ticket_id"),
        "created_at": _created(event),
        "author_id": updater,
        "via": _channel(event.get("via")),
        "events": events,
    }


def agents_of(audits: list[dict[str, Any]]) -> set[str]:
    """Who the audits show is one of the team: the author of a private note, and whoever
    created a ticket whose requester is someone else (Zendesk's system, `-1`, excepted)."""
    found: set[str] = set()
    for audit in audits:
        events = [e for e in listed(audit.get("events")) if isinstance(e, dict)]
        author = as_text(audit.get("author_id"))
        requester = next(
            (
                as_text(e.get("value"))
                for e in events
                if e.get("type") == "Create" and e.get("field_name") == "requester_id"
            ),
            None,
        )
        if author and requester and author != requester and not author.startswith("-"):
            found.add(author)
        found |= {
            str(e["author_id"])
            for e in events
            if e["type"].endswith("Comment") and e.get("public") is False and e.get("author_id")
        }
    return found
