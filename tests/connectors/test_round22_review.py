"""What a review of round 22's rules found, each a realistic input that lost or misattributed
customer words (or crashed) until mended: a list of calls with one call unread, speaker lines
of names outside ASCII or said once, a colleague's name given to the customer who spoke
next, a staff member's full name given to a customer who shares his first name, ordinary
words taken for staff names in text without case, clock times in milliseconds, turns named
for nobody, a customer's words read as the vendor's introduction, a customer's journey read
as a quote's header, a participants list lost, kinds that are roles, every record with a
user id."""

import json
from pathlib import Path
from typing import Any

import pytest

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.replies import strip_replies
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from huddle.connectors.transcript_names import name_unnamed
from huddle.connectors.transcript_rules import Speaker, assign_sides

PAIN = "Our exports keep timing out on the big projects, we need them overnight."


def _calls(tmp_path: Path, content: Any, name: str = "call.json", **options: Any) -> list[Call]:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    output = ConnectorOutput()
    opts = ConnectorOptions(internal_domains=("ourco.com",), **options)
    calls = read_calls(path, opts, output)
    return calls


def _sides(call: Call) -> list[tuple[str, str | None, str]]:
    return [(u.speaker, call.speakers[u.speaker].side, u.text) for u in call.utterances]


def test_a_list_of_calls_with_one_unread_keeps_the_others(tmp_path: Path) -> None:
    call = lambda n: {  # noqa: E731
        "title": f"Call {n}",
        "utterances": [{"speaker": "Kim", "text": PAIN}, {"speaker": "Dana", "text": "Noted."}],
    }
    path = tmp_path / "calls.json"
    path.write_text(json.dumps([call(0), {"title": "Call 1", "utterances": None}, call(2)]))
    output = ConnectorOutput()
    calls = read_calls(path, ConnectorOptions(), output)
    assert [c.title for c in calls] == ["Call 0", "Call 2"]
    assert [e.reason for e in output.errors] == [
        "the call has no list of utterances (utterances, transcript or segments)"
    ]


@pytest.mark.parametrize(
    ("customer", "once"),
    [
        ("Álvarez, José", False),
        ("van der Berg, Anna", False),
        ("Pete", False),
        ("Raj Patel", True),
    ],
)
def test_names_alone_over_words_in_any_script_or_said_once(
    tmp_path: Path, customer: str, once: bool
) -> None:
    blocks = [("Dana Lee", "Thanks for joining."), (customer, PAIN), ("Dana Lee", "Go on.")]
    if not once:
        blocks.append((customer, "And the night shift loses its notes."))
    blocks.append(("Dana Lee", "Understood."))
    text = "\n\n".join(f"{who}\n{said}" for who, said in blocks) + "\n"
    (call,) = _calls(tmp_path, text, name="call.txt", staff_names=("Dana Lee",))
    said = _sides(call)
    assert [side for _, side, _ in said] == ["vendor", "customer", "vendor"] + (
        [] if once else ["customer", "vendor"]
    )
    assert said[1][2] == PAIN


def _named(said: list[tuple[str, str]], staff: tuple[str, ...] = ()) -> dict[str, str | None]:
    speakers = {label: Speaker(label) for label, _ in said}
    name_unnamed(speakers, said)
    assign_sides(speakers, said, ("ourco.com",), staff_names=staff)
    return {label: s.side for label, s in speakers.items()}


def test_a_colleague_introduced_is_not_whoever_greets_next() -> None:
    """One clue that is not the voice's own word names nobody: the customer greeting both
    after "I've got Marcus with me" is no Marcus."""
    sides = _named(
        [
            ("A", "I'm Tom from OurCo. I've got Marcus with me, he's one of our engineers."),
            ("B", "Hi both, great to meet you."),
            ("C", "Thanks Tom, happy to show the checklist."),
            ("B", PAIN),
        ]
    )
    assert sides["A"] == "vendor" and sides["B"] == "customer"


def test_a_customer_sharing_a_staff_first_name_is_not_given_his_full_name() -> None:
    sides = _named(
        [
            ("SPEAKER_00", "Hi, Tom Becker here."),
            ("SPEAKER_01", "Hi, I'm Tom, I look after operations at Acme."),
            ("SPEAKER_00", "Great. So Tom, what does your approval process look like today?"),
            ("SPEAKER_01", PAIN),
        ],
        staff=("Tom Becker",),
    )
    assert sides == {"SPEAKER_00": "vendor", "SPEAKER_01": "customer"}


def test_text_without_case_keeps_its_words_and_no_ordinary_word_is_a_name(
    tmp_path: Path,
) -> None:
    """Staff "Will Turner" and "Mark Chen": "how will our managers…" and "could you mark…"
    name nobody; the words stay as written."""
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Speaker 1>hi i'm will turner from ourco\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Speaker 2>how will our managers approve things in bulk\n\n"
        "00:00:10.000 --> 00:00:14.000\n<v Speaker 2>and could you mark our old invoices as paid\n"
    )
    (call,) = _calls(tmp_path, vtt, name="call.vtt", staff_names=("Will Turner", "Mark Chen"))
    said = _sides(call)
    assert [side for _, side, _ in said] == ["vendor", "customer"]
    assert said[1][2].startswith("how will our managers approve things in bulk")


def test_clock_times_in_milliseconds_and_out_of_range_read_without_crashing(
    tmp_path: Path,
) -> None:
    items = [
        {"user": "Tom Becker", "message": "How can I help?", "timestamp": 1795425242000},
        {"user": "Kim Sato", "message": PAIN, "timestamp": 1795425250500},
    ]
    (call,) = _calls(tmp_path, {"items": items}, staff_names=("Tom Becker",))
    assert [u.start for u in call.utterances] == [0.0, 8.5]
    assert call.started_at is not None and call.started_at.year == 2026
    items[0]["timestamp"] = items[1]["timestamp"] = 1e300
    (call,) = _calls(tmp_path, {"items": items}, staff_names=("Tom Becker",))
    assert [u.text for u in call.utterances] == ["How can I help?", PAIN]


def test_a_turn_named_for_nobody_is_not_the_turn_befores_speaker(tmp_path: Path) -> None:
    lines = [
        {"name": "Tom Becker", "content": "Thanks for calling OurCo."},
        {"name": None, "content": PAIN},
        {"name": "Tom Becker", "content": "I'll raise that."},
        {"name": "Tom Becker", "content": "Anything else?"},
        {"name": None, "content": "No, that's all."},
    ]
    (call,) = _calls(tmp_path, {"lines": lines}, staff_names=("Tom Becker",))
    said = _sides(call)
    assert (said[1][1], said[1][2]) == ("customer", PAIN)
    assert all(PAIN not in text for who, _, text in said if who == "Tom Becker")


@pytest.mark.parametrize(
    "words",
    [
        "I'm a long-time partner with OurCo and the exports keep failing.",
        "It's the account manager from OurCo who keeps promising this.",
        "I'm Frank, and honestly I'm frustrated with OurCo.",
        "I'm Frank, I'm frustrated with OurCo.",
        "I'm Frank and honestly frustrated with OurCo.",
        "I'm the project lead on the OurCo rollout.",
    ],
)
def test_a_customer_speaking_of_the_vendor_is_no_introduction(words: str) -> None:
    sides = _named(
        [
            ("Speaker 1", "Thanks for joining, how are things going with the rollout?"),
            ("Speaker 2", words),
            ("Speaker 1", "What does your typical week look like? How do you plan it?"),
        ]
    )
    assert sides["Speaker 2"] == "customer"


def test_a_vendor_without_case_introducing_themselves_is_the_vendor(tmp_path: Path) -> None:
    vtt = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Speaker 1>hi i'm nadia from ourco\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Speaker 2>our exports keep timing out\n"
    )
    (call,) = _calls(tmp_path, vtt, name="call.vtt")
    assert [side for _, side, _ in _sides(call)] == ["vendor", "customer"]


def test_a_customers_journey_is_no_quote_header() -> None:
    text = (
        "Example booking:\nFrom: Berlin Hbf\nTo: Munich Airport\nDate: 12 May 2026\n"
        "The planner shows no connections, we need this fixed."
    )
    assert strip_replies(text) == text


def test_the_participants_list_of_a_found_call_tells_the_sides(tmp_path: Path) -> None:
    record = {
        "participants": [
            {"name": "Tom Becker", "email": "tom@ourco.com"},
            {"name": "Dana Ruiz", "email": "dana@acme.example"},
        ],
        "transcript_items": [
            {"speaker": "Dana Ruiz", "text": "How do you price it? What does onboarding take?"},
            {"speaker": "Tom Becker", "text": "Per seat."},
            {"speaker": "Dana Ruiz", "text": PAIN},
        ],
    }
    (call,) = _calls(tmp_path, record)
    assert {u.speaker: call.speakers[u.speaker].side for u in call.utterances} == {
        "Dana Ruiz": "customer",
        "Tom Becker": "vendor",
    }


def test_kinds_that_are_roles_and_user_ids_on_every_record(tmp_path: Path) -> None:
    by_kind = [
        {"type": "agent", "text": "Thanks for calling, how can I help?", "speaker": "A1"},
        {"type": "customer", "text": PAIN, "speaker": "C1"},
        {"type": "agent", "text": "I'll raise it.", "speaker": "A1"},
    ]
    (call,) = _calls(tmp_path, {"records": by_kind})
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("A1", "vendor"),
        ("C1", "customer"),
        ("A1", "vendor"),
    ]
    # A meeting tool gives everyone a user id: it says nothing of sides.
    everyone = [
        {"user_id": "u1", "name": "Tom Becker", "content": "Thanks for joining."},
        {"user_id": "u2", "name": "Kim Sato", "content": PAIN},
    ]
    (call,) = _calls(tmp_path, {"entries_list": everyone}, staff_names=("Tom Becker",))
    assert [call.speakers[u.speaker].side for u in call.utterances] == ["vendor", "customer"]


def test_someone_with_me_on_this_is_no_colleague_introduced() -> None:
    speakers = {"Tom Becker": Speaker("Tom Becker"), "Kim Sato": Speaker("Kim Sato")}
    said = [
        ("Tom Becker", "So where do approvals stand?"),
        ("Kim Sato", "Honestly, Tom is with me on this, we need bulk approvals."),
    ]
    assign_sides(speakers, said, ("ourco.com",), staff_names=("Tom Becker",))
    assert speakers["Kim Sato"].side == "customer"
