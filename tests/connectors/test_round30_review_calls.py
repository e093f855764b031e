"""Round 30's call platforms reviewed on files of the same tools their samples did not show:
CallRail's webhook log with a form submission and a text between the calls, Retell's webhook
log (a call sent as it starts, ends and is analysed), its v3 list page without transcripts
and a company the voice agent answers for, another voice platform's call with Retell's ids,
Telnyx's webhooks as a webhook tool saved them, bridged legs transcribed twice and a log
with no transcription, Modjo's page listing a call not yet transcribed, and NICE's
interaction dated by its start."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))


def _read(folder: Path, record: object) -> tuple[list[Call], ConnectorOutput]:
    path = folder / "call.json"
    path.write_text(json.dumps(record, indent=1))
    return calls_in(path, OURS)


def _lines(folder: Path, records: list[Any]) -> tuple[list[Call], ConnectorOutput]:
    """JSON lines under a `.json` name, as a webhook receiver logs its deliveries."""
    path = folder / "log.json"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return calls_in(path, OURS)


def _said(call: Call) -> list[tuple[str, str | None, str]]:
    return [(who, side, words) for who, side, _, words in turns(call)]


# --- CallRail -------------------------------------------------------------------------------

CALLRAIL_CALL = {
    "resource_id": "CAL31",
    "answered": True,
    "customer_name": "VASQUEZ RITA",
    "customer_phone_number": "+19735550147",
    "tracking_phone_number": "+18885550142",
    "start_time": "2026-12-01T10:22:41-05:00",
    "call_type": "inbound",
    "company_name": "OurCo",
    "conversational_transcript": "Agent: OurCo, Sam speaking.\n\nCustomer: Labels smudge.",
}
FORM = {
    "resource_id": "FRM7",
    "company_id": "COM1",
    "person_id": "PER1",
    "form_data": {"message": "Please call me about pricing"},
    "form_url": "https://ourco.com/contact",
    "customer_name": "Rita Vasquez",
    "customer_phone_number": "+19735550147",
    "submitted_at": "2026-12-01T10:00:00-05:00",
}
TEXT = {
    "resource_id": "SMS4",
    "thread_resource_id": "THR9",
    "content": "Running late",
    "customer_phone_number": "+19735550147",
}


def test_a_callrail_webhook_log_reads_its_calls_past_forms_and_texts(tmp_path: Path) -> None:
    calls, output = _lines(tmp_path, [FORM, CALLRAIL_CALL, TEXT])
    assert output.errors == []
    (call,) = calls
    assert call.call_id == "CAL31"
    assert _said(call) == [
        ("Agent", "vendor", "OurCo, Sam speaking."),
        ("Customer", "customer", "Labels smudge."),
    ]
    assert [w.reason for w in output.warnings] == [
        "2 of CallRail's records in the file are not calls (form submissions, text messages): "
        "left out"
    ]


def test_a_callrail_conversation_naming_other_speakers_is_refused_saying_so(
    tmp_path: Path,
) -> None:
    named = {**CALLRAIL_CALL, "conversational_transcript": "Speaker 1: Hi.\nSpeaker 2: Hello."}
    calls, output = _read(tmp_path, {"calls": [named]})
    assert calls == []
    assert [e.reason for e in output.errors] == [
        "call CAL31's conversational transcript does not name its speakers Agent and Customer: "
        "left out"
    ]


# --- Retell ---------------------------------------------------------------------------------

RETELL_TURNS = [
    {"role": "agent", "content": "Thanks for calling OurCo, this is Nova.", "words": []},
    {"role": "user", "content": "Our nightly export fails.", "words": [{"start": 4.5}]},
]


def _retell(status: str = "ended", **fields: Any) -> dict[str, Any]:
    return {
        "call_id": "call_51",
        "agent_id": "agent_9",
        "call_type": "phone_call",
        "call_status": status,
        "start_timestamp": 1796051050512,
        **fields,
    }


def test_a_retell_webhook_log_is_each_call_once_as_last_sent(tmp_path: Path) -> None:
    ended = _retell(transcript_object=RETELL_TURNS)
    analyzed = {**ended, "retell_llm_dynamic_variables": {"caller_company": "Initech Health"}}
    log = [
        {"event": "call_started", "call": _retell("ongoing")},
        {"event": "call_ended", "call": ended},
        {"event": "call_analyzed", "call": analyzed},
    ]
    calls, output = _lines(tmp_path, log)
    assert output.errors == []
    (call,) = calls
    assert (call.call_id, call.account) == ("call_51", "Initech Health")
    assert call.started_at == datetime(2026, 11, 30, 15, 4, 10, 512000, tzinfo=UTC)
    assert _said(call) == [
        ("Agent", "vendor", "Thanks for calling OurCo, this is Nova."),
        ("User", "customer", "Our nightly export fails."),
    ]


def test_a_retell_list_page_without_transcripts_says_how_to_fetch_them(tmp_path: Path) -> None:
    calls, output = _read(tmp_path, {"calls": [_retell()], "pagination_key": "call_51"})
    assert calls == []
    assert [e.reason for e in output.errors] == [
        "call call_51 is listed without its transcript: left out; fetch it with "
        "GET /v2/get-call/call_51 and import that"
    ]


def test_a_company_the_retell_agent_answers_for_is_not_the_account(tmp_path: Path) -> None:
    flat = "Agent: Thanks for calling OurCo, this is Nova.\nUser: Our nightly export fails."
    ours = _retell(transcript=flat, retell_llm_dynamic_variables={"company_name": "OurCo"})
    named = _retell(
        call_id="call_52",
        agent_name="Globex Helpdesk",
        transcript=flat,
        metadata={"organization": "Globex"},
    )
    business = _retell(call_id="call_53", transcript=flat, metadata={"business_name": "Acme"})
    calls, _ = _read(tmp_path, [ours, named, business])
    assert [(c.call_id, c.account) for c in calls] == [
        ("call_51", None),
        ("call_52", None),
        ("call_53", None),
    ]


def test_another_voice_platforms_call_with_retells_ids_is_not_taken_for_retells(
    tmp_path: Path,
) -> None:
    other = {
        "call_id": "x1",
        "agent_id": "a1",
        "transcript": [
            {"role": "agent", "message": "OurCo support, how can I help?"},
            {"role": "user", "message": "Exports fail every night."},
        ],
    }
    calls, output = _read(tmp_path, other)
    assert output.errors == []
    (call,) = calls
    assert [words for _, _, words in _said(call)] == [
        "OurCo support, how can I help?",
        "Exports fail every night.",
    ]


# --- Telnyx ---------------------------------------------------------------------------------


def _telnyx(ident: str, at: str, track: str, words: str, leg: str = "v3:leg-a") -> dict[str, Any]:
    return {
        "data": {
            "event_type": "call.transcription",
            "id": ident,
            "occurred_at": f"2026-12-02T14:03:{at}Z",
            "payload": {
                "call_control_id": leg,
                "call_session_id": "session-7",
                "transcription_data": {
                    "is_final": True,
                    "transcript": words,
                    "transcription_track": track,
                },
            },
        },
        "meta": {"attempt": 1},
    }


GREETING = _telnyx("e1", "10.000", "outbound", "OurCo support, Kelsey speaking.")
PROBLEM = _telnyx("e2", "12.000", "inbound", "The scanner app crashes on login.")
TELNYX_SAID = [
    ("Agent", "vendor", "OurCo support, Kelsey speaking."),
    ("Customer", "customer", "The scanner app crashes on login."),
]


def test_telnyx_webhooks_a_tool_saved_with_their_requests_are_read(tmp_path: Path) -> None:
    headers = {"content-type": "application/json", "telnyx-signature-ed25519": "c2ln"}
    caught = [{"body": e, "headers": headers, "method": "POST"} for e in (GREETING, PROBLEM)]
    as_text = [{"content": json.dumps(e), "headers": headers} for e in (GREETING, PROBLEM)]
    for folder, saved in (("objects", caught), ("texts", as_text)):
        (tmp_path / folder).mkdir()
        calls, output = _lines(tmp_path / folder, saved)
        assert output.errors == []
        assert [(c.call_id, _said(c)) for c in calls] == [("session-7", TELNYX_SAID)]


def test_telnyx_legs_bridged_and_both_transcribed_are_one_call(tmp_path: Path) -> None:
    # The agent's leg hears the same conversation, its tracks the other way round.
    agent_leg = [
        _telnyx("e3", "10.100", "inbound", "OurCo support, Kelsey speaking.", "v3:leg-b"),
        _telnyx("e4", "12.100", "outbound", "The scanner app crashes on login.", "v3:leg-b"),
    ]
    calls, output = _read(tmp_path, [GREETING, agent_leg[0], PROBLEM, agent_leg[1]])
    assert output.errors == []
    assert [(c.call_id, _said(c)) for c in calls] == [("session-7", TELNYX_SAID)]
    assert [w.reason for w in output.warnings] == [
        "call session-7 was transcribed on another of its legs too (bridged legs hear the "
        "same conversation): read once, from its first leg"
    ]


def test_a_telnyx_log_without_transcription_is_refused_saying_what_to_start(
    tmp_path: Path,
) -> None:
    answered = {
        "data": {
            "event_type": "call.answered",
            "id": "e0",
            "occurred_at": "2026-12-02T14:03:09Z",
            "payload": {"call_control_id": "v3:leg-a", "call_session_id": "session-7"},
        }
    }
    calls, output = _read(tmp_path, [answered])
    assert calls == []
    assert [e.reason for e in output.errors] == [
        "the Telnyx webhooks hold no call.transcription event with words: start transcription "
        "on the call (transcription_start) and import the webhooks it sends"
    ]


# --- Modjo and NICE -------------------------------------------------------------------------


def test_a_modjo_page_listing_a_call_not_yet_transcribed_reads_the_others(
    tmp_path: Path,
) -> None:
    speakers = [
        {"speakerId": 0, "name": "Léa Martin", "email": None, "type": "user"},
        {
            "speakerId": 1,
            "name": "Hector Ruiz",
            "email": "hector@globex.example",
            "type": "contact",
        },
    ]
    said = [
        {"speakerId": 0, "startTime": 1.0, "content": "Thanks for joining."},
        {"speakerId": 1, "startTime": 3.0, "content": "Photo uploads fail offline."},
    ]
    done = {"callId": 71, "title": "Globex follow-up", "relations": {"speakers": speakers}}
    done["relations"]["transcript"] = said
    pending = {"callId": 72, "title": "Globex demo", "relations": {"transcript": []}}
    calls, output = _read(tmp_path, {"pagination": {"lastPage": 1}, "values": [done, pending]})
    assert output.errors == []
    (call,) = calls
    assert (call.call_id, _said(call)) == (
        "71",
        [
            ("Léa Martin", "vendor", "Thanks for joining."),
            ("Hector Ruiz", "customer", "Photo uploads fail offline."),
        ],
    )
    assert [w.reason for w in output.warnings] == ["call 72 has no transcript yet: left out"]


def test_a_nice_interaction_is_dated_by_its_start(tmp_path: Path) -> None:
    sections = (
        "Agent 00:00:00.82 - 00:00:03.10: thanks for calling ourco\n"
        "Customer 00:00:04.00 - 00:00:06.50: the drivers app crashes\n"
    )
    exported = {
        "mediaId": "5521",
        "metadata": {"startTime": "2026-11-20T15:02:11Z"},
        "plainTextTime": sections,
    }
    calls, output = _read(tmp_path, exported)
    assert output.errors == []
    (call,) = calls
    assert (call.call_id, call.started_at) == (
        "5521",
        datetime(2026, 11, 20, 15, 2, 11, tzinfo=UTC),
    )
