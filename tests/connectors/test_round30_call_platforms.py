"""What round 30's call platforms showed, each on a small input of its own: CallRail's calls
(the vendor's own company beside them, a transcript with and without its speakers), Telnyx's
transcription webhooks (interim results, a delivery sent twice, sides by audio track), NICE's
Interaction Analytics transcript (the call three times over, without case or punctuation),
Modjo's Calls Export API (its users the vendor, its contacts the customer) and a Retell AI
call (the call three times over, a tool's result between its turns)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Tom Becker")
)


def _read(folder: Path, record: object) -> tuple[list[Call], ConnectorOutput]:
    path = folder / "call.json"
    path.write_text(json.dumps(record, indent=1))
    return calls_in(path, OURS)


def _one(folder: Path, record: object) -> Call:
    calls, output = _read(folder, record)
    assert output.errors == []
    (call,) = calls
    return call


def _lines(folder: Path, records: list[Any]) -> tuple[list[Call], ConnectorOutput]:
    """JSON lines, saved as a log does, one record a line, under a `.json` name."""
    path = folder / "log.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return calls_in(path, OURS)


def _callrail(ident: str, **fields: Any) -> dict[str, Any]:
    return {
        "answered": True,
        "customer_name": "VASQUEZ RITA",
        "customer_phone_number": "+19735550147",
        "id": ident,
        "start_time": "2026-12-01T10:22:41.118-05:00",
        "tracking_phone_number": "+18885550142",
        "agent_email": "sam@ourco.com",
        "call_type": "inbound",
        "company_name": "OurCo",
        "call_summary": "Rita asked about pricing for her warehouse team.",
        "call_highlights": ["pricing"],
        "speaker_percent": {"agent": 40, "customer": 60},
        **fields,
    }


CONVERSATION = (
    "Agent: Thanks for calling OurCo, this is Sam.\n\n"
    "Customer: Hi Sam, it's Rita from Vandelay Imports.\n\n"
    "Agent: How can I help?\n\n"
    "Customer: The scanner screen times out after thirty seconds.\n"
    "We log back in fifty times a shift."
)
RUN_TOGETHER = (
    "Thanks for calling OurCo, this is Sam. Hi Sam, it's Rita from Vandelay Imports. How can I "
    "help? The scanner screen times out after thirty seconds. We log back in fifty times a shift."
)
MISSED = _callrail(
    "CAL0c2e", answered=False, call_type="missed", transcription="", conversational_transcript=""
)


def test_a_callrail_page_reads_its_conversation_not_its_company_or_summary(
    tmp_path: Path,
) -> None:
    answered = _callrail(
        "CAL8154", transcription=RUN_TOGETHER, conversational_transcript=CONVERSATION
    )
    page = {"page": 1, "per_page": 2, "total_pages": 2, "total_records": 3}
    calls, output = _read(tmp_path, {**page, "calls": [MISSED, answered]})
    assert output.errors == []
    (call,) = calls
    # The company is CallRail's, the tracking number's (the vendor's own); the caller ID is a
    # phone line's name: neither is the account. The agent is the workspace's by address.
    assert (call.call_id, call.account) == ("CAL8154", None)
    assert call.started_at == datetime(2026, 12, 1, 15, 22, 41, 118000, tzinfo=UTC)
    assert call.speakers["Agent"].email == "sam@ourco.com"
    assert turns(call) == [
        ("Agent", "vendor", None, "Thanks for calling OurCo, this is Sam."),
        ("Customer", "customer", None, "Hi Sam, it's Rita from Vandelay Imports."),
        ("Agent", "vendor", None, "How can I help?"),
        (
            "Customer",
            "customer",
            None,
            "The scanner screen times out after thirty seconds. We log back in fifty times a "
            "shift.",
        ),
    ]
    assert [w.reason for w in output.warnings] == [
        "this file is one page of the answer: the next page starts at 2; fetch it and import "
        "it too",
        "call CAL0c2e (missed) has no transcript: left out",
    ]


def test_a_callrail_call_without_its_speakers_is_refused_saying_how_to_fetch_them(
    tmp_path: Path,
) -> None:
    calls, output = _read(tmp_path, _callrail("CAL8154", transcription=RUN_TOGETHER))
    assert calls == []
    (error,) = output.errors
    assert "CAL8154's transcript does not say who spoke" in error.reason
    assert "fields=conversational_transcript" in error.reason
    # Listed without the fields that hold it, the call says how to ask for them.
    (tmp_path / "bare").mkdir()
    calls, output = _read(tmp_path / "bare", {"calls": [_callrail("CAL9")], "page": 1})
    assert [e.reason for e in output.errors] == [
        "call CAL9 was exported without its transcript: left out; ask the API for "
        "fields=conversational_transcript and import that"
    ]


def test_a_callrail_transcription_naming_its_speakers_or_a_voicemail_is_read(
    tmp_path: Path,
) -> None:
    labelled = "Agent: OurCo, Sam speaking. Caller: Exports to NetSuite fail every night."
    voicemail = _callrail(
        "CAL77", call_type="voicemail", voicemail=True, transcription="Hi, exports fail again."
    )
    calls, output = _lines(tmp_path, [_callrail("CAL76", transcription=labelled), voicemail])
    assert output.errors == []
    assert [turns(call) for call in calls] == [
        [
            ("Agent", "vendor", None, "OurCo, Sam speaking."),
            ("Caller", "customer", None, "Exports to NetSuite fail every night."),
        ],
        [("Caller", "customer", None, "Hi, exports fail again.")],
    ]


def test_a_callrail_call_of_labels_without_words_is_left_out(tmp_path: Path) -> None:
    empty = _callrail("CAL5", conversational_transcript="Agent: \n\nCustomer: \n")
    said = _callrail("CAL6", conversational_transcript="Customer: Labels smudge.")
    calls, output = _read(tmp_path, [empty, said])
    assert output.errors == []
    assert [c.call_id for c in calls] == ["CAL6"]
    assert [w.reason for w in output.warnings] == [
        "call CAL5 (inbound) has no transcript: left out"
    ]


def test_callrail_pages_gathered_in_a_list_are_every_call(tmp_path: Path) -> None:
    first = _callrail("CAL1", conversational_transcript="Customer: Scanning is slow.")
    second = _callrail("CAL2", conversational_transcript="Customer: Labels smudge.")
    pages = [
        {"calls": [first], "has_next_page": True, "next_page": "https://api.callrail.com/p2"},
        {"calls": [second], "has_next_page": False, "next_page": None},
    ]
    calls, output = _read(tmp_path, pages)
    assert [c.call_id for c in calls] == ["CAL1", "CAL2"]
    assert output.warnings == []


def _telnyx(
    ident: str, at: str, track: str, words: str, final: bool = True, attempt: int = 1
) -> dict[str, Any]:
    said = {"confidence": 0.9, "is_final": final, "transcript": words}
    return {
        "data": {
            "event_type": "call.transcription",
            "id": ident,
            "occurred_at": f"2026-12-02T14:03:{at}Z",
            "payload": {
                "call_control_id": "v3:abc",
                "call_session_id": "session-1",
                "transcription_data": {**said, "transcription_track": track},
            },
            "record_type": "event",
        },
        "meta": {"attempt": attempt, "delivered_to": "https://hooks.ourco.com/telnyx"},
    }


STARTED = {
    "data": {
        "event_type": "call.initiated",
        "id": "e0",
        "occurred_at": "2026-12-02T14:03:07.000Z",
        "payload": {"call_control_id": "v3:abc", "call_session_id": "session-1"},
    },
    "meta": {"attempt": 1},
}
WEBHOOKS = [
    STARTED,
    _telnyx("e1", "10.000", "outbound", "OurCo support, how can I help?"),
    _telnyx("e2", "12.000", "inbound", "since the update some", final=False),
    _telnyx("e3", "14.000", "inbound", "Since the update some stores", final=False),
    _telnyx("e4", "16.000", "inbound", "Since the update, some stores never get prices."),
    _telnyx("e4", "16.000", "inbound", "Since the update, some stores never get prices.", True, 2),
    _telnyx("e5", "18.000", "outbound", "Sorry to hear that."),
]


def test_telnyx_webhooks_are_the_finals_once_sided_by_their_track(tmp_path: Path) -> None:
    call = _one(tmp_path, WEBHOOKS)
    assert (call.call_id, call.started_at) == (
        "session-1",
        datetime(2026, 12, 2, 14, 3, 7, tzinfo=UTC),
    )
    # A result is said from its first interim version, in its final's words; the delivery
    # sent again is read once.
    assert turns(call) == [
        ("Agent", "vendor", 3.0, "OurCo support, how can I help?"),
        ("Customer", "customer", 5.0, "Since the update, some stores never get prices."),
        ("Agent", "vendor", 11.0, "Sorry to hear that."),
    ]


def test_a_telnyx_log_cut_before_a_final_keeps_its_last_interim_words(tmp_path: Path) -> None:
    cut = [*WEBHOOKS, _telnyx("e6", "20.000", "inbound", "Can we get alerts", final=False)]
    calls, output = _lines(tmp_path, cut)
    (call,) = calls
    assert turns(call)[-1] == ("Customer", "customer", 13.0, "Can we get alerts")
    assert [w.reason for w in output.warnings] == [
        "1 result was never finalised (the log ends, or the stream broke, before the final "
        "came): the last partial text of each was kept"
    ]


def test_telnyx_transcription_naming_no_track_is_the_inbound_tracks(tmp_path: Path) -> None:
    """Telnyx transcribes the inbound track (the other end's voice) unless told otherwise,
    and its own example events name no track: their words are the customer's, warned of."""
    untracked = [_telnyx("e1", "10.000", "", "Hello."), _telnyx("e2", "12.000", "", "Hi.")]
    untracked[1]["data"]["payload"]["transcription_data"].pop("transcription_track")
    calls, output = _read(tmp_path, untracked)
    (call,) = calls
    assert [(t[0], t[1], t[3]) for t in turns(call)] == [("Customer", "customer", "Hello. Hi.")]
    assert output.errors == []
    assert [w.reason for w in output.warnings] == [
        "the transcription names no track for its words: read as the inbound track's (the "
        "other end's voice, the customer's), which Telnyx transcribes unless told otherwise; "
        "if both tracks were transcribed, start transcription with transcription_tracks so "
        "your side's words can be told apart"
    ]


NICE = {
    "plainText": "hi lydia this is sam from ourco\nright yeah\nthe drivers app crashes\n",
    "plainTextTime": (
        "Agent 00:00:00.82 - 00:00:03.10: hi lydia this is sam from ourco\n"
        "Simultaneous 00:00:03.20 - 00:00:03.90: right yeah\n"
        "Customer 00:00:04.00 - 00:00:06.50: the drivers app crashes when i attach photos\n"
        "Customer 00:00:07.00 - 00:00:09.00: can you invoice quarterly"
    ),
    "transcript_detailed": [
        {"p": 1, "c": 0.8, "s": 820, "e": 1000, "w": "hi", "sp": "Agent"},
        {"p": 2, "c": 0.7, "s": 3200, "e": 3500, "w": "right", "sp": "Simultaneous"},
        {"p": 3, "c": 0.9, "s": 4000, "e": 4300, "w": "the", "sp": "Customer"},
        {"p": 4, "c": 0.9, "s": 4300, "e": 4700, "w": "drivers", "sp": "Customer"},
    ],
}


def test_a_nice_interaction_is_read_once_by_its_sections_each_a_sentence(
    tmp_path: Path,
) -> None:
    call = _one(tmp_path, NICE)
    # Both voices at once ("Simultaneous") are nobody's words alone; the sections end
    # sentences, the engine's words otherwise as written.
    assert turns(call) == [
        ("Agent", "vendor", 0.82, "Hi lydia this is sam from ourco."),
        (
            "Customer",
            "customer",
            4.0,
            "The drivers app crashes when I attach photos. Can you invoice quarterly.",
        ),
    ]


def test_a_nice_export_of_words_only_reads_each_interaction_once(tmp_path: Path) -> None:
    words = {"id": "41882907", "transcript_detailed": NICE["transcript_detailed"]}
    calls, output = _read(tmp_path, [words, {**words, "reprocessed": True}])
    assert output.errors == []
    (call,) = calls
    assert call.call_id == "41882907"
    assert turns(call) == [
        ("Agent", "vendor", 0.82, "Hi."),
        ("Customer", "customer", 4.0, "The drivers."),
    ]


def _modjo_call(ident: int, said: list[tuple[int, float, str]]) -> dict[str, Any]:
    speakers = [
        {"userId": 4411, "email": None, "name": "Léa Martin", "speakerId": 0},
        {
            "contactId": 88213,
            "email": "hector@globex.example",
            "name": "Hector Ruiz",
            "speakerId": 1,
        },
    ]
    return {
        "callId": ident,
        "title": "Globex / OurCo - rollout follow-up",
        "startDate": "2026-11-26T16:00:12.000Z",
        "relations": {
            "recording": {"url": f"https://app.modjo.ai/call-details/{ident}"},
            "highlights": {"content": "Globex reports lost photos. Next step: a demo."},
            "speakers": [
                {**speakers[0], "type": "user"},
                {**speakers[1], "type": "contact"},
            ],
            "transcript": [
                {"startTime": at, "endTime": at + 2, "speakerId": who, "content": text}
                for who, at, text in said
            ],
        },
    }


def test_a_modjo_page_reads_its_users_as_the_vendor_and_contacts_as_the_customer(
    tmp_path: Path,
) -> None:
    said = [
        (1, 2.0, "Photo uploads fail silently offline."),
        (0, 5.0, "The app should queue uploads offline."),
    ]
    page = {"pagination": {"page": 1, "totalValues": 2, "lastPage": 2}}
    calls, output = _read(tmp_path, {**page, "values": [_modjo_call(2239417, said)]})
    (call,) = calls
    assert (call.call_id, call.title) == ("2239417", "Globex / OurCo - rollout follow-up")
    assert call.recording_url == "https://app.modjo.ai/call-details/2239417"
    # Léa is no workspace user and no address is given for her: Modjo calling her one of its
    # users says she is the vendor's.
    assert turns(call) == [
        ("Hector Ruiz", "customer", 2.0, "Photo uploads fail silently offline."),
        ("Léa Martin", "vendor", 5.0, "The app should queue uploads offline."),
    ]
    assert "the next page starts at 2" in output.warnings[0].reason


def test_modjo_pages_gathered_in_a_list_are_every_call(tmp_path: Path) -> None:
    pages = [
        {"values": [_modjo_call(1, [(1, 1.0, "Filters reset on refresh.")])]},
        {"values": [_modjo_call(2, [(1, 1.0, "Exports are PDF only.")])]},
    ]
    calls, _ = _read(tmp_path, pages)
    assert [(c.call_id, turns(c)[0][1]) for c in calls] == [("1", "customer"), ("2", "customer")]


RETELL_TURNS = [
    {"role": "agent", "content": "Hi, this is Nova, OurCo's assistant.", "words": [{"start": 0.9}]},
    {
        "role": "user",
        "content": "Mobile sessions survive deprovisioning.",
        "words": [{"start": 9.0}],
    },
]
RETELL = {
    "call_id": "call_7a3f",
    "agent_id": "agent_2c4e",
    "agent_name": "OurCo Support - Nova",
    "start_timestamp": 1796051050512,
    "retell_llm_dynamic_variables": {"caller_name": "Gwen", "caller_company": "Initech Health"},
    "transcript": "Agent: Hi, this is Nova, OurCo's assistant.\nUser: Mobile sessions\nsurvive.",
    "transcript_object": RETELL_TURNS,
    "transcript_with_tool_calls": [
        RETELL_TURNS[0],
        {"role": "tool_call_invocation", "name": "create_ticket", "arguments": "{}"},
        {"role": "tool_call_result", "content": '{"ticket_id": 58213}'},
        RETELL_TURNS[1],
    ],
    "recording_url": "https://cdn.example/call_7a3f/recording.wav",
    "call_analysis": {"call_summary": "The caller reported mobile sessions survive."},
}
NOVA = "OurCo Support - Nova"


def test_a_retell_call_is_read_once_its_tools_nobodys_words(tmp_path: Path) -> None:
    call = _one(tmp_path, {"event": "call_analyzed", "call": RETELL})
    assert (call.call_id, call.account) == ("call_7a3f", "Initech Health")
    assert call.started_at == datetime(2026, 11, 30, 15, 4, 10, 512000, tzinfo=UTC)
    assert turns(call) == [
        (NOVA, "vendor", 0.9, "Hi, this is Nova, OurCo's assistant."),
        ("User", "customer", 9.0, "Mobile sessions survive deprovisioning."),
    ]


def test_a_retell_call_with_its_tool_turns_or_flat_transcript_only(tmp_path: Path) -> None:
    with_tools = {k: v for k, v in RETELL.items() if k != "transcript_object"}
    flat = {k: v for k, v in with_tools.items() if k != "transcript_with_tool_calls"}
    calls, output = _read(tmp_path, [with_tools, flat])
    assert output.errors == []
    assert [[(who, words) for who, _, _, words in turns(c)] for c in calls] == [
        [
            (NOVA, "Hi, this is Nova, OurCo's assistant."),
            ("User", "Mobile sessions survive deprovisioning."),
        ],
        [(NOVA, "Hi, this is Nova, OurCo's assistant."), ("User", "Mobile sessions survive.")],
    ]
