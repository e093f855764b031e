"""Speech-to-text engines' own output read as a call.

A team that transcribes its recordings itself keeps the engine's response: the turns are
there under the engine's names, a speaker a number ("spk_0", 1), the words of a turn its own
list. Each is turned into the call shape `transcript_json` reads (`utterances` of speaker,
start, text): Amazon Transcribe, Azure's batch transcription, Deepgram and IBM Watson.
"""

import re
from typing import Any

from huddle.connectors.record_values import (
    as_object,
    as_text,
    dict_at,
    finite_number,
    first_given,
    listed,
)
from huddle.connectors.transcript_streams import channel_call, streamed_call
from huddle.imports.rows import RowShapeError


def speech_to_text(record: Any) -> dict[str, Any] | None:
    """The call in an Amazon Transcribe, Azure batch transcription, Deepgram or IBM Watson
    response, a log of live transcription events (Amazon Chime SDK's, Transcribe's stream)
    or Vonage's transcription of a split recording (`transcript_streams`); None for any
    other JSON."""
    streamed = _streamed(record)
    if streamed is not None:
        return streamed
    if not isinstance(record, dict):
        return None
    results = record.get("results")
    if isinstance(results, dict) and ("speaker_labels" in results or "audio_segments" in results):
        return _amazon(record, results)
    if isinstance(record.get("recognizedPhrases"), list):
        return _azure(record)
    if isinstance(results, dict) and isinstance(results.get("channels"), list):
        return _deepgram(record, results)
    if isinstance(results, list) and isinstance(record.get("speaker_labels"), list):
        return _watson(results, record["speaker_labels"])
    return None


def _streamed(record: Any) -> dict[str, Any] | None:
    """A streamed or channel-by-channel transcript's call, its speakers as labels."""
    if isinstance(record, dict) and isinstance(record.get("speaker_labels"), list):
        return None  # Watson's, whose results are no stream's
    call = streamed_call(record) or channel_call(record)
    if call is None:
        return None
    turns = [{**turn, "speaker": _speaker(turn["speaker"])} for turn in call["utterances"]]
    return {**call, "utterances": _with_speakers(turns)}


def _first_of(value: Any) -> dict[str, Any]:
    """The first member of a list when it is an object (an engine's best alternative)."""
    return as_object(next(iter(listed(value)), None))


def _speaker(value: Any) -> str:
    """An engine's speaker as a label: "spk_0" -> "Speaker 0", 1 -> "Speaker 1", a channel
    "ch_1" -> "Channel 1"."""
    if value is None or value == "":
        return "Unknown"
    text = str(value).strip()
    channel = re.fullmatch(r"ch_?(\d+)", text, re.IGNORECASE)
    if channel:
        return f"Channel {channel.group(1)}"
    number = re.fullmatch(r"(?:spk_|speaker_?|guest-?)?(\d+)", text, re.IGNORECASE)
    return f"Speaker {number.group(1)}" if number else text or "Unknown"


def _amazon(record: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Amazon Transcribe: `audio_segments` (a turn's transcript, start and speaker) where the
    job wrote them, else its `items` (each word, each mark of punctuation) run together by
    speaker."""
    turns: list[dict[str, Any]] = []
    segments = [s for s in listed(results.get("audio_segments")) if isinstance(s, dict)]
    if segments:
        for segment in segments:
            turns.append(
                {
                    "speaker": _speaker(
                        segment.get("speaker_label") or segment.get("channel_label") or ""
                    ),
                    "start": segment.get("start_time"),
                    "text": as_text(segment.get("transcript")) or "",
                }
            )
    else:
        said_by = _speakers_by_time(results)
        for item in listed(results.get("items")):
            if not isinstance(item, dict):
                continue
            word = as_text(_first_of(item.get("alternatives")).get("content")) or ""
            label = item.get("speaker_label") or item.get("channel_label")
            if not label and item.get("type") != "punctuation":
                label = said_by(item.get("start_time"))
            who = _speaker(label or (turns[-1]["speaker"] if turns else ""))
            if item.get("type") == "punctuation" and turns:
                turns[-1]["text"] += word
            elif turns and turns[-1]["speaker"] == who:
                turns[-1]["text"] += f" {word}"
            else:
                turns.append({"speaker": who, "start": item.get("start_time"), "text": word})
    return {
        "title": as_text(record.get("jobName")),
        "utterances": _with_speakers([t for t in turns if t["text"].strip()]),
    }


def _speakers_by_time(results: dict[str, Any]) -> Any:
    """Who spoke at a time, as older Amazon output gives it: only in
    `speaker_labels.segments` (each a speaker from a start to an end), not on its items."""
    spans = []
    for segment in listed(dict_at(results, "speaker_labels").get("segments")):
        if isinstance(segment, dict):
            start, end = (
                finite_number(segment.get("start_time")),
                finite_number(segment.get("end_time")),
            )
            if start is not None and end is not None:
                spans.append((start, end, segment.get("speaker_label")))

    def said_by(when: Any) -> Any:
        at = finite_number(when)
        return next(
            (who for start, end, who in spans if at is not None and start <= at <= end), None
        )

    return said_by


def _with_speakers(turns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The turns, when the engine told who said them: a transcript with no speakers (the
    job run without diarisation or channel identification) cannot tell the customer's words
    from the vendor's, and is refused saying so."""
    if turns and all(turn["speaker"] == "Unknown" for turn in turns):
        raise RowShapeError(
            1,
            "the transcript names no speakers: run the transcription again with speaker "
            "diarisation (or channel identification) on, so the customer's words can be told "
            "from yours",
        )
    return turns


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
            speaker = phrase.get("speaker")
            if speaker is None and phrase.get("channel") is not None:
                speaker = f"ch_{phrase['channel']}"  # channels, not diarised speakers
            turns.append(
                {"speaker": _speaker(speaker), "start": _azure_offset(phrase), "text": text}
            )
    # Its `timestamp` is when it was transcribed, not when the call was: the call is dated as
    # other files are (a date in its name, else the file's). Its `source` may carry a storage
    # key in its query: the link is the recording's without it.
    source = as_text(record.get("source"))
    return {
        "recording_url": source.split("?", 1)[0] if source else None,
        "utterances": _with_speakers(turns),
    }


# A call is not longer than a day; an offset past that is no offset.
_LONGEST_CALL = 24 * 3600.0


def _azure_offset(phrase: dict[str, Any]) -> float:
    ticks = finite_number(phrase.get("offsetInTicks"))
    if ticks is not None and not isinstance(phrase.get("offsetInTicks"), bool):
        at = ticks / 10_000_000
    else:
        found = re.fullmatch(
            r"PT(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?",
            str(phrase.get("offset") or ""),
            re.IGNORECASE,
        )
        if found is None:
            return 0.0
        hours, minutes, secs = (float(part) if part else 0.0 for part in found.groups())
        at = hours * 3600 + minutes * 60 + secs
    return at if 0 <= at <= _LONGEST_CALL else 0.0


def _deepgram(record: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """Deepgram: its `utterances` (diarised turns) where asked for, else the paragraphs of
    every channel's best alternative in the order said (a stereo call's second channel is
    often the customer); what the request's `extra` said of the call (its account, its
    meeting) as the call's own."""
    turns: list[dict[str, Any]] = []
    for utterance in listed(results.get("utterances")):
        if isinstance(utterance, dict):
            turns.append(
                {
                    "speaker": _speaker(utterance.get("speaker")),
                    "start": utterance.get("start"),
                    "text": as_text(utterance.get("transcript")) or "",
                }
            )
    if not turns:
        channels = listed(results.get("channels"))
        for number, channel in enumerate(channels):
            best = _first_of(as_object(channel).get("alternatives"))
            for paragraph in listed(dict_at(best, "paragraphs").get("paragraphs")):
                if isinstance(paragraph, dict):
                    said = " ".join(
                        as_text(s.get("text")) or ""
                        for s in listed(paragraph.get("sentences"))
                        if isinstance(s, dict)
                    )
                    speaker = paragraph.get("speaker")
                    if speaker is None and len(channels) > 1:
                        speaker = f"ch_{number}"
                    turns.append(
                        {
                            "speaker": _speaker(speaker),
                            "start": paragraph.get("start"),
                            "text": said,
                        }
                    )
        turns.sort(key=lambda turn: finite_number(turn["start"]) or 0.0)
    metadata = dict_at(record, "metadata")
    extra = dict_at(metadata, "extra")
    # Its `created` is when it was transcribed: the call is dated as other files are.
    return {
        "title": as_text(first_given(extra, "title", "meeting", "topic", "name")),
        "account": as_text(first_given(extra, "account", "company", "customer", "domain")),
        "call_id": as_text(metadata.get("request_id")),
        "utterances": _with_speakers([t for t in turns if t["text"].strip()]),
    }


# Watson's marks for a pause filled ("um", "er"): nobody's words.
_HESITATION = re.compile(r"^%\w+$")


def _watson(results: list[Any], labels: list[Any]) -> dict[str, Any]:
    """IBM Watson Speech to Text: each result's best alternative's words with their times
    (`timestamps`, [word, start, end]), the speaker of each word in `speaker_labels` by its
    start. Watson writes no punctuation unless asked: each result, a phrase it heard between
    pauses, ends a sentence, so a speaker's words read as sentences, not as one run."""
    said_at = {
        round(at, 2): label.get("speaker")
        for label in labels
        if isinstance(label, dict) and (at := finite_number(label.get("from"))) is not None
    }
    turns: list[dict[str, Any]] = []
    for result in results:
        words = listed(_first_of(as_object(result).get("alternatives")).get("timestamps"))
        phrase: list[tuple[Any, str, Any]] = []
        for word in words:
            if isinstance(word, list) and len(word) >= 2 and not _HESITATION.match(str(word[0])):
                at = finite_number(word[1])
                phrase.append(
                    (said_at.get(round(at, 2)) if at is not None else None, str(word[0]), at)
                )
        for speaker, text, start in _by_speaker(phrase):
            who = _speaker(speaker if speaker is not None else "")
            sentence = as_sentence(text)
            if turns and turns[-1]["speaker"] == who:
                turns[-1]["text"] += f" {sentence}"
            else:
                turns.append({"speaker": who, "start": start, "text": sentence})
    return {"utterances": _with_speakers(turns)}


def _by_speaker(words: list[tuple[Any, str, Any]]) -> list[tuple[Any, str, Any]]:
    """A phrase's words run together by speaker: (speaker, words, when the first began)."""
    runs: list[tuple[Any, str, Any]] = []
    for speaker, word, at in words:
        if runs and runs[-1][0] == speaker:
            runs[-1] = (speaker, f"{runs[-1][1]} {word}", runs[-1][2])
        else:
            runs.append((speaker, word, at))
    return runs


def as_sentence(text: str) -> str:
    """Words an engine wrote without case or punctuation as a sentence: a capital to open,
    "I" as a word, a full stop to close (one it wrote is kept)."""
    text = re.sub(r"\bi\b", "I", text.strip())
    text = text[:1].upper() + text[1:]
    return text if re.search(r"[.!?]$", text) else f"{text}."
