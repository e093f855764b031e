"""Round 29's call rules reviewed, each on a small input of its own: the variants of a
platform's answer the first rules misread (a messaging session's events, a voice agent's
tool calls, Clari's call beside the answer's other members, attendees named in the
sentences, call analytics' utterance events) and a header that is no turn."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from huddle.connectors.transcript_platforms import platform_calls
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _read(folder: Path, record: object, name: str = "call.json") -> tuple[list[Call], Any]:
    path = folder / name
    path.write_text(record if isinstance(record, str) else json.dumps(record))
    return calls_in(path, OURS)


def _one(folder: Path, record: object, name: str = "call.json") -> Call:
    calls, output = _read(folder, record, name)
    assert isinstance(output, ConnectorOutput) and output.errors == []
    (call,) = calls
    return call


def _entry(seq: int, actor: str, message: str | None, kind: str, name: str | None) -> Any:
    return {
        "attributes": {"type": "ConversationEntry"},
        "ConversationId": "0Mw5e000000abcd",
        "ActorType": actor,
        "ActorName": name,
        "EntryType": kind,
        "Message": message,
        "Seq": seq,
        "EntryTime": f"2026-11-24T14:0{seq}:07.000+0000",
    }


def test_a_messaging_session_with_more_events_than_words_is_read(tmp_path: Path) -> None:
    # A messaging session's routing and joining events have no message, and may be most of
    # its entries: they are left, the words read.
    records = [
        _entry(1, "System", None, "RoutingWorkItem", None),
        _entry(2, "EndUser", "Our invoices are duplicated every month.", "Text", "Ruth Okafor"),
        _entry(3, "System", None, "AgentJoined", None),
        _entry(4, "Agent", "Let me look at the billing run.", "Text", "Dana Lee"),
        _entry(5, "System", None, "Transfer", None),
        _entry(6, "System", None, "AgentLeft", None),
    ]
    call = _one(tmp_path, {"totalSize": 6, "done": True, "records": records})
    assert turns(call) == [
        ("Ruth Okafor", "customer", 0.0, "Our invoices are duplicated every month."),
        ("Dana Lee", "vendor", 120.0, "Let me look at the billing run."),
    ]


def test_an_audit_log_of_actor_types_is_no_conversation(tmp_path: Path) -> None:
    # Salesforce's ActorType is a restricted picklist (Agent, Bot, EndUser, Supervisor,
    # System): an app's log of "user" actors' messages is not its conversation entries.
    log = [
        {"actorType": "user", "actor": "ruth@acme.io", "message": "Logged in from a new device"},
        {"actorType": "user", "actor": "ruth@acme.io", "message": "Changed plan to Pro"},
        {"actorType": "admin", "actor": "it@acme.io", "message": "Deleted a project"},
    ]
    assert platform_calls(log) is None


def test_a_voice_agents_tool_calls_do_not_hide_its_call(tmp_path: Path) -> None:
    # A tool's call and its result have a role but no `message`: a call that looked things
    # up often is still the call.
    messages = [
        {"role": "system", "message": "You are Riley.", "time": 1, "secondsFromStart": 0},
        {"role": "bot", "message": "Hi, it is Riley calling.", "time": 2, "secondsFromStart": 0.5},
        {"role": "tool_calls", "toolCalls": [{"id": "t1"}], "time": 3, "secondsFromStart": 2},
        {"role": "tool_call_result", "result": "ok", "time": 3, "secondsFromStart": 2.1},
        {"role": "tool_calls", "toolCalls": [{"id": "t2"}], "time": 4, "secondsFromStart": 2.5},
        {"role": "user", "message": "The report never loads.", "time": 5, "secondsFromStart": 3},
    ]
    record = {"id": "c-1", "customer": {"number": "+14155550123"}, "messages": messages}
    call = _one(tmp_path, record)
    assert turns(call) == [
        ("Assistant", "vendor", 0.5, "Hi, it is Riley calling."),
        ("+14155550123", "customer", 3.0, "The report never loads."),
    ]


def test_clari_call_beside_other_members_of_the_answer_is_read(tmp_path: Path) -> None:
    call_details = {
        "id": "cl-1",
        "title": "Renewal",
        "users": [{"userId": "u1", "userEmail": "dana@ourco.com", "personId": 0}],
        "externalParticipants": [{"name": "Ruth Okafor", "email": "ruth@acme.io", "personId": 1}],
        "transcript": [
            {"personId": 0, "start": 1.0, "end": 2.0, "text": "How is the rollout?"},
            {"personId": 1, "start": 3.0, "end": 5.0, "text": "Slow, the import keeps failing."},
        ],
    }
    call = _one(tmp_path, {"call": call_details, "requestId": "r-9"})
    assert call.title == "Renewal"
    assert [(who, side) for who, side, _, _ in turns(call)] == [
        ("dana@ourco.com", "vendor"),
        ("Ruth Okafor", "customer"),
    ]


def test_sentences_that_name_their_attendee_are_said_by_them(tmp_path: Path) -> None:
    # No attendee list beside the sentences, but each names its attendee: by a reference
    # holding the person, or by their name; not "Speaker 1", nor one "Unknown" turn.
    by_reference = {
        "data": [
            {"attendee": {"name": "Ruth Okafor", "email": "ruth@acme.io"}, "text": "It fails."},
            {"attendee": {"name": "Dana Lee", "email": "dana@ourco.com"}, "text": "Since when?"},
        ]
    }
    assert [(w, s) for w, s, _, _ in turns(_one(tmp_path, by_reference))] == [
        ("Ruth Okafor", "customer"),
        ("Dana Lee", "vendor"),
    ]
    by_name = [
        {"attendee": "Ruth Okafor", "text": "It fails every night."},
        {"attendee": "Dana Lee", "text": "Since when?"},
        {"attendee": "Ruth Okafor", "text": "Since the upgrade."},
    ]
    assert [w for w, _, _, _ in turns(_one(tmp_path, by_name, "named.json"))] == [
        "Ruth Okafor",
        "Dana Lee",
        "Ruth Okafor",
    ]


def _utterance(ident: str, partial: bool, role: str, text: str, begin: int) -> Any:
    return {
        "time": "2026-11-24T14:00:00Z",
        "detail-type": "UtteranceEvent",
        "mediaInsightsPipelineId": "p-1",
        "UtteranceEvent": {
            "UtteranceId": ident,
            "IsPartial": partial,
            "ParticipantRole": role,
            "Transcript": text,
            "BeginOffsetMillis": begin,
            "EndOffsetMillis": begin + 2000,
            "Items": [],
            "Sentiment": "NEUTRAL",
        },
    }


def test_call_analytics_utterance_events_are_the_call_sided_by_role(tmp_path: Path) -> None:
    # Transcribe's call analytics stream (as Chime SDK's call analytics records carry it):
    # each utterance partial first, then final under its id; AGENT ours, CUSTOMER theirs.
    events = [
        _utterance("u1", True, "AGENT", "Good", 1000),
        _utterance("u1", False, "AGENT", "Good morning.", 1000),
        _utterance("u2", True, "CUSTOMER", "The app", 3500),
        _utterance("u2", False, "CUSTOMER", "The app logs me out daily.", 3500),
        # A partial delivered late, after its final: the final stays the words.
        _utterance("u1", True, "AGENT", "Good", 1000),
    ]
    call = _one(tmp_path, events)
    assert turns(call) == [
        ("Agent", "vendor", 1.0, "Good morning."),
        ("Customer", "customer", 3.5, "The app logs me out daily."),
    ]


def test_one_otter_turn_under_a_header_of_keys_is_read(tmp_path: Path) -> None:
    # A header's "Key: value" lines are no turns: one speaker line of Otter's shape under
    # five of them is still the file's way of opening a turn.
    text = (
        "Title: Onboarding check-in\nDate: Nov 20, 2026\nParticipants: Dana Lee, Ruth Okafor\n"
        "Location: Zoom\nDuration: 12 minutes\n\nRuth Okafor  0:03\n"
        "Our exports fail every Monday and nobody can see why.\n"
    )
    call = _one(tmp_path, text, "call.txt")
    assert turns(call) == [
        ("Ruth Okafor", "customer", 3.0, "Our exports fail every Monday and nobody can see why.")
    ]


def test_a_speaker_called_customer_is_no_header_key(tmp_path: Path) -> None:
    # "Customer:" said again and again is a speaker's turns, not a header's key: they still
    # outnumber a timed line that is only a speaker's words.
    text = (
        "Agent: Which export is that?\nCustomer: The weekly CSV, every morning during our\n"
        "Weekly Review (9:30 - 9:45)\nAgent: Got it.\nCustomer: Also search is slow.\n"
        "Agent: How slow?\nCustomer: Ten seconds a query.\nCustomer: On big boards.\n"
    )
    call = _one(tmp_path, text, "call.txt")
    assert [u.speaker for u in call.utterances] == ["Agent", "Customer"] * 3
    said = "The weekly CSV, every morning during our Weekly Review (9:30 - 9:45)"
    assert call.utterances[1].text == said
