"""What a Zendesk tickets page carries beside its tickets' descriptions, as an admin's export
script saves it: the satisfaction rating embedded in a ticket, the suspended-tickets queue
saved under `suspended_tickets`, and the line Zendesk puts on top of a follow-up ticket.

- A ticket's embedded `satisfaction_rating` with a comment is the customer's verdict on how
  it went: an item of its own (as a page of satisfaction ratings gives it), on the ticket's
  requester and organisation. A score alone ("good", an "offered" survey) says nothing.
- A suspended ticket (`GET /api/v2/suspended_tickets`: `author`, `subject`, `content`,
  `cause`) is mail Zendesk held back. The cause says what it is: "Detected as spam" or a
  blocked sender is spam, an automated response or a mail loop is an auto-reply or a
  machine's, mail from the help desk's own addresses is the team's; any other (an unverified
  sender, a sign-up the help desk requires) is a customer's mail waiting to be let in, read as
  a ticket. One that was recovered (`ticket_id` set) is that ticket, read with the tickets.
- A follow-up to a closed ticket (`via.source.rel: follow_up`) opens with Zendesk's own line
  naming the closed request ("This is a follow-up to your previous request #5090 …", in the
  requester's language): no one's words, cut.
- A ticket signed on one line ("Priscilla Yang | Director, IT Operations | Hooli Cloud") names
  the company its sender writes for there, as a signature of several lines does.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.json_reading import JSON_CHUNK, LineCountingReader
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.rows import RowShapeError

# A suspended ticket's cause, and what it makes of the mail (None: a customer's words).
_CAUSES = (
    (re.compile(r"spam|block ?list|blocklisted|blacklist|denylist", re.I), "spam"),
    (re.compile(r"automated response|auto.?repl|out of office", re.I), "auto-reply"),
    (re.compile(r"mail loop|from a bot|system (user|address)|machine", re.I), "bot"),
    (re.compile(r"support address|sent by an agent|outgoing email", re.I), "internal"),
)
# Zendesk's English line on top of a follow-up, when the closed request's number is not given.
_FOLLOW_UP = re.compile(r"^\W*this is a follow-up to your previous request\b[^\n]*\n*", re.I)
_FOLLOW_UP_NUMBERED = re.compile(r"\W*this is a follow-up to your previous request #\d+", re.I)


def rating_ticket(ticket: dict[str, Any]) -> dict[str, Any] | None:
    """A ticket's embedded satisfaction rating with a comment, as a page of ratings gives one
    (`ticket_id`, `requester_id`, `organization_id`, its time, the ticket's API url), with the
    ticket's requester and organisation when it carries them; None without a comment."""
    rating = ticket.get("satisfaction_rating")
    if not isinstance(rating, dict) or not as_text(rating.get("comment")):
        return None
    return {
        **rating,
        "id": rating.get("id") or ticket.get("id"),
        "ticket_id": ticket.get("id"),
        "requester_id": ticket.get("requester_id"),
        "organization_id": ticket.get("organization_id"),
        "requester": ticket.get("requester"),
        "organization": ticket.get("organization"),
        "created_at": rating.get("created_at") or ticket.get("updated_at"),
        "url": rating.get("url") or ticket.get("url"),
    }


def suspended(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, suspended ticket) of the page's `suspended_tickets`, as the ticket this reader
    knows, tagged `suspended`; one already recovered into a ticket is skipped."""
    with path.open("rb") as raw:
        reader = LineCountingReader(raw, encoding)
        try:
            for held in ijson.items(
                reader, "suspended_tickets.item", buf_size=JSON_CHUNK, use_float=True
            ):
                if isinstance(held, dict) and held.get("ticket_id") is None:
                    yield reader.line, _as_ticket(held)
        except (ijson.JSONError, UnicodeDecodeError) as error:
            reason = f"a suspended ticket is not valid JSON ({error})"
            raise RowShapeError(reader.line, reason) from None


def _as_ticket(held: dict[str, Any]) -> dict[str, Any]:
    author = dict_at(held, "author")
    cause = as_text(held.get("cause")) or ""
    verdict = next((reason for pattern, reason in _CAUSES if pattern.search(cause)), None)
    return {
        "id": f"suspended-{held.get('id')}",
        "subject": held.get("subject"),
        "description": held.get("content"),
        "created_at": held.get("created_at"),
        "requester": {"name": author.get("name"), "email": author.get("email")},
        "via": held.get("via"),
        "tags": ["suspended"],
        "url": held.get("url"),
        "_verdict": verdict,
    }


def without_follow_up_line(text: str, ticket: dict[str, Any]) -> str:
    """A follow-up ticket's words without Zendesk's line naming the closed request: the first
    line naming `#<its number>` (any language), else the English line. Without the ticket's
    follow-up marks (an export that drops `via.source`, round 16), the English line naming a
    request's number is cut all the same: no customer writes it."""
    source = dict_at(dict_at(ticket, "via"), "source")
    marked = source.get("rel") == "follow_up" or ticket.get("followup_source_id") is not None
    if not marked and not _FOLLOW_UP_NUMBERED.match(text):
        return text
    closed = as_text(dict_at(source, "from").get("ticket_id") or ticket.get("followup_source_id"))
    first, newline, rest = text.lstrip().partition("\n")
    if closed and re.search(rf"#{re.escape(closed)}\b", first) and len(first) < 300:
        return rest.strip() if newline else text
    return _FOLLOW_UP.sub("", text.lstrip(), count=1).strip() or text
