"""Transcripts an engine wrote as it went, and a phone call transcribed channel by channel.

Live transcription sends its results as the call goes (Amazon Chime SDK's transcript events,
Amazon Transcribe's streaming `TranscriptEvent`s): each result comes first as partial ones,
cut off mid-sentence and revised, then once as final under the same id; a meeting app logs
them as they arrive, with the transcription's `started`/`stopped` statuses between. The
finals are the call; a result the log ends before the final of is its latest partial, and the
reader warns of it. Telnyx's Voice API sends each of a call's results as a `call.transcription`
webhook (`transcription_data`: its `transcript`, `is_final`, `confidence` and the audio track
it heard, `inbound` the far end's, `outbound` the organisation's side), a delivery sometimes
sent again under the same event id; a log of them (an array, JSON lines, or one alone) is
read the same way, each call by its session (bridged legs transcribed alike read once; a log
of a call's events without a transcription refused, saying what to start). A split (stereo) recording transcribed by the
Vonage Voice API keeps each channel's phrases in a list of its own; the call is the two
interleaved by time.

Each is turned into the call shape `transcript_json` reads (`utterances` of speaker, start,
text), the speaker as the engine gave it (an attendee's external user id, a diariser's number
"0", a channel "ch_1"): `transcript_engines.speech_to_text` makes labels of them. Telnyx's
calls come with their sides by track, and are read through `transcript_phone_platforms`.
"""

import math
from datetime import UTC, datetime
from typing import Any

from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import as_object, as_text, finite_number, first_given, listed
from huddle.imports.rows import RowShapeError

# Epoch milliseconds from 1973 on: a clock time, not an offset into the stream.
_EPOCH_MS = 1e11
# Where a call read from a stream says what its reader should warn of.
STREAM_WARNINGS = "_warnings"


def _at(record: Any, *keys: str) -> Any:
    """The value of the first of `keys` a record gives, the key matched whatever its case
    (Chime's client SDK writes `isPartial`, Transcribe's streaming API `IsPartial`)."""
    if not isinstance(record, dict):
        return None
    folded = {str(k).casefold(): v for k, v in record.items()}
    for key in keys:
        value = folded.get(key.casefold())
        if value not in (None, ""):
            return value
    return None


def _number_not_flag(value: Any) -> float | None:
    """A number the event gives; a flag (true, false) is none."""
    return None if isinstance(value, bool) else finite_number(value)


def _is_result(value: Any) -> bool:
    """A live transcription result: its alternatives, and the id or partial flag only a
    streamed result has (Watson's results and Transcribe's batch items have neither)."""
    return (
        isinstance(value, dict)
        and isinstance(_at(value, "alternatives"), list)
        and any(str(k).casefold() in ("ispartial", "resultid") for k in value)
    )


def _results(event: Any) -> list[dict[str, Any]]:
    """The results one logged event carries: a Transcript's `results`, under the event's
    `transcript` (Chime's examples) or `TranscriptEvent.Transcript` (Transcribe's stream), or
    the event itself a result (Chime call analytics' records name it `TranscriptEvent`)."""
    if not isinstance(event, dict):
        return []
    for holder in (
        event,
        _at(event, "transcript"),
        _at(_at(event, "TranscriptEvent"), "Transcript"),
    ):
        found = [r for r in listed(_at(holder, "results")) if _is_result(r)]
        if found:
            return found
    inner = _at(event, "TranscriptEvent")
    return [inner] if _is_result(inner) else []


def _status(event: Any) -> dict[str, Any]:
    """A logged transcription status (`started`, `stopped`…), directly or under `status`."""
    if not isinstance(event, dict):
        return {}
    inner = _at(event, "status")
    status = inner if isinstance(inner, dict) else event
    return status if isinstance(_at(status, "eventTimeMs"), int | float) else {}


def _partial(result: Any) -> bool:
    return _at(result, "isPartial") is True or str(_at(result, "isPartial")).lower() == "true"


def _finals(events: list[Any]) -> tuple[list[dict[str, Any]], int]:
    """The final results in the order said, and how many results never got theirs: a
    partial one is left when the final follows under its id (that is the words); a final
    sent again under its id replaces the first. A result the log holds no final of (the
    log ends, or the stream broke, before it came) is its latest partial: the words the
    engine last heard, kept rather than lost."""
    finals: dict[str, dict[str, Any]] = {}
    partials: dict[str, dict[str, Any]] = {}
    for number, result in enumerate(r for event in events for r in _results(event)):
        ident = as_text(_at(result, "resultId"))
        if _partial(result):
            if ident is not None:
                partials[ident] = result  # a later partial revises the one before
            continue
        finals[ident or f"#{number}"] = result
    unfinished = [r for ident, r in partials.items() if ident not in finals]
    said = [*finals.values(), *unfinished]
    return sorted(said, key=lambda r: _start(r) or 0.0), len(unfinished)


def _start(record: Any) -> float | None:
    """When a result or an item began: Chime's `startTimeMs` (clock milliseconds) in
    seconds, or Transcribe's `StartTime` (seconds into the stream)."""
    millis = _number_not_flag(_at(record, "startTimeMs"))
    if millis is not None:
        return millis / 1000
    return _number_not_flag(_at(record, "startTime"))


def _voice(item: Any, result: dict[str, Any]) -> str:
    """Who said an item: its Chime attendee (the external user id the meeting app gave them,
    else the attendee id), or Transcribe's diarised speaker; else the result's channel."""
    attendee = _at(item, "attendee")
    external = as_text(_at(attendee, "externalUserId"))
    if external:
        # The SDK's demo writes "<id>#<name>", and shows the name.
        return external.rpartition("#")[2].strip() or external
    return (
        as_text(_at(attendee, "attendeeId") or _at(item, "speaker") or _at(result, "channelId"))
        or ""
    )


def _runs(result: dict[str, Any]) -> list[tuple[str, float | None, str]]:
    """A result's best alternative as (speaker, start, words) runs: its `transcript` whole
    when one speaker said it all, else its items run together by speaker, punctuation
    joined to the word before."""
    alternatives = listed(_at(result, "alternatives"))
    best = alternatives[0] if alternatives and isinstance(alternatives[0], dict) else {}
    items = [i for i in listed(_at(best, "items")) if isinstance(i, dict)]
    spoken = [i for i in items if str(_at(i, "type")).lower() != "punctuation"]
    voices = {_voice(i, result) for i in spoken} or {_voice({}, result)}
    transcript = as_text(_at(best, "transcript"))
    if len(voices) == 1 and (transcript or not items):
        return [(voices.pop(), _start(result), transcript or "")]
    runs: list[tuple[str, float | None, str]] = []
    for item in items:
        word = as_text(_at(item, "content")) or ""
        punctuation = str(_at(item, "type")).lower() == "punctuation"
        who = runs[-1][0] if punctuation and runs else _voice(item, result)
        if runs and runs[-1][0] == who:
            joined = f"{runs[-1][2]}{word}" if punctuation else f"{runs[-1][2]} {word}"
            runs[-1] = (who, runs[-1][1], joined)
        else:
            runs.append((who, _start(item), word))
    return runs


# Call analytics' sides of a call (Transcribe's, and Chime SDK's call analytics records).
_ROLES = {"agent": "internal", "customer": "external"}


def _utterances(events: list[Any]) -> dict[str, Any] | None:
    """A call analytics stream's `UtteranceEvent`s (each an utterance of the AGENT or the
    CUSTOMER, partial ones first, then final under the same `UtteranceId`), in the call
    shape; None when the log holds none."""
    said: dict[str, dict[str, Any]] = {}
    for number, event in enumerate(events):
        utterance = _at(event, "UtteranceEvent")
        if not isinstance(utterance, dict) or not isinstance(_at(utterance, "Transcript"), str):
            continue
        ident = str(_at(utterance, "UtteranceId") or f"#{number}")
        if not _partial(utterance) or ident not in said or _partial(said[ident]):
            said[ident] = utterance
    if not said:
        return None
    turns, roles = [], {}
    for utterance in said.values():
        role = str(_at(utterance, "ParticipantRole") or "").strip()
        who = role.title() if role else ""
        if who and role.lower() in _ROLES:
            roles[who] = _ROLES[role.lower()]
        begin = _number_not_flag(_at(utterance, "BeginOffsetMillis"))
        turns.append(
            {
                "speaker": who,
                "start": begin / 1000 if begin is not None else None,
                "text": str(_at(utterance, "Transcript")).strip(),
            }
        )
    turns.sort(key=lambda turn: turn["start"] if turn["start"] is not None else math.inf)
    call: dict[str, Any] = {
        "participants": [{"name": who, "role": role} for who, role in roles.items()],
        "utterances": [t for t in turns if t["text"]],
    }
    return _unfinished(call, sum(_partial(u) for u in said.values()))


def _unfinished(call: dict[str, Any], count: int) -> dict[str, Any]:
    """The call, saying (for its reader to warn) how many results never got their final."""
    if count:
        results = "result was" if count == 1 else "results were"
        call.setdefault(STREAM_WARNINGS, []).append(
            f"{count} {results} never finalised (the log ends, or the stream broke, before "
            "the final came): the last partial text of each was kept"
        )
    return call


def streamed_call(record: Any) -> dict[str, Any] | None:
    """The call in a log of live transcription events (a list of them, or one), its final
    results only; None for any other JSON."""
    events = record if isinstance(record, list) else [record]
    analysed = _utterances(events)
    if analysed is not None:
        return analysed
    finals, unfinished = _finals(events)
    if not finals:
        return None
    runs = [run for result in finals for run in _runs(result) if run[2].strip()]
    # Chime's times are the clock's: the call began when transcription started (or with its
    # first words), and each turn's start is its seconds from then.
    clock = [start for _, start, _ in runs if start is not None and start * 1000 > _EPOCH_MS]
    started = [
        when / 1000
        for event in events
        if str(_at(_status(event), "type")).lower() == "started"
        and (when := _number_not_flag(_at(_status(event), "eventTimeMs"))) is not None
    ]
    began = min([*clock, *started]) if clock else 0.0
    call: dict[str, Any] = {
        "utterances": [
            {
                "speaker": who,
                "start": round(start - began, 3) if start is not None else None,
                "text": text,
            }
            for who, start, text in runs
        ]
    }
    if clock:
        call["started_at"] = datetime.fromtimestamp(began, UTC).isoformat()
    return _unfinished(call, unfinished)


# What names a turn's speaker: a phrase with one is some other tool's turn.
_SPEAKER_KEYS = frozenset(["speaker", "speakerId", "speaker_id", "speaker_label", "name"])


def _is_phrase(value: Any) -> bool:
    """A Vonage phrase: its words as said (`raw_sentence`, or `sentence` with its `words`),
    and no speaker (the channel is who)."""
    return (
        isinstance(value, dict)
        and ("raw_sentence" in value or ("sentence" in value and "words" in value))
        and not _SPEAKER_KEYS & value.keys()
    )


def _channels(record: Any) -> list[dict[str, Any]] | None:
    """A Vonage transcription's channels: its `channels`, or the list of them alone (what a
    file holding nothing else opens to); None when the record is no such thing."""
    channels = record.get("channels") if isinstance(record, dict) else record
    if not isinstance(channels, list) or not channels:
        return None
    if not all(isinstance(c, dict) and isinstance(c.get("transcript"), list) for c in channels):
        return None
    phrases = [p for c in channels for p in c["transcript"]]
    return channels if phrases and all(_is_phrase(p) for p in phrases) else None


def channel_call(record: Any) -> dict[str, Any] | None:
    """Vonage's transcription of a recording: `channels`, each its `transcript` (phrases
    between pauses: `sentence` as punctuated, `raw_sentence`, `words`, `timestamp` in
    milliseconds), interleaved by time, each channel a speaker ("ch_0"). None for any other
    JSON. One channel is a mono recording, every voice in it: nothing tells whose words are
    whose, and it is refused saying so."""
    channels = _channels(record)
    if channels is None:
        return None
    phrases = [c["transcript"] for c in channels]
    if len(channels) == 1:
        raise RowShapeError(
            1,
            "the recording was transcribed as one channel, every voice in it: record the "
            "call split (a channel for each side) so the customer's words can be told from "
            "yours",
        )
    turns = []
    for number, said in enumerate(phrases):
        for phrase in said:
            words = [w for w in listed(phrase.get("words")) if isinstance(w, dict)]
            text = (
                as_text(phrase.get("sentence"))
                or " ".join(as_text(w.get("word")) or "" for w in words)
                or as_text(phrase.get("raw_sentence"))
                or ""
            )
            start = _number_not_flag(phrase.get("timestamp"))
            if start is not None:
                start /= 1000
            elif words:
                start = _number_not_flag(words[0].get("start_time"))
            turns.append({"speaker": f"ch_{number}", "start": start, "text": text.strip()})
    turns.sort(key=lambda turn: turn["start"] if turn["start"] is not None else math.inf)
    return {
        "call_id": as_text(record.get("request_id")) if isinstance(record, dict) else None,
        "utterances": [t for t in turns if t["text"]],
    }


# Telnyx transcribes the call-control leg: its inbound track is the far end's voice (the
# customer, who called or was called), its outbound track what the organisation's side sent.
_TRACKS = {"inbound": ("Customer", "external"), "outbound": ("Agent", "internal")}


def _telnyx_event(value: Any) -> dict[str, Any] | None:
    """A Telnyx webhook's event: a delivery's `data` (beside its `meta`), or the event alone."""
    event = value.get("data") if isinstance(value, dict) else None
    event = event if isinstance(event, dict) else value
    if isinstance(event, dict) and isinstance(event.get("payload"), dict):
        return event if isinstance(event.get("event_type"), str) else None
    return None


def _clock(value: Any) -> float | None:
    """An event's ISO time as Unix seconds; None for none a calendar holds."""
    try:
        return parse_when(value).timestamp() if isinstance(value, str) else None
    except (ValueError, OverflowError):
        return None


def telnyx_calls(record: Any) -> list[dict[str, Any]] | None:
    """The calls in a log of Telnyx Voice API webhooks (a list of them, or one), their
    `call.transcription` events read as a stream's: a result's interim (`is_final` false)
    versions are left for its final, a delivery sent again (its event's `id` again) is read
    once, and a track's result the log holds no final of is its latest interim version,
    warned of. A call's legs bridged together hear the same conversation: transcribed on
    more than one, it is read from the first, and the others said. None for any other JSON;
    no call for a log of a call's events that holds no transcription."""
    events = [e for v in listed(record) or [record] if (e := _telnyx_event(v)) is not None]
    if not any(e["event_type"] == "call.transcription" for e in events):
        voice = [e for e in events if "call_control_id" in e["payload"]]
        return [] if voice and len(voice) == len(listed(record) or [record]) else None
    once = {as_text(e.get("id")) or f"#{n}": e for n, e in enumerate(events)}
    # The tracks are a leg's (its far end, and what was sent to it): a call by its leg.
    by_leg: dict[str, list[dict[str, Any]]] = {}
    for event in once.values():
        payload = event["payload"]
        leg = first_given(payload, "call_control_id", "call_leg_id", "call_session_id")
        by_leg.setdefault(as_text(leg) or "", []).append(event)
    calls: dict[str, dict[str, Any]] = {}
    for said in by_leg.values():
        call = _telnyx_call(said)
        if not call["utterances"]:
            continue
        first = calls.setdefault(call["call_id"] or f"#{len(calls)}", call)
        if first is not call:
            first.setdefault(STREAM_WARNINGS, []).append(
                f"call {call['call_id']} was transcribed on another of its legs too (bridged "
                "legs hear the same conversation): read once, from its first leg"
            )
    return list(calls.values())


def _telnyx_call(events: list[dict[str, Any]]) -> dict[str, Any]:
    """One leg's events as a call: its finals (or a result's last interim words) in the order
    said, each track's side, the call's start, its recording."""
    times = [_clock(e.get("occurred_at")) for e in events]
    if all(t is not None for t in times):
        events = [e for _, e in sorted(zip(times, events, strict=True), key=lambda p: p[0] or 0)]
    began = min((t for t in times if t is not None), default=None)
    turns: list[tuple[float | None, str, str]] = []
    interim: dict[str, tuple[float | None, str]] = {}  # a track's result not yet final
    recording = None
    for event in events:
        payload, when = event["payload"], _clock(event.get("occurred_at"))
        if event["event_type"] == "call.recording.saved":
            urls = as_object(payload.get("public_recording_urls")) or as_object(
                payload.get("recording_urls")
            )
            recording = next((as_text(u) for u in urls.values() if as_text(u)), recording)
        said = payload.get("transcription_data")
        if event["event_type"] != "call.transcription" or not isinstance(said, dict):
            continue
        track = str(said.get("transcription_track") or "").lower()
        words = as_text(said.get("transcript")) or ""
        # The result began with its first interim version; its words are its final's.
        first = interim.pop(track, (when, ""))[0]
        if said.get("is_final") is False or str(said.get("is_final")).lower() == "false":
            interim[track] = (first, words)
        elif words:
            turns.append((first, track, words))
    turns += [(start, track, words) for track, (start, words) in interim.items() if words]
    turns.sort(key=lambda turn: turn[0] if turn[0] is not None else math.inf)
    untracked = bool(turns) and not any(track in _TRACKS for _, track, _ in turns)
    if untracked:
        # Telnyx transcribes the inbound track unless told otherwise, and its example events
        # name no track: the far end's words, the customer's.
        turns = [(start, "inbound", words) for start, _, words in turns]
    call: dict[str, Any] = {
        "call_id": as_text(first_given(events[0]["payload"], "call_session_id", "call_leg_id")),
        "started_at": datetime.fromtimestamp(began, UTC).isoformat() if began else None,
        "recording_url": recording.split("?", 1)[0] if recording else None,
        "participants": [
            {"name": name, "role": role}
            for track, (name, role) in _TRACKS.items()
            if any(t == track for _, t, _ in turns)
        ],
        "utterances": [
            {
                "speaker": _TRACKS.get(track, ("Unknown", None))[0],
                "start": round(start - began, 3) if start is not None and began else None,
                "text": words,
            }
            for start, track, words in turns
        ],
    }
    if untracked:
        call[STREAM_WARNINGS] = [
            "the transcription names no track for its words: read as the inbound track's (the "
            "other end's voice, the customer's), which Telnyx transcribes unless told "
            "otherwise; if both tracks were transcribed, start transcription with "
            "transcription_tracks so your side's words can be told apart"
        ]
    return _unfinished(call, sum(1 for _, words in interim.values() if words))
