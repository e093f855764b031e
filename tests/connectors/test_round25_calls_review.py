"""A review of round 25's rules for call JSON, each problem found on a small input of its
own: a page of calls listing one call without its transcript (Intercom's "with transcripts
when available") is still each call, not one call made of the largest transcript; and a
customer greeting a colleague just introduced is not that colleague."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_names import name_unnamed
from huddle.connectors.transcript_rules import Speaker, assign_sides

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))


def _call(ident: str, at: int, turns: list[tuple[str, str, str, str]] | None) -> dict[str, Any]:
    call: dict[str, Any] = {"type": "call", "id": ident, "initiated_at": at, "direction": "inbound"}
    if turns is None:
        # Not transcribed: no transcript, its state said beside.
        call |= {"transcript": None, "transcript_status": "failed"}
    else:
        call["transcript"] = [
            {"speaker": label, "speaker_type": kind, "speaker_name": name, "content": words}
            for label, kind, name, words in turns
        ]
    return call


def test_a_page_listing_a_call_without_its_transcript_is_still_each_call(tmp_path: Path) -> None:
    first = _call(
        "1",
        1764853980,
        [
            ("Teammate 1", "admin", "Kim Ng", "Thanks for calling, how can I help?"),
            ("Customer 1", "user", "Marisol Vega", "The photos never upload from the handhelds."),
        ],
    )
    second = _call(
        "2",
        1764940380,
        [
            ("Teammate 1", "admin", "Kim Ng", "Following up on the export."),
            ("Customer 1", "lead", "Ola Berg", "The export has no photo links at all."),
        ],
    )
    for missing in (_call("3", 1764990000, None), {"type": "call", "id": "3", "state": "missed"}):
        path = tmp_path / "calls.json"
        path.write_text(json.dumps({"type": "list", "data": [first, missing, second]}))
        output = ConnectorOutput()
        calls = read_calls(path, OURS, output)
        assert output.errors == []
        assert [
            (c.call_id, [(u.speaker, c.speakers[u.speaker].side) for u in c.utterances])
            for c in calls
        ] == [
            ("1", [("Kim Ng", "vendor"), ("Marisol Vega", "customer")]),
            ("2", [("Kim Ng", "vendor"), ("Ola Berg", "customer")]),
        ]
        assert [(w.column, w.reason.startswith("call 3 ")) for w in output.warnings] == [
            ("transcript", True)
        ]
    # A page none of whose calls has its transcript yet is refused, saying so.
    path.write_text(json.dumps({"type": "list", "data": [first | {"transcript": []}]}))
    output = ConnectorOutput()
    assert read_calls(path, OURS, output) == []
    assert [(e.column, e.reason) for e in output.errors] == [
        ("transcript", "no call on this page has its transcript")
    ]


def test_customers_greeting_a_colleague_just_introduced_are_not_him() -> None:
    said = [
        (
            "SPEAKER_00",
            "Thanks both for joining. I'm Priya, a product manager at OurCo. I've also got my "
            "colleague Sam Ortiz with me, he leads scheduling.",
        ),
        ("SPEAKER_01", "Hi Sam."),
        ("SPEAKER_02", "Hi Sam."),
        ("SPEAKER_03", "Hi both, thanks for having me."),
        ("SPEAKER_01", "Swaps happen over WhatsApp and nobody tells me."),
        ("SPEAKER_02", "And the rota export is always a day late."),
        ("SPEAKER_03", "Would it help if staff could request swaps in the app?"),
    ]
    speakers = {label: Speaker(label) for label, _ in said}
    name_unnamed(speakers, said)
    assign_sides(speakers, said, ("ourco.com",), staff_names=("Sam Ortiz",))
    assert {n: (s.aliases, s.side) for n, s in speakers.items()} == {
        "SPEAKER_00": (("Priya",), "vendor"),
        "SPEAKER_01": ((), "customer"),
        "SPEAKER_02": ((), "customer"),
        "SPEAKER_03": (("Sam Ortiz",), "vendor"),
    }


def _attendee(name: str, host: bool, at: int, words: str) -> dict[str, Any]:
    return {
        "speaker_name": name,
        "speaker_uuid": name,
        "speaker_is_host": host,
        "timestamp_ms": at,
        "transcription": {"transcript": words},
    }


def test_a_customer_hosting_the_meeting_is_not_the_vendor_for_it(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    path.write_text(
        json.dumps(
            [
                _attendee("Hannah Cho", True, 1764163808200, "Thanks for joining our call."),
                _attendee(
                    "Nadia Park",
                    False,
                    1764163818200,
                    "Thanks Hannah. I'm Nadia, a solutions engineer at OurCo.",
                ),
                _attendee(
                    "Hannah Cho",
                    True,
                    1764163828200,
                    "Our planners copy every order into a spreadsheet by hand.",
                ),
            ]
        )
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, ConnectorOptions(internal_domains=("ourco.com",)), output)
    assert output.errors == []
    assert {s.name: s.side for s in call.speakers.values()} == {
        "Hannah Cho": "customer",
        "Nadia Park": "vendor",
    }


def test_a_start_no_calendar_holds_is_said_as_the_calls_start(tmp_path: Path) -> None:
    turns = [("Teammate 1", "admin", "Kim Ng", "Hello."), ("Customer 1", "user", "Ola", "Hi.")]
    for at in (1e20, float("inf")):
        path = tmp_path / "call.json"
        path.write_text(json.dumps(_call("1", 0, turns) | {"initiated_at": at}))
        output = ConnectorOutput()
        read_calls(path, OURS, output)
        assert [e.column for e in output.errors] == ["started_at"]


def test_a_calls_own_start_beats_the_times_its_found_turns_were_written(tmp_path: Path) -> None:
    def line(who: str, words: str, written: str | None) -> dict[str, Any]:
        said: dict[str, Any] = {"author": {"displayName": who}, "message": words}
        return said | ({"createdAt": written} if written else {})

    for written in ("2026-11-05T09:00:00Z", None):
        path = tmp_path / "call.json"
        path.write_text(
            json.dumps(
                {
                    "id": "c1",
                    "started_at": "2026-11-03T14:00:00Z",
                    "messages": [
                        line("Ari", "How do you plan the week?", written),
                        line("Bo", "On paper, every Monday.", written),
                    ],
                }
            )
        )
        output = ConnectorOutput()
        (call,) = read_calls(path, ConnectorOptions(), output)
        assert output.errors == []
        assert call.started_at is not None
        assert call.started_at.isoformat() == "2026-11-03T14:00:00+00:00"


def test_a_last_page_naming_no_next_page_gives_no_warning() -> None:
    """A cursor of 0, null or an object of nulls is the last page's way of naming none."""
    from huddle.connectors.transcript_pages import next_page

    last = [{"next": 0}, {"pages": {"next": None}}, {"paging": {"next": {"after": None}}}]
    assert [next_page(page) for page in last] == [None, None, None]
    assert next_page({"pages": {"next": {"page": 2, "starting_after": "WzE3"}}}) == "WzE3"
    assert next_page({"next_page_token": "abc"}) == "abc"
