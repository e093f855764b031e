"""Call recorders' own shapes: Fathom's "Copy transcript", a Teams transcript .docx saved as
text, Google Meet's transcript in Docs pasted as text, and a Fireflies API response. Each is
read as its user expects: who spoke, on which side, what they said and when; what the
recorder wrote (its summary, its notes, its disclaimers) is nobody's words."""

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import customer_turns, read_calls
from huddle.connectors.transcript_formats import Call
from huddle.models import Contact, Feedback
from tests.connectors.helpers import refused, run
from tests.factories import actor, create_account

EXPORTS = Path(__file__).parent / "exports"
OURCO = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Priya Raman")
)


def _read(path: Path, options: ConnectorOptions = OURCO) -> list[Call]:
    output = ConnectorOutput()
    calls = read_calls(path, options, output)
    assert output.errors == []
    return calls


def _turns(call: Call) -> list[tuple[str, float | None, str]]:
    return [(u.speaker, u.start, u.text) for u in call.utterances]


def _sides(call: Call) -> dict[str, tuple[str | None, str | None]]:
    return {name: (s.side, s.email) for name, s in call.speakers.items()}


def test_fathoms_copied_transcript(tmp_path: Path) -> None:
    """A title whose date has no year, a "VIEW RECORDING" link, a rule, then `m:ss - Name
    (Company)` lines with the turn indented below (over two lines once, one of them looking
    like a speaker label)."""
    path = tmp_path / "fathom.txt"
    path.write_text(
        "Initech Health onboarding - week 2 - December 02\n"
        "VIEW RECORDING - 41 mins (No highlights): https://fathom.video/share/kQ4v\n\n---\n\n"
        "0:00 - Priya Raman (OurCo)\n  Thanks for joining, this is our week two check-in.\n\n"
        "0:56 - Helen Marsh (Initech Health)\n  I've brought Ana from the night shift.\n\n"
        "2:02 - Ana Costa\n  The scanners fail on one label in ten.\n"
        "  Note: we key those in by hand.\n\n"
        "1:02:03 - Priya Raman (OurCo)\n  I'll check with our hardware team.\n"
    )
    os.utime(path, (datetime(2027, 1, 5, tzinfo=UTC).timestamp(),) * 2)
    (call,) = _read(path)
    assert (call.title, call.started_at, call.recording_url) == (
        "Initech Health onboarding - week 2",
        datetime(2026, 12, 2, tzinfo=UTC),  # the latest December 2 before the file was saved
        "https://fathom.video/share/kQ4v",
    )
    assert _turns(call) == [
        ("Priya Raman (OurCo)", 0.0, "Thanks for joining, this is our week two check-in."),
        ("Helen Marsh (Initech Health)", 56.0, "I've brought Ana from the night shift."),
        (
            "Ana Costa",
            122.0,
            "The scanners fail on one label in ten. Note: we key those in by hand.",
        ),
        ("Priya Raman (OurCo)", 3723.0, "I'll check with our hardware team."),
    ]
    assert _sides(call) == {
        "Priya Raman (OurCo)": ("vendor", None),
        "Helen Marsh (Initech Health)": ("customer", None),
        "Ana Costa": ("customer", None),  # brought by a customer
    }


def test_a_teams_transcript_saved_from_word(tmp_path: Path) -> None:
    """A byte-order mark and CRLF, the recording's name as title, a date for people, the
    length, "started/stopped transcription", then `Name   m:ss` lines over the words. The
    customer held the meeting: Teams marks the vendor's people "(External)" and shows the
    customer's as "Surname, Given"."""
    path = tmp_path / "teams.txt"
    path.write_bytes(
        "\ufeffVandelay Imports - OurCo discovery-20261201_160312-Meeting Recording\r\n"
        "December 1, 2026, 4:03PM\r\n52m 8s\r\n\r\nTom Becker started transcription\r\n\r\n"
        "Tom Becker (External)   0:04\r\nThanks for having us, Maya.\r\n\r\n"
        "Lindqvist, Maya   1:10\r\nOf course. Ole from our IT team is joining too.\r\n\r\n"
        "Brandt, Ole   1:54\r\nEvery update breaks the single sign-on.\r\n\r\n"
        "Nadia Haddad (External)   1:03:09\r\nWe support both.\r\n\r\n"
        "Tom Becker stopped transcription\r\n".encode()
    )
    (call,) = _read(path, ConnectorOptions(staff_names=("Tom Becker",)))
    assert (call.title, call.started_at) == (
        "Vandelay Imports - OurCo discovery",
        datetime(2026, 12, 1, 16, 3, 12, tzinfo=UTC),
    )
    assert _turns(call) == [
        ("Tom Becker", 4.0, "Thanks for having us, Maya."),
        ("Maya Lindqvist", 70.0, "Of course. Ole from our IT team is joining too."),
        ("Ole Brandt", 114.0, "Every update breaks the single sign-on."),
        ("Nadia Haddad", 3789.0, "We support both."),
    ]
    # Tom is the workspace's: the other "(External)" is his side, the unmarked the other.
    assert _sides(call) == {
        "Tom Becker": ("vendor", None),
        "Maya Lindqvist": ("customer", None),
        "Ole Brandt": ("customer", None),
        "Nadia Haddad": ("vendor", None),
    }


@pytest.mark.parametrize(
    ("staff", "sides"),
    [
        # The vendor held the meeting: its guests are the customer.
        (("Dana Lee",), {"Dana Lee": "vendor", "Ravi Shah": "vendor", "Kim Novak": "customer"}),
        # Nothing known: the marked are taken for the vendor's guests.
        ((), {"Dana Lee": "vendor", "Ravi Shah": "vendor", "Kim Novak": "customer"}),
    ],
)
def test_whose_guests_the_marked_are(
    tmp_path: Path, staff: tuple[str, ...], sides: dict[str, str]
) -> None:
    path = tmp_path / "teams.txt"
    path.write_text(
        "Dana Lee   0:04\nWelcome, Kim.\n\nRavi Shah   0:09\nHi.\n\n"
        "Novak, Kim (Guest)   0:15\nThe export is slow.\n"
    )
    (call,) = _read(path, ConnectorOptions(staff_names=staff))
    assert {name: s.side for name, s in call.speakers.items()} == sides


def test_google_meets_transcript_from_docs(tmp_path: Path) -> None:
    """A title holding the date, the attendees under their heading (a shared screen among
    them), the disclaimer, bare `00:05:00` stamps between `Name: text` lines, the end line."""
    disclaimer = (
        "This editable transcript was computer generated and might contain errors. "
        "People can also change the text after it was created."
    )
    path = tmp_path / "meet.txt"
    path.write_text(
        "Hooli Cloud / OurCo QBR - 2026/11/26 15:58 CET - Transcript\n\nAttendees\n\n"
        "Dana Lee, Kofi Mensah, Kofi Mensah's Presentation, Yuki Tanaka\n\nTranscript\n\n"
        f"{disclaimer}\n\n00:00:00\n\nDana Lee: Kofi, how did the quarter go?\n\n"
        "Kofi Mensah: Routing is the weak spot.\n\n00:05:00\n\n"
        "Yuki Tanaka: We poll every minute.\n\nDana Lee: Noted.\n\n"
        f"Meeting ended after 00:41:37 👋\n\n{disclaimer}\n"
    )
    (call,) = _read(path)
    assert (call.title, call.started_at) == (
        "Hooli Cloud / OurCo QBR",
        datetime(2026, 11, 26, 15, 58, tzinfo=UTC),  # a zone's name is ignored, as elsewhere
    )
    assert _turns(call) == [
        ("Dana Lee", 0.0, "Kofi, how did the quarter go?"),
        ("Kofi Mensah", 0.0, "Routing is the weak spot."),
        ("Yuki Tanaka", 300.0, "We poll every minute."),
        ("Dana Lee", 300.0, "Noted."),
    ]
    assert _sides(call) == {
        "Dana Lee": ("vendor", None),
        "Kofi Mensah": ("customer", None),
        "Yuki Tanaka": ("customer", None),
    }


def _fireflies(sentences: list[tuple[int, str, str, float]]) -> dict[str, object]:
    return {
        "data": {
            "transcript": {
                "id": "01JEC4M7",
                "title": "Globex Freight <> OurCo | Renewal check-in",
                "date": 1796396400000,
                "transcript_url": "https://app.fireflies.ai/view/01JEC4M7",
                "audio_url": "https://cdn.fireflies.ai/audio/01JEC4M7.mp3?Expires=1",
                "participants": [
                    "sam@ourco.com",
                    "marcus.yeboah@ourco.com",
                    "dev.anand@globex.example",
                ],
                "meeting_attendees": [
                    {"displayName": "Sam Ortiz", "email": "sam@ourco.com", "name": None},
                    {"displayName": None, "email": "dev.anand@globex.example", "name": None},
                ],
                "speakers": [
                    {"id": 0, "name": "Sam Ortiz"},
                    {"id": 1, "name": "Marcus Yeboah"},
                    {"id": 2, "name": "Dev Anand"},
                ],
                "summary": {
                    "overview": "- Dispatch board filtering is too slow above 300 loads.",
                    "action_items": "**Marcus Yeboah**\nRaise the upload limit (05:10)",
                },
                "sentences": [
                    {
                        "index": index,
                        "speaker_id": speaker,
                        "speaker_name": None,
                        "text": text,
                        "raw_text": raw,
                        "start_time": start,
                    }
                    for index, (speaker, text, raw, start) in enumerate(sentences)
                ],
            }
        }
    }


def test_a_fireflies_api_response(tmp_path: Path) -> None:
    """The call under `data.transcript`, one entry a sentence (the speaker by id, the text
    also with its fillers), the date in Unix milliseconds, and a vendor person known only by
    an address in `participants`."""
    path = tmp_path / "fireflies.json"
    path.write_text(
        json.dumps(
            _fireflies(
                [
                    (0, "How often does it happen?", "So, uh, how often?", 2.36),
                    (2, "Most weeks.", "Uh, most weeks.", 5.0),
                    (2, "The board is slow.", "The, the board is slow.", 7.5),
                    (1, "That's the upload limit.", "That's, um, the upload limit.", 9.0),
                ]
            )
        )
    )
    (call,) = _read(path)
    assert (call.title, call.started_at, call.recording_url, call.call_id) == (
        "Globex Freight <> OurCo | Renewal check-in",
        datetime(2026, 12, 4, 15, 0, tzinfo=UTC),
        "https://app.fireflies.ai/view/01JEC4M7",
        "01JEC4M7",
    )
    assert _turns(call) == [
        ("Sam Ortiz", 2.36, "How often does it happen?"),
        ("Dev Anand", 5.0, "Most weeks. The board is slow."),
        ("Marcus Yeboah", 9.0, "That's the upload limit."),
    ]
    # The addresses alone became their speakers' (one spelled by "marcus.yeboah"), not
    # speakers of their own.
    assert _sides(call) == {
        "Sam Ortiz": ("vendor", "sam@ourco.com"),
        "Marcus Yeboah": ("vendor", "marcus.yeboah@ourco.com"),
        "Dev Anand": ("customer", "dev.anand@globex.example"),
    }


def test_fireflies_evidence_is_what_the_customer_said(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    globex = create_account(session, name="Globex Freight", domain="globex.example")
    path = tmp_path / "fireflies.json"
    vendor_complaint = "Our upload fails above ten megabytes and it's frustrating, I know."
    path.write_text(
        json.dumps(
            _fireflies(
                [
                    (0, "How has the year gone?", "How has the year gone?", 1.0),
                    (
                        2,
                        "The carrier portal upload fails every week, we attach PDFs by hand.",
                        "Um, the carrier portal upload, uh, fails every week, we attach PDFs by hand.",
                        4.0,
                    ),
                    (1, vendor_complaint, vendor_complaint, 9.0),
                ]
            )
        )
    )
    run(session, admin, "transcript", path, internal_domains=("ourco.com",))
    items = list(session.scalars(select(Feedback)))
    assert [(i.text, i.account_id, i.link_url) for i in items] == [
        (
            "The carrier portal upload fails every week, we attach PDFs by hand.",
            globex.id,
            "https://app.fireflies.ai/view/01JEC4M7#t=00:04",
        )
    ]
    assert {c.email for c in session.scalars(select(Contact))} == {"dev.anand@globex.example"}


def test_a_fireflies_list_and_an_error_response(session: Session, tmp_path: Path) -> None:
    listed = _fireflies([(2, "The board is slow.", "The board is slow.", 1.0)])
    call = listed["data"]["transcript"]  # type: ignore[index]
    path = tmp_path / "transcripts.json"
    path.write_text(json.dumps({"data": {"transcripts": [call, {**call, "id": "02"}]}}))
    assert [c.call_id for c in _read(path)] == ["01JEC4M7", "02"]

    failed = tmp_path / "error.json"
    failed.write_text(
        json.dumps({"errors": [{"message": "Transcript not found"}], "data": {"transcript": None}})
    )
    failure = refused(session, actor(session, "admin"), "transcript", failed)
    assert [str(error) for error in failure.report.errors] == [
        "line 1: the file is an API error, not a call: Transcript not found"
    ]


@pytest.mark.parametrize(
    ("content", "line"),
    [
        # Fathom-like, a line of words before any speaker line.
        ("Onboarding - December 02\n\n---\n\nthanks everyone for joining\n\n0:00 - Ana\n  Hi\n", 5),
        # Meet-like, words under a stamp with no speaker.
        ("Weekly sync - Transcript\n\n00:00:00\n\nwe poll every minute\n", 5),
    ],
)
def test_words_without_a_speaker_are_refused_by_line(
    session: Session, tmp_path: Path, content: str, line: int
) -> None:
    path = tmp_path / "call.txt"
    path.write_text(content)
    failure = refused(session, actor(session, "admin"), "transcript", path)
    assert failure.report.errors[0].line == line, failure.report.errors
    assert "Speaker: text" in str(failure.report.errors[0])


def test_a_webvtt_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "call.vtt"
    path.write_bytes(
        b"\xef\xbb\xbfWEBVTT\r\n\r\n00:00:01.000 --> 00:00:03.000\r\n"
        b"<v Lindqvist, Maya>The export keeps failing.\r\n"
    )
    (call,) = _read(path)
    assert _turns(call) == [("Maya Lindqvist", 1.0, "The export keeps failing.")]


@pytest.mark.parametrize(
    "name",
    [
        "tr_t19_fathom_initech_onboarding.txt",
        "tr_t19_teams_docx_vandelay_discovery.txt",
        "tr_t19_meet_docs_hooli_qbr.txt",
        "tr_t19_fireflies_globex_renewal.json",
    ],
)
def test_the_corpus_calls_are_read_and_sided(name: str) -> None:
    """Every labelled statement is a sentence the customer's side said; no `cut` phrase (the
    vendor's lines, the recorder's notes and summary) is among the customer's words. Which
    sentences are statements is the classifier's, not tested here."""
    path = EXPORTS / "transcript" / name
    labels = json.loads(path.with_name(name + ".labels.json").read_text())
    assert labels["half"] == "tune"
    workspace = json.loads((EXPORTS / "workspace.json").read_text())
    options = ConnectorOptions(
        internal_domains=("ourco.com",), staff_names=tuple(u["name"] for u in workspace["users"])
    )
    said = [
        " ".join(sentence.split())
        for turn in customer_turns(_read(path, options))
        for sentence in turn.sentences
    ]
    assert [s for s in labels["statements"] if s not in said] == []
    customer_words = " ".join(said).casefold()
    assert [p for p in labels["cut"] if p.casefold() in customer_words] == []


def test_a_customer_introducing_the_vendor_stays_the_customer(tmp_path: Path) -> None:
    """Round 13's Otter call: the customer introduces her colleague to the vendor's PM
    ("Tamsin, this is Priya from OurCo") — Priya is the vendor, the one introducing her is
    not; a speaker who introduces herself so ("this is Kelly from OurCo support") is."""
    path = tmp_path / "interview.txt"
    path.write_text(
        "Nadia Farouk: Yes, please. This is Tamsin, one of my senior scientists. Tamsin, this "
        "is Priya from OurCo, she's asking how we use the request system.\n"
        "Speaker 3: Oh! Hi. The email notifications are useless to me.\n"
        "Priya Raman: Hi Tamsin. How do you triage them today?\n"
        "Kelly Moss: Hi all, this is Kelly from OurCo support, joining late.\n"
    )
    (call,) = _read(path, ConnectorOptions(internal_domains=("ourco.com",)))
    sides = {name: side for name, (side, _email) in _sides(call).items()}
    assert sides == {
        "Nadia Farouk": "customer",
        "Speaker 3": "customer",
        "Priya Raman": "vendor",
        "Kelly Moss": "vendor",
    }


def test_a_colleague_named_after_a_sentences_first_word(tmp_path: Path) -> None:
    """Round 13's SRT: "And Nikhil, one of our implementation engineers, …" introduces
    Nikhil (not "And Nikhil") on the side of the one speaking."""
    path = tmp_path / "pilot.txt"
    path.write_text(
        "SAM ORTIZ: And Nikhil, one of our implementation engineers, has been your contact.\n"
        "DEREK POWELL: Yeah, we know Nikhil well by now. The scanners drop every hour.\n"
        "NIKHIL RAO: Our receiving screen supports keyboard-wedge scanners.\n"
    )
    (call,) = _read(path)
    sides = {name: side for name, (side, _email) in _sides(call).items()}
    assert sides == {"SAM ORTIZ": "vendor", "DEREK POWELL": "customer", "NIKHIL RAO": "vendor"}
