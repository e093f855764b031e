"""What round 27's held-back calls showed, each on a small input of its own: TTML (DFXP)
captions, a call pasted by hand under a legend of initials, Teams' `metadataContent` (a
WebVTT whose cues are JSON), Truto's unified transcripts (`speaker_type` user or guest, on a
`result` page), Meetso's segments (a speaker as `{name, email}`), and colleagues introduced
in German."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _read(path: Path) -> tuple[list[Call], ConnectorOutput]:
    return calls_in(path, OURS)


DFXP = """<?xml version="1.0" encoding="UTF-8"?>
<tt xmlns="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata">
  <head>
    <metadata>
      <ttm:title>Northfield interview</ttm:title>
      <ttm:desc>Captions for media file northfield-2026-11-30.mp4</ttm:desc>
    </metadata>
  </head>
  <body>
    <div>
      <p begin="00:00:02.000" end="00:00:04.000">SAM ORTIZ: Quick headline: thanks<br/>for joining.</p>
      <p begin="00:00:04.500" end="00:00:06.000">[LAUGHTER]</p>
      <p begin="00:00:06.500" end="00:00:09.000">ALICIA MORENO: The triage is where<br/>it falls</p>
      <p begin="00:00:09.050" end="00:00:11.000">apart. Note: a third land<br/>in the wrong queue.</p>
      <p begin="00:00:12.000" end="00:00:13.000" ttm:role="sound">phone rings</p>
    </div>
  </body>
</tt>
"""


def test_dfxp_frames_run_together_into_turns_named_in_capitals(tmp_path: Path) -> None:
    path = tmp_path / "interview.dfxp"
    path.write_text(DFXP)
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.title == "Northfield interview"
    assert call.started_at == datetime(2026, 11, 30, tzinfo=UTC)
    assert turns(call) == [
        ("Sam Ortiz", "vendor", 2.0, "Quick headline: thanks for joining."),
        (
            "Alicia Moreno",
            "customer",
            6.5,
            "The triage is where it falls apart. Note: a third land in the wrong queue.",
        ),
    ]
    assert call.utterances[1].start_of("a third land") == 9.05


TTML_AGENTS = """<?xml version="1.0" encoding="UTF-8"?>
<tt:tt xmlns:tt="http://www.w3.org/ns/ttml" xmlns:ttm="http://www.w3.org/ns/ttml#metadata"
  xmlns:ttp="http://www.w3.org/ns/ttml#parameter" ttp:tickRate="10000000">
  <tt:head><tt:metadata>
    <ttm:agent xml:id="a1" type="person"><ttm:name type="full">Dana Lee</ttm:name></ttm:agent>
    <ttm:agent xml:id="a2" type="person"><ttm:name type="full">Rosa Jimenez</ttm:name></ttm:agent>
  </tt:metadata></tt:head>
  <tt:body><tt:div begin="10s">
    <tt:p begin="20000000t" ttm:agent="a1">How do you plan shifts?</tt:p>
    <tt:p begin="50000000t" ttm:agent="a2"><tt:span>We plan them</tt:span> on paper.</tt:p>
    <tt:p begin="80000000t">&gt;&gt; Sorry to cut in.</tt:p>
  </tt:div></tt:body>
</tt:tt>
"""


def test_ttml_in_an_xml_file_names_speakers_by_agent_and_times_by_ticks(tmp_path: Path) -> None:
    path = tmp_path / "captions.xml"
    path.write_text(TTML_AGENTS)
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert [(who, start, text) for who, _, start, text in turns(call)] == [
        ("Dana Lee", 12.0, "How do you plan shifts?"),
        ("Rosa Jimenez", 15.0, "We plan them on paper."),
        ("Unknown speaker", 18.0, "Sorry to cut in."),
    ]
    assert call.speakers["Dana Lee"].side == "vendor"


def test_a_broken_dfxp_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.dfxp"
    path.write_text('<tt xmlns="http://www.w3.org/ns/ttml">\n<body><p>never closed\n</tt>')
    _, output = _read(path)
    assert [e.line for e in output.errors] == [3]
    assert "not a well-formed TTML" in output.errors[0].reason


PASTED = """Initech Health / OurCo - security review follow-up
Thu 26 Nov 2026, 10:00-10:40 ET (Teams)
Who: PR = Dana Lee (OurCo), AK = Arjun Kapoor (OurCo security), GO = Grace Okoye (Initech Health, IT security)
Transcript pasted from the Teams captions and tidied by hand - PR

PR — Arjun from our security team is here.

AK - SSO can be enforced per workspace.

(Arjun shared his screen here, not transcribed)

GO: Can we force SSO for staff only?
The vendors aren't on our directory.

[audio dropped for a few seconds]

AK — Yes, that's what the exception group is for.
"""


def test_a_pasted_call_reads_its_initials_by_the_legend(tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_text(PASTED)
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.title == "Initech Health / OurCo - security review follow-up"
    assert call.started_at == datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
    assert [(who, side, text) for who, side, _, text in turns(call)] == [
        ("Dana Lee | OurCo", "vendor", "Arjun from our security team is here."),
        ("Arjun Kapoor | OurCo", "vendor", "SSO can be enforced per workspace."),
        (
            "Grace Okoye | Initech Health",
            "customer",
            "Can we force SSO for staff only? The vendors aren't on our directory.",
        ),
        ("Arjun Kapoor | OurCo", "vendor", "Yes, that's what the exception group is for."),
    ]


def _cue(at: str, speaker: str, words: str) -> str:
    said = {
        "startDateTime": f"2026-11-19T16:02:{at}+00:00",
        "speakerName": speaker,
        "spokenText": words,
        "spokenLanguage": "en-us",
    }
    return f"00:00:{at} --> 00:00:{at}\n{json.dumps(said)}\n"


def test_teams_metadata_content_cues_are_json_of_speaker_and_words(tmp_path: Path) -> None:
    path = tmp_path / "globex_qbr.vtt"
    path.write_text(
        "WEBVTT\n\n"
        + "\n".join(
            [
                _cue("01.500", "Dana Lee", "I've got Owen from our customer success team."),
                _cue("04.000", "Marisol Vega", "Morning, Dana. Good to see you both."),
                _cue("08.000", "Owen Fitzgerald", "The scorecard is on our roadmap."),
            ]
        )
    )
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.started_at == datetime(2026, 11, 19, 16, 2, tzinfo=UTC)
    assert [(who, side, text) for who, side, _, text in turns(call)] == [
        ("Dana Lee", "vendor", "I've got Owen from our customer success team."),
        ("Marisol Vega", "customer", "Morning, Dana. Good to see you both."),
        ("Owen Fitzgerald", "vendor", "The scorecard is on our roadmap."),
    ]


def _truto_entry(who: str, kind: str, words: str, at: float) -> dict[str, Any]:
    return {
        "speaker_id": f"{kind}_{who.split()[0].lower()}",
        "speaker_type": kind,
        "speaker_name": who,
        "text": words,
        "raw_text": f"Um, {words}",
        "start_time": at,
    }


def test_truto_users_beside_guests_are_the_vendor(tmp_path: Path) -> None:
    path = tmp_path / "truto.json"
    page = {
        "result": [
            {
                "id": "trn_1",
                "meeting": {"id": "mtg_1"},
                "entries": [
                    _truto_entry("Keisha Wade", "user", "Jonah will run the demo.", 1.0),
                    _truto_entry("Arturo Mendez", "guest", "Approvals get lost in email.", 4.0),
                    _truto_entry("Jonah Park", "user", "You can hide fields per role.", 9.0),
                ],
                "start_time": 0,
                "remote_data": {"recording_start": "2026-12-01T15:00:12Z"},
            }
        ],
        "next_cursor": None,
    }
    path.write_text(json.dumps(page))
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.started_at == datetime(2026, 12, 1, 15, 0, 12, tzinfo=UTC)
    assert [(who, side, text) for who, side, _, text in turns(call)] == [
        ("Keisha Wade", "vendor", "Jonah will run the demo."),
        ("Arturo Mendez", "customer", "Approvals get lost in email."),
        ("Jonah Park", "vendor", "You can hide fields per role."),
    ]


def test_a_help_desks_user_beside_its_admin_stays_the_customer(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    said = [
        {"speaker_name": "Teammate", "speaker_type": "admin", "text": "How can I help?"},
        {"speaker_name": "Rosa Jimenez", "speaker_type": "user", "text": "Exports fail."},
    ]
    path.write_text(json.dumps({"title": "Support call", "utterances": said}))
    calls, _ = _read(path)
    assert [side for _, side, _, _ in turns(calls[0])] == ["vendor", "customer"]


def test_meetso_speakers_are_people_and_an_unattributed_voice_its_label(tmp_path: Path) -> None:
    path = tmp_path / "meetso.json"
    segments = [
        {
            "speaker_label": "SPEAKER_00",
            "speaker": {"name": "Dana Lee", "email": "dana@ourco.com"},
            "text": "Thanks for making time, Victor.",
            "start_time": 1.1,
        },
        {
            "speaker_label": "SPEAKER_01",
            "speaker": {"name": "Victor Osei", "email": "victor@initech.example"},
            "text": "Nurses arrange swaps in WhatsApp.",
            "start_time": 9.0,
        },
        {
            "speaker_label": "SPEAKER_04",
            "speaker": None,
            "text": "Is someone joining?",
            "start_time": 20.0,
        },
    ]
    record = {"data": {"id": "t1", "meeting": {"title": "Sponsor check-in"}, "segments": segments}}
    path.write_text(json.dumps(record))
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert call.title == "Sponsor check-in"
    assert [(who, side) for who, side, _, _ in turns(call)] == [
        ("Dana Lee", "vendor"),
        ("Victor Osei", "customer"),
        ("SPEAKER_04", "customer"),
    ]
    assert call.speakers["Victor Osei"].email == "victor@initech.example"


def test_a_colleague_introduced_in_german_is_on_the_vendors_side(tmp_path: Path) -> None:
    path = tmp_path / "vexa.txt"
    path.write_text(
        "Tom Becker: Hallo zusammen. Ich habe Lena aus unserem Support-Team dabei.\n"
        "Jörg Albers: Guten Morgen. Aufträge gehen verloren.\n"
        "Lena Hoffmann: Wir haben den Fehler gefunden, meine Kollegin Anja Roth prüft das.\n"
        "Miriam Seidel: Danke.\n"
        "Anja Roth: Die Liste kommt heute.\n"
    )
    options = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Tom Becker",))
    output = ConnectorOutput()
    sides = {n: s.side for n, s in read_calls(path, options, output)[0].speakers.items()}
    assert sides == {
        "Tom Becker": "vendor",
        "Lena Hoffmann": "vendor",
        "Jörg Albers": "customer",
        "Miriam Seidel": "customer",
        "Anja Roth": "vendor",
    }


HEADED = """00:00:03 Dana Lee
Thanks for making the time.

00:00:09 Grace Okoye
The audit export keeps timing out on a full quarter.
[audio dropped for a few seconds]
So we pull it a week at a time.
(Grace shared her screen here, not transcribed)

00:00:31 Dana Lee
Understood, that's the old endpoint.
"""


def test_a_line_wholly_in_brackets_between_turns_is_nobodys(tmp_path: Path) -> None:
    """An editor's note or a sound ("[audio dropped]", "(screen shared here)") in any typed
    transcript, not only one with a legend, is not in the turn it falls in."""
    path = tmp_path / "initech-health-audit.txt"
    path.write_text(HEADED)
    calls, output = _read(path)
    assert output.errors == []
    (call,) = calls
    assert [(who, side, text) for who, side, _, text in turns(call)] == [
        ("Dana Lee", "vendor", "Thanks for making the time."),
        (
            "Grace Okoye",
            "customer",
            "The audit export keeps timing out on a full quarter. So we pull it a week at a time.",
        ),
        ("Dana Lee", "vendor", "Understood, that's the old endpoint."),
    ]
