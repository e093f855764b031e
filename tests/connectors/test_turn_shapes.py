"""A transcript's turns open in one shape (Otter's `Name  0:05`, `Name: text`, Premiere's cue
timing…); a line of another shape that only one or two lines have is words said or a title,
not a speaker line: "Monday 10:00 AM" inside an Otter turn, "9:00 - 17:00" said by someone,
"Standup (9:30 - 9:45)" among `Name: text` lines."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import calls_in, turns

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _said(folder: Path, text: str) -> list[tuple[str, str]]:
    path = folder / "call.txt"
    path.write_text(text)
    calls, output = calls_in(path, OURS)
    assert output.errors == []
    (call,) = calls
    return [(who, words) for who, _, _, words in turns(call)]


OTTER = """Dana Lee  0:02
How did the first week go?

Ingrid Holm  0:09
The sync creates duplicates whenever two people edit the same card.

Dana Lee  0:21
When do your teams work?

Ingrid Holm  0:26
Our depots open
9:00 - 17:00
and the nightly import runs after that.

Dana Lee  0:40
When did it start?

Ingrid Holm  0:44
It started last week, on
Monday 10:00 AM
right after the upgrade.

Dana Lee  0:58
Thanks, we'll look at it.
"""


def test_a_time_range_said_inside_an_otter_turn_is_the_speakers_words(tmp_path: Path) -> None:
    said = _said(tmp_path, OTTER)
    assert (
        "Ingrid Holm",
        "Our depots open 9:00 - 17:00 and the nightly import runs after that.",
    ) in said


def test_a_day_and_clock_time_inside_an_otter_turn_is_no_speaker(tmp_path: Path) -> None:
    said = _said(tmp_path, OTTER)
    assert [who for who, _ in said].count("Monday") == 0
    assert (
        "Ingrid Holm",
        "It started last week, on Monday 10:00 AM right after the upgrade.",
    ) in said


NAMED = """Acme Robotics - weekly sync
Dana Lee: Anything new since last week?
Ingrid Holm: The export still drops the depot column, every morning during our
Standup (9:30 - 9:45)
Dana Lee: Which export?
Ingrid Holm: The weekly CSV, every time.
Dana Lee: Got it, thanks.
Ingrid Holm: Also the search is slow on big boards.
"""


def test_a_timed_heading_among_named_lines_does_not_swallow_the_turns(tmp_path: Path) -> None:
    said = _said(tmp_path, NAMED)
    assert said[0] == ("Dana Lee", "Anything new since last week?")
    assert (
        "Ingrid Holm",
        "The export still drops the depot column, every morning during our Standup (9:30 - 9:45)",
    ) in said
    assert len(said) == 6


def test_a_file_of_timed_headings_still_reads_them(tmp_path: Path) -> None:
    said = _said(
        tmp_path,
        "Speaker 1 (00:00:03 - 00:00:12)\nHow is the rollout?\n\n"
        "Speaker 2 (00:00:13 - 00:00:20)\nThe sync creates duplicates.\n\n"
        "Speaker 1 (00:00:21 - 00:00:25)\nSince when?\n",
    )
    assert [who for who, _ in said] == ["Speaker 1", "Speaker 2", "Speaker 1"]
