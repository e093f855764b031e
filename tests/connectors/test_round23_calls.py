"""What round 23's held-back calls showed: four calls refused whole, each a shape whose turns
`transcript_found` did not yet recognise. Each on a small input of its own: Genesys Cloud's
phrases (the side as `participantPurpose`, the voice as `channelId`), ElevenLabs Scribe's
word list (spaces and sound events among the words), Symbl's messages (the speaker a `from`
person, their address as `userId`), a vCon (the dialog's `originator`, a party's place in
the list) and Google Meet's REST API (participants named by resource path, their names one
level down)."""

from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import one_call

PAIN = "The pick list duplicates some lines, so now some aisles are counted twice."
OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))


def _call(tmp_path: Path, record: Any) -> Call:
    return one_call(tmp_path, record, OURS)


def _said(call: Call) -> list[tuple[str, str | None, str]]:
    return [(u.speaker, call.speakers[u.speaker].side, u.text) for u in call.utterances]


def test_genesys_phrases_by_channel_and_purpose(tmp_path: Path) -> None:
    phrase = lambda text, purpose, channel, at: {  # noqa: E731
        "text": text,
        "startTimeMs": at,
        "participantPurpose": purpose,
        "channelId": channel,
    }
    call = _call(
        tmp_path,
        {
            "conversationId": "c-1",
            "transcripts": [
                {
                    "transcriptId": "t-1",
                    "phrases": [
                        phrase("Thanks for holding, how can I help?", "internal", 0, 1000),
                        phrase(PAIN, "external", 1, 5000),
                    ],
                }
            ],
        },
    )
    assert [(s, side) for s, side, _ in _said(call)] == [
        ("Speaker 0", "vendor"),
        ("Speaker 1", "customer"),
    ]


def test_a_word_list_with_spaces_and_sound_events_is_read(tmp_path: Path) -> None:
    words: list[dict[str, Any]] = []
    for speaker, text in (
        ("speaker_0", "Dana Lee here, thanks for joining."),
        ("speaker_1", PAIN),
    ):
        for word in text.split():
            words.append({"text": word, "type": "word", "speaker_id": speaker, "start": 1.0})
            words.append({"text": " ", "type": "spacing", "speaker_id": speaker, "start": 1.0})
    words.insert(4, {"text": "(laughs)", "type": "audio_event", "speaker_id": "speaker_1"})
    call = _call(tmp_path, {"language_code": "eng", "text": "…", "words": words})
    said = _said(call)
    assert [text for _, _, text in said] == ["Dana Lee here, thanks for joining.", PAIN]
    assert [side for _, side, _ in said] == ["vendor", "customer"]


def test_a_from_person_and_their_address(tmp_path: Path) -> None:
    message = lambda name, user, text: {  # noqa: E731
        "id": name,
        "text": text,
        "from": {"id": f"id-{name}", "name": name, "userId": user},
        "startTime": "2026-11-20T10:00:00Z",
    }
    call = _call(
        tmp_path,
        {
            "messages": [
                message("Lena Park", "lena.park@ourco.com", "Shall I show the offline mode?"),
                message("Jae-won Choi", "jaewon@acme.example", PAIN),
            ]
        },
    )
    assert [(s, side) for s, side, _ in _said(call)] == [
        ("Lena Park", "vendor"),
        ("Jae-won Choi", "customer"),
    ]


def test_a_vcons_dialog_names_its_originator_by_place(tmp_path: Path) -> None:
    call = _call(
        tmp_path,
        {
            "vcon": "0.0.1",
            "parties": [
                {"tel": "+15550100", "name": "Luis Ortega", "role": "customer"},
                {"mailto": "ava.brooks@ourco.com", "name": "Ava Brooks", "role": "agent"},
            ],
            "dialog": [
                {"type": "text", "start": "2026-11-24T15:02:00Z", "originator": 1, "body": "Hi."},
                {"type": "text", "start": "2026-11-24T15:02:09Z", "originator": 0, "body": PAIN},
                {"type": "recording", "start": "2026-11-24T15:02:00Z", "parties": [0, 1]},
            ],
        },
    )
    assert [(s, side) for s, side, _ in _said(call)] == [
        ("Ava Brooks", "vendor"),
        ("Luis Ortega", "customer"),
    ]


def test_participants_named_by_resource_path(tmp_path: Path) -> None:
    path = "conferenceRecords/a7/participants/"
    call = _call(
        tmp_path,
        {
            "participants": [
                {"name": f"{path}1", "signedinUser": {"displayName": "Dana Lee"}},
                {"name": f"{path}2", "signedinUser": {"displayName": "Amara Nwosu"}},
            ],
            "transcriptEntries": [
                {"participant": f"{path}1", "text": "Welcome, how are things?"},
                {"participant": f"{path}2", "text": PAIN},
            ],
        },
    )
    assert _said(call) == [
        ("Dana Lee", "vendor", "Welcome, how are things?"),
        ("Amara Nwosu", "customer", PAIN),
    ]
    assert not any("/" in name for name in call.speakers)
