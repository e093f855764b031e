"""What round 29's call platforms showed, each on a small input of its own: a Salesloft page
of sentences said by attendee ids, Salesforce's ConversationEntry records as a SOQL query
answers them, a voice agent's call object (Vapi's) that holds its call several times over,
and a call whose people come in two lists by side (Clari Copilot's call details)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import TranscriptConnector
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Tom Becker")
)


def _read(folder: Path, record: object) -> tuple[list[Call], ConnectorOutput]:
    path = folder / "call.json"
    path.write_text(json.dumps(record))
    return calls_in(path, OURS)


def _one(folder: Path, record: object) -> Call:
    calls, output = _read(folder, record)
    assert output.errors == []
    (call,) = calls
    return call


def _sentence(order: int, attendee: str, at: float, text: str) -> dict[str, Any]:
    return {
        "id": f"s{order}",
        "start_time": at,
        "end_time": at + 2.0,
        "order_number": order,
        "recording_attendee_id": attendee,
        "text": text,
        "conversation": {"id": "conv-1", "_href": "https://api.salesloft.com/v2/conversations/1"},
    }


REP, BUYER = "3f1c9a52-7d0e-4b8a", "c7d05e93-1a6b-4c2f"
SENTENCES = [
    _sentence(1, REP, 1.0, "Tom Becker here, I look after your account at OurCo."),
    _sentence(3, BUYER, 9.0, "Morning Tom."),
    _sentence(2, REP, 4.0, "How did the year go?"),
    _sentence(4, BUYER, 11.0, "The reporting has been a sore point all year."),
]
PAGING = {"paging": {"per_page": 100, "current_page": 1, "next_page": None, "prev_page": None}}


def test_a_salesloft_page_of_sentences_is_one_call_of_attendees_turns(tmp_path: Path) -> None:
    call = _one(tmp_path, {"data": SENTENCES, "metadata": PAGING})
    assert call.call_id == "conv-1"
    # In the order the sentences give, an attendee's sentences one turn; each attendee a
    # voice, named by what the call says ("Tom Becker here").
    assert turns(call) == [
        (
            "Speaker 1",
            "vendor",
            1.0,
            "Tom Becker here, I look after your account at OurCo. How did the year go?",
        ),
        (
            "Speaker 2",
            "customer",
            9.0,
            "Morning Tom. The reporting has been a sore point all year.",
        ),
    ]


def test_a_salesloft_page_reads_its_attendees_names_and_its_next_page(tmp_path: Path) -> None:
    attendees = [
        {"id": REP, "full_name": "Tom Becker", "email": "tom.becker@ourco.com"},
        {"id": BUYER, "full_name": "Helen Marsh", "email": "helen@initech.example"},
    ]
    paging = {"paging": {**PAGING["paging"], "next_page": 2}}
    record = {"data": SENTENCES, "metadata": paging, "conversation": {"attendees": attendees}}
    calls, output = _read(tmp_path, record)
    (call,) = calls
    assert [(who, side) for who, side, _, _ in turns(call)] == [
        ("Tom Becker", "vendor"),
        ("Helen Marsh", "customer"),
    ]
    assert call.speakers["Helen Marsh"].email == "helen@initech.example"
    assert [w.reason for w in output.warnings] == [
        "this file is one page of the answer: the next page starts at 2; fetch it and import it too"
    ]


def test_a_sentence_without_its_attendee_is_nobodys_known_voice(tmp_path: Path) -> None:
    # The attendee as a reference of its own; a sentence that names none is "Unknown"'s, not
    # the one before's.
    first, second, third = (dict(s) for s in SENTENCES[:3])
    first["recording_attendee"] = {"id": first.pop("recording_attendee_id"), "_href": "x"}
    second["recording_attendee_id"] = None
    call = _one(tmp_path, {"data": [first, second, third], "metadata": PAGING})
    assert [(who, words) for who, _, _, words in turns(call)] == [
        ("Speaker 1", "Tom Becker here, I look after your account at OurCo. How did the year go?"),
        ("Unknown", "Morning Tom."),
    ]


def _entry(seq: int, actor: str, name: str, at: str, message: str, **more: str) -> dict[str, Any]:
    return {
        "attributes": {"type": "ConversationEntry", "url": f"/services/data/v62.0/x/{seq}"},
        "Id": f"0dv{seq}",
        "ConversationId": more.get("conversation", "0dwA"),
        "Seq": seq,
        "ActorType": actor,
        "ActorName": name,
        "EntryType": more.get("kind", "Text"),
        "EntryTime": at,
        "Message": message,
    }


ENTRIES = [
    _entry(1, "Bot", "OurCo Line", "2026-11-24T14:03:07.412+0000", "This call may be recorded."),
    _entry(2, "Agent", "Kelly Ng", "2026-11-24T14:03:18.000+0000", "Who am I speaking with?"),
    _entry(4, "EndUser", "Hector Ruiz", "2026-11-24T14:03:33.500+0000", "It spins, then fails."),
    _entry(3, "EndUser", "Hector Ruiz", "2026-11-24T14:03:23.000+0000", "Our optimiser times out."),
    _entry(5, "Agent", "Kelly Ng", "2026-11-24T14:03:40.000+0000", "Opted in", kind="AdminOptedIn"),
    _entry(6, "Supervisor", "Ana Li", "2026-11-24T14:03:41.000+0000", "I'll take it from here."),
]


def test_conversation_entries_from_the_sf_cli_are_the_call_by_actor_type(tmp_path: Path) -> None:
    record = {"status": 0, "result": {"records": ENTRIES, "totalSize": 6, "done": True}}
    call = _one(tmp_path, record)
    assert call.call_id == "0dwA"
    # The first said entry dates the call; a bot's recording notice and an event are
    # nobody's words; the entries in their `Seq` order.
    assert call.started_at == datetime(2026, 11, 24, 14, 3, 18, tzinfo=UTC)
    assert turns(call) == [
        ("Kelly Ng", "vendor", 0.0, "Who am I speaking with?"),
        ("Hector Ruiz", "customer", 5.0, "Our optimiser times out. It spins, then fails."),
        ("Ana Li", "vendor", 23.0, "I'll take it from here."),
    ]


def test_conversation_entries_of_two_conversations_are_two_calls(tmp_path: Path) -> None:
    other = _entry(
        7, "EndUser", "Mia Park", "2026-11-25T09:00:00Z", "Exports fail.", conversation="0dwB"
    )
    record = {
        "totalSize": 7,
        "done": False,
        "nextRecordsUrl": "/services/data/v62.0/query/01g-2000",
        "records": [*ENTRIES, other],
    }
    calls, output = _read(tmp_path, record)
    assert [c.call_id for c in calls] == ["0dwA", "0dwB"]
    assert turns(calls[1]) == [("Mia Park", "customer", 0.0, "Exports fail.")]
    assert "next page starts at /services/data/v62.0/query/01g-2000" in output.warnings[0].reason


def _said(role: str, at: float, message: str) -> dict[str, Any]:
    return {
        "role": role,
        "message": message,
        "time": 1764257407118 + at * 1000,
        "secondsFromStart": at,
    }


PROMPT = "You are Ava, calling for OurCo. Never promise fixes, discounts or dates."
MESSAGES = [
    _said("system", 0, PROMPT),
    _said("bot", 1.1, "Hi, this is Ava calling on behalf of OurCo. What is behind your score?"),
    _said("user", 9.5, "The dashboard lags by ten minutes."),
    _said("bot", 15.0, "Is there anything else?"),
    _said("user", 18.2, "Support has been slow."),
]
VAPI = {
    "id": "e2a9d0c4",
    "type": "outboundPhoneCall",
    "startedAt": "2025-11-27T15:30:07.118Z",
    "customer": {"number": "+16175550143", "name": "Jordan Pryce"},
    "assistantOverrides": {"variableValues": {"firstName": "Jordan", "company": "Acme Robotics"}},
    "messages": MESSAGES,
    "transcript": "AI: Hi, this is Ava.\nUser: The dashboard lags by ten minutes.",
    "summary": "Jordan scored OurCo low because the dashboard lags.",
    "artifact": {
        "messages": MESSAGES,
        "messagesOpenAIFormatted": [{"role": "system", "content": PROMPT}],
        "transcript": "AI: Hi, this is Ava.\nUser: The dashboard lags by ten minutes.",
        "recordingUrl": "https://storage.vapi.ai/e2a9d0c4-mono.wav",
    },
}


def test_a_voice_agents_call_is_read_once_its_prompt_nobodys_words(tmp_path: Path) -> None:
    call = _one(tmp_path, VAPI)
    assert (call.call_id, call.account) == ("e2a9d0c4", "Acme Robotics")
    assert call.started_at == datetime(2025, 11, 27, 15, 30, 7, 118000, tzinfo=UTC)
    assert call.recording_url == "https://storage.vapi.ai/e2a9d0c4-mono.wav"
    assert [(who, side, start) for who, side, start, _ in turns(call)] == [
        ("Assistant", "vendor", 1.1),
        ("Jordan Pryce", "customer", 9.5),
        ("Assistant", "vendor", 15.0),
        ("Jordan Pryce", "customer", 18.2),
    ]


def test_a_voice_agents_end_of_call_report_is_its_call(tmp_path: Path) -> None:
    call_object = {k: v for k, v in VAPI.items() if k not in {"messages", "artifact"}}
    report = {
        "message": {
            "type": "end-of-call-report",
            "call": call_object,
            "artifact": {"messages": MESSAGES},
            "summary": "Jordan scored OurCo low.",
        }
    }
    call = _one(tmp_path, report)
    assert (call.call_id, call.account) == ("e2a9d0c4", "Acme Robotics")
    assert [words for _, side, _, words in turns(call) if side == "customer"] == [
        "The dashboard lags by ten minutes.",
        "Support has been slow.",
    ]


CLARI = {
    "call": {
        "id": "a3f7c21e",
        "title": "OurCo <> Northwind Cold Chain | Discovery",
        "users": [
            {"userId": "48211", "userEmail": "sam@ourco.com", "personId": 0},
            {"userId": "48377", "userEmail": "leo@ourco.com", "personId": 1},
        ],
        "externalParticipants": [
            {"name": "Renata Oyelaran", "email": "renata@northwind.example", "personId": 2},
        ],
        "time": "2026-11-20T16:00:00.000Z",
        "audio_url": "https://copilot-media.clari.com/audio/a3f7c21e.mp3",
        "account_name": "Northwind Cold Chain",
        "transcript": [
            {"personId": 0, "start": 4.1, "end": 9.0, "text": "How do you log alarms today?"},
            {
                "personId": 2,
                "start": 10.0,
                "end": 20.0,
                "text": "The log is a shared sheet, a mess.",
            },
            {
                "personId": 1,
                "start": 21.0,
                "end": 24.0,
                "text": "Yes, webhooks are on the Business plan.",
            },
            {
                "personId": 2,
                "start": 25.0,
                "end": 29.0,
                "text": "Is there a webhook option for alerts?",
            },
        ],
        "summary": {"full_summary": "Alarms are logged in a shared sheet."},
    }
}


def test_call_details_name_each_speaker_by_the_list_by_side_that_has_them(tmp_path: Path) -> None:
    call = _one(tmp_path, CLARI)
    assert (call.title, call.account) == (
        "OurCo <> Northwind Cold Chain | Discovery",
        "Northwind Cold Chain",
    )
    assert call.started_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
    assert [(who, side, start) for who, side, start, _ in turns(call)] == [
        ("sam@ourco.com", "vendor", 4.1),
        ("Renata Oyelaran", "customer", 10.0),
        ("leo@ourco.com", "vendor", 21.0),
        ("Renata Oyelaran", "customer", 25.0),
    ]
    path = tmp_path / "call.json"
    items = TranscriptConnector().read(path, OURS).feedback
    assert all("webhooks are on the Business plan" not in item.text for item in items)
    assert {item.account_ref for item in items} == {"Northwind Cold Chain"}
