"""Speech-to-text engines' own output read as a call.

A team that transcribes its recordings itself keeps the engine's response: the turns are
there under the engine's names, a speaker a number ("spk_0", 1), the words of a turn its own
list. Each is turned into the call shape `transcript_json` reads (`utterances` of speaker,
start, text): Amazon Transcribe, Azure's batch transcription and Deepgram.
"""

import re
from typing import Any

from huddle.connectors.record_values import as_text


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _first(record: dict[str, Any], *keys: str) -> Any:
    return next((record[k] for k in keys if record.get(k) not in (None, "")), None)


def speech_to_text(record: Any) -> dict[str, Any] | None:
    """The call in an Amazon Transcribe, Azure batch transcription or Deepgram response;
    None for any other JSON."""
    if not isinstance(record, dict):
        return None
    results = record.get("results")
    if isinstance(results, dict) and ("speaker_labels" in results or "audio_segments" in results):
        return _amazon(record, results)
    if isinstance(record.get("recognizedPhrases"), list):
        return _azure(record)
    if isinstance(results, dict) and isinstance(results.get("channels"), list):
        return _deepgram(record, results)
    return None


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _first_of(value: Any) -> dict[str, Any]:
    """The first member of a list when it is an object (an engine's best alternative)."""
    return _object(next(iter(_listed(value)), None))


def _speaker(value: Any) -> str:
    """An engine's speaker as a label: "spk_0" -> "Speaker 0", 1 -> "Speaker 1"."""
    text = str(value).strip()
    number = re.fullmatch(r"(?:spk_|speaker_?|guest-?)?(\d+)", text, re.IGNORECASE)
    return f"Speaker {number.group(1)}" if number else text or "Unknown"


def _amazon(record: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Amazon Transcribe: `audio_segments` (a turn's transcript, start and speaker) where the
    job wrote them, else its `items` (each word, each mark of punctuation) run together by
    speaker."""
    turns: list[dict[str, Any]] = []
    segments = [s for s in _listed(results.get("audio_segments")) if isinstance(s, dict)]
    if segments:
        for segment in segments:
            turns.append(
                {
                    "speaker": _speaker(segment.get("speaker_label") or "Unknown"),
                    "start": segment.get("start_time"),
                    "text": as_text(segment.get("transcript")) or "",
                }
            )
    else:
        for item in _listed(results.get("items")):
            if not isinstance(item, dict):
                continue
            word = as_text(_first_of(item.get("alternatives")).get("content")) or ""
            who = _speaker(item.get("speaker_label") or (turns[-1]["speaker"] if turns else ""))
            if item.get("type") == "punctuation" and turns:
                turns[-1]["text"] += word
            elif turns and turns[-1]["speaker"] == who:
                turns[-1]["text"] += f" {word}"
            else:
                turns.append({"speaker": who, "start": item.get("start_time"), "text": word})
    return {
        "title": as_text(record.get("jobName")),
        "utterances": [t for t in turns if t["text"].strip()],
    }


def _azure(record: dict[str, Any]) -> dict[str, Any]:
    """Azure's batch transcription: `recognizedPhrases`, each the best of its `nBest` said
    by a numbered speaker at an offset (ticks of 100 ns, or an ISO 8601 duration)."""
    phrases = [
        p
        for p in record["recognizedPhrases"]
        if isinstance(p, dict) and p.get("recognitionStatus", "Success") == "Success"
    ]
    turns = []
    for phrase in sorted(phrases, key=_azure_offset):
        best = _first_of(phrase.get("nBest"))
        text = as_text(best.get("display") or best.get("itn"))
        if text:
            speaker = phrase.get("speaker", phrase.get("channel", "Unknown"))
            turns.append(
                {"speaker": _speaker(speaker), "start": _azure_offset(phrase), "text": text}
            )
    return {
        "started_at": record.get("timestamp"),
        "recording_url": as_text(record.get("source")),
        "utterances": turns,
    }


def _azure_offset(phrase: dict[str, Any]) -> float:
    ticks = phrase.get("offsetInTicks")
    if isinstance(ticks, int | float) and not isinstance(ticks, bool):
        return float(ticks) / 10_000_000
    found = re.fullmatch(
        r"PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?", str(phrase.get("offset") or ""), re.I
    )
    if found is None:
        return 0.0
    hours, minutes, secs = (float(part) if part else 0.0 for part in found.groups())
    return hours * 3600 + minutes * 60 + secs


def _deepgram(record: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Deepgram: its `utterances` (diarised turns) where asked for, else the paragraphs of
    the first channel's best alternative; what the request's `extra` said of the call (its
    account, its meeting) as the call's own."""
    turns: list[dict[str, Any]] = []
    for utterance in _listed(results.get("utterances")):
        if isinstance(utterance, dict):
            turns.append(
                {
                    "speaker": _speaker(utterance.get("speaker", "Unknown")),
                    "start": utterance.get("start"),
                    "text": as_text(utterance.get("transcript")) or "",
                }
            )
    if not turns:
        best = _first_of(_first_of(results.get("channels")).get("alternatives"))
        paragraphs = _object(best.get("paragraphs")).get("paragraphs")
        for paragraph in _listed(paragraphs):
            if isinstance(paragraph, dict):
                said = " ".join(
                    as_text(s.get("text")) or ""
                    for s in _listed(paragraph.get("sentences"))
                    if isinstance(s, dict)
                )
                turns.append(
                    {
                        "speaker": _speaker(paragraph.get("speaker", "Unknown")),
                        "start": paragraph.get("start"),
                        "text": said,
                    }
                )
    metadata = _object(record.get("metadata"))
    extra = _object(metadata.get("extra"))
    return {
        "title": as_text(_first(extra, "title", "meeting", "topic", "name")),
        "account": as_text(_first(extra, "account", "company", "customer", "domain")),
        "started_at": metadata.get("created"),
        "call_id": as_text(metadata.get("request_id")),
        "utterances": [t for t in turns if t["text"].strip()],
    }
