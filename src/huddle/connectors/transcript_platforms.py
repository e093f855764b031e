"""Call platforms' own API answers read as calls, in the shape `transcript_json` reads.

Each keeps a call its own way, and says who spoke only in its own terms:

- Salesloft's Conversations API, `GET /v2/transcriptions/{id}/sentences`: a page (`data`,
  `metadata.paging`) of sentences, each with its `order_number`, `start_time` in seconds,
  `text` and `recording_attendee_id`, an attendee's id. Their names are another endpoint's
  (`/conversations/{id}/extensive`, `attendees`), read where the file holds them too; else
  each attendee is a numbered voice ("Speaker 1"), named by what the call says.
- Salesforce's ConversationEntry records (a Service Cloud Voice call's transcript, or a
  messaging session's), as a SOQL query answers them (the REST answer, or the sf CLI's
  `--json` wrapper around it): `ActorType` says whose each entry is (an Agent or Supervisor
  the contact centre's, the EndUser the customer; a Bot's or the System's are nobody's words),
  `EntryType` what it is (only a `Text` entry is said), `EntryTime` when, `Seq` in what
  order; one call for each `ConversationId`. Or Enhanced Messaging's entries as the Connect
  API answers them (`conversationEntries`, each its `sender`'s `role`: `transcript_messaging`).
- A voice agent's call (Vapi's call object, `GET /call/{id}`, or its end-of-call report):
  `artifact.messages` (or `messages`), each a `role`'s `message` at `secondsFromStart`; the
  `bot` is the organisation's own assistant, the `user` the person called (`customer`), and a
  `system` prompt or a tool's call is nobody's words. The call is there several times over
  (the same messages in OpenAI's format, a flat `transcript`): read once. The variables the
  assistant was given for the call (`assistantOverrides.variableValues`) or its `metadata`
  may name the customer's company: the call's account.
- A call whose people come in two lists by side (Clari Copilot's `/call-details`: the team's
  `users` and the `externalParticipants`), each turn naming its speaker by a `personId`
  those lists give.

A page that names a next page is said not to be the whole (the caller warns).
"""

import re
from datetime import datetime
from typing import Any

from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import (
    as_object,
    as_text,
    first_given,
    given_by_letters,
    letters_key,
    listed,
)
from huddle.connectors.transcript_found import display_name
from huddle.connectors.transcript_messaging import connect_entries
from huddle.connectors.transcript_pages import next_page

# The calls of a file, in the call shape, and what names the page after this one.
Found = tuple[list[dict[str, Any]], str | None]
# Of a list, the share of records that must be of the kind for it to be read as that kind.
_MOSTLY = 0.6


def _seconds(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def _when(value: Any) -> datetime | None:
    """A clock time ("2026-11-24T14:03:07.412+0000"), or None for none a calendar holds."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_when(value)
    except (ValueError, OverflowError):
        return None


def _label(person: dict[str, Any]) -> str | None:
    """A participant as a speaker label: "Name <address>", the name, or the address."""
    name = display_name(person)
    email = as_text(given_by_letters(person, "email", "emailaddress", "useremail"))
    if name and email:
        return f"{name} <{email}>"
    return name or email


def _in_order(records: list[dict[str, Any]], order: list[float | None]) -> list[dict[str, Any]]:
    """The records by the place each says it has (Salesloft's `order_number`, a SOQL
    answer's `Seq`), when every one says it; else as the file lists them."""
    if any(place is None for place in order):
        return records
    ranked = sorted(range(len(records)), key=lambda i: order[i] or 0.0)
    return [records[i] for i in ranked]


def platform_calls(record: Any) -> Found | None:
    """The calls in `record` when it is one of the platforms' answers above; None for any
    other JSON."""
    for read in (
        _sentences_page,
        _conversation_entries,
        _connect_entries,
        _voice_agent_call,
        _sided_people,
    ):
        found = read(record)
        if found is not None:
            return found
    return None


# A sentence's speaker, an attendee of the recording (Salesloft's).
_ATTENDEE_KEYS = ("recordingattendeeid", "attendeeid")
# Or the attendee as a reference of its own, `{"id", "_href"}`.
_ATTENDEE_REFS = ("recordingattendee", "attendee")
# Where an attendee list (each with its `id`) may sit beside the sentences.
_ATTENDEE_LISTS = frozenset(["attendees", "recordingattendees"])


def _sentences_page(record: Any) -> Found | None:
    """A page of a recording's sentences, each said by an attendee named by id."""
    rows = record if isinstance(record, list) else as_object(record).get("data")
    if not isinstance(rows, list) or not rows:
        return None
    said = [
        r
        for r in rows
        if isinstance(r, dict)
        and any(letters_key(k) in _ATTENDEE_KEYS + _ATTENDEE_REFS for k in r)
        and isinstance(r.get("text"), str)
    ]
    if len(said) < 2 or len(said) < _MOSTLY * len(rows):
        return None
    said = _in_order(said, [_seconds(r.get("order_number")) for r in said])
    roster = _attendees(record)
    calls: dict[str, dict[str, Any]] = {}
    labels: dict[str, str] = {}
    for sentence in said:
        conversation = as_object(sentence.get("conversation"))
        key = as_text(conversation.get("id")) or ""
        call = calls.setdefault(key, {"call_id": key or None, "utterances": []})
        ident = _attendee(sentence)
        if ident is not None and ident not in labels:
            labels[ident] = (
                _label(roster.get(ident, {})) or _named(sentence) or f"Speaker {len(labels) + 1}"
            )
        call["utterances"].append(
            {
                # A sentence no attendee is given for is someone's, not the one before's.
                "speaker": labels[ident] if ident is not None else "Unknown",
                "start": _seconds(sentence.get("start_time")),
                "text": sentence["text"],
            }
        )
    after = next_page(record) or next_page(as_object(record).get("metadata"))
    return list(calls.values()), after


def _attendee(sentence: dict[str, Any]) -> str | None:
    """The id of the attendee who said a sentence; None when it names none."""
    ident = given_by_letters(sentence, *_ATTENDEE_KEYS)
    if ident is None:
        ident = given_by_letters(sentence, *_ATTENDEE_REFS)
    if isinstance(ident, dict):
        # A reference without its id, only the person: they are who they are named.
        return as_text(ident.get("id")) or _label(ident)
    return as_text(ident)


def _named(sentence: dict[str, Any]) -> str | None:
    """The attendee as the sentence itself names them, when no attendee list does: a
    reference that holds their name, or an `attendee` that is a name ("Jane Roe"), not an
    id."""
    ref = given_by_letters(sentence, *_ATTENDEE_REFS)
    if isinstance(ref, dict):
        return _label(ref)
    if isinstance(ref, str) and re.fullmatch(r"[^\W\d_][\w.'\u2019-]*(?: [\w.'\u2019-]+)+", ref):
        return ref.strip()
    return None


def _attendees(record: Any, depth: int = 0) -> dict[str, dict[str, Any]]:
    """The attendees, by id, of any attendee list in the file (a conversation's, saved
    beside its sentences)."""
    found: dict[str, dict[str, Any]] = {}
    if not isinstance(record, dict) or depth > 3:
        return found
    for key, value in record.items():
        if letters_key(key) in _ATTENDEE_LISTS:
            for person in listed(value):
                ident = (
                    as_text(given_by_letters(person, "id")) if isinstance(person, dict) else None
                )
                if ident:
                    found.setdefault(ident, person)
        elif isinstance(value, dict):
            for ident, person in _attendees(value, depth + 1).items():
                found.setdefault(ident, person)
    return found


# Whose a ConversationEntry is, by its ActorType: the contact centre's people, the customer,
# and the automated voices that are nobody's words.
_ACTORS = {"agent": "internal", "supervisor": "internal", "enduser": "external"}
_NOBODY = frozenset(["bot", "system", "chatbot"])
# The entries that are said (the others are events: a bot escalating, an opt-in).
_SAID_ENTRIES = frozenset(["text", "message"])


def _conversation_entries(record: Any) -> Found | None:
    """A SOQL answer of ConversationEntry records: each conversation's said entries."""
    answer = as_object(record)
    if isinstance(answer.get("result"), dict):
        answer = answer["result"]  # the sf CLI's wrapper
    rows = record if isinstance(record, list) else answer.get("records")
    if not isinstance(rows, list) or not rows:
        return None
    # Every entry has its actor, of Salesforce's types; an event (a routing, an agent joining)
    # has no message, and a messaging session may hold more events than words.
    entries = [
        r
        for r in rows
        if isinstance(r, dict)
        and letters_key(str(given_by_letters(r, "actortype") or "")) in (*_ACTORS, *_NOBODY)
        and (
            isinstance(given_by_letters(r, "message"), str)
            or given_by_letters(r, "entrytype") is not None
        )
    ]
    said = [r for r in entries if isinstance(given_by_letters(r, "message"), str)]
    if len(said) < 2 or len(entries) < _MOSTLY * len(rows):
        return None
    entries = _in_order(entries, [_seconds(given_by_letters(r, "seq")) for r in entries])
    conversations: dict[str, list[tuple[datetime | None, str, str | None, str]]] = {}
    for entry in entries:
        kind = as_text(given_by_letters(entry, "entrytype"))
        actor = letters_key(str(given_by_letters(entry, "actortype")))
        said_words = given_by_letters(entry, "message")
        if (kind and letters_key(kind) not in _SAID_ENTRIES) or actor in _NOBODY:
            continue
        if not isinstance(said_words, str):
            continue
        label = as_text(given_by_letters(entry, "actorname")) or str(
            given_by_letters(entry, "actortype")
        )
        when = _when(given_by_letters(entry, "entrytime", "clienttimestamp", "createddate"))
        key = as_text(given_by_letters(entry, "conversationid")) or ""
        conversations.setdefault(key, []).append((when, label, _ACTORS.get(actor), said_words))
    calls = [_entries_call(key, said) for key, said in conversations.items()]
    after = None if answer.get("done") is not False else as_text(answer.get("nextRecordsUrl"))
    return calls, after


def _connect_entries(record: Any) -> Found | None:
    """Enhanced Messaging's entries as the Connect API answers them (`transcript_messaging`)."""
    conversations = connect_entries(record)
    if conversations is None:
        return None
    return [_entries_call(key, said) for key, said in conversations.items()], None


def _entries_call(
    key: str, said: list[tuple[datetime | None, str, str | None, str]]
) -> dict[str, Any]:
    times = [when for when, _, _, _ in said if when is not None]
    began = min(times) if times else None
    roles: dict[str, str | None] = {}
    for _, label, role, _ in said:
        roles[label] = roles.get(label) or role
    return {
        "call_id": key or None,
        "started_at": began.isoformat() if began else None,
        "participants": [{"name": label, "role": role} for label, role in roles.items()],
        "utterances": [
            {
                "speaker": label,
                "start": (when - began).total_seconds() if when and began else None,
                "text": text,
            }
            for when, label, _, text in said
        ],
    }


# A voice agent's roles: its own assistant, the person it speaks with; the rest (the system
# prompt, tools' calls and results) are nobody's words.
_VOICES = {"bot": "internal", "assistant": "internal", "user": "external"}
# Where the variables an assistant was given for a call may name the customer's company.
_COMPANY_KEYS = (
    "company",
    "companyname",
    "account",
    "accountname",
    "organization",
    "organisation",
    "organizationname",
    "business",
    "businessname",
    "customercompany",
)


def _voice_messages(value: Any) -> list[dict[str, Any]] | None:
    """A voice agent's messages: objects of a `role` and its `message`, timed from the
    call's start (`secondsFromStart`), some of them its assistant's or the user's."""
    messages = [m for m in listed(value) if isinstance(m, dict)]
    if not messages or len(messages) < _MOSTLY * len(listed(value)):
        return None
    # Each has its role; a tool's call or result has no `message` of its own.
    if sum(isinstance(m.get("role"), str) for m in messages) < _MOSTLY * len(messages):
        return None
    said = [m for m in messages if isinstance(m.get("role"), str) and "message" in m]
    if not said:
        return None
    if not any(str(m["role"]).lower() in _VOICES for m in said):
        return None
    if not any("secondsFromStart" in m for m in said):
        return None
    return said


def _voice_agent_call(record: Any) -> Found | None:
    """A voice agent's call object, or its end-of-call report (the call beside its
    artifact)."""
    if not isinstance(record, dict):
        return None
    inner = as_object(record.get("call"))
    about = {**inner, **record}
    artifact = as_object(record.get("artifact")) or as_object(inner.get("artifact"))
    messages = _voice_messages(artifact.get("messages")) or _voice_messages(about.get("messages"))
    if messages is None:
        # Only the flat transcript kept ("AI: …\nUser: …"): its lines, untimed.
        messages = _voice_lines(artifact.get("transcript") or about.get("transcript"), about)
        if messages is None or not _voice_agents(about, artifact):
            return None
    customer = as_object(about.get("customer"))
    them = as_text(first_given(customer, "name", "number", "email")) or "Customer"
    assistant = as_object(about.get("assistant"))
    us = as_text(assistant.get("name")) or "Assistant"
    labels = {"internal": us, "external": them}
    utterances = []
    for message in messages:
        side = _VOICES.get(str(message["role"]).lower())
        text = as_text(message.get("message"))
        if side is None or text is None:
            continue
        utterances.append(
            {
                "speaker": labels[side],
                "start": _seconds(message.get("secondsFromStart")),
                "text": text,
            }
        )
    when = first_given(about, "startedAt", "started_at", "createdAt")
    call = {
        "title": as_text(about.get("name")),
        "call_id": as_text(about.get("id")),
        "started_at": when if _when(when) else None,
        "recording_url": as_text(
            first_given(about, "recordingUrl", "recording_url") or artifact.get("recordingUrl")
        ),
        "account": _company(about),
        "participants": [
            {"name": us, "role": "internal"},
            {"name": them, "role": "external"},
        ],
        "utterances": utterances,
    }
    return [call], None


# The flat transcript's names for the two sides, as the transcript plan's defaults give them
# ("AI", "User") and the other words for each.
_LINE_SIDES = {"ai": "bot", "assistant": "bot", "bot": "bot", "user": "user", "customer": "user"}
# What says a record is a voice agent's call (its assistant, the number it called from, why it
# ended), or its end-of-call report.
_CALL_MARKS = ("assistantId", "assistant", "phoneNumberId", "endedReason", "squadId")


def _voice_agents(about: dict[str, Any], artifact: dict[str, Any]) -> bool:
    """Whether a record with a flat transcript is a voice agent's call or its report."""
    return (
        bool(artifact)
        or any(key in about for key in _CALL_MARKS)
        or str(about.get("type")).lower() == "end-of-call-report"
    )


def _voice_lines(transcript: Any, about: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A flat transcript's lines ("AI: Hi." over "User: Hello.") as messages of a `role`: the
    assistant's, the user's (under the names the transcript plan gave them, else its
    defaults); a line under no such name goes on with the one before. None when it is no
    such transcript (fewer than two lines under the names, or neither side heard)."""
    if not isinstance(transcript, str):
        return None
    names = dict(_LINE_SIDES)
    for holder in (as_object(about.get("assistant")), as_object(about.get("assistantOverrides"))):
        plan = as_object(as_object(holder.get("artifactPlan")).get("transcriptPlan"))
        for key, role in (("assistantName", "bot"), ("userName", "user")):
            if isinstance(plan.get(key), str) and plan[key].strip():
                names[plan[key].strip().lower()] = role
    messages: list[dict[str, Any]] = []
    for line in transcript.splitlines():
        label, sep, words = line.partition(":")
        side = names.get(label.strip().lower()) if sep else None
        if side is not None:
            messages.append({"role": side, "message": words.strip()})
        elif messages and line.strip():
            messages[-1]["message"] = f"{messages[-1]['message']} {line.strip()}".strip()
    if len(messages) < 2 or {m["role"] for m in messages} != {"bot", "user"}:
        return None
    return [m for m in messages if m["message"]]


def _company(about: dict[str, Any]) -> str | None:
    """The customer's company, where the call's variables or metadata name one."""
    overrides = as_object(about.get("assistantOverrides"))
    places = [
        as_object(overrides.get("variableValues")),
        as_object(as_object(about.get("assistant")).get("variableValues")),
        as_object(about.get("metadata")),
        as_object(as_object(about.get("customer")).get("metadata")),
    ]
    for place in places:
        company = given_by_letters(place, *_COMPANY_KEYS)
        if isinstance(company, str) and company.strip():
            return company.strip()
    return None


# A call's people in two lists by side, and the key its turns name them by.
_OURS = frozenset(["users", "internalparticipants", "internalattendees"])
_THEIRS = frozenset(["externalparticipants", "externalattendees"])
_PERSON = ("personid",)
_TURNS = ("transcript", "utterances", "segments", "sentences")


def _by_person(value: Any) -> bool:
    """Whether `value` is a list of turns that name their speaker by a person id."""
    return any(
        isinstance(t, dict) and given_by_letters(t, *_PERSON) is not None for t in listed(value)
    )


def _sided_people(record: Any) -> Found | None:
    """A call whose turns name their speaker by a person id its two lists by side give."""
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("call"), dict) and not any(k in record for k in _TURNS):
        record = record["call"]  # the answer's call, beside its other members
    turns = next((listed(record[k]) for k in _TURNS if _by_person(record.get(k))), None)
    people: dict[str, tuple[str, str]] = {}
    for key, value in record.items():
        side = (
            "internal"
            if letters_key(key) in _OURS
            else "external"
            if letters_key(key) in _THEIRS
            else None
        )
        for person in listed(value) if side else []:
            ident = (
                as_text(given_by_letters(person, *_PERSON)) if isinstance(person, dict) else None
            )
            label = _label(person) if ident else None
            if ident and label and side:
                people.setdefault(ident, (label, side))
    if not turns or not people:
        return None
    utterances = []
    for turn in turns:
        if not isinstance(turn, dict) or as_text(turn.get("text")) is None:
            continue
        ident = as_text(given_by_letters(turn, *_PERSON))
        known = people.get(ident or "")
        utterances.append(
            {
                "speaker": known[0] if known else f"Speaker {ident}" if ident else "Unknown",
                "start": _seconds(first_given(turn, "start", "start_time", "startTime")),
                "text": turn["text"],
            }
        )
    when = first_given(record, "time", "start_time", "startTime", "started_at", "startedAt")
    call = {
        "title": as_text(first_given(record, "title", "name", "topic")),
        "call_id": as_text(first_given(record, "id", "call_id", "callId")),
        "started_at": when if _when(when) else None,
        "recording_url": as_text(
            first_given(record, "audio_url", "video_url", "recording_url", "call_review_page_url")
        ),
        "account": next(
            (
                value.strip()
                for key in ("account_name", "accountName", "account")
                if isinstance(value := record.get(key), str) and value.strip()
            ),
            None,
        ),
        "participants": [{"name": label, "role": side} for label, side in people.values()],
        "utterances": utterances,
    }
    return [call], None
