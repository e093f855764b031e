"""What round 21's held-back files showed, each rule on a small input of its own: speech-to-text
engines' own output (Amazon Transcribe, Azure's batch transcription, Deepgram; each call had
been refused whole), Google Meet's notes by Gemini over its transcript, Sonix's text export,
Zoom's "Name | Company" display names, a Salesforce note's Parent.Name beside an id of another
length, a call recorder's stub with a longer line, a reply that only says thanks, a task
tracker's export, and a browser's HAR file saved as an export."""

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.crm_activity import recorder_stub
from huddle.connectors.replies import strip_replies
from huddle.connectors.transcript import read_calls
from huddle.errors import Invalid
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _turns(tmp_path: Path, name: str, content: str) -> list[tuple[str, float | None, str]]:
    path = tmp_path / name
    path.write_text(content)
    output = ConnectorOutput()
    calls = read_calls(path, OURS, output)
    assert output.errors == []
    return [(u.speaker, u.start, u.text) for call in calls for u in call.utterances]


def _item(i: int, kind: str, word: str, start: str | None, speaker: str) -> dict[str, object]:
    item: dict[str, object] = {
        "id": i,
        "type": kind,
        "alternatives": [{"confidence": "0.9", "content": word}],
        "speaker_label": speaker,
    }
    if start is not None:
        item["start_time"] = start
    return item


AMAZON_ITEMS = {
    "jobName": "umbrella-retail-qbr",
    "results": {
        "transcripts": [{"transcript": "Hi there. The tablets crash."}],
        "speaker_labels": {"speakers": 2, "segments": []},
        "items": [
            _item(0, "pronunciation", "Hi", "0.9", "spk_0"),
            _item(1, "pronunciation", "there", "1.2", "spk_0"),
            _item(2, "punctuation", ".", None, "spk_0"),
            _item(3, "pronunciation", "The", "2.5", "spk_1"),
            _item(4, "pronunciation", "tablets", "2.7", "spk_1"),
            _item(5, "pronunciation", "crash", "3.1", "spk_1"),
            _item(6, "punctuation", ".", None, "spk_1"),
        ],
    },
}


def test_amazon_transcribes_output_is_read_by_segment_or_by_word(tmp_path: Path) -> None:
    assert _turns(tmp_path, "job.json", json.dumps(AMAZON_ITEMS)) == [
        ("Speaker 0", 0.9, "Hi there."),
        ("Speaker 1", 2.5, "The tablets crash."),
    ]
    segmented = json.loads(json.dumps(AMAZON_ITEMS))
    segmented["results"]["audio_segments"] = [
        # The segment's transcript is the job's own punctuated turn: it is what is read.
        {"transcript": "Hi there, all.", "start_time": "0.9", "speaker_label": "spk_0"},
        {"transcript": "The tablets crash.", "start_time": "2.5", "speaker_label": "spk_1"},
    ]
    assert _turns(tmp_path, "job2.json", json.dumps(segmented)) == [
        ("Speaker 0", 0.9, "Hi there, all."),
        ("Speaker 1", 2.5, "The tablets crash."),
    ]


AZURE = {
    "source": "https://example.blob.core.windows.net/recordings/exit-interview.wav",
    "timestamp": "2026-11-26T16:02:44Z",
    "recognizedPhrases": [
        # Written by channel, not in the order said: read by offset.
        {
            "recognitionStatus": "Success",
            "speaker": 2,
            "offset": "PT1M2.5S",
            "nBest": [{"display": "The app kept losing signatures."}],
        },
        {
            "recognitionStatus": "Success",
            "speaker": 1,
            "offsetInTicks": 8560000.0,
            "nBest": [{"lexical": "thanks for this", "display": "Thanks for this."}],
        },
        {"recognitionStatus": "NoMatch", "speaker": 1, "offsetInTicks": 9e8, "nBest": []},
    ],
}


def test_azures_batch_transcription_is_read_phrase_by_phrase_in_order(tmp_path: Path) -> None:
    assert _turns(tmp_path, "azure.json", json.dumps(AZURE)) == [
        ("Speaker 1", 0.856, "Thanks for this."),
        ("Speaker 2", 62.5, "The app kept losing signatures."),
    ]


DEEPGRAM = {
    "metadata": {
        "request_id": "a3e1",
        "created": "2026-12-01T15:31:07.214Z",
        "extra": {"account": "initech.example", "meeting": "Pilot review"},
    },
    "results": {
        "channels": [
            {
                "alternatives": [
                    {
                        "transcript": "…",
                        "paragraphs": {
                            "paragraphs": [
                                {
                                    "speaker": 1,
                                    "start": 4.2,
                                    "sentences": [{"text": "The form has 11 fields."}],
                                }
                            ]
                        },
                    }
                ]
            }
        ],
    },
}


def test_deepgrams_response_is_read_with_what_the_request_said_of_the_call(
    tmp_path: Path,
) -> None:
    """Deepgram's `utterances` where asked for, else its paragraphs; the request's `extra`
    (account, meeting) is the call's."""
    path = tmp_path / "deepgram.json"
    path.write_text(json.dumps(DEEPGRAM))
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert (call.title, call.account) == ("Pilot review", "initech.example")
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Speaker 1", 4.2, "The form has 11 fields.")
    ]
    with_utterances = json.loads(json.dumps(DEEPGRAM))
    with_utterances["results"]["utterances"] = [
        {"speaker": 0, "start": 0.5, "transcript": "Okay, we're recording."},
        {"speaker": 1, "start": 4.2, "transcript": "The form has 11 fields."},
    ]
    assert _turns(tmp_path, "dg.json", json.dumps(with_utterances)) == [
        ("Speaker 0", 0.5, "Okay, we're recording."),
        ("Speaker 1", 4.2, "The form has 11 fields."),
    ]


GEMINI = """📝 Notes
Dec 3, 2026
Research interview: approvals workflow
Invited Sam Ortiz mireille.dubois@hooli.example gaurav.menon@hooli.example

Summary
Sam Ortiz interviewed Mireille Dubois about approvals.

Suggested next steps
Sam Ortiz will add Hooli's finance team to the beta.

📖 Transcript

Dec 3, 2026

Research interview: approvals workflow - Transcript

00:00:00

Sam Ortiz: Hi Mireille, thanks for doing this.
Mireille Dubois: We need to be able to set a delegate with an end date.
"""


def test_geminis_notes_are_skipped_to_the_transcript_its_invitees_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(GEMINI)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert call.title == "Research interview: approvals workflow"
    assert [(u.speaker, u.text) for u in call.utterances] == [
        ("Sam Ortiz", "Hi Mireille, thanks for doing this."),
        ("Mireille Dubois", "We need to be able to set a delegate with an end date."),
    ]
    emails = sorted(s.email for s in call.speakers.values() if s.email)
    assert emails == ["gaurav.menon@hooli.example", "mireille.dubois@hooli.example"]


SONIX = """Globex Freight - renewal call.mp3: Audio automatically transcribed by Sonix

Globex Freight - renewal call.mp3: this mp3 audio file was automatically transcribed by Sonix with the best speech-to-text algorithms. This transcript may contain errors.

Sam Ortiz: [00:00:02] Hi everyone.

Lena Park: [00:00:14] The proposal landed with a fifteen percent increase.

Sonix is the world's most advanced automated transcription, translation, and subtitling platform.

Automatically convert your mp3 files to text (txt file) in minutes.
"""


def test_sonix_is_read_without_its_own_lines_the_media_file_its_title(tmp_path: Path) -> None:
    path = tmp_path / "sonix.txt"
    path.write_text(SONIX)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert call.title == "Globex Freight - renewal call"
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Sam Ortiz", 2.0, "Hi everyone."),
        ("Lena Park", 14.0, "The proposal landed with a fifteen percent increase."),
    ]


ZOOM = """WEBVTT

1
00:00:02.433 --> 00:00:05.203
Tom Becker (OurCo): Hi everyone, can you hear me okay?

2
00:00:06.161 --> 00:00:12.592
Rosa Jimenez | Acme Robotics: The biggest pain for me is that parts are ordered by email and nobody can see what is on order.
"""


def test_the_company_beside_a_customers_display_name_is_the_calls_account(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    path = tmp_path / "GMT20261201-160312_Recording.transcript.vtt"
    path.write_text(ZOOM)
    run(session, admin, "transcript", path, internal_domains=("ourco.com",))
    said = session.execute(
        select(Feedback.text, Account.name).join(Account, Account.id == Feedback.account_id)
    ).all()
    assert [name for _, name in said] == ["Acme Robotics"]


def test_a_parent_name_beside_an_id_of_another_length_names_the_account(tmp_path: Path) -> None:
    """The sf CLI's bulk query gives "Parent.Name" and "Parent.Type" beside ParentId: an
    Account's name is the note's account whatever form its id takes."""
    path = tmp_path / "Note.csv"
    path.write_text(
        '"Id","ParentId","Parent.Name","Parent.Type","Title","Body","CreatedDate"\n'
        '"0025e00000Qk1AcAAJ","0015e00000FRNH11","Fernhill Schools Trust","Account","Intro",'
        '"Site managers log repairs in a shared Excel file.","2026-11-20T10:00:00.000Z"\n'
    )
    (note,) = read_clean("salesforce", path, OURS).feedback
    assert (note.account_ref, note.account_aliases) == (
        "Fernhill Schools Trust",
        ("0015e00000FRNH11",),
    )


def test_a_recorders_stub_with_its_link_may_take_a_longer_line() -> None:
    assert recorder_stub(
        "Meeting recorded by Fathom. View the recording, transcript and AI summary: "
        "https://fathom.video/share/abc"
    )
    assert not recorder_stub(
        "Recorded the call myself: they want SSO, SCIM, audit logs and a cheaper approver "
        "seat before renewal, see https://drive.example/notes"
    )


MBOX = """From rosa@acme-robotics.example Wed Dec  2 14:03:08 2026
From: Rosa Jimenez <rosa@acme-robotics.example>
To: feedback@ourco.com
Subject: RE: Proposal
Date: Wed, 2 Dec 2026 14:03:08 +0000
Message-ID: <a1@acme-robotics.example>
Content-Type: text/plain; charset=utf-8

Thanks!

-----Original Message-----
From: Tom Becker <tom.becker@ourco.com>
Subject: Proposal

Hi Rosa, the proposal is attached.

From lukas@acme-robotics.example Wed Dec  2 15:03:08 2026
From: Lukas Brenner <lukas@acme-robotics.example>
To: feedback@ourco.com
Subject: Maintenance history
Date: Wed, 2 Dec 2026 15:03:08 +0000
Message-ID: <a2@acme-robotics.example>
Content-Type: text/plain; charset=utf-8

Is there an API or at least a CSV per robot serial number?

Danke und viele Grüße
Lukas Brenner
Reliability Engineering | Acme Robotics GmbH
"""


def test_a_reply_that_only_thanks_is_skipped_and_thanks_and_regards_signs_off(
    tmp_path: Path,
) -> None:
    path = tmp_path / "feedback.mbox"
    path.write_text(MBOX)
    read = read_clean("email", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Is there an API or at least a CSV per robot serial number?"
    ]
    assert strip_replies("The export fails.\n\nThanks and regards\nJo") == "The export fails."


ASANA = (
    "Task ID,Created At,Completed At,Name,Assignee Email,Notes,Customer,Requester email\n"
    "1208834412000101,2026-11-02,,[Template] Customer request - duplicate me,,"
    '"Paste the customer\'s words here.",,\n'
    "1208834412000102,2026-11-03,,Bank holidays,dana@ourco.com,"
    '"Recurring tasks have no way to skip a bank holiday.",Acme Robotics,rosa@acme-robotics.example\n'
)


def test_a_task_trackers_export_is_read_by_its_notes_its_template_left_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "asana.csv"
    path.write_text(ASANA)
    read = read_clean("tickets", path, OURS)
    assert [(r.title, r.text, r.account_ref) for r in read.feedback] == [
        ("Bank holidays", "Recurring tasks have no way to skip a bank holiday.", "Acme Robotics")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["test"]


def test_a_browsers_har_file_is_refused_as_one(session: Session, tmp_path: Path) -> None:
    """DevTools' "Save all as HAR" holds the tickets only as the text of one response."""
    admin = actor(session, "admin")
    path = tmp_path / "tickets.json"
    path.write_text(
        json.dumps(
            {
                "log": {
                    "version": "1.2",
                    "creator": {"name": "WebInspector", "version": "537.36"},
                    "entries": [{"response": {"content": {"text": '{"tickets": []}'}}}],
                }
            }
        )
    )
    with pytest.raises(Invalid) as failure:
        run(session, admin, "zendesk", path)
    assert "is a HAR file" in failure.value.message


def test_customers_talking_about_transcription_tools_keep_their_words(tmp_path: Path) -> None:
    """Only a transcription service's paragraphs under the last turn are its own: a
    customer who names Otter.ai while speaking is heard whole."""
    assert _turns(
        tmp_path,
        "call.txt",
        "Tom Becker: Hi.\nDana Smith: We tried Otter.ai to transcribe calls.\n"
        "Dana Smith: The tags are also lost every time.\n",
    ) == [
        ("Tom Becker", None, "Hi."),
        (
            "Dana Smith",
            None,
            "We tried Otter.ai to transcribe calls. The tags are also lost every time.",
        ),
    ]
    assert _turns(
        tmp_path,
        "otter.txt",
        "Tom Becker  0:01\nHi.\n\nDana Smith  0:10\nWe tried Otter.ai to transcribe calls.\n"
        "But your import of it fails.\n",
    )[1] == (
        "Dana Smith",
        10.0,
        "We tried Otter.ai to transcribe calls. But your import of it fails.",
    )
    # A rep's own notes over a "Transcript" line are no Gemini notes.
    assert _turns(
        tmp_path, "notes.txt", "Meeting notes\n\nDana Lee: The export fails.\n\nTranscript\n"
    ) == [("Dana Lee", None, "The export fails. Transcript")]


def test_an_engines_transcript_without_speakers_is_refused_saying_why(tmp_path: Path) -> None:
    path = tmp_path / "job.json"
    path.write_text(
        json.dumps(
            {
                "jobName": "call",
                "results": {
                    "audio_segments": [
                        {"transcript": "Our premium plan fixes that.", "start_time": "1"}
                    ]
                },
            }
        )
    )
    output = ConnectorOutput()
    read_calls(path, OURS, output)
    assert "names no speakers" in output.errors[0].reason


def test_azures_link_loses_its_storage_key_and_its_timestamp_dates_nothing(
    tmp_path: Path,
) -> None:
    azure = json.loads(json.dumps(AZURE))
    azure["source"] += "?sv=2024-01-01&sig=secret"
    path = tmp_path / "acme-2026-03-02.json"
    path.write_text(json.dumps(azure))
    (call,) = read_calls(path, OURS, ConnectorOutput())
    assert (
        call.recording_url == "https://example.blob.core.windows.net/recordings/exit-interview.wav"
    )
    assert call.started_at is not None and call.started_at.date().isoformat() == "2026-03-02"


def test_a_new_mail_that_asks_in_its_subject_and_thanks_in_its_body_is_kept(
    tmp_path: Path,
) -> None:
    path = tmp_path / "one.mbox"
    path.write_text(
        MBOX.split("\nFrom lukas")[0].replace(
            "Subject: RE: Proposal", "Subject: Please add CSV export"
        )
    )
    read = read_clean("email", path, OURS)
    assert [r.title for r in read.feedback] == ["Please add CSV export"]


def test_narrow_rules_leave_real_words_alone(tmp_path: Path) -> None:
    """A recorder's first line over the rep's own summary is a note; an idea tool's notes
    column is not its text; a request to be copied in is no template; pronouns are no
    company."""
    assert not recorder_stub(
        "Meeting recorded by Gong. Acme wants SSO; export broken every Monday: https://gong.io/x"
    )
    path = tmp_path / "ideas.csv"
    path.write_text(
        "Idea name,Idea description,Idea created at,Notes\n"
        "SSO,Our contractors need SSO to log in,2026-11-01,PM: dup of IDEA-12\n"
        "Digest,Notify managers when approvals close - copy me,2026-11-02,\n"
    )
    read = read_clean("tickets", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Our contractors need SSO to log in",
        "Notify managers when approvals close - copy me",
    ]
