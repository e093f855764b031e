"""A response the survey tool flagged as a repeated submission (QuestionPro's `Duplicate`,
Qualtrics' `Q_RelevantIDDuplicate`) is skipped, counted and warned of, noise kept or not; and
Graph's JSON of Teams chat handed to `email` is refused as chat, to be read by `slack`."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import read_clean, refused, run, write_json
from tests.factories import actor

_QUESTIONPRO_HEAD = (
    '"Response ID","Timestamp (mm/dd/yyyy)","Duplicate","Respondent Email",'
    '"How likely is it that you would recommend OurCo to a friend or colleague?",'
    '"What is the primary reason for your score?"\n'
)
_WORDS = "The API cursor expires after five minutes and breaks our nightly job."


def _questionpro(tmp_path: Path, *flags: str) -> Path:
    rows = "".join(
        f'"{n}","11/2{n}/2026 10:00:00","{flag}","arjun@hooli.example","9","{_WORDS}"\n'
        for n, flag in enumerate(flags, start=1)
    )
    path = tmp_path / "nps.csv"
    path.write_text(_QUESTIONPRO_HEAD + rows)
    return path


def test_a_questionpro_duplicate_is_skipped_and_warned_of(tmp_path: Path) -> None:
    read = read_clean("survey", _questionpro(tmp_path, "No", "Yes", "Yes"), ConnectorOptions())
    assert [f.external_id for f in read.feedback] == ["1"]
    assert read.skipped_rows == 2
    assert [w.reason for w in read.warnings] == [
        "2 responses the survey tool marked as duplicates were skipped (column 'Duplicate')"
    ]


def test_a_response_not_flagged_is_read(tmp_path: Path) -> None:
    read = read_clean("survey", _questionpro(tmp_path, "No", ""), ConnectorOptions())
    assert [f.external_id for f in read.feedback] == ["1", "2"]
    assert (read.skipped_rows, read.warnings) == (0, [])


def test_a_duplicate_is_skipped_with_noise_kept_too(session: Session, tmp_path: Path) -> None:
    report = run(
        session,
        actor(session, "admin"),
        "survey",
        _questionpro(tmp_path, "No", "Yes"),
        keep_noise=True,
    )
    assert (report.created, report.skipped_rows) == (1, 1)
    assert [w.reason for w in report.warnings] == [
        "1 response the survey tool marked as a duplicate was skipped (column 'Duplicate')"
    ]


def test_a_qualtrics_relevant_id_duplicate_is_skipped(tmp_path: Path) -> None:
    """Qualtrics' three header rows; its fraud check writes "true" on a repeated respondent."""
    path = tmp_path / "qualtrics.csv"
    path.write_text(
        "RecordedDate,ResponseId,RecipientEmail,Q_RelevantIDDuplicate,Q1,Q2\n"
        "Recorded Date,Response ID,Recipient Email,Q_RelevantIDDuplicate,"
        "How likely are you to recommend OurCo to a friend or colleague?,"
        "What is the main reason for your score?\n"
        '"{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""recipientEmail""}","{""ImportId"":""Q_RelevantIDDuplicate""}",'
        '"{""ImportId"":""QID1""}","{""ImportId"":""QID2_TEXT""}"\n'
        f"2026-11-30 10:00:00,R_1,arjun@hooli.example,,9,{_WORDS}\n"
        f"2026-11-30 10:05:00,R_2,arjun@hooli.example,true,9,{_WORDS}\n"
    )
    read = read_clean("survey", path, ConnectorOptions())
    assert [f.external_id for f in read.feedback] == ["R_1"]
    assert read.skipped_rows == 2  # the row of ImportIds, and the duplicate
    assert [w.reason for w in read.warnings] == [
        "1 response the survey tool marked as a duplicate was skipped "
        "(column 'Q_RelevantIDDuplicate')"
    ]


def _chat_message(n: int, name: str, words: str) -> dict[str, Any]:
    return {
        "id": f"161699003203{n}",
        "messageType": "message",
        "createdDateTime": f"2026-12-01T16:4{n}:20.123Z",
        "from": {"application": None, "user": {"id": f"u{n}", "displayName": name}},
        "body": {"contentType": "html", "content": f"<p>{words}</p>"},
    }


_CHAT = [
    _chat_message(1, "Nora Kim", "The weekly export lacks the store column."),
    _chat_message(2, "Sam Lee", "We rebuild it by hand every Monday."),
]


@pytest.mark.parametrize(
    "page",
    [
        {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aab%40"
            "thread.v2')/messages",
            "@odata.count": 2,
            "value": _CHAT,
        },
        {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#teams('f0')/channels"
            "('19%3Ac1%40thread.tacv2')/messages",
            "value": _CHAT,
        },
        {"value": _CHAT},  # saved by a script without its context
        _CHAT,  # the list alone
    ],
    ids=["chat", "channel", "no-context", "list"],
)
def test_teams_chat_given_to_email_is_refused_as_chat(
    session: Session, tmp_path: Path, page: Any
) -> None:
    path = write_json(tmp_path / "chat.json", page)
    failure = refused(session, actor(session, "admin"), "email", path)
    reasons = " ".join(e.reason for e in failure.report.errors)
    assert "Microsoft Teams chat" in reasons and "'slack'" in reasons
    assert "has no text" not in reasons


def test_slack_reads_the_teams_chat_page(tmp_path: Path) -> None:
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aab')/messages",
        "value": _CHAT,
    }
    read = read_clean("slack", write_json(tmp_path / "chat.json", page), ConnectorOptions())
    assert [(f.contact_name, f.text) for f in read.feedback] == [
        ("Nora Kim", "The weekly export lacks the store column."),
        ("Sam Lee", "We rebuild it by hand every Monday."),
    ]


def test_an_outlook_meeting_message_is_still_mail(tmp_path: Path) -> None:
    """An eventMessage's `meetingMessageType` is no chatMessage's `messageType`."""
    page = {
        "value": [
            {
                "@odata.type": "#microsoft.graph.eventMessage",
                "meetingMessageType": "meetingRequest",
                "receivedDateTime": "2026-12-01T16:48:20Z",
                "sentDateTime": "2026-12-01T16:48:20Z",
                "subject": "Exports",
                "from": {"emailAddress": {"address": "nora@umbrella.example"}},
                "body": {"contentType": "text", "content": "Can we go over the exports?"},
            }
        ]
    }
    read = read_clean("email", write_json(tmp_path / "inbox.json", page), ConnectorOptions())
    assert [f.contact_email for f in read.feedback] == ["nora@umbrella.example"]
