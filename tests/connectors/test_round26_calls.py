"""What round 26's held-back calls showed, each on a small input of its own: Krisp's text
export (a title, a date line with the time range of the call, `Name | 00:05` over the words)
and Zoom's recording transcript JSON (Zoom Phone's `timeline` of turns, each with `ts` and a
`users` list of who spoke, `recording_start`, and the Zoom account's `account_id` beside the
host's `host_id`)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _read(path: Path) -> tuple[list[Call], ConnectorOutput]:
    return calls_in(path, OURS)


KRISP = """Hooli Cloud / OurCo - webhook review
Tue, Dec 1, 2026, 10:00 AM - 10:05 AM

Sam Ortiz | 00:06
Thanks for making time, Raj.

Raj Malhotra | 00:22
Your webhooks stopped firing and nobody told us.
The status page said all was well.

Sam Ortiz | 01:09
We retry three times.

Raj Malhotra | 01:13
Ten minutes of retries isn't enough.
"""


def test_krisps_name_bar_time_heads_and_date_range_are_read(tmp_path: Path) -> None:
    path = tmp_path / "meeting.txt"
    path.write_text(KRISP)
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.title == "Hooli Cloud / OurCo - webhook review"
    assert call.started_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    assert turns(call) == [
        ("Sam Ortiz", "vendor", 6.0, "Thanks for making time, Raj."),
        (
            "Raj Malhotra",
            "customer",
            22.0,
            "Your webhooks stopped firing and nobody told us. The status page said all was well.",
        ),
        ("Sam Ortiz", "vendor", 69.0, "We retry three times."),
        ("Raj Malhotra", "customer", 73.0, "Ten minutes of retries isn't enough."),
    ]


def test_a_bar_without_a_time_is_no_speaker_line_and_is_refused_by_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "meeting.txt"
    path.write_text("Webhook review\n\nRaj Malhotra | Hooli Cloud\nWebhooks stopped firing.\n")
    calls, output = _read(path)
    assert [(e.line, e.reason) for e in output.errors] == [
        (line, "expected 'Speaker: text' (a speaker label, a colon, what they said)")
        for line in (3, 4)
    ]
    assert [c.utterances for c in calls] == [[]]


def _entry(at: str, words: str, *users: tuple[str, str, str]) -> dict[str, Any]:
    return {
        "text": words,
        "raw_text": words,
        "ts": at,
        "end_ts": at,
        "users": [
            {
                "username": name,
                "multiple_people": len(users) > 1,
                "user_id": ident,
                "zoom_userid": ident,
                "email_address": email,
            }
            for name, ident, email in users
        ],
    }


PRIYA = ("Priya Raman", "kT3x9Qw", "priya@ourco.com")
NADIA = ("Nadia Petrov", "", "")
OMAR = ("Omar Haddad", "", "")


def _zoom(timeline: list[dict[str, Any]], **call: Any) -> dict[str, Any]:
    return {
        "type": "zoom_transcript",
        "ver": 1,
        "recording_id": "8d2c4f6a",
        "meeting_id": "",
        "account_id": "Zq1pD6mWTeiB9n0kXv3u7g",
        "host_id": "kT3x9Qw",
        "recording_start": "2026-11-19T16:04:37Z",
        "recording_end": "2026-11-19T16:17:52Z",
        "timeline": timeline,
        **call,
    }


def test_zoom_phones_timeline_is_read_with_its_users_and_times(tmp_path: Path) -> None:
    path = tmp_path / "umbrella_callback.json"
    path.write_text(
        json.dumps(
            _zoom(
                [
                    _entry("00:00:00.840", "Hi, it's Priya from OurCo.", PRIYA),
                    _entry("00:00:07.750", "The task list is just empty.", NADIA),
                    _entry("00:01:02.500", "Since the import, for all of us.", NADIA, OMAR),
                ]
            )
        )
    )
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    # The Zoom account is the host's, not a customer's: the call names none of its own.
    assert call.account is None
    assert call.started_at == datetime(2026, 11, 19, 16, 4, 37, tzinfo=UTC)
    assert turns(call) == [
        ("Priya Raman", "vendor", 0.84, "Hi, it's Priya from OurCo."),
        ("Nadia Petrov", "customer", 7.75, "The task list is just empty."),
        ("Nadia Petrov & Omar Haddad", "customer", 62.5, "Since the import, for all of us."),
    ]
    assert call.speakers["Priya Raman"].email == "priya@ourco.com"


def test_an_account_id_without_a_host_is_still_the_calls_account(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    record = _zoom([_entry("00:00:01", "Hello.", PRIYA), _entry("00:00:03", "Hi.", NADIA)])
    del record["host_id"]
    path.write_text(json.dumps(record))
    calls, output = _read(path)
    assert output.errors == []
    assert [c.account for c in calls] == ["Zq1pD6mWTeiB9n0kXv3u7g"]


def test_a_zoom_timeline_without_words_is_refused_naming_the_utterances(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps(_zoom([{"ts": "00:00:01", "users": [{"username": "Nadia"}]}])))
    calls, output = _read(path)
    assert calls == []
    assert [(e.line, e.column) for e in output.errors] == [(1, "utterances")]
