"""Phone platforms' and voice agents' own answers read as calls, in the shape `transcript_json`
reads (`transcript_platforms` reads round 29's; these came after).

- CallRail's API v3 calls, asked for their transcripts (`GET /v3/a/{account}/calls.json
  ?fields=transcription,conversational_transcript,…`): a page `{page, per_page, total_pages,
  total_records, calls}` (or, paged relatively, `{calls, has_next_page, next_page}`), pages
  gathered in a list, one call alone, or its post-call webhook. `conversational_transcript`
  is the call as "Agent: …" and "Customer: …" paragraphs; `transcription` the same words run
  together, read only where it says who spoke (or for a voicemail, all the caller's).
  `company_name` is the CallRail company the tracking number belongs to (the vendor's own),
  `customer_name` the caller ID ("WIRELESS CALLER"): neither is the customer's company.
  `call_summary` and `call_highlights` are CallRail's AI's, nobody's words. A call with no
  transcript (missed, not transcribed) is left out, and said; so is one whose transcript
  names no one, saying how to fetch it with its speakers.
- Retell AI's call object (`GET /v2/get-call/{id}`, a list of them, or the `call_ended` /
  `call_analyzed` webhook around one), the call three times over: `transcript_object` (each
  turn's `role` and `content`, its words timed), `transcript_with_tool_calls` (the same with
  the tools' invocations and results between) and the flat `transcript` ("Agent: …\\nUser:
  …"), read once, the first that holds it. The `agent` is the organisation's own voice agent,
  the `user` the person on the line; a tool's call or result is nobody's words. The variables
  the agent was given for the call or its `metadata` may name the customer's company.
- NICE's Interaction Analytics transcripts (`transcript_nice`), Telnyx's `call.transcription`
  webhooks (`transcript_streams`) and Modjo's Calls Export API (`transcript_modjo`).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from huddle.connectors.record_values import (
    as_object,
    as_text,
    finite_number,
    first_given,
    given_by_letters,
    listed,
)
from huddle.connectors.transcript_modjo import modjo_calls
from huddle.connectors.transcript_nice import nice_calls
from huddle.connectors.transcript_streams import STREAM_WARNINGS, telnyx_calls


@dataclass
class PlatformCalls:
    """The calls a platform's file holds, in the call shape; what its reader should warn of
    (a call left out, and why); what names the page after this one."""

    calls: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)
    after: str | None = None


def phone_platform_calls(record: Any) -> PlatformCalls | None:
    """The calls in `record` when it is one of the platforms' answers above; None for any
    other JSON."""
    for read in (_callrail, _retell):
        found = read(record)
        if found is not None:
            return found
    for other in (nice_calls, modjo_calls):
        calls = other(record)
        if calls is not None:
            return PlatformCalls(*calls)
    streamed = telnyx_calls(record)
    if streamed is not None:
        said = [w for call in streamed for w in call.pop(STREAM_WARNINGS, [])]
        return PlatformCalls(streamed, said)
    return None


def _listed_calls(
    record: Any, is_call: Callable[[Any], Any], key: str = "calls"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """(calls, pages) of a file of one kind's calls: a page listing them under `key`, a call
    alone, or a list of either (pages or calls gathered, JSON lines); None when anything in
    it is neither."""
    calls: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    for value in record if isinstance(record, list) else [record]:
        inner = listed(value.get(key)) if isinstance(value, dict) else []
        if is_call(value):
            calls.append(value)
        elif inner and all(is_call(c) for c in inner):
            calls.extend(inner)
            pages.append(value)
        else:
            return None
    return (calls, pages) if calls else None


def _iso(value: Any) -> str | None:
    """A clock time as ISO text: ISO already, or Unix milliseconds."""
    millis = finite_number(value) if not isinstance(value, bool) else None
    if millis is not None and millis > 1e11:
        return datetime.fromtimestamp(millis / 1000, UTC).isoformat()
    return as_text(value) if isinstance(value, str) else None


# --- CallRail -------------------------------------------------------------------------------

# What says an object is a CallRail call (the API's names, and its post-call webhook's).
_TRACKED = ("tracking_phone_number", "trackingnum")
_CALLER = ("customer_phone_number", "callernum", "customer_name", "callername")
# A speaker label of CallRail's, and whose side it is.
_LABEL = r"(?P<who>(?P<role>Agent|Customer|Caller)(?: \d+)?):(?=\s|$)[ \t]*"
_AT_LINE = re.compile(rf"^[ \t]*{_LABEL}", re.MULTILINE | re.IGNORECASE)
_ANYWHERE = re.compile(rf"(?:^|(?<=\s)){_LABEL}")
_SIDES = {"agent": "internal", "customer": "external", "caller": "external"}


def _is_callrail_call(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and any(k in value for k in _TRACKED)
        and any(k in value for k in _CALLER)
    )


def _callrail(record: Any) -> PlatformCalls | None:
    found = _listed_calls(record, _is_callrail_call)
    if found is None:
        return None
    listed_calls, pages = found
    read = PlatformCalls([], after=_callrail_next(pages[-1]) if pages else None)
    for call in listed_calls:
        ident = as_text(first_given(call, "id", "resource_id")) or "without an id"
        turns = _labelled(call)
        if turns is None:
            read.warnings.append(_callrail_unread(call, ident))
            continue
        agent = as_text(call.get("agent_email"))
        sides = {t["speaker"]: _SIDES[t["speaker"].split()[0].lower()] for t in turns}
        read.calls.append(
            {
                "call_id": ident,
                "started_at": as_text(first_given(call, "start_time", "datetime")),
                "recording_url": as_text(first_given(call, "recording_player", "recording")),
                "participants": [
                    {"name": who, "role": side, "email": agent if side == "internal" else None}
                    for who, side in sides.items()
                ],
                "utterances": turns,
            }
        )
    return read


def _labelled(call: dict[str, Any]) -> list[dict[str, Any]] | None:
    """A CallRail call's turns: its conversational transcript's, its transcription's where
    that names its speakers, or a voicemail's words, the caller's; None when it has none."""
    for text, pattern in (
        (as_text(call.get("conversational_transcript")), _AT_LINE),
        (as_text(call.get("transcription")), _ANYWHERE),
    ):
        marks = list(pattern.finditer(text or ""))
        if text and marks and not text[: marks[0].start()].strip():
            ends = [m.start() for m in marks[1:]] + [len(text)]
            turns = [
                {"speaker": m["who"], "start": None, "text": " ".join(text[m.end() : e].split())}
                for m, e in zip(marks, ends, strict=True)
            ]
            return [t for t in turns if t["text"]] or None
    words = as_text(call.get("transcription"))
    voicemail = call.get("voicemail") is True or "voicemail" in str(call.get("call_type"))
    return [{"speaker": "Caller", "start": None, "text": words}] if words and voicemail else None


def _callrail_unread(call: dict[str, Any], ident: str) -> str:
    """Why a call is left out, and what would read it."""
    if not any(k in call for k in ("transcription", "conversational_transcript")):
        return (
            f"call {ident} was exported without its transcript: left out; ask the API for "
            "fields=conversational_transcript and import that"
        )
    if as_text(call.get("transcription")):
        return (
            f"call {ident}'s transcript does not say who spoke: left out; fetch the call with "
            "its conversational_transcript (GET /v3/a/{account}/calls/" + ident + ".json"
            "?fields=conversational_transcript) and import that"
        )
    kind = as_text(call.get("call_type"))
    return f"call {ident}{f' ({kind})' if kind else ''} has no transcript: left out"


def _callrail_next(page: dict[str, Any]) -> str | None:
    """The page after this one: by number (`page` of `total_pages`), or its link."""
    link = as_text(page.get("next_page")) if page.get("has_next_page") is True else None
    if link:
        return link
    number, total = finite_number(page.get("page")), finite_number(page.get("total_pages"))
    if number is not None and total is not None and number < total:
        return str(int(number) + 1)
    return None


# --- Retell AI ------------------------------------------------------------------------------

# Whose a Retell turn is; a tool's invocation or result is nobody's.
_VOICES = {"agent": "internal", "user": "external"}
# Where the variables a voice agent was given may name the customer's company (letters).
_COMPANY_KEYS = (
    "company",
    "companyname",
    "callercompany",
    "customercompany",
    "account",
    "accountname",
    "organization",
    "organisation",
    "business",
    "businessname",
)


def _is_retell_call(value: Any) -> bool:
    """A Retell call: its id and its agent's, and the call in one of its forms."""
    return (
        isinstance(value, dict)
        and "call_id" in value
        and "agent_id" in value
        and any(
            k in value for k in ("transcript_object", "transcript_with_tool_calls", "transcript")
        )
    )


def _webhook_call(value: Any) -> Any:
    """The call a Retell webhook carries beside its event's name; any other value as it is."""
    if isinstance(value, dict) and "event" in value and isinstance(value.get("call"), dict):
        return value["call"]
    return value


def _retell(record: Any) -> PlatformCalls | None:
    opened = [_webhook_call(v) for v in record] if isinstance(record, list) else record
    found = _listed_calls(_webhook_call(opened), _is_retell_call)
    if found is None:
        return None
    read = PlatformCalls([])
    for call in found[0]:
        agent = as_text(call.get("agent_name")) or "Agent"
        labels = {"internal": agent, "external": "User"}
        turns = [
            {"speaker": labels[side], "start": start, "text": text}
            for side, start, text in _retell_turns(call)
        ]
        if not turns:
            read.warnings.append(f"call {call['call_id']} has no transcript: left out")
            continue
        read.calls.append(
            {
                "call_id": as_text(call.get("call_id")),
                "started_at": _iso(call.get("start_timestamp")),
                "recording_url": as_text(call.get("recording_url")),
                "account": _company(call),
                "participants": [{"name": n, "role": side} for side, n in labels.items()],
                "utterances": turns,
            }
        )
    return read


def _retell_turns(call: dict[str, Any]) -> list[tuple[str, float | None, str]]:
    """(side, start, words) of each turn, from the first of the call's forms that holds it."""
    for key in ("transcript_object", "transcript_with_tool_calls"):
        turns = []
        for turn in listed(call.get(key)):
            side = _VOICES.get(str(as_object(turn).get("role")).lower())
            text = as_text(as_object(turn).get("content"))
            if side and text:
                first = as_object(next(iter(listed(turn.get("words"))), None))
                turns.append((side, finite_number(first.get("start")), text))
        if turns:
            return turns
    lines: list[tuple[str, float | None, str]] = []
    for line in str(call.get("transcript") or "").splitlines():
        label, sep, words = line.partition(":")
        side = _VOICES.get(label.strip().lower()) if sep else None
        if side is not None:
            lines.append((side, None, words.strip()))
        elif lines and line.strip():  # a turn's words go on under its label
            lines[-1] = (lines[-1][0], None, f"{lines[-1][2]} {line.strip()}".strip())
    return [line for line in lines if line[2]]


def _company(call: dict[str, Any]) -> str | None:
    """The customer's company, where the call's variables or metadata name one."""
    for key in ("retell_llm_dynamic_variables", "collected_dynamic_variables", "metadata"):
        company = given_by_letters(as_object(call.get(key)), *_COMPANY_KEYS)
        if isinstance(company, str) and company.strip():
            return company.strip()
    return None
