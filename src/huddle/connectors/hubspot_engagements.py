"""HubSpot's legacy Engagements API v1, read as the notes export's rows like the CRM v3 pages.

`GET /engagements/v1/engagements/paged` (and `/recent/modified`) answers `{"results": [...],
"hasMore", "offset"}`; each result is `{"engagement": {"id", "type", "timestamp", "createdAt",
"bodyPreview", …}, "associations": {"companyIds": [...], "contactIds", …}, "metadata": {…}}`,
the metadata by type: a NOTE's `body`; a CALL's `title` and `body`; a MEETING's `title`, `body`
then `internalMeetingNotes` (in v1 the body is what the rep logged, the internal notes a
private aside); a TASK's `subject` and `body`; an EMAIL's, INCOMING_EMAIL's or
FORWARDED_EMAIL's `subject`, `text` then `html`, and its sender in `from` {`email`,
`firstName`, `lastName`}. Times are epoch milliseconds. The body HTML, noise and account are
then read as a CSV's are.
"""

import re
from typing import Any

from huddle.connectors.record_values import as_text, dict_at, listed

_ENGAGEMENT = re.compile(rb'"engagement"\s*:\s*\{')
_V1_KEYS = re.compile(rb'"(?:companyIds|contactIds|bodyPreview|portalId)"\s*:')

# Each type's metadata keys holding its words, in the order they are read, and its title's.
_TEXTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "NOTE": (("body",), ()),
    "CALL": (("body",), ("title",)),
    "MEETING": (("body", "internalMeetingNotes"), ("title",)),
    "TASK": (("body",), ("subject",)),
    "EMAIL": (("text", "html"), ("subject",)),
}
_EMAILS = ("EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL")


def is_v1_page(head: bytes) -> bool:
    """Whether the start of a JSON file holds v1 engagements: an `engagement` object beside
    v1's own keys (`companyIds`, `bodyPreview`, `portalId`)."""
    return bool(_ENGAGEMENT.search(head) and _V1_KEYS.search(head))


def is_v1_result(result: Any) -> bool:
    return isinstance(result, dict) and isinstance(result.get("engagement"), dict)


def v1_cells(result: dict[str, Any]) -> dict[str, Any]:
    """The notes export's row for one v1 engagement."""
    engagement = dict_at(result, "engagement")
    metadata = dict_at(result, "metadata")
    kind = (as_text(engagement.get("type")) or "NOTE").upper()
    family = "EMAIL" if kind in _EMAILS else kind
    texts, titles = _TEXTS.get(family, (("body",), ("title", "subject")))
    body = next((metadata[n] for n in texts if as_text(metadata.get(n))), None)
    companies = (as_text(i) for i in listed(dict_at(result, "associations").get("companyIds")))
    cells: dict[str, Any] = {
        "Activity ID": as_text(engagement.get("id")),
        "Activity type": family,
        # The preview is cut at 200 characters: only when the metadata holds no body.
        "Body": body or as_text(engagement.get("bodyPreview")),
        "Subject": next((metadata[n] for n in titles if as_text(metadata.get(n))), None),
        "Activity date": as_text(engagement.get("timestamp"))
        or as_text(engagement.get("createdAt")),
        "Associated Company IDs": ";".join(dict.fromkeys(c for c in companies if c)),
    }
    if kind in _EMAILS:
        sender = dict_at(metadata, "from")
        name = " ".join(
            part for part in (as_text(sender.get(k)) for k in ("firstName", "lastName")) if part
        )
        cells.update(
            {
                "Email direction": kind.replace("_", " "),
                "Email from address": as_text(sender.get("email")),
                "Person name": name or None,
            }
        )
    return cells
