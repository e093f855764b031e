"""Unnamed voices of an engine's diarisation ("A", "SPEAKER_01") named by what the call says,
so that a colleague introduced by name, or a workspace user, is found among them (round 21:
an AssemblyAI call's solutions engineer, "C", gave the demo and nine of his sentences were
kept as the customer's; a WhisperX call's product manager and support engineer were all
taken for the customer)."""

import json
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_names import is_unnamed, name_unnamed
from huddle.connectors.transcript_rules import Speaker, assign_sides


def _sides(
    said: list[tuple[str, str]], staff: tuple[str, ...] = ()
) -> tuple[dict[str, str | None], dict[str, tuple[str, ...]]]:
    speakers = {label: Speaker(label) for label, _ in said}
    name_unnamed(speakers, said)
    assign_sides(speakers, said, ("ourco.com",), staff_names=staff)
    return {n: s.side for n, s in speakers.items()}, {n: s.aliases for n, s in speakers.items()}


DEMO = [
    (
        "A",
        "Hi Hannah, thanks for making the time. So I'm Dana, I look after new customers at "
        "OurCo, and I've got Marcus with me, he's one of our solutions engineers.",
    ),
    ("C", "Hello, nice to meet you both."),
    ("B", "Hi, nice to meet you. There's a dog barking in reception."),
    ("A", "So to start, could you tell me how you run audits today?"),
    ("B", "Our audits are all on paper and every quarter I chase clinics for checklists."),
    ("A", "Okay. Marcus, do you want to show the checklist side?"),
    ("C", "Sure, let me share my screen. Can you see that?"),
    (
        "C",
        "So this is a clinic checklist. Down here you can see who completed it and when, and "
        "it raises a follow-up task automatically.",
    ),
    ("B", "Can the nurse sign it off on a tablet with a PIN rather than a full login?"),
    ("C", "Yes, there's a kiosk mode with PINs."),
]


def test_a_colleague_handed_over_to_by_name_is_found_among_the_voices() -> None:
    sides, aliases = _sides(DEMO)
    assert aliases == {"A": ("Dana",), "C": ("Marcus",), "B": ()}
    assert sides == {"A": "vendor", "C": "vendor", "B": "customer"}


def test_a_workspace_user_naming_themselves_is_the_vendor_and_their_colleague_too() -> None:
    said = [
        ("SPEAKER_01", "Okay, we're recording. Hi everyone, Tom Becker here."),
        ("SPEAKER_01", "I've also got Wen with me, she's one of our support engineers."),
        ("SPEAKER_03", "Hi all."),
        ("SPEAKER_00", "Hi Tom, hi Wen. Raj is with me as well, he runs our platform team."),
        ("SPEAKER_02", "Hey."),
        ("SPEAKER_00", "Since the update the webhooks arrive two hours late."),
        ("SPEAKER_01", "I'm really sorry. Wen, do you want to say where we are?"),
        ("SPEAKER_03", "We found a queue backlog on our side and added capacity."),
        ("SPEAKER_02", "They're better, but yesterday a batch came in eleven minutes late."),
    ]
    sides, aliases = _sides(said, staff=("Tom Becker",))
    assert aliases["SPEAKER_01"] == ("Tom Becker",)
    assert aliases["SPEAKER_03"] == ("Wen",)
    assert sides == {
        "SPEAKER_01": "vendor",
        "SPEAKER_03": "vendor",
        "SPEAKER_00": "customer",
        "SPEAKER_02": "customer",
    }
    # Without the workspace's user, nothing else says Tom is the vendor's: the customer's
    # "Raj is with me" still puts Raj's voice on no one's side but by the default.
    assert _sides(said)[0]["SPEAKER_01"] == "customer"


def test_the_vendors_person_known_by_what_they_do_at_the_vendor() -> None:
    said = [
        ("Speaker 1", "Hi both, I'm a product manager at OurCo, thanks for joining."),
        ("Speaker 2", "Happy to. Our exports keep timing out on large projects."),
    ]
    assert _sides(said)[0] == {"Speaker 1": "vendor", "Speaker 2": "customer"}


def test_a_customer_speaking_of_the_vendor_is_not_taken_for_it() -> None:
    """ "I'm frustrated with OurCo" names nobody: the introduction's name is capitalised."""
    said = [
        ("Speaker 1", "So how are things going with the rollout?"),
        ("Speaker 2", "Honestly, I'm frustrated with OurCo support, tickets sit for days."),
        ("Speaker 1", "I'm sorry to hear that. What does a typical week look like?"),
    ]
    assert _sides(said)[0] == {"Speaker 1": "vendor", "Speaker 2": "customer"}


def test_words_that_stand_where_a_name_could_name_nobody() -> None:
    said = [
        ("A", "Down here you can see the schedule. Everyone here uses it."),
        ("B", "Can we do a follow-up on Wednesday?"),
        ("A", "Sure, shall we say ten, Wednesday?"),
        ("B", "Works for me. Please send the invite."),
        ("A", "Okay, Please note the time."),
        ("B", "Will do."),
    ]
    assert _sides(said)[1] == {"A": (), "B": ()}


def test_a_name_two_voices_answer_to_equally_goes_to_neither() -> None:
    said = [
        ("A", "Jo, what do you think?"),
        ("B", "It looks good."),
        ("A", "And Jo, anything else?"),
        ("C", "Not from me."),
    ]
    assert _sides(said)[1] == {"A": (), "B": (), "C": ()}


def test_speakers_a_tool_named_are_never_renamed() -> None:
    said = [
        ("Hannah Price", "Marcus, do you want to take it away?"),
        ("Speaker 2", "Sure, here is the checklist."),
    ]
    speakers = {label: Speaker(label) for label, _ in said}
    name_unnamed(speakers, said)
    assert speakers["Hannah Price"].aliases == ()
    # One unnamed voice alone is nobody to tell apart.
    assert speakers["Speaker 2"].aliases == ()
    assert [is_unnamed(n) for n in ("A", "SPEAKER_00", "spk_1", "Speaker 12", "Guest-3", "S1")] == [
        True
    ] * 6
    assert not any(is_unnamed(n) for n in ("Al", "Dana Lee", "Dale's iPhone"))


def test_a_colleague_said_to_be_with_the_speaker_takes_their_side() -> None:
    said = [
        ("Dana Lee", "Thanks for joining. Priya is with me today, she built the exports."),
        ("Priya Raman", "Hi! Let me show you where the exports live."),
        ("Hannah Price", "Our exports keep timing out on the big projects."),
    ]
    speakers = {label: Speaker(label) for label, _ in said}
    assign_sides(speakers, said, ("ourco.com",), staff_names=("Dana Lee",))
    assert {n: s.side for n, s in speakers.items()} == {
        "Dana Lee": "vendor",
        "Priya Raman": "vendor",
        "Hannah Price": "customer",
    }


def test_an_engines_call_is_read_with_its_voices_named(tmp_path: Path) -> None:
    path = tmp_path / "larkspur.json"
    path.write_text(
        json.dumps(
            {
                "id": "6rl2x",
                "status": "completed",
                "utterances": [
                    {"speaker": s, "text": t, "start": 1000 * i, "end": 1000 * i + 900}
                    for i, (s, t) in enumerate(DEMO)
                ],
            }
        )
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, ConnectorOptions(internal_domains=("ourco.com",)), output)
    assert output.errors == []
    assert {s.name: (s.aliases, s.side) for s in call.speakers.values()} == {
        "A": (("Dana",), "vendor"),
        "B": ((), "customer"),
        "C": (("Marcus",), "vendor"),
    }
