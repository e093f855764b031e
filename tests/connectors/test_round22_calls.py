"""What round 22's held-back calls showed: nine of ten were refused whole, each a JSON shape
no round had used (telephony and contact-centre tools, a meeting bot, three speech engines)
or Otter's text without timestamps. Each rule on a small input of its own: the turns are
found wherever a JSON keeps them, under whatever names (`transcript_found`); IBM Watson's
words and speaker labels; a call written without case still has its vendor found; a voice
greeting right after a colleague is introduced is that colleague; a speaker's name alone
over their words."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
PAIN = "Our route board stops refreshing after twenty minutes and dispatchers reload it."
ASK = "Could the board remember which columns each dispatcher collapsed?"
REPLY = "Thanks for calling OurCo support, how can I help?"


def _call(tmp_path: Path, content: Any, name: str = "call.json") -> Call:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    return call


def _read(tmp_path: Path, content: Any, name: str = "call.json") -> list[tuple[str, str, str]]:
    """(speaker, side, text) of each turn of the one call the file holds."""
    call = _call(tmp_path, content, name)
    return [(u.speaker, call.speakers[u.speaker].side or "", u.text) for u in call.utterances]


def _words(text: str, start: float) -> list[tuple[str, float]]:
    return [(word, start + 0.3 * i) for i, word in enumerate(text.split())]


def test_a_telephony_tools_turns_are_found_under_its_own_names(tmp_path: Path) -> None:
    """Aircall: the turns three objects down, the vendor's agent by participant type."""
    turns = _read(
        tmp_path,
        {
            "transcription": {
                "id": 88,
                "call_id": 2519934401,
                "content": {
                    "language": "en-GB",
                    "utterances": [
                        {
                            "start_time": 1.2,
                            "text": REPLY,
                            "participant_type": "internal",
                            "user_id": 1187342,
                            "phone_number": None,
                        },
                        {
                            "start_time": 7.9,
                            "text": PAIN,
                            "participant_type": "external",
                            "user_id": None,
                            "phone_number": "+16175550142",
                        },
                    ],
                },
            }
        },
    )
    assert [(s, side) for s, side, _ in turns] == [
        ("User 1187342", "vendor"),
        ("Contact +16175550142", "customer"),
    ]
    assert turns[1][2] == PAIN


def test_ids_a_participants_list_names_and_roles_as_speakers(tmp_path: Path) -> None:
    """Contact Lens: `ParticipantId` named in `Participants` with its role; milliseconds by
    the key's name; sentiment and loudness beside the words are nobody's words."""
    turns = _read(
        tmp_path,
        {
            "Version": "1.1.0",
            "Participants": [
                {"ParticipantId": "AGENT", "ParticipantRole": "AGENT"},
                {"ParticipantId": "CUSTOMER", "ParticipantRole": "CUSTOMER"},
            ],
            "Transcript": [
                {"BeginOffsetMillis": 1200, "Content": REPLY, "ParticipantId": "AGENT"},
                {
                    "BeginOffsetMillis": 8450,
                    "Content": PAIN,
                    "ParticipantId": "CUSTOMER",
                    "Sentiment": "NEGATIVE",
                    "LoudnessScore": [72.8, 76.4],
                },
            ],
        },
    )
    assert [(s, side) for s, side, _ in turns] == [("AGENT", "vendor"), ("CUSTOMER", "customer")]
    # Ids that say nothing themselves: the list says who they are.
    turns = _read(
        tmp_path,
        {
            "Participants": [
                {"ParticipantId": "p-1", "ParticipantRole": "AGENT"},
                {"ParticipantId": "p-2", "ParticipantRole": "CUSTOMER"},
            ],
            "Transcript": [
                {"BeginOffsetMillis": 1200, "Content": "How can I help?", "ParticipantId": "p-1"},
                {"BeginOffsetMillis": 8450, "Content": PAIN, "ParticipantId": "p-2"},
            ],
        },
    )
    assert [side for _, side, _ in turns] == ["vendor", "customer"]


def test_an_automated_agent_is_nobodys_words_and_a_role_names_a_speaker(tmp_path: Path) -> None:
    """CCAI Insights: the phone menu's recording (AUTOMATED_AGENT) is left out; the human
    agent and the end user by their roles; word lists beside each segment's text."""
    segment = lambda text, role: {  # noqa: E731
        "text": text,
        "words": [{"startOffset": f"{at}s", "word": w} for w, at in _words(text, 1.0)],
        "channelTag": 1 if role != "END_USER" else 2,
        "segmentParticipant": {"role": role},
    }
    call = _call(
        tmp_path,
        {
            "name": "projects/p/locations/us/conversations/5619843071442107822",
            "startTime": "2026-11-24T15:02:00Z",
            "transcript": {
                "transcriptSegments": [
                    segment("This call may be recorded for quality purposes.", "AUTOMATED_AGENT"),
                    segment(REPLY, "HUMAN_AGENT"),
                    segment(PAIN, "END_USER"),
                ]
            },
        },
    )
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("HUMAN_AGENT", "vendor"),
        ("END_USER", "customer"),
    ]
    # Its resource name is no title; its start is the call's.
    assert call.title is None
    assert call.started_at is not None and call.started_at.isoformat().startswith("2026-11-24")


def test_lines_of_another_kind_are_left_out_and_clock_times_count_from_the_first(
    tmp_path: Path,
) -> None:
    """Dialpad: "moment" lines beside the transcript's; the tool's own user is the vendor, its
    contact the customer; the call dated by its first line."""
    line = lambda name, text, at, kind="transcript", user=None, contact=None: {  # noqa: E731
        "contact_id": contact,
        "content": text,
        "name": name,
        "time": f"2026-11-26T17:03:{at:02d}.200000",
        "type": kind,
        "user_id": user,
    }
    path = tmp_path / "dialpad.json"
    path.write_text(
        json.dumps(
            {
                "call_id": 6231948812453888,
                "lines": [
                    line("Tom Becker", REPLY, 13, user="5102938475629184"),
                    line("Yusuf Adeyemi", PAIN, 23, contact="contact-57"),
                    line("", "Action item: follow up on refresh", 30, kind="moment"),
                    line("Yusuf Adeyemi", ASK, 41, contact="contact-57"),
                ],
            }
        )
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    said = [(u.speaker, call.speakers[u.speaker].side, u.start, u.text) for u in call.utterances]
    assert said == [
        ("Tom Becker", "vendor", 0.0, REPLY),
        ("Yusuf Adeyemi", "customer", 10.0, f"{PAIN} {ASK}"),
    ]
    assert call.started_at is not None and call.started_at.isoformat().startswith(
        "2026-11-26T17:03:13"
    )


def test_a_meeting_bots_list_of_segments_is_one_call(tmp_path: Path) -> None:
    """Recall.ai: a bare list, each member a participant (name, address, host) and words."""
    segment = lambda name, email, host, text, at: {  # noqa: E731
        "participant": {"id": 100 + at, "name": name, "is_host": host, "email": email},
        "words": [
            {"text": w, "start_timestamp": {"relative": t, "absolute": "2026-12-01T10:00:00Z"}}
            for w, t in _words(text, at)
        ],
    }
    turns = _read(
        tmp_path,
        [
            segment(
                "Priya Raman", "priya@ourco.com", True, "Shall we start with the dashboard?", 1
            ),
            segment("Beatriz Salgado", "beatriz@umbrella.example", False, PAIN, 5),
        ],
    )
    assert [(s, side) for s, side, _ in turns] == [
        ("Priya Raman", "vendor"),
        ("Beatriz Salgado", "customer"),
    ]
    assert turns[1][2] == PAIN


def test_an_engines_word_list_is_run_together_by_speaker(tmp_path: Path) -> None:
    """Speechmatics: one result per word or mark, the speaker ("S1") in the best
    alternative; marks onto the word before."""

    def results(text: str, speaker: str, start: float) -> list[dict[str, Any]]:
        found = []
        for word, at in _words(text, start):
            mark = word[-1] if word[-1] in ".,?" else ""
            for content, kind in ((word.rstrip(".,?"), "word"), (mark, "punctuation")):
                if content:
                    found.append(
                        {
                            "alternatives": [{"content": content, "speaker": speaker}],
                            "start_time": at,
                            "type": kind,
                        }
                    )
        return found

    turns = _read(
        tmp_path,
        {
            "format": "2.9",
            "job": {"id": "q7x2mbt0ka"},
            "results": results("Hi, I'm Noor from OurCo, thanks for joining.", "S1", 1)
            + results(PAIN, "S2", 5),
        },
    )
    assert turns == [
        ("Speaker 1", "vendor", "Hi, I'm Noor from OurCo, thanks for joining."),
        ("Speaker 2", "customer", PAIN),
    ]


def test_the_word_list_with_speakers_is_read_over_the_punctuated_results(tmp_path: Path) -> None:
    """Google Speech-to-Text: the results' transcripts say no speaker; the last result
    repeats every word with its speaker tag."""
    words = [
        {"startTime": f"{at}s", "word": w, "speakerTag": tag}
        for tag, text, start in ((1, "I'm Priya from OurCo, welcome.", 1.0), (2, PAIN, 4.0))
        for w, at in _words(text, start)
    ]
    turns = _read(
        tmp_path,
        {
            "name": "4871209935127760221",
            "response": {
                "results": [
                    {"alternatives": [{"transcript": "I'm Priya from OurCo, welcome."}]},
                    {"alternatives": [{"transcript": PAIN}]},
                    {"alternatives": [{"words": words}]},
                ]
            },
        },
    )
    assert turns == [
        ("Speaker 1", "vendor", "I'm Priya from OurCo, welcome."),
        ("Speaker 2", "customer", PAIN),
    ]


def test_sentences_told_apart_by_channel_only_have_their_speakers(tmp_path: Path) -> None:
    """Twilio's sentences: `media_channel` is all that says who."""
    turns = _read(
        tmp_path,
        {
            "sentences": [
                {"media_channel": 1, "start_time": "0.5", "transcript": "I'm Maya from OurCo."},
                {"media_channel": 2, "start_time": "4.1", "transcript": PAIN},
            ],
            "meta": {"page": 0},
        },
    )
    assert [s for s, _, _ in turns] == ["Speaker 1", "Speaker 2"]
    assert [side for _, side, _ in turns] == ["vendor", "customer"]


def test_watsons_words_take_their_speakers_and_each_result_is_a_sentence(tmp_path: Path) -> None:
    """IBM Watson: lower case, no punctuation, "%HESITATION"; the speaker of each word in
    `speaker_labels` by its start. Written without case, the workspace's people are still
    found by their full names (the words kept as written): Dana introduces herself and her
    colleague Sam, who greets next and names himself later."""
    phrases = [
        (0, "good morning everyone this is dana lee from ourco customer success"),
        (0, "and my colleague sam ortiz is on as well he's one of our product managers"),
        (1, "hi everyone thanks for having me"),
        (0, "so %HESITATION where are you with the rollout"),
        (1, "i'm sam ortiz by the way and the rota export is on my list"),
        (2, "the import created duplicate people for anyone with a hyphen in their surname"),
        (2, "i need a way to merge them"),
    ]
    results, labels, at = [], [], 1.0
    for speaker, text in phrases:
        stamps = []
        for word in text.split():
            stamps.append([word, round(at, 2), round(at + 0.25, 2)])
            labels.append({"from": round(at, 2), "to": round(at + 0.25, 2), "speaker": speaker})
            at += 0.3
        results.append(
            {"final": True, "alternatives": [{"transcript": text, "timestamps": stamps}]}
        )
    turns = _read(tmp_path, {"result_index": 0, "results": results, "speaker_labels": labels})
    assert [(s, side) for s, side, _ in turns] == [
        ("Speaker 0", "vendor"),
        ("Speaker 1", "vendor"),
        ("Speaker 0", "vendor"),
        ("Speaker 1", "vendor"),
        ("Speaker 2", "customer"),
    ]
    assert turns[0][2].startswith("Good morning everyone this is dana lee from ourco")
    assert turns[2][2] == "So where are you with the rollout."
    assert turns[4][2] == (
        "The import created duplicate people for anyone with a hyphen in their surname. "
        "I need a way to merge them."
    )


def test_a_speakers_name_alone_over_their_words(tmp_path: Path) -> None:
    """Otter's text exported without timestamps: blocks of a name, then the words."""
    turns = _read(
        tmp_path,
        "Dana Lee\nThanks everyone for joining the pilot review.\n\n"
        f"Pete Varga\n{PAIN}\nBy the afternoon the map is fiction.\n\n"
        "Dana Lee\nWhat didn't go well?\n\n"
        f"Pete Varga\n{ASK}\n\n\n\nTranscribed by https://otter.ai\n",
        name="pilot.txt",
    )
    assert [(s, side) for s, side, _ in turns] == [
        ("Dana Lee", "vendor"),
        ("Pete Varga", "customer"),
        ("Dana Lee", "vendor"),
        ("Pete Varga", "customer"),
    ]
    assert turns[1][2] == f"{PAIN} By the afternoon the map is fiction."


def test_a_json_with_no_turns_anywhere_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "call.json"
    path.write_text(json.dumps({"id": 1, "items": [{"sku": "A1", "qty": 2}, {"sku": "B2"}]}))
    output = ConnectorOutput()
    read_calls(path, OURS, output)
    assert [e.reason for e in output.errors] == [
        "the call has no list of utterances (utterances, transcript or segments)"
    ]


def test_an_end_user_is_the_customer_whatever_they_ask(tmp_path: Path) -> None:
    """A role says the side: the end user asking the questions is not taken for the
    interviewer."""
    turns = _read(
        tmp_path,
        {
            "transcript": {
                "transcriptSegments": [
                    {
                        "text": "How do you handle refunds? What does the renewal look like?",
                        "segmentParticipant": {"role": "END_USER"},
                    },
                    {"text": "Refunds go through billing.", "channelTag": 2},
                ]
            }
        },
    )
    assert turns[0][:2] == ("END_USER", "customer")
