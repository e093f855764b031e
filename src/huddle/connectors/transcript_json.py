"""Call-recorder JSON: one call, a list of calls, or a bare list of utterances.

The documented shape, and the variants accepted (Gong-, Zoom- and Otter-like field names),
are in docs/connectors.md. An API response's envelope around the call is read through
(Fireflies' GraphQL `{"data": {"transcript": {…}}}`, or `{"data": {"transcripts": [...]}}`);
a page of an API's answer listing calls is each of them, and one naming a next page is
imported with a warning that it is not the whole (`transcript_pages`). Call platforms' own
answers (Salesloft's sentences, Salesforce's ConversationEntry records, a voice agent's call,
Clari's call details) are read by `transcript_platforms`; CallRail's calls, Retell AI's, NICE's
Interaction Analytics transcripts, Telnyx's transcription webhooks and Modjo's exports by
`transcript_phone_platforms`. A file of JSON lines (a webhook log) is the list of its lines.
"""

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import (
    first_record,
    iter_json_records,
    json_lines,
    looks_like_json_lines,
)
from huddle.connectors.record_values import as_text, first_given, listed
from huddle.connectors.transcript_call_fields import PEOPLE_KEYS, START_KEYS, about_the_call
from huddle.connectors.transcript_engines import speech_to_text
from huddle.connectors.transcript_formats import TIME, Call, seconds
from huddle.connectors.transcript_found import found_turns
from huddle.connectors.transcript_pages import calls_on_page, next_page
from huddle.connectors.transcript_phone_platforms import PlatformCalls, phone_platform_calls
from huddle.connectors.transcript_platforms import platform_calls
from huddle.connectors.transcript_streams import STREAM_WARNINGS
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

# One call's JSON is read whole; beyond this it is not one call (use the calls-list shape).
MAX_SINGLE_CALL_BYTES = 50 * 1024 * 1024
# Where a call keeps what was said (the first of them it has).
UTTERANCE_KEYS = (
    "utterances",
    "transcript",
    "segments",
    "monologues",
    "transcripts",
    "entries",
    "sentences",
)
# Members of a GraphQL response beside its data.
_ENVELOPE_EXTRAS = frozenset(["errors", "extensions"])
_SPEAKER_KEYS = ("speaker", "speakerId", "speaker_id", "speaker_name", "speakerName")
# A call's own id.
_CALL_ID_KEYS = ("call_id", "callId", "id", "meeting_id", "uuid")
_ACCOUNT_KEYS = ("account", "account_id", "company", "customer")
# Who a turn's speaker is, where each turn says it (Intercom's `speaker_type`).
_ROLE_KEYS = ("role", "speaker_role", "speakerRole", "speaker_type", "speakerType")
# The words a tool writes for a side that the rules of sides do not read as one: a help
# desk's "admin" is one of its teammates, a "lead" a prospect.
_SIDE_WORDS = {"admin": "internal", "teammate": "internal", "lead": "external"}


def side_word(role: str) -> str:
    """A tool's word for a speaker's role, as the rules of sides read roles."""
    return _SIDE_WORDS.get(role.strip().lower(), role)


def call_from_json(record: Any, line: int, errors: list[RowError]) -> Call | None:
    """One call in the documented JSON shape or a close variant (see docs/connectors.md)."""
    call = Call(line=line)
    if isinstance(record, list):
        record = {"utterances": record}
    if not isinstance(record, dict):
        errors.append(RowError(line, None, "a call must be a JSON object or a list of utterances"))
        return None
    meeting = record.get("meeting")
    call.title = as_text(first_given(record, "title", "name", "topic", "subject")) or (
        # The meeting's own title, where the transcript is its own record (Meetso's).
        as_text(first_given(meeting, "title", "topic")) if isinstance(meeting, dict) else None
    )
    call.call_id = as_text(first_given(record, *_CALL_ID_KEYS))
    call.recording_url = as_text(
        first_given(
            record,
            "recording_url",
            "recordingUrl",
            "url",
            "media_url",
            "share_url",
            "link",
            "transcript_url",
            "video_url",
        )
    )
    domain = as_text(record.get("domain"))
    # Beside a host's id, an `account_id` is the meeting tool's account the host's recording
    # belongs to (Zoom's), the vendor's own: no customer's.
    hosted_in = first_given(record, "host_id", "hostId") is not None
    account_keys = ("account", "company", "customer") if hosted_in else _ACCOUNT_KEYS
    call.account = as_text(first_given(record, *account_keys)) or (
        # A domain names a company when it is one ("acme.example"), not a word (RingSense's
        # "pbx", the kind of call).
        domain if domain and "." in domain else None
    )
    when = _began(record)
    if when is not None:
        try:
            call.started_at = _when(when)
        except ValueError as error:
            errors.append(RowError(line, "started_at", str(error)))
    ids: dict[str, str] = {}
    people = [p for key in PEOPLE_KEYS for p in listed(record.get(key))]
    for person in people:
        if isinstance(person, str):
            call.speaker(person)
            continue
        if not isinstance(person, dict):
            continue
        email = as_text(first_given(person, "email", "emailAddress", "email_address"))
        name = (
            as_text(
                first_given(person, "name", "speaker", "display_name", "displayName", "speakerName")
            )
            or email
            or "Unknown"
        )
        speaker = call.speakers[call.speaker(f"{name} <{email}>" if email else name)]
        role = first_given(person, "role", "affiliation", "side", "type")
        if person.get("is_host") or person.get("isHost") or person.get("internal") is True:
            role = "host"
        if person.get("internal") is False:
            role = role or "external"
        speaker.role = side_word(as_text(role) or "") or speaker.role
        for key in ("speakerId", "speaker_id", "id"):
            if person.get(key) is not None:
                ids[str(person[key])] = speaker.name
    millis = str(record.get("time_unit", "")).lower() in {"ms", "milliseconds"}
    entries = first_given(record, *UTTERANCE_KEYS)
    if not isinstance(entries, list):
        errors.append(
            RowError(
                line,
                "utterances",
                "the call has no list of utterances (utterances, transcript or segments)",
            )
        )
        return None
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            errors.append(RowError(line, "utterances", f"utterance {index + 1} is not an object"))
            continue
        # A person's name beats the label a tool gave their voice (Intercom's "Teammate 1"
        # beside "Priya Raman").
        label = _person(entry.get("speaker")) or as_text(
            first_given(entry, "speaker_name", "speakerName", "speaker", "name", "speaker_label")
        )
        speaker_id = first_given(entry, "speakerId", "speaker_id")
        if speaker_id is None and type(entry.get("speaker")) is int:
            # Rev's monologues number their speaker; its name, when a person named it, beside.
            speaker_id = entry["speaker"]
            label = as_text(first_given(entry, "speaker_name", "speakerName"))
        if speaker_id is not None:
            # A number names a voice ("Speaker 2"); a diariser's own label ("speaker_1",
            # Voxtral's) is one already.
            voice = f"Speaker {speaker_id}" if str(speaker_id).isdigit() else str(speaker_id)
            label = ids.get(str(speaker_id), label or voice)
        role = as_text(first_given(entry, *_ROLE_KEYS))
        if label and role:
            said_by = call.speakers[call.speaker(label)]
            said_by.role = said_by.role or side_word(role)
        sentences = entry.get("sentences")
        parts: list[Any] = sentences if isinstance(sentences, list) else [entry]
        for part in parts:
            if not isinstance(part, dict):
                continue
            text = first_given(part, "text", "content", "transcript", "body")
            if text is None and isinstance(part.get("elements"), list):
                text, start = _elements(part["elements"])
                call.say(line, label or "", start, text)
                continue
            if isinstance(text, list):
                text = " ".join(
                    str(w.get("text", w)) if isinstance(w, dict) else str(w) for w in text
                )
            start = _offset(part, millis or "sentences" in entry)
            if text is None:
                errors.append(RowError(line, "text", f"utterance {index + 1} has no text"))
                continue
            call.say(line, label or "", start, str(text))
    _hosts_and_guests(call)
    return call


# A unified API's two kinds of speaker (Truto's `speaker_type`, as it maps Gong's
# affiliations): a `user` of the connected account, whose recorder it is, or a `guest`.
_HOSTS_AND_GUESTS = frozenset(["user", "guest"])


def _hosts_and_guests(call: Call) -> None:
    """Beside guests, a call's users are the recording organisation's own people: the
    vendor. A help desk's "user" beside its "admin" (Intercom's) is the contact, and stays
    as it is."""
    roles = {(s.role or "").strip().lower() for s in call.speakers.values()} - {""}
    if roles == _HOSTS_AND_GUESTS:
        for speaker in call.speakers.values():
            if (speaker.role or "").strip().lower() == "user":
                speaker.role = "internal"


def _person(speaker: Any) -> str | None:
    """A turn's speaker given as a person (Meetso's `{"name", "email"}`) as a label,
    "Dana Lee <dana@ourco.com>"; None for a speaker given any other way."""
    if not isinstance(speaker, dict):
        return None
    name = as_text(first_given(speaker, "name", "display_name", "displayName"))
    email = as_text(first_given(speaker, "email", "emailAddress", "email_address"))
    if name and email:
        return f"{name} <{email}>"
    return name or email


_SAID = frozenset(["text", "punct"])


def _elements(elements: list[Any]) -> tuple[str, float | None]:
    """A Rev monologue's words and when it began: its `text` elements with the `punct` ones
    (spaces and marks) between them, as written."""
    # An element of another type ("unknown": "<inaudible>", "<laugh>") is nobody's words.
    said = [e for e in elements if isinstance(e, dict) and e.get("type", "text") in _SAID]
    text = "".join(str(e.get("value") or "") for e in said)
    starts = [
        e["ts"] for e in said if isinstance(e.get("ts"), int | float) and type(e["ts"]) is not bool
    ]
    return text, (float(starts[0]) if starts else None)


def _began(record: dict[str, Any]) -> Any:
    """When the call began: its own start, unless that is a number of seconds into the
    recording (Truto's `start_time`, 0) rather than a time; then the start its source gave
    (Truto's `remote_data`, the meeting tool's own record)."""
    when = first_given(record, *START_KEYS)
    if isinstance(when, int | float) and not isinstance(when, bool) and abs(when) < _EPOCH:
        remote = record.get("remote_data")
        when = first_given(remote, *START_KEYS) if isinstance(remote, dict) else None
    return when


# Below this a number is seconds into a recording, not a Unix time (1973 onwards).
_EPOCH = 1e8


def _when(value: Any) -> datetime:
    """A call's start: ISO text, Unix seconds, or Unix milliseconds (Fireflies' `date`);
    raises ValueError for a time no calendar holds."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool) and abs(value) >= 1e11:
            return parse_when(value / 1000)
        return parse_when(value)
    except (OverflowError, OSError):
        raise ValueError(f"{value} is no time a calendar holds") from None


def _is_call(record: Any) -> bool:
    """A call, not one of its turns: a list of what was said, and no speaker of its own (a
    Gong monologue has `sentences` too, and its `speakerId`)."""
    return (
        isinstance(record, dict)
        and not any(key in record for key in _SPEAKER_KEYS)
        and any(isinstance(record.get(key), list) for key in UTTERANCE_KEYS)
    )


def _unwrapped(record: Any) -> Any:
    """The call, or the list of calls, inside an API response's envelope: an object of one
    member (beside GraphQL's `errors`) is opened, `{"data": {"transcript": {…}}}` to the call,
    `{"data": {"transcripts": [{…}, …]}}` to its calls; a response holding no call but
    errors is refused with what they say."""
    inner = record
    while isinstance(inner, dict):
        members = [v for k, v in inner.items() if k not in _ENVELOPE_EXTRAS]
        if len(members) != 1:
            break
        (member,) = members
        if isinstance(member, list) and member and all(_is_call(m) for m in member):
            return member
        if not isinstance(member, dict):
            break
        inner = member
    said = record.get("errors") if isinstance(record, dict) else None
    if said and not _is_call(inner):
        messages = [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in said]
        raise RowShapeError(1, "the file is an API error, not a call: " + "; ".join(messages))
    return inner


# What a turn's words are under, in the documented shape and its variants.
_SAID_KEYS = ("text", "content", "transcript", "body", "sentences", "elements")


def _said_as_documented(record: Any) -> bool:
    """Whether the call's turns are where and as the documented shape keeps them (most of
    its utterances with their words under a known name); else `found_turns` looks for them."""
    entries = record if isinstance(record, list) else None
    if isinstance(record, dict):
        entries = first_given(record, *UTTERANCE_KEYS)
    turns = [e for e in entries if isinstance(e, dict)] if isinstance(entries, list) else []
    said = [e for e in turns if first_given(e, *_SAID_KEYS) is not None]
    # Twilio's sentences say who by their channel only: none of them names a speaker.
    named = [e for e in turns if first_given(e, *_SPEAKER_KEYS, "name") is not None]
    return bool(said and named) and len(said) * 5 >= len(turns) * 3


def _offset(part: dict[str, Any], millis: bool) -> float | None:
    for key, factor in (("start_ms", 0.001), ("startMs", 0.001), ("start_time_ms", 0.001)):
        if isinstance(part.get(key), int | float):
            return float(part[key]) * factor
    value = first_given(
        part, "start", "start_time", "startTime", "start_offset", "offset", "timestamp", "time"
    )
    if isinstance(value, int | float):
        return float(value) / 1000 if millis else float(value)
    if isinstance(value, str) and re.fullmatch(TIME, value.strip()):
        return seconds(value.strip())
    if isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip()):
        return float(value)
    return None


def read_json(
    path: Path,
    options: ConnectorOptions,
    errors: list[RowError],
    warnings: list[RowError] | None = None,
) -> list[Call]:
    """The calls of a JSON file; what cannot be read goes to `errors`, and to `warnings`
    that the file is one page of an API's answer whose rest is elsewhere."""
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip()
    many = bool(re.search(rb'"(calls|callTranscripts|recordings|meetings)"\s*:\s*\[', head))
    if head.startswith(b"[") and not re.match(
        rb'\[\s*\{[^{}]*"(speaker|speakerId|speaker_name|text)"', head
    ):
        # A list too big to be one call is streamed as calls; a smaller one is read whole,
        # and is one call's turns unless every member is a call (a meeting bot's list of
        # segments, each a participant and their words, is one call).
        many = many or path.stat().st_size > MAX_SINGLE_CALL_BYTES
    keys = ("calls", "callTranscripts", "recordings", "meetings")
    if many and path.stat().st_size <= MAX_SINGLE_CALL_BYTES:
        # A phone platform's page of calls (CallRail's) is read whole, with its paging.
        many = phone_platform_calls(first_record(path, keys, options.encoding)) is None
    if many:
        calls = []
        for line, record in iter_json_records(
            path, list_keys=keys, encoding=options.encoding, what="a call"
        ):
            call = call_from_json(record, line, errors)
            if call is not None:
                calls.append(call)
        return calls
    if path.stat().st_size > MAX_SINGLE_CALL_BYTES:
        raise RowShapeError(
            1, 'one call over 50 MB: export calls as {"calls": [...]} to stream them'
        )
    try:
        with path.open("r", encoding=options.encoding) as handle:
            record = json.load(handle)
    except json.JSONDecodeError as error:
        if not looks_like_json_lines(head, ()):
            raise RowShapeError(error.lineno, f"not valid JSON ({error.msg}; truncated?)") from None
        # JSON lines (a webhook log's deliveries, calls saved a line each): their list.
        with path.open("r", encoding=options.encoding) as handle:
            record = [value for _, value in json_lines(handle, "the line")]
    record = _unwrapped(record)
    # A call platform's own answer (Salesloft's sentences, Salesforce's conversation entries,
    # a voice agent's call, Clari's call details): its calls in the call shape.
    platform = platform_calls(record)
    if platform is not None:
        found, after = platform
        _one_page(after, warnings)
        return [call for r in found if (call := call_from_json(r, 1, errors)) is not None]
    phoned = phone_platform_calls(record)
    if phoned is not None:
        return _platform_read(phoned, errors, warnings)
    record = speech_to_text(record) or record
    if isinstance(record, dict) and STREAM_WARNINGS in record:
        # A live transcription's log that ends before a result's final (`transcript_streams`).
        record = dict(record)
        for said in record.pop(STREAM_WARNINGS):
            if warnings is not None:
                warnings.append(RowError(1, "transcript", said))
    _one_page(next_page(record), warnings)
    # A list of calls (one of them perhaps without its turns, which is said), a page of an
    # API's answer listing calls (Intercom's; one listed without its transcript is left out,
    # which is said), or one call.
    records = record if isinstance(record, list) and any(_is_call(r) for r in record) else None
    if records is None and (page := calls_on_page(record, _holds_a_call, _untranscribed)):
        records = [r for r in page if not _untranscribed(r)]
        if not records:
            errors.append(RowError(1, "transcript", "no call on this page has its transcript"))
            return []
        for r in page:
            if _untranscribed(r) and warnings is not None:
                warnings.append(RowError(1, "transcript", _left_untranscribed(r)))
    records = records or [record]
    return [call for r in records if (call := _one_call(r, errors)) is not None]


def _platform_read(
    read: PlatformCalls, errors: list[RowError], warnings: list[RowError] | None
) -> list[Call]:
    """A platform's calls (`transcript_phone_platforms`); what it left out is said, and a
    file none of whose calls can be read is refused saying why."""
    if not read.calls:
        errors.append(
            RowError(
                1, "transcript", "; ".join(read.warnings) or "no call in the file has words to read"
            )
        )
        return []
    _one_page(read.after, warnings)
    if warnings is not None:
        warnings.extend(RowError(1, "transcript", said) for said in read.warnings)
    return [call for r in read.calls if (call := call_from_json(r, 1, errors)) is not None]


def _one_page(after: str | None, warnings: list[RowError] | None) -> None:
    """Warns that the file is one page of an API's answer, when it names the next."""
    if after is not None and warnings is not None:
        warnings.append(
            RowError(
                1,
                "paging",
                f"this file is one page of the answer: the next page starts at {after}; fetch "
                "it and import it too",
            )
        )


def _untranscribed(record: Any) -> bool:
    """A call a page lists without its transcript (not transcribed, or not yet): an object
    naming a call by its id or when it began, with no turns, under the keys a call keeps
    them or anywhere else in it."""
    return (
        isinstance(record, dict)
        and first_given(record, *_CALL_ID_KEYS, *START_KEYS) is not None
        and not any(key in record for key in _SPEAKER_KEYS)
        and not any(record.get(key) for key in (*UTTERANCE_KEYS, *_SAID_KEYS))
        and found_turns(record) is None
    )


def _left_untranscribed(record: dict[str, Any]) -> str:
    ident = as_text(first_given(record, *_CALL_ID_KEYS)) or "without an id"
    state = as_text(first_given(record, "transcript_status", "transcriptStatus", "status"))
    said = f" ({state})" if state else ""
    return f"call {ident} is listed without its transcript{said}: left out"


def _holds_a_call(record: Any) -> bool:
    """Whether a page's record is a call: its turns where the documented shape keeps them,
    or found elsewhere in it."""
    if _is_call(record):
        return True
    if not isinstance(record, dict) or any(key in record for key in _SPEAKER_KEYS):
        return False  # a turn, with its speaker (and perhaps its words, each with theirs)
    if isinstance(first_given(record, *_SAID_KEYS), str):
        return False  # a turn's words
    found = found_turns(record)
    return found is not None and len(found["utterances"]) > 1


def _one_call(record: Any, errors: list[RowError]) -> Call | None:
    """One call's record read as documented, or its turns found where it keeps them."""
    roles: dict[str, str] = {}
    if not _said_as_documented(record):
        found = found_turns(record)
        if found is not None and found["utterances"]:
            roles = found["roles"]
            about = about_the_call(record)
            began = found["started_at"]
            # The turns' clock times date the call only when it names no start of its own
            # (a record's `createdAt` may be when it was written, not said).
            if began is not None and first_given(about, *START_KEYS) is None:
                about["started_at"] = began.isoformat()
            record = {**about, "utterances": found["utterances"]}
    call = call_from_json(record, 1, errors)
    if call is not None:
        for label, role in roles.items():
            speaker = call.speakers.get(call.speaker(label))
            if speaker is not None:
                speaker.role = speaker.role or side_word(role)
    return call
