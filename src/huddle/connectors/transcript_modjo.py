"""Modjo's calls, as its Calls Export API answers them, in the call shape `transcript_json`
reads.

`POST /v1/calls/exports`, asked for the relations `recording`, `highlights`, `transcript`,
`speakers` (and perhaps `tags`), answers a page `{"pagination": {"totalValues", "lastPage"},
"values": [call, …]}`; a script may gather its pages in a list, or keep one call alone. A
call has its `callId`, `title`, `startDate`, and under `relations` its turns (`transcript`:
each its `speakerId`, `startTime` in seconds and `content`) and the people who spoke
(`speakers`: each its `speakerId`, `name`, `email` and `type`). A `user` is one of Modjo's
users, the organisation that records the call: the vendor; a `contact` is the CRM's contact,
the customer. The `highlights` are Modjo's AI summary, nobody's words. A call a page lists
before Modjo has transcribed it (its `transcript` empty) is left out, and said.
"""

from typing import Any

from huddle.connectors.record_values import as_object, as_text, finite_number, listed
from huddle.connectors.transcript_found import display_name
from huddle.connectors.transcript_pages import next_page

# Whose side a speaker is, by the kind of person Modjo knows them as.
_SIDES = {"user": "internal", "contact": "external"}


def _relations(value: Any) -> dict[str, Any]:
    return as_object(as_object(value).get("relations"))


def _is_call(value: Any) -> bool:
    """A Modjo call: its turns under `relations`, naming their speakers by id."""
    turns = [t for t in listed(_relations(value).get("transcript")) if isinstance(t, dict)]
    return bool(turns) and any("speakerId" in t for t in turns)


def _untranscribed(value: Any) -> bool:
    """A Modjo call a page lists without its turns (not transcribed yet)."""
    relations = as_object(value).get("relations")
    return (
        isinstance(relations, dict)
        and "callId" in value
        and not listed(relations.get("transcript"))
    )


def modjo_calls(record: Any) -> tuple[list[dict[str, Any]], list[str], str | None] | None:
    """(calls, what to warn of, the next page) of a Modjo export; None for any other JSON."""
    calls: list[dict[str, Any]] = []
    warnings: list[str] = []
    after = None
    for value in record if isinstance(record, list) else [record]:
        values = listed(as_object(value).get("values"))
        if _is_call(value):
            calls.append(value)
        elif values and all(_is_call(v) or _untranscribed(v) for v in values):
            calls.extend(v for v in values if _is_call(v))
            warnings.extend(
                f"call {v['callId']} has no transcript yet: left out"
                for v in values
                if not _is_call(v)
            )
            after = _next(value)
        else:
            return None
    if not calls and not warnings:
        return None
    return [_call(c) for c in calls], warnings, after


def _next(page: dict[str, Any]) -> str | None:
    """The page after this one, where the page says which it is of how many."""
    paging = as_object(page.get("pagination"))
    number = finite_number(paging.get("page") or paging.get("currentPage"))
    last = finite_number(paging.get("lastPage"))
    if number is not None and last is not None and number < last:
        return str(int(number) + 1)
    return next_page(page)


def _call(call: dict[str, Any]) -> dict[str, Any]:
    relations = _relations(call)
    people: dict[str, dict[str, Any]] = {}
    for person in listed(relations.get("speakers")):
        if isinstance(person, dict) and person.get("speakerId") is not None:
            name, email = display_name(person), as_text(person.get("email"))
            label = f"{name} <{email}>" if name and email else name or email
            people[str(person["speakerId"])] = {
                "name": label or f"Speaker {person['speakerId']}",
                "role": _SIDES.get(str(person.get("type")).lower()),
            }
    utterances = []
    for turn in listed(relations.get("transcript")):
        if not isinstance(turn, dict) or as_text(turn.get("content")) is None:
            continue
        ident = as_text(turn.get("speakerId"))
        known = people.get(ident or "")
        utterances.append(
            {
                "speaker": known["name"] if known else f"Speaker {ident}" if ident else "Unknown",
                "start": finite_number(turn.get("startTime")),
                "text": turn["content"],
            }
        )
    return {
        "call_id": as_text(call.get("callId") or call.get("id")),
        "title": as_text(call.get("title")),
        "started_at": as_text(call.get("startDate")),
        "recording_url": as_text(as_object(relations.get("recording")).get("url")),
        "participants": list(people.values()),
        "utterances": utterances,
    }
