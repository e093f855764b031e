"""NICE's Interaction Analytics transcripts read as calls, in the shape `transcript_json` reads.

NICE's Interaction Analytics transcript of an interaction (CXone, inContact WFO), the call
several times over: `transcript_detailed` (a word a record: `w` said by `sp`, `s`/`e` in
milliseconds), `plainTextTime` (a line a section, "Agent 00:00:00.82 - 00:00:10.56:
words") and `plainText` (the same lines without speakers), read once, by its sections where
given. The engine writes no case or punctuation: each section ends a sentence. `Agent` is
the contact centre's, `Customer` the caller's, `Simultaneous` (both at once) nobody's words
alone. A batch export lists interactions, and may list one twice (reprocessed): once. The
call began when the interaction or its `metadata` says it started.
"""

import re
from typing import Any

from huddle.connectors.record_values import (
    as_object,
    as_text,
    finite_number,
    first_given,
    given_by_letters,
    listed,
)
from huddle.connectors.transcript_call_fields import START_KEYS
from huddle.connectors.transcript_engines import as_sentence
from huddle.connectors.transcript_formats import TIME, seconds

_NICE_KEYS = ("transcriptdetailed", "plaintexttime")
_SECTION = re.compile(rf"^(?P<who>\S.*?)\s+(?P<start>{TIME})\s*-\s*{TIME}:\s*(?P<words>.*)$")
_NICE_SIDES = {"agent": "internal", "customer": "external"}
# Both sides at once: words nobody said alone.
_CROSSTALK = frozenset(["simultaneous", "crosstalk", "overlap"])


def _transcript_of(value: Any) -> dict[str, Any] | None:
    """An interaction's transcript: the object holding NICE's forms of it, or its
    `transcript` that does."""
    for holder in (value, as_object(value).get("transcript")):
        if isinstance(holder, dict) and given_by_letters(holder, *_NICE_KEYS) is not None:
            return holder
    return None


def nice_calls(record: Any) -> tuple[list[dict[str, Any]], list[str], None] | None:
    """(calls, what to warn of, no next page) of NICE's transcripts: an interaction's alone,
    a list of them, or an export's `records`; None for any other JSON."""
    listed_records = record.get("records") if isinstance(record, dict) else record
    interactions = listed_records if isinstance(listed_records, list) else [record]
    if not interactions or not all(_transcript_of(i) is not None for i in interactions):
        return None
    once: dict[str, dict[str, Any]] = {}
    for number, interaction in enumerate(interactions):
        ident = as_text(
            first_given(interaction, "id", "externalId", "segmentId", "contactId", "mediaId")
        )
        once[ident or f"#{number}"] = interaction  # a reprocessed one after the first
    calls, warnings = [], []
    for ident, interaction in once.items():
        turns = _sections(_transcript_of(interaction) or {})
        if not any(t["speaker"] for t in turns):
            warnings.append(
                f"interaction {ident.lstrip('#')}'s transcript does not say who spoke: left out; "
                "export it with its sections or words (plainTextTime, transcript_detailed)"
            )
            continue
        alone = [t for t in turns if t["speaker"].lower() not in _CROSSTALK]
        roles = {t["speaker"]: _NICE_SIDES.get(t["speaker"].lower()) for t in alone}
        began = first_given(interaction, *START_KEYS) or first_given(
            as_object(interaction.get("metadata")), *START_KEYS
        )
        calls.append(
            {
                "call_id": None if ident.startswith("#") else ident,
                "started_at": began if isinstance(began, str) else None,
                "participants": [{"name": who, "role": role} for who, role in roles.items()],
                "utterances": [{**t, "text": as_sentence(t["text"])} for t in alone],
            }
        )
    return calls, warnings, None


def _sections(transcript: dict[str, Any]) -> list[dict[str, Any]]:
    """The interaction's sections (speaker, start, words): its timed lines, else its words
    run together by speaker."""
    lines = str(given_by_letters(transcript, "plaintexttime") or "").splitlines()
    sections = [m for line in lines if (m := _SECTION.match(line.strip()))]
    if sections:
        return [
            {"speaker": m["who"], "start": seconds(m["start"]), "text": m["words"].strip()}
            for m in sections
            if m["words"].strip()
        ]
    turns: list[dict[str, Any]] = []
    for word in listed(given_by_letters(transcript, "transcriptdetailed")):
        said, who = as_text(as_object(word).get("w")), as_text(as_object(word).get("sp"))
        if said is None:
            continue
        if turns and turns[-1]["speaker"] == (who or ""):
            turns[-1]["text"] += f" {said}"
        else:
            start = finite_number(word.get("s"))
            turns.append(
                {
                    "speaker": who or "",
                    "start": start / 1000 if start is not None else None,
                    "text": said,
                }
            )
    return turns
