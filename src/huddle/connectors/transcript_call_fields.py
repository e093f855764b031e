"""A call's own fields, where a call JSON keeps them: who was on it, when it began, and the
call's object inside an envelope (a webhook's `body`, an API page's `items[0]`, Otter's
`speech`) when its turns were found elsewhere in the file (`transcript_found`).

Moved unchanged from `transcript_json`, which reads the call.
"""

from typing import Any

from huddle.connectors.record_values import first_given, listed
from huddle.connectors.transcript_found import display_name

# Who was on the call: every one of these a call has is read (Fireflies gives the addresses
# in `participants`, the names in `speakers` and both in `meeting_attendees`).
PEOPLE_KEYS = (
    "participants",
    "parties",
    "speakers",
    "attendees",
    "meeting_attendees",
    "meetingAttendees",
)
_TITLE_KEYS = ("title", "topic", "subject", "meeting_title", "name")
START_KEYS = (
    "started_at",
    "startedAt",
    "start_time",
    "startTime",
    "started",
    "date",
    "scheduled",
    # Intercom's call.
    "initiated_at",
    "initiatedAt",
    # Zoom's recording transcript.
    "recording_start",
    "recordingStart",
)
# The keys an envelope keeps the call under: a webhook's body, an API page's items, Otter's
# speech.
_ENVELOPE_KEYS = frozenset(
    [
        "body",
        "data",
        "items",
        "item",
        "speech",
        "payload",
        "object",
        "meeting",
        "call",
        "result",
        "results",
        "record",
        "recording",
        "conversation",
        "event",
    ]
)


def _call_object(record: Any, depth: int = 0) -> Any:
    """The object in a file that is the call, where it sits inside an envelope (a webhook's
    `body`, an API page's `items[0]`, Otter's `speech`): the first, top down through such
    keys only, with a title that reads as one or the time it began; None when none has."""
    if not isinstance(record, dict) or depth > 3:
        return None
    if any(isinstance(record.get(k), str) and " " in record[k].strip() for k in _TITLE_KEYS):
        return record
    if depth and first_given(record, *START_KEYS) is not None:
        return record  # untitled, but when it began: the call's own object
    for key, value in record.items():
        if key.casefold().replace("_", "") not in _ENVELOPE_KEYS:
            continue  # a person ("owner", "host"), a summary or a chapter is not the call
        inner = value[0] if isinstance(value, list) and len(value) == 1 else value
        found = _call_object(inner, depth + 1)
        if found is not None:
            return found
    return None


def about_the_call(record: Any) -> dict[str, Any]:
    """The call's own fields of a file whose turns were found elsewhere in it: its start,
    ids and links; a name only when it reads as a title (not a resource path or a number).
    Under an envelope, the call's object's fields first (`_call_object`)."""
    if not isinstance(record, dict):
        return {}
    inner = _call_object(record)
    if inner is not None and inner is not record:
        return {**_fields(record), **_fields(inner)}
    return _fields(record)


def _fields(record: dict[str, Any]) -> dict[str, Any]:
    about: dict[str, Any] = {k: v for k, v in record.items() if isinstance(v, str | int | float)}
    # Who was on the call, where the file lists them by name or address (their roles and
    # addresses tell the sides); a list of ids alone (Contact Lens') names no one.
    for key in PEOPLE_KEYS:
        people = [
            {**p, "name": display_name(p)}
            for p in listed(record.get(key))
            if isinstance(p, dict) and (display_name(p) or first_given(p, "email", "emailAddress"))
        ]
        if people:
            about[key] = people
    for key in ("name", "title", "topic", "subject"):
        if key in about and " " not in str(about[key]).strip():
            del about[key]
    return about
