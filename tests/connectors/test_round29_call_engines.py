"""What round 29's held-back engine outputs showed, each on a small input of its own: a log
of Amazon Chime SDK's live transcript events (partial results before each final, each word's
speaker an attendee; Transcribe's own stream the same in its names), and the Vonage Voice
API's transcription of a split recording (a list of phrases per channel, no names)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Priya Raman")
)
# 2026-03-02 10:00:00 UTC in epoch milliseconds.
T0 = 1772445600000


def _read(path: Path) -> tuple[list[Call], ConnectorOutput]:
    return calls_in(path, OURS)


def _one(path: Path) -> Call:
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    return call


def _word(who: str, content: str, at: int, kind: str = "pronunciation") -> dict[str, Any]:
    return {
        "content": content,
        "attendee": {"attendeeId": f"id-{who}", "externalUserId": who},
        "startTimeMs": at,
        "endTimeMs": at + 300,
        "type": kind,
    }


def _result(rid: str, partial: bool, at: int, words: list[dict[str, Any]], text: str) -> Any:
    return {
        "results": [
            {
                "resultId": rid,
                "channelId": "",
                "isPartial": partial,
                "startTimeMs": at,
                "endTimeMs": at + 4000,
                "alternatives": [{"items": words, "transcript": text, "entities": []}],
            }
        ]
    }


DANA = "dana@ourco.com"
RUTH = "ruth@globex.example"
CHIME = [
    {"type": "started", "eventTimeMs": T0, "transcriptionRegion": "eu-west-2"},
    _result("r1", True, T0 + 2000, [_word(DANA, "Thanks", T0 + 2000)], "Thanks"),
    _result(
        "r1",
        False,
        T0 + 2000,
        [_word(DANA, "Thanks", T0 + 2000), _word(DANA, "all", T0 + 2400)],
        "Thanks all.",
    ),
    _result("r2", True, T0 + 5000, [_word(RUTH, "The", T0 + 5000)], "The export"),
    _result(
        "r2",
        False,
        T0 + 5000,
        [_word(RUTH, "The", T0 + 5000), _word(RUTH, "export", T0 + 5300)],
        "The export times out on big stores.",
    ),
    # Cut off by the end of transcription: never final, its last partial kept (and warned of).
    _result("r3", True, T0 + 9000, [_word(RUTH, "And", T0 + 9000)], "And the"),
    {"type": "stopped", "eventTimeMs": T0 + 60000, "transcriptionRegion": "eu-west-2"},
]


def test_chimes_events_are_the_call_finals_over_partials(tmp_path: Path) -> None:
    path = tmp_path / "meeting.json"
    # A final the app logged twice (as it reconnected) is said once.
    path.write_text(json.dumps([*CHIME[:3], CHIME[2], *CHIME[3:]]))
    call = _one(path)
    assert turns(call) == [
        (DANA, "vendor", 2.0, "Thanks all."),
        (RUTH, "customer", 5.0, "The export times out on big stores. And the"),
    ]
    # Its times are the clock's: the call began when transcription started.
    assert call.started_at == datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    assert call.speakers[RUTH].email == RUTH


def test_a_chime_result_two_attendees_spoke_in_is_cut_between_them(tmp_path: Path) -> None:
    words = [
        _word(RUTH, "It", T0 + 1000),
        _word(RUTH, "fails", T0 + 1200),
        _word(RUTH, ".", T0 + 1400, "punctuation"),
        _word("a1b2#Sam Ortiz", "Which", T0 + 2000),
        _word("a1b2#Sam Ortiz", "store", T0 + 2300),
        _word("a1b2#Sam Ortiz", "?", T0 + 2500, "punctuation"),
    ]
    path = tmp_path / "meeting.json"
    path.write_text(json.dumps([_result("r1", False, T0 + 1000, words, "It fails. Which store?")]))
    call = _one(path)
    # The demo's "<id>#<name>" external user id names the attendee by what follows the "#".
    assert turns(call) == [
        (RUTH, "customer", 0.0, "It fails."),
        ("Sam Ortiz", "vendor", 1.0, "Which store?"),
    ]


def _streamed(rid: str, partial: bool, start: float, words: list[tuple[str, str]]) -> Any:
    return {
        "TranscriptEvent": {
            "Transcript": {
                "Results": [
                    {
                        "ResultId": rid,
                        "IsPartial": partial,
                        "StartTime": start,
                        "EndTime": start + 3,
                        "Alternatives": [
                            {
                                "Transcript": " ".join(w for _, w in words),
                                "Items": [
                                    {"Content": w, "Type": "pronunciation", "Speaker": s}
                                    for s, w in words
                                ],
                            }
                        ],
                    }
                ]
            }
        }
    }


def test_transcribes_own_stream_is_read_as_chimes_is(tmp_path: Path) -> None:
    path = tmp_path / "stream_2026-04-01.json"
    events = [
        _streamed("a", True, 1.5, [("0", "Hi,")]),
        _streamed("a", False, 1.5, [("0", "Hi,"), ("0", "Sam Ortiz here.")]),
        _streamed("b", False, 4.0, [("1", "Search is slow for us.")]),
    ]
    path.write_text(json.dumps(events))
    call = _one(path)
    assert [(who, start, text) for who, _, start, text in turns(call)] == [
        ("Speaker 0", 1.5, "Hi, Sam Ortiz here."),
        ("Speaker 1", 4.0, "Search is slow for us."),
    ]
    # Seconds into the stream date nothing: the file's name does.
    assert call.started_at == datetime(2026, 4, 1, tzinfo=UTC)


def _phrase(text: str, at_ms: int) -> dict[str, Any]:
    return {
        "sentence": text,
        "raw_sentence": text.lower().rstrip(".?"),
        "confidence": 0.9,
        "words": [{"word": w, "start_time": at_ms / 1000} for w in text.split()],
        "timestamp": at_ms,
        "duration": 2000,
    }


VONAGE = {
    "ver": "1.0.0",
    "request_id": "req-42",
    "channels": [
        {
            "transcript": [
                _phrase("Hi, thanks for calling back.", 4000),
                _phrase("The nightly sync drops half our orders.", 12000),
            ],
            "duration": 30,
        },
        {
            "transcript": [
                _phrase("Hello, this is Kim calling from OurCo support.", 1000),
                _phrase("How often does that happen?", 8000),
            ],
            "duration": 30,
        },
    ],
}


def test_vonages_channels_are_interleaved_and_sided_by_what_they_say(tmp_path: Path) -> None:
    path = tmp_path / "callback_2026-05-04.json"
    path.write_text(json.dumps(VONAGE))
    call = _one(path)
    # The vendor's voice is on the second channel here: who introduces themselves as the
    # vendor tells the sides, not the channel's number.
    assert turns(call) == [
        ("Channel 1", "vendor", 1.0, "Hello, this is Kim calling from OurCo support."),
        ("Channel 0", "customer", 4.0, "Hi, thanks for calling back."),
        ("Channel 1", "vendor", 8.0, "How often does that happen?"),
        ("Channel 0", "customer", 12.0, "The nightly sync drops half our orders."),
    ]
    assert call.call_id == "req-42"
    assert call.started_at == datetime(2026, 5, 4, tzinfo=UTC)


def test_vonages_channels_alone_in_a_file_are_read_the_same(tmp_path: Path) -> None:
    path = tmp_path / "callback.json"
    path.write_text(json.dumps({"channels": VONAGE["channels"]}))
    call = _one(path)
    assert [who for who, *_ in turns(call)] == ["Channel 1", "Channel 0", "Channel 1", "Channel 0"]


def test_vonages_mono_transcription_is_refused_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "callback.json"
    path.write_text(json.dumps({"ver": "1.0.0", "channels": VONAGE["channels"][:1]}))
    calls, output = _read(path)
    assert calls == []
    assert "one channel" in output.errors[0].reason


def test_calls_whose_phrases_name_their_speakers_are_no_vonage_channels(tmp_path: Path) -> None:
    def said(who: str, text: str) -> dict[str, Any]:
        return {"speaker": who, "sentence": text, "words": [{"word": text.split()[0]}]}

    path = tmp_path / "calls.json"
    path.write_text(
        json.dumps(
            [
                {
                    "title": "Search review",
                    "transcript": [said("Dana Lee", "How is search?"), said("Ruth", "It's slow.")],
                },
                {
                    "title": "Export review",
                    "transcript": [said("Sam Ortiz", "Any trouble?"), said("Ruth", "It fails.")],
                },
            ]
        )
    )
    calls, output = _read(path)
    assert output.errors == []
    assert [(c.title, [who for who, *_ in turns(c)]) for c in calls] == [
        ("Search review", ["Dana Lee", "Ruth"]),
        ("Export review", ["Sam Ortiz", "Ruth"]),
    ]
