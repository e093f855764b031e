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
  names no one, saying how to fetch it with its speakers. CallRail's other records a webhook
  log or a script gathers beside the calls (form submissions, text messages) are not calls:
  passed over, and said.
- Retell AI's call objects (`transcript_retell`).
- NICE's Interaction Analytics transcripts (`transcript_nice`), Telnyx's `call.transcription`
  webhooks (`transcript_streams`) and Modjo's Calls Export API (`transcript_modjo`).

A webhook a tool caught and saved with its request (`{"body": …, "headers": …}`, the body as
an object or as its JSON text; webhook.site's `content`) is read as its body.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from huddle.connectors.record_values import (
    as_text,
    finite_number,
    first_given,
    listed,
)
from huddle.connectors.transcript_modjo import modjo_calls
from huddle.connectors.transcript_nice import nice_calls
from huddle.connectors.transcript_retell import retell_calls
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
    record = [_delivered(v) for v in record] if isinstance(record, list) else _delivered(record)
    found = _callrail(record)
    if found is not None:
        return found
    for other in (retell_calls, nice_calls, modjo_calls):
        calls = other(record)
        if calls is not None:
            return PlatformCalls(*calls)
    streamed = telnyx_calls(record)
    if streamed is not None:
        said = [w for call in streamed for w in call.pop(STREAM_WARNINGS, [])]
        return PlatformCalls(streamed, said if streamed else [*said, _UNTRANSCRIBED])
    return None


# What a Telnyx log without a transcription needs.
_UNTRANSCRIBED = (
    "the Telnyx webhooks hold no call.transcription event with words: start transcription on "
    "the call (transcription_start) and import the webhooks it sends"
)


def _delivered(value: Any) -> Any:
    """A webhook's body, where a tool that caught it saved the request around it (`body` with
    its `headers`, as an object or its JSON text; webhook.site's `content`); any other value
    as it is."""
    if not isinstance(value, dict) or not isinstance(value.get("headers"), dict | list):
        return value
    for key in ("body", "content"):
        body = value.get(key)
        if isinstance(body, str) and body.lstrip().startswith(("{", "[")):
            try:
                body = json.loads(body)
            except ValueError:
                continue
        if isinstance(body, dict | list):
            return body
    return value


def _listed_calls(
    record: Any,
    is_call: Callable[[Any], Any],
    is_other: Callable[[Any], Any],
    key: str = "calls",
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int] | None:
    """(calls, pages, how many other records) of a file of one kind's calls: a page listing
    them under `key`, a call alone, or a list of either (pages or calls gathered, JSON lines),
    where the kind's other records (`is_other`) may lie between; None when anything in it is
    neither."""
    calls: list[dict[str, Any]] = []
    pages: list[dict[str, Any]] = []
    others = 0
    for value in record if isinstance(record, list) else [record]:
        inner = listed(value.get(key)) if isinstance(value, dict) else []
        if is_call(value):
            calls.append(value)
        elif inner and all(is_call(c) for c in inner):
            calls.extend(inner)
            pages.append(value)
        elif is_other(value):
            others += 1
        else:
            return None
    return (calls, pages, others) if calls else None


# --- CallRail -------------------------------------------------------------------------------

# What says an object is a CallRail call (the API's names, and its post-call webhook's).
_TRACKED = ("tracking_phone_number", "trackingnum")
_CALLER = ("customer_phone_number", "callernum", "customer_name", "callername")
# A speaker label of CallRail's, and whose side it is.
_LABEL = r"(?P<who>(?P<role>Agent|Customer|Caller)(?: \d+)?):(?=\s|$)[ \t]*"
_AT_LINE = re.compile(rf"^[ \t]*{_LABEL}", re.MULTILINE | re.IGNORECASE)
_ANYWHERE = re.compile(rf"(?:^|(?<=\s)){_LABEL}")
_SIDES = {"agent": "internal", "customer": "external", "caller": "external"}
# What only CallRail's form submissions and text messages have.
_OTHER_RECORDS = ("form_data", "form_url", "thread_resource_id")


def _is_callrail_call(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and any(k in value for k in _TRACKED)
        and any(k in value for k in _CALLER)
    )


def _is_callrail_other(value: Any) -> bool:
    """Another of CallRail's records: a form submission, a text message."""
    return isinstance(value, dict) and any(k in value for k in _OTHER_RECORDS)


def _callrail(record: Any) -> PlatformCalls | None:
    found = _listed_calls(record, _is_callrail_call, _is_callrail_other)
    if found is None:
        return None
    listed_calls, pages, others = found
    read = PlatformCalls([], after=_callrail_next(pages[-1]) if pages else None)
    if others:
        read.warnings.append(
            f"{others} of CallRail's records in the file are not calls (form submissions, text "
            "messages): left out"
        )
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
    conversation = _AT_LINE.sub("", str(call.get("conversational_transcript") or "")).strip()
    if conversation:
        return (
            f"call {ident}'s conversational transcript does not name its speakers Agent and "
            "Customer: left out"
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
