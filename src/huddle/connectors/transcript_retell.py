"""Retell AI's calls read as calls, in the shape `transcript_json` reads (through
`transcript_phone_platforms`; moved from there, with the webhook log and list pages added).

Retell's call object (`GET /v2/get-call/{id}`, a list of them as list-calls answers, a page
`{"calls": [...]}`, or the `call_started` / `call_ended` / `call_analyzed` webhooks around one,
a log of them) holds the call three times over: `transcript_object` (each turn's `role` and
`content`, its words timed), `transcript_with_tool_calls` (the same with the tools'
invocations and results between) and the flat `transcript` ("Agent: …\\nUser: …"), read once,
the first that holds it. A web call and a phone call read alike. The `agent` is the
organisation's own voice agent, the `user` the person on the line; a tool's call or result is
nobody's words. A call a log holds several times (ended, then analyzed) is read once, its
latest; `call_started` holds no transcript yet and is passed over. A call listed without its
transcript (v3 list-calls leaves it out) is left out, saying how to fetch it. The variables
the agent was given for the call or its `metadata` may name the customer's company; one the
agent's own name carries, or a `business` the agent answers for, is the organisation's.
"""

import re
from datetime import UTC, datetime
from typing import Any

from huddle.connectors.record_values import (
    as_object,
    as_text,
    finite_number,
    given_by_letters,
    listed,
)

# Whose a Retell turn is; a tool's invocation or result is nobody's.
_VOICES = {"agent": "internal", "user": "external"}
# The call's three forms, and the type each is written as.
_FORMS: dict[str, type] = {
    "transcript_object": list,
    "transcript_with_tool_calls": list,
    "transcript": str,
}
# Where the variables a voice agent was given may name the customer's company (letters):
# the caller's own first, then names that may be either side's.
_CALLERS = ("callercompany", "customercompany", "callerorganization", "customerorganization")
_EITHER = (
    "company",
    "companyname",
    "account",
    "accountname",
    "organization",
    "organisation",
)


def is_retell_call(value: Any) -> bool:
    """A Retell call object: its id, its agent's, its type or status, and whichever of its
    forms it holds written as Retell writes them."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("call_id"), str)
        and isinstance(value.get("agent_id"), str)
        and any(k in value for k in ("call_type", "call_status", *_FORMS))
        and all(isinstance(value[k], kind) for k, kind in _FORMS.items() if value.get(k))
    )


def _webhook_call(value: Any) -> Any:
    """The call a Retell webhook carries beside its event's name; None for any other value."""
    if isinstance(value, dict) and "event" in value and isinstance(value.get("call"), dict):
        return value["call"]
    return None


def _listed(record: Any) -> list[tuple[str, dict[str, Any]]] | None:
    """(key, call) of every call object of a Retell file (in webhooks, on pages, alone), a
    webhook's call keyed by its id (a log sends a call again as it learns more), any other
    by its place too; None when anything in the file is something else."""
    found: list[tuple[str, dict[str, Any]]] = []
    for number, value in enumerate(listed(record) or [record]):
        sent = _webhook_call(value)
        inner = listed(value.get("calls")) if isinstance(value, dict) else []
        if is_retell_call(sent):
            found.append((sent["call_id"], sent))
        elif is_retell_call(value):
            found.append((f"{value['call_id']}#{number}", value))
        elif inner and all(is_retell_call(c) for c in inner):
            found.extend((f"{c['call_id']}#{number}.{n}", c) for n, c in enumerate(inner))
        else:
            return None
    return found or None


def retell_calls(record: Any) -> tuple[list[dict[str, Any]], list[str]] | None:
    """(calls, what to warn of) of a Retell file; None for any other JSON."""
    found = _listed(record)
    if found is None:
        return None
    latest: dict[str, dict[str, Any]] = {}
    for key, call in found:
        if key not in latest or _turns(call):  # the webhook sent later knows more
            latest[key] = call
    calls, warnings = [], []
    for call in latest.values():
        ident = call["call_id"]
        agent = as_text(call.get("agent_name")) or "Agent"
        labels = {"internal": agent, "external": "User"}
        turns = [
            {"speaker": labels[side], "start": start, "text": text}
            for side, start, text in _turns(call)
        ]
        if not turns:
            warnings.append(_unread(call, ident))
            continue
        calls.append(
            {
                "call_id": ident,
                "started_at": _iso(call.get("start_timestamp")),
                "recording_url": as_text(call.get("recording_url")),
                "account": _company(call, agent, turns),
                "participants": [{"name": n, "role": side} for side, n in labels.items()],
                "utterances": turns,
            }
        )
    return calls, warnings


def _unread(call: dict[str, Any], ident: str) -> str:
    if any(k in call for k in _FORMS) or call.get("call_status") in ("registered", "ongoing"):
        return f"call {ident} has no transcript: left out"
    return (
        f"call {ident} is listed without its transcript: left out; fetch it with "
        f"GET /v2/get-call/{ident} and import that"
    )


def _iso(value: Any) -> str | None:
    """A clock time as ISO text: ISO already, or Unix milliseconds."""
    millis = finite_number(value) if not isinstance(value, bool) else None
    if millis is not None and millis > 1e11:
        return datetime.fromtimestamp(millis / 1000, UTC).isoformat()
    return as_text(value) if isinstance(value, str) else None


def _turns(call: dict[str, Any]) -> list[tuple[str, float | None, str]]:
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


def _company(call: dict[str, Any], agent: str, turns: list[dict[str, Any]]) -> str | None:
    """The customer's company, where the call's variables or metadata name one: the caller's
    company, else a company the agent does not answer for (one its name or its first words
    carry, "OurCo Support", "thanks for calling OurCo", is the organisation's own)."""
    opening = next((t["text"] for t in turns if t["speaker"] == agent), "")
    ours = f" {_words(agent)} {_words(opening)} "
    for key in ("retell_llm_dynamic_variables", "collected_dynamic_variables", "metadata"):
        variables = as_object(call.get(key))
        for names, checked in ((_CALLERS, False), (_EITHER, True)):
            company = given_by_letters(variables, *names)
            if not isinstance(company, str) or not company.strip():
                continue
            if not checked or f" {_words(company)} " not in ours:
                return company.strip()
    return None


def _words(text: str) -> str:
    """Text as its words, lower case, one space between ("OurCo's" is "ourco s")."""
    return " ".join(re.findall(r"\w+", text.lower()))
