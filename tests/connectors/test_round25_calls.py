"""What round 25's held-back JSON calls showed, each on a small input of its own: Attendee's
meeting-bot transcript (each turn's words inside `transcription`, its time in Unix
milliseconds, the host flagged on the turn); Attio's call transcript (`speech`, a page with
a `next_cursor`); Invoca's conversation (`{"agent": …}`, `{"caller": …}` and nothing else);
Avaya Infinity's messages (the interaction's `channel` on every one, the author an object
with its address one level down, a voice bot, an event with no words, `direction` in and
out, a clock time without a zone); Intercom's page of calls, each with its transcript (a
name beside the label, `speaker_type` admin); a colleague introduced to an engine's unnamed
voices whom the customer greets before he speaks; and Dutch read as well as the other
languages."""

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.statement_languages import kept_in_other_language, other_language
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from huddle.connectors.transcript_names import name_unnamed
from huddle.connectors.transcript_rules import Speaker, assign_sides
from tests.connectors.helpers import one_call

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _said(call: Call) -> list[tuple[str, str | None, str]]:
    return [(u.speaker, call.speakers[u.speaker].side, u.text) for u in call.utterances]


def _read(path: Path, record: Any) -> tuple[list[Call], ConnectorOutput]:
    path.write_text(json.dumps(record))
    output = ConnectorOutput()
    calls = read_calls(path, OURS, output)
    assert output.errors == []
    return calls, output


def test_attendees_turns_are_read_from_their_transcription_and_host_flag(tmp_path: Path) -> None:
    def turn(name: str, host: bool, at: int, words: str) -> dict[str, Any]:
        return {
            "speaker_name": name,
            "speaker_uuid": str(len(name)),
            "speaker_user_uuid": None,
            "speaker_is_host": host,
            "timestamp_ms": at,
            "duration_ms": 4000,
            "transcription": {"transcript": words, "words": None},
        }

    call = one_call(
        tmp_path,
        [
            turn("Kees Bakker", True, 1764163808200, "Welkom allemaal, fijn dat jullie er zijn."),
            turn("Femke de Groot", False, 1764163821700, "De planning is te traag."),
        ],
        ConnectorOptions(),
    )
    assert _said(call) == [
        ("Kees Bakker", "vendor", "Welkom allemaal, fijn dat jullie er zijn."),
        ("Femke de Groot", "customer", "De planning is te traag."),
    ]
    assert [u.start for u in call.utterances] == [0.0, 13.5]
    assert call.started_at is not None and call.started_at.isoformat().startswith(
        "2025-11-26T13:30:08"
    )


def _attio(turns: list[tuple[str, float, str]], cursor: str | None) -> dict[str, Any]:
    return {
        "data": {
            "id": {"workspace_id": "w1", "meeting_id": "m1", "call_recording_id": "r1"},
            "transcript": [
                {"speech": words, "start_time": at, "end_time": at + 1, "speaker": {"name": who}}
                for who, at, words in turns
            ],
        },
        "pagination": {"next_cursor": cursor},
    }


def test_attios_transcript_is_read_and_a_page_with_more_to_come_says_so(tmp_path: Path) -> None:
    turns = [
        ("Dana Lee", 0.5, "Thanks for joining."),
        ("Hannah Cho", 3.2, "Our planner copies every order into a sheet by hand."),
    ]
    (call,), output = _read(tmp_path / "attio.json", _attio(turns, None))
    assert _said(call) == [
        ("Dana Lee", "vendor", "Thanks for joining."),
        ("Hannah Cho", "customer", "Our planner copies every order into a sheet by hand."),
    ]
    assert output.warnings == []
    _, output = _read(tmp_path / "attio_page1.json", _attio(turns, "eyJvZmZzZXQiOjJ9"))
    assert [(w.column, "eyJvZmZzZXQiOjJ9" in w.reason) for w in output.warnings] == [
        ("paging", True)
    ]


def test_attios_words_one_a_record_are_run_together_by_speaker(tmp_path: Path) -> None:
    words = ["Hello,", "Mr", "Watson,", "come", "here.", "I", "want", "to", "see", "you."]
    turns = [("Alex Bell", 0.5 + i, w) for i, w in enumerate(words)]
    turns += [("Tom Watson", 20.0 + i, w) for i, w in enumerate(["Coming", "right", "now."])]
    (call,), _ = _read(tmp_path / "attio.json", _attio(turns, None))
    assert [(u.speaker, u.text) for u in call.utterances] == [
        ("Alex Bell", "Hello, Mr Watson, come here. I want to see you."),
        ("Tom Watson", "Coming right now."),
    ]


def test_invocas_conversation_is_said_by_the_side_that_is_its_only_key(tmp_path: Path) -> None:
    call = one_call(
        tmp_path,
        [
            {"agent": "Thanks for calling OurCo, how can I help?"},
            {"caller": "Our maintenance schedules are all calendar-based."},
            {"agent": "Tell me more."},
        ],
        OURS,
    )
    assert _said(call) == [
        ("agent", "vendor", "Thanks for calling OurCo, how can I help?"),
        ("caller", "customer", "Our maintenance schedules are all calendar-based."),
        ("agent", "vendor", "Tell me more."),
    ]


def _avaya(
    kind: str, author: dict[str, Any], direction: str, words: str | None, at: str
) -> dict[str, Any]:
    return {
        "id": at,
        "channel": "004d01000069d6b91753dcd4c0",
        "direction": direction,
        "type": kind,
        "author": author,
        "message": [{"type": "text", "text": words}] if words else [],
        "createdAt": at,
    }


@pytest.fixture
def away_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The importing machine's clock set to a zone away from UTC."""
    monkeypatch.setenv("TZ", "America/Chicago")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("away_from_utc")
def test_avayas_messages_are_said_by_their_author_not_the_channel(tmp_path: Path) -> None:
    bot = {"type": "bot", "details": {"id": "ivr", "displayName": "OurCo Assistant"}}
    wen = {"type": "customer", "details": {"displayName": "Wen Li", "email": "wen@hooli.example"}}
    # An agent the workspace does not know, by no address of ours: out of the centre.
    kim = {"type": "user", "details": {"displayName": "Kim Ng", "email": None}}
    call = one_call(
        tmp_path,
        {
            "messages": [
                _avaya(
                    "message",
                    bot,
                    "out",
                    "Tell me what you're calling about.",
                    "2026-11-30 16:27:05.1",
                ),
                _avaya("message", wen, "in", "Webhooks stopped arriving.", "2026-11-30 16:27:11.8"),
                _avaya(
                    "message",
                    kim,
                    "out",
                    "Let me look at the delivery log.",
                    "2026-11-30 16:27:20.1",
                ),
                _avaya("event", kim, "out", None, "2026-11-30 16:27:25.0"),
                _avaya(
                    "message",
                    wen,
                    "in",
                    "We need an alert when they stop.",
                    "2026-11-30 16:27:31.8",
                ),
            ]
        },
        OURS,
    )
    assert _said(call) == [
        ("Wen Li", "customer", "Webhooks stopped arriving."),
        ("Kim Ng", "vendor", "Let me look at the delivery log."),
        ("Wen Li", "customer", "We need an alert when they stop."),
    ]
    assert call.speakers["Wen Li"].email == "wen@hooli.example"
    # The clock time has no zone: UTC's, whatever the importing machine's.
    assert call.started_at is not None and call.started_at.isoformat() == (
        "2026-11-30T16:27:05.100000+00:00"
    )


def test_a_field_every_turn_shares_is_still_the_speaker_when_nothing_else_is(
    tmp_path: Path,
) -> None:
    call = one_call(
        tmp_path,
        {
            "memo": [
                {"channel": "ch-1", "message": [{"text": "The export drops night shifts."}]},
                {"channel": "ch-1", "message": [{"text": "Payroll adds them by hand."}]},
            ]
        },
        ConnectorOptions(),
    )
    assert [u.speaker for u in call.utterances] == ["ch-1"]


def test_direction_tells_sides_only_when_the_turns_go_both_ways(tmp_path: Path) -> None:
    def line(who: str, direction: str, words: str) -> dict[str, Any]:
        return {"author": {"displayName": who}, "direction": direction, "body": [{"text": words}]}

    both = one_call(
        tmp_path,
        {"lines": [line("Ari", "out", "How can I help?"), line("Bo", "in", "It's slow.")]},
        ConnectorOptions(),
    )
    assert [(s.name, s.role) for s in both.speakers.values()] == [
        ("Ari", "internal"),
        ("Bo", "external"),
    ]
    one_way = one_call(
        tmp_path,
        {"lines": [line("Ari", "inbound", "How can I help?"), line("Bo", "inbound", "Slow.")]},
        ConnectorOptions(),
    )
    assert [s.role for s in one_way.speakers.values()] == [None, None]


def _intercom_call(ident: str, at: int, turns: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "type": "call",
        "id": ident,
        "initiated_at": at,
        "created_at": at,
        "recording_url": f"https://api.intercom.io/calls/{ident}/recording",
        "direction": "outbound",
        "transcript": turns,
        "transcript_status": "completed",
    }


def _intercom_turn(label: str, kind: str, name: str | None, at: str, words: str) -> dict[str, Any]:
    turn = {"start_time": at, "speaker_label": label, "speaker": label, "content": words}
    turn["speaker_type"] = kind
    if name is not None:
        turn["speaker_name"] = name
    return turn


def test_intercoms_page_of_calls_is_every_call_with_its_teammates_on_our_side(
    tmp_path: Path,
) -> None:
    first = _intercom_call(
        "1",
        1764853980,
        [
            _intercom_turn(
                "Teammate 1", "admin", "Kim Ng", "1.10", "Calling back about the ticket."
            ),
            _intercom_turn(
                "Customer 1", "user", "Marisol Vega", "8.74", "The photos never upload."
            ),
            _intercom_turn("Teammate 2", "admin", "Deleted teammate", "20.0", "We reproduced it."),
            _intercom_turn("Customer 2", "user", None, "30.5", "The handhelds log us out too."),
        ],
    )
    second = _intercom_call(
        "2",
        1764940380,
        [
            _intercom_turn("Teammate 1", "admin", "Kim Ng", "0.5", "Following up."),
            _intercom_turn(
                "Customer 1", "lead", "Ola Berg", "4.0", "The export has no photo links."
            ),
        ],
    )
    page = {
        "type": "list",
        "data": [first, second],
        "pages": {"type": "pages", "page": 1, "per_page": 25, "total_pages": 1},
        "total_count": 2,
    }
    calls, output = _read(tmp_path / "calls.json", page)
    assert output.warnings == []
    assert [(c.call_id, c.started_at and c.started_at.date().isoformat()) for c in calls] == [
        ("1", "2025-12-04"),
        ("2", "2025-12-05"),
    ]
    assert [[(who, side) for who, side, _ in _said(c)] for c in calls] == [
        [
            ("Kim Ng", "vendor"),
            ("Marisol Vega", "customer"),
            ("Deleted teammate", "vendor"),
            ("Customer 2", "customer"),
        ],
        [("Kim Ng", "vendor"), ("Ola Berg", "customer")],
    ]
    page["pages"] = {"type": "pages", "page": 1, "next": {"page": 2, "starting_after": "WzE3"}}
    _, output = _read(tmp_path / "calls.json", page)
    assert [(w.column, "starts at WzE3;" in w.reason) for w in output.warnings] == [
        ("paging", True)
    ]


def test_a_page_of_turns_each_with_its_words_is_one_call_not_many(tmp_path: Path) -> None:
    said = [("A", "How do you plan?"), ("B", "On paper, every Monday.")]

    def words(who: str, text: str) -> list[dict[str, Any]]:
        return [{"text": w, "speaker": who} for w in text.split()]

    # Turns naming their speaker, their words only word by word; and turns whose words are
    # theirs whole, their speaker under a name a call's turn does not use.
    by_speaker = [{"speaker": who, "words": words(who, text)} for who, text in said]
    by_text = [{"participant": who, "text": text, "words": words(who, text)} for who, text in said]
    for turns in (by_speaker, by_text):
        call = one_call(tmp_path, {"data": turns, "meta": {"total": 2}}, ConnectorOptions())
        assert [(u.speaker, u.text) for u in call.utterances] == said


def test_a_colleague_greeted_by_the_customer_is_the_voice_that_answers() -> None:
    said = [
        (
            "SPEAKER_00",
            "Hi Amara, thanks for making time. I'm Priya, a product manager at OurCo. I've "
            "also got my colleague Sam Ortiz with me, he leads product for scheduling.",
        ),
        ("SPEAKER_01", "Hi Sam."),
        ("SPEAKER_02", "Hi Amara, good to meet you, thanks for doing this."),
        ("SPEAKER_01", "Swaps happen over WhatsApp and nobody tells me."),
        ("SPEAKER_02", "Would it help if staff could request swaps in the app?"),
    ]
    speakers = {label: Speaker(label) for label, _ in said}
    name_unnamed(speakers, said)
    assign_sides(speakers, said, ("ourco.com",), staff_names=("Sam Ortiz",))
    assert {n: (s.aliases, s.side) for n, s in speakers.items()} == {
        "SPEAKER_00": (("Priya",), "vendor"),
        "SPEAKER_01": ((), "customer"),
        "SPEAKER_02": (("Sam Ortiz",), "vendor"),
    }


def test_dutch_is_known_by_its_function_words_as_the_other_languages_are() -> None:
    assert [
        other_language(s)
        for s in (
            "Dat is eigenlijk precies wat we willen.",
            "Jullie supportteam reageert altijd snel.",
            "Een pincode per medewerker in plaats van een volledig wachtwoord zou veel schelen.",
            "That is exactly what we want, honestly.",
        )
    ] == [True, True, True, False]
    # A fact about their business with a number is kept only when something is wrong in it.
    assert not kept_in_other_language("We hebben drie ploegen die de scanners delen per dag.")
    assert kept_in_other_language(
        "We hebben drie ploegen en elke ochtend een probleem met de scanners."
    )
