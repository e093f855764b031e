"""Gaps round 29's reviews found in the call importer, each on a small input of its own: a
voice agent's call (Vapi's) that keeps only its flat transcript, Salesforce's Enhanced
Messaging entries as the Connect API answers them, a live transcription log that ends before
a result's final, and a plain `Name: text` file whose first turn is the customer's."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Kelly Ng", "Sam Ortiz")
)


def _read(folder: Path, record: object, name: str = "call.json") -> tuple[list[Call], Any]:
    path = folder / name
    path.write_text(record if isinstance(record, str) else json.dumps(record))
    return calls_in(path, OURS)


def _one(folder: Path, record: object, name: str = "call.json") -> tuple[Call, ConnectorOutput]:
    calls, output = _read(folder, record, name)
    assert output.errors == []
    (call,) = calls
    return call, output


FLAT = (
    "AI: Hi Jordan, this is Ava calling for OurCo about your survey.\n"
    "User: Sure. The dashboard lags by ten minutes.\n"
    "It has since the October update.\n"
    "AI: Thanks. Anything else?\n"
    "User: Support has been slow."
)
VAPI = {
    "id": "c0ffee12",
    "type": "outboundPhoneCall",
    "assistantId": "0c7d3e91",
    "startedAt": "2025-11-27T15:30:07.118Z",
    "endedReason": "customer-ended-call",
    "customer": {"number": "+16175550143", "name": "Jordan Pryce"},
    "assistantOverrides": {"variableValues": {"company": "Acme Robotics"}},
    "artifact": {"transcript": FLAT, "recordingUrl": "https://storage.vapi.ai/c0ffee12.wav"},
}


def test_a_voice_agents_call_with_only_its_flat_transcript_is_read(tmp_path: Path) -> None:
    call, _ = _one(tmp_path, VAPI)
    assert (call.call_id, call.account) == ("c0ffee12", "Acme Robotics")
    # "AI" is the organisation's assistant, "User" the person called; a line under no name
    # goes on with the one before. The flat transcript keeps no times.
    assert turns(call) == [
        (
            "Assistant",
            "vendor",
            None,
            "Hi Jordan, this is Ava calling for OurCo about your survey.",
        ),
        (
            "Jordan Pryce",
            "customer",
            None,
            "Sure. The dashboard lags by ten minutes. It has since the October update.",
        ),
        ("Assistant", "vendor", None, "Thanks. Anything else?"),
        ("Jordan Pryce", "customer", None, "Support has been slow."),
    ]


def test_an_end_of_call_report_with_the_plans_own_names_is_its_call(tmp_path: Path) -> None:
    flat = "Buyer: Hello, who is this?\nAva: Ava from OurCo.\nBuyer: The exports keep failing."
    plan = {"transcriptPlan": {"assistantName": "Ava", "userName": "Buyer"}}
    report = {
        "message": {
            "type": "end-of-call-report",
            "call": {
                "id": "c2",
                "customer": {"number": "+16175550143"},
                "assistantOverrides": {"artifactPlan": plan},
            },
            "transcript": flat,
        }
    }
    call, _ = _one(tmp_path, report)
    assert [(who, side) for who, side, _, _ in turns(call)] == [
        ("+16175550143", "customer"),
        ("Assistant", "vendor"),
        ("+16175550143", "customer"),
    ]


def test_a_flat_transcript_in_no_voice_agents_call_is_not_read_as_one(tmp_path: Path) -> None:
    # Nothing says it is a voice agent's call: its "AI" and "User" are no sides of one.
    calls, output = _read(tmp_path, {"id": "n1", "transcript": FLAT})
    assert not any(call.speakers.get("Assistant") for call in calls)
    assert calls == [] or output.errors == []


def _entry(at: int, role: str, name: str | None, text: str) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "clientDuration": 0,
        "clientTimestamp": 1764000000000 + at * 1000,
        "identifier": f"e-{at}",
        "messageText": text,
        "relatedRecords": [],
        "sender": {"appType": "iamessage", "role": role, "subject": f"s-{role}"},
        "serverReceivedTimestamp": 1764000000000 + at * 1000 + 90,
    }
    if name:
        entry["senderDisplayName"] = name
    return entry


def test_enhanced_messagings_connect_api_entries_are_a_call(tmp_path: Path) -> None:
    # The answer lists the newest first (queryDirection FromEnd): read in the order sent.
    entries = [
        _entry(30, "EndUser", "Mia Park", "Twice this week, on the big stores."),
        _entry(20, "Agent", "Kelly Ng", "How often does it happen?"),
        _entry(12, "System", None, "Kelly Ng joined the conversation."),
        _entry(10, "EndUser", "Mia Park", "The export times out."),
        _entry(0, "Chatbot", "OurCo Bot", "Hi! I'm the OurCo bot. Connecting you to an agent."),
    ]
    call, _ = _one(tmp_path, {"conversationEntries": entries})
    # The chatbot's and the system's entries are nobody's words; the end user the customer.
    assert turns(call) == [
        ("Mia Park", "customer", 0.0, "The export times out."),
        ("Kelly Ng", "vendor", 10.0, "How often does it happen?"),
        ("Mia Park", "customer", 20.0, "Twice this week, on the big stores."),
    ]
    assert call.started_at == datetime(2025, 11, 24, 16, 0, 10, tzinfo=UTC)


def test_a_connect_api_entry_without_a_display_name_is_its_roles(tmp_path: Path) -> None:
    entries = [
        _entry(0, "Agent", None, "Thanks for messaging OurCo."),
        _entry(5, "EndUser", None, "My invoice is wrong."),
    ]
    call, _ = _one(tmp_path, {"conversationEntries": entries})
    assert [(who, side) for who, side, _, _ in turns(call)] == [
        ("Agent", "vendor"),
        ("EndUser", "customer"),
    ]


# 2026-03-02 10:00:00 UTC in epoch milliseconds.
T0 = 1772445600000
RUTH = "ruth@globex.example"


def _result(rid: str, partial: bool, at: int, text: str) -> dict[str, Any]:
    words = [
        {
            "content": word,
            "attendee": {"attendeeId": "id-ruth", "externalUserId": RUTH},
            "startTimeMs": at + 300 * n,
            "type": "pronunciation",
        }
        for n, word in enumerate(text.split())
    ]
    result = {
        "resultId": rid,
        "isPartial": partial,
        "startTimeMs": at,
        "endTimeMs": at + 4000,
        "alternatives": [{"items": words, "transcript": text}],
    }
    return {"results": [result]}


def test_a_results_latest_partial_is_kept_when_its_final_never_came(tmp_path: Path) -> None:
    log = [
        {"type": "started", "eventTimeMs": T0},
        _result("r1", True, T0 + 1000, "The export"),
        _result("r1", False, T0 + 1000, "The export times out."),
        _result("r2", True, T0 + 6000, "And the"),
        _result("r2", True, T0 + 6000, "And the invoices are"),
        _result("r3", True, T0 + 12000, "Also"),
    ]
    call, output = _one(tmp_path, log)
    # Each result that never got its final is its latest partial, once.
    assert [(start, words) for _, _, start, words in turns(call)] == [
        (1.0, "The export times out. And the invoices are Also"),
    ]
    (warning,) = [w.reason for w in output.warnings]
    assert warning.startswith("2 results were never finalised")
    assert "last partial text of each was kept" in warning


def test_a_log_whose_every_result_got_its_final_warns_of_nothing(tmp_path: Path) -> None:
    log = [
        _result("r1", True, T0, "The export"),
        _result("r1", False, T0, "The export times out."),
    ]
    call, output = _one(tmp_path, log)
    assert [words for _, _, _, words in turns(call)] == ["The export times out."]
    assert output.warnings == []


def test_a_first_customer_line_that_says_something_is_a_turn(tmp_path: Path) -> None:
    text = (
        "Customer: The export keeps timing out.\n"
        "Kelly Ng: Which store is it?\n"
        "Customer: The big one.\n"
    )
    call, _ = _one(tmp_path, text, "call.txt")
    assert call.account is None
    assert [(who, words) for who, _, _, words in turns(call)] == [
        ("Customer", "The export keeps timing out."),
        ("Kelly Ng", "Which store is it?"),
        ("Customer", "The big one."),
    ]
    # Unpunctuated, as a typist may leave it: its words still run lower-case, as said.
    call, _ = _one(tmp_path, "Customer: Yes the exports keep failing\nKelly Ng: Oh.\n", "b.txt")
    assert (call.account, [who for who, _, _, _ in turns(call)]) == (None, ["Customer", "Kelly Ng"])


def test_a_customer_line_that_names_or_sits_among_keys_is_the_header(tmp_path: Path) -> None:
    named = "Customer: Acme Robotics Inc.\n\nKelly Ng: Hi all.\nRuth Ng: Exports fail.\n"
    call, _ = _one(tmp_path, named, "named.txt")
    assert call.account == "Acme Robotics Inc."
    assert [who for who, _, _, _ in turns(call)] == ["Kelly Ng", "Ruth Ng"]
    # Among other keys' lines, whatever its value reads like, it is the header's.
    keyed = "Title: Why the exports keep failing\nCustomer: Where the exports go\n\nKelly Ng: Hi.\n"
    call, _ = _one(tmp_path, keyed, "keyed.txt")
    assert (call.account, call.title) == ("Where the exports go", "Why the exports keep failing")
    assert [who for who, _, _, _ in turns(call)] == ["Kelly Ng"]
    # A host's line that names them is a key's; one that says something is a turn.
    hosted = "Host: Dana Lee\nCustomer: Where the exports go\n\nKelly Ng: Hi.\n"
    call, _ = _one(tmp_path, hosted, "hosted.txt")
    assert call.account == "Where the exports go"
    spoken = "Host: Welcome all, thanks for coming.\nCustomer: Where the exports go\n"
    call, _ = _one(tmp_path, spoken, "spoken.txt")
    assert call.account is None
    assert [who for who, _, _, _ in turns(call)] == ["Host", "Customer"]
