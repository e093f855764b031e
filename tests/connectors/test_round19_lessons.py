"""What round 19's held-back calls showed, each rule on a small input of its own: Zoom's saved
live transcript ("[Name] 15:02:11" over the words; the call had been refused, 19 statements
lost) and Webex's WebVTT, which names the speaker in the cue's id (the vendor's lines had
been kept as the customer's)."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import customer_turns, read_calls

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

ZOOM_SAVED = """[Dana Lee] 23:59:50
Hi Carla, thanks for joining.

[Carla Reyes] 23:59:58
Hi Dana. The renewal quote came as a PDF we can't edit.
Our AP team sends the invoices back because they have no PO number.

[Dana Lee] 00:00:20
Noted, I'll raise both.
"""


def test_zooms_saved_transcript_is_read_speaker_by_speaker(tmp_path: Path) -> None:
    """Zoom's "Save transcript" writes each turn under "[Name] hh:mm:ss", the clock time: who
    said it, and when in the call (from the first line, past midnight too)."""
    path = tmp_path / "GMT20261203-150000_Recording.txt"
    path.write_text(ZOOM_SAVED)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Dana Lee", 0.0, "Hi Carla, thanks for joining."),
        (
            "Carla Reyes",
            8.0,
            "Hi Dana. The renewal quote came as a PDF we can't edit. Our AP team sends the "
            "invoices back because they have no PO number.",
        ),
        ("Dana Lee", 30.0, "Noted, I'll raise both."),
    ]


WEBEX = """WEBVTT

1 "Leon Fischer" (3892678060)
00:00:03.100 --> 00:00:06.143
I'm Leon, I lead the support escalations team here at OurCo.

2 "Aoife Brennan" (2353612800)
00:00:09.591 --> 00:00:14.330
Honestly: deliveries to the north depot keep dropping off the schedule.

3 "Aoife Brennan" (2353612800)
00:00:14.591 --> 00:00:15.330
Aoife Brennan: Every week.

4 "Leon Fischer" (3892678060)
00:00:16.223 --> 00:00:17.323
We had a fix, it failed in staging.
"""


def test_webex_names_the_speaker_in_the_cue_id(tmp_path: Path) -> None:
    path = tmp_path / "webex.vtt"
    path.write_text(WEBEX)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert [u.speaker for u in call.utterances] == ["Leon Fischer", "Aoife Brennan", "Leon Fischer"]
    # Leon introduces himself as OurCo's: only Aoife's words are the customer's, a colon in
    # them hers and her name before them Webex's.
    assert [t.utterance.text for t in customer_turns([call])] == [
        "Honestly: deliveries to the north depot keep dropping off the schedule. Every week."
    ]


def test_a_line_a_second_out_of_order_is_not_a_day_on(tmp_path: Path) -> None:
    """Live captions may write a line a second or two before the one above it: its moment is
    the start, not the next day."""
    path = tmp_path / "saved.txt"
    path.write_text("[Dana Lee] 15:02:11\nHi.\n\n[Ken Ito] 15:02:09\nThe export fails.\n")
    (call,) = read_calls(path, OURS, ConnectorOutput())
    assert [u.start for u in call.utterances] == [0.0, 0.0]
