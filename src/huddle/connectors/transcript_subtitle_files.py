"""Subtitle files a video team or a caption editor saves, read as a call: YouTube's SubViewer
captions (.sbv) and SubStation Alpha scripts (.ass, .ssa: Aegisub's, and most subtitle
editors').

SBV is cues of a timing line (`0:00:01.000,0:00:04.500`; in a .sbv perhaps the words after
a third comma) and one to three lines of words, a blank line between; SubViewer 2.0's head
(`[INFORMATION]`, `[TITLE]…`) may come first and `[br]` breaks a line. A SubStation script is
sections: `[Script Info]` (its `Title:`), the styles, then `[Events]`, whose `Format:` line
names the columns (Layer or SSA's Marked, Start, End, Style, Name, …, Text last, commas and
all) of its `Dialogue:` lines; `Comment:` lines are the editor's notes, and an event drawn as
a shape (`{\\p1}`) or set in a style no named speaker uses (a sign, a lower-third caption of a
name) is on screen, not said. The speaker is the event's Name (Aegisub's "Actor") column;
where no event fills it and the lines are set in styles named for people ("Dana", "Ravi
Shah": an editor's way of telling speakers apart), the style.

Either way the words are caption frames, said in turn as TTML's are (`transcript_captions`):
a turn runs over many frames, a new speaker opens with `>> NAME:`, a dialogue dash ("- Fine,
thanks.") or `[NAME]`, and a frame that only describes a sound ("[MUSIC]") is no one's.
"""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.transcript_captions import DESCRIBED, Frame, say_frames
from huddle.connectors.transcript_formats import (
    Call,
    modified_at,
    name_line,
    numbered_lines,
    seconds,
)
from huddle.connectors.transcript_labels import dated_title
from huddle.imports.records import RowError

SUBTITLE_SUFFIXES = frozenset([".sbv", ".ass", ".ssa"])
_SBV_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:\.\d{1,3})?"
_SBV_TIMING = re.compile(rf"^({_SBV_TIME})\s*,\s*({_SBV_TIME})(?:\s*,(?P<said>.*))?$")
# SubViewer 2.0's head: `[INFORMATION]`, `[TITLE]Acme story`, `[COLF]&HFFFFFF,[STYLE]…`.
_SUBVIEWER_HEAD = re.compile(
    r"^\[(INFORMATION|TITLE|AUTHOR|SOURCE|PRG|FILEPATH|DELAY|CD TRACK|COMMENT|"
    r"END INFORMATION|SUBTITLE|COLF|STYLE|SIZE|FONT)\](.*)$",
    re.IGNORECASE,
)
# A dialogue dash: a new speaker the captioner did not name ("- Fine, thanks.", "-Fine",
# "- [Ana] Fine"); not a number's sign ("-20 degrees").
_DASH = re.compile(r"^(?:-|[\u2013\u2014]\s)\s*(?=[^\W\d_]|[\[(\"'\u201c\u00bf\u00a1])")
# "[DANA LEE] Okay, welcome": a speaker named in brackets before their words.
_BRACKETED = re.compile(r"^\[(?P<label>[^\]\[]{1,40})\]:?\s+(?P<said>\S.*)$", re.DOTALL)
# What a captioner brackets that is heard but no one's name.
_SOUND = re.compile(
    r"\b(?:music|laugh\w*|applause|clap\w*|cheer\w*|sigh\w*|cough\w*|noise|sound\w*|"
    r"inaudible|crosstalk|silence|pause|chuckl\w*|phone|beep\w*|static|foreign|speaking|"
    r"background|indistinct|overlapping|unintelligible)\b",
    re.IGNORECASE,
)


def is_subviewer(start: str) -> bool:
    """Whether a text file's opening is SBV's: SubViewer 2.0's head, or a cue timing alone on
    its first line. Not a line going on with words after the times ("10:02,10:05,Dana,Hi"):
    that is a log of comma-separated values, not a cue."""
    first = start.lstrip().partition("\n")[0].strip()
    timing = _SBV_TIMING.match(first)
    return (timing is not None and not timing["said"]) or first.upper() == "[INFORMATION]"


def is_substation(start: str) -> bool:
    return start.lstrip().casefold().startswith("[script info]")


def read_subviewer(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """SBV cues as a call; its title from SubViewer 2.0's `[TITLE]` where it has one."""
    call = Call()
    cues: list[tuple[int, float, list[str]]] = []
    words: list[str] | None = None  # the open cue's lines; None between blocks
    for number, line in numbered_lines(path, options):
        timing = _SBV_TIMING.match(line)
        if not line:
            words = None
        elif timing:
            words = [timing["said"].strip()] if timing["said"] else []
            cues.append((number, seconds(timing[1]), words))
        elif words is not None:
            words.extend(part.strip() for part in re.split(r"\[br\]", line, flags=re.I))
        elif not cues and (head := _SUBVIEWER_HEAD.match(line)):
            if head[1].upper() == "TITLE" and head[2].strip():
                call.title, call.started_at = dated_title(head[2].strip(), modified_at(path))
        else:
            errors.append(
                RowError(
                    number,
                    None,
                    f"expected an SBV cue timing ('0:00:01.000,0:00:04.500'), found {line[:40]!r}",
                )
            )
            words = []  # the rest of this block goes with the line reported
    frames = [
        Frame(line, start, None, piece) for line, start, lines in cues for piece in _pieces(lines)
    ]
    say_frames(call, _named_in_brackets(frames), set())
    return call


def _pieces(lines: list[str]) -> list[str]:
    """A frame's lines as what each speaker said in it: a line opening with `>>` or a
    dialogue dash begins a new speaker's piece (the dash read as `>>`); a frame that only
    describes a sound is left out."""
    said: list[str] = []
    for line in lines:
        line = _DASH.sub(">> ", line, count=1)
        if not said or line.startswith(">>"):
            said.append(line)
        else:
            said[-1] = f"{said[-1]} {line}"
    return [
        piece
        for piece in said
        if piece.removeprefix(">>").strip() and not DESCRIBED.match(piece.removeprefix(">>"))
    ]


def _named_in_brackets(frames: list[Frame]) -> list[Frame]:
    """Frames opening with a speaker's name in brackets ("[Dana Lee] Okay…") as that speaker's
    new turn. A bracket is a name when it reads as one, is no sound, and opens two frames or
    more: "[LAUGHS] fair enough" once is no speaker."""
    opened = Counter(
        found["label"].strip()
        for frame in frames
        if (found := _BRACKETED.match(frame.text.removeprefix(">>").strip()))
    )
    names = {
        label
        for label, n in opened.items()
        if n > 1 and not _SOUND.search(label) and name_line(_cased(label))
    }
    for frame in frames:
        found = _BRACKETED.match(frame.text.removeprefix(">>").strip())
        if found and found["label"].strip() in names:
            frame.agent, frame.text = _cased(found["label"].strip()), f">> {found['said']}"
    return frames


def _cased(name: str) -> str:
    return name.title() if name.isupper() else name


# [Events] columns when a script has no Format line: ASS's (SSA's first is Marked).
_EVENT_COLUMNS = [
    "layer",
    "start",
    "end",
    "style",
    "name",
    "marginl",
    "marginr",
    "marginv",
    "effect",
    "text",
]
# A section heading; uuencoded fonts and pictures ([Fonts], [Graphics]) have no lower case.
_SECTION = re.compile(r"^\[[^\]]*[a-z][^\]]*\]$")
_OVERRIDES = re.compile(r"\{[^}]*\}")
# Drawing mode (`{\p1}`): what follows is a shape's outline, not words.
_DRAWING = re.compile(r"\{[^}]*\\p[1-9]")
# Titles an editor leaves in a new script.
_NO_TITLE = frozenset(["", "default aegisub file", "<untitled>", "untitled", "new subtitles"])
# Styles for what is shown, not said, when no event names its speaker.
_SHOWN_STYLE = re.compile(
    r"(?<![a-z])(?:signs?|ts|typeset\w*|titles?|lower ?thirds?|captions?|credits?|logo|"
    r"kara(?:oke)?|songs?|lyrics?|op|ed|inserts?|notes?|on ?screen|overlay)(?![a-z])",
    re.IGNORECASE,
)

# Styles for how lines look, not whose they are.
_PLAIN_STYLE = re.compile(
    r"^(?:default|main|dialog(?:ue)?|italics?|top|bottom|alt\w*|flashbacks?|thoughts?|"
    r"overlap\w*|secondary|narrat\w*|subs?|subtitles?|text|english|normal|regular)\b",
    re.IGNORECASE,
)


@dataclass
class _Event:
    line: int
    kind: str
    start: float
    style: str
    name: str
    text: str


def read_substation(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """A SubStation Alpha script's spoken events as a call, in time order; its title from
    `[Script Info]`."""
    call = Call()
    section, columns = "", _EVENT_COLUMNS
    events: list[_Event] = []
    for number, line in numbered_lines(path, options):
        if _SECTION.match(line):
            section = line[1:-1].strip().casefold()
            continue
        key, colon, value = line.partition(":")
        if not colon or line.startswith(";"):  # a blank line, a comment
            continue
        key, value = key.strip().casefold(), value.strip()
        if section == "script info" and key == "title" and value.casefold() not in _NO_TITLE:
            call.title, call.started_at = dated_title(value, modified_at(path))
        elif section == "events" and key == "format":
            columns = [column.strip().casefold() for column in value.split(",")]
        elif section == "events" and key in {"dialogue", "comment"}:
            event = _event(number, key, value, columns, errors)
            if event is not None:
                events.append(event)
    if not any(event.kind == "dialogue" for event in events):
        if not errors:
            errors.append(
                RowError(
                    1,
                    None,
                    "no Dialogue lines under [Events]: not a SubStation Alpha (.ass, .ssa) "
                    "script of what was said",
                )
            )
        return call
    said = sorted(_spoken(events), key=lambda event: event.start)
    styled = _styled_speakers(said)
    for event in said:
        event.name = event.name or (event.style if event.style in styled else "")
    frames = [
        Frame(event.line, event.start, event.name or None, piece)
        for event in said
        for piece in _pieces(_lines(event.text))
    ]
    say_frames(call, _named_in_brackets(frames), {event.name for event in said if event.name})
    return call


def _event(
    line: int, kind: str, value: str, columns: list[str], errors: list[RowError]
) -> _Event | None:
    """A `Dialogue:` or `Comment:` line by the Format line's columns; the text is the last
    column, commas and all."""
    values = value.split(",", len(columns) - 1)
    if len(values) < len(columns) or "text" not in columns:
        errors.append(
            RowError(
                line,
                None,
                f"a {kind.capitalize()} line has {len(values)} of the {len(columns)} columns "
                "its Format line names",
            )
        )
        return None
    fields = dict(zip(columns, (v.strip() for v in values[:-1]), strict=False))
    fields["text"] = values[-1]
    start = fields.get("start", "")
    if not re.fullmatch(r"\d+:\d{1,2}:\d{1,2}(?:\.\d+)?", start):
        errors.append(RowError(line, "Start", f"not a SubStation time: {start[:20]!r}"))
        return None
    # Aegisub calls the Name column "Actor".
    name = fields.get("name") or fields.get("actor") or ""
    return _Event(line, kind, seconds(start), fields.get("style", ""), name, fields["text"])


def _spoken(events: list[_Event]) -> list[_Event]:
    """The events someone said: Dialogue, not drawn, and either naming a speaker or in a
    style a named speaker's lines use (when none is named, any style not for signs)."""
    dialogue = [e for e in events if e.kind == "dialogue" and not _DRAWING.search(e.text)]
    voiced = {event.style for event in dialogue if event.name}
    if voiced:
        return [event for event in dialogue if event.name or event.style in voiced]
    return [event for event in dialogue if not _SHOWN_STYLE.search(event.style)]


def _styled_speakers(said: list[_Event]) -> set[str]:
    """The styles that are speakers, when no event names one: an editor who gives each
    person a style of their own ("Dana", "Ravi Shah") instead of filling the Name column.
    Two styles or more besides the plain ones (Default, Italics, Top…), each reading as a
    name; else none, and the Default-styled lines stay unnamed."""
    if any(event.name for event in said):
        return set()
    styles = {event.style for event in said if not _PLAIN_STYLE.match(event.style)}
    if len(styles) < 2 or not all(name_line(style) for style in styles):
        return set()
    return styles


def _lines(text: str) -> list[str]:
    """An event's text as its lines: override blocks (`{\\i1}`) out, `\\N` and `\\n` line
    breaks, `\\h` a space."""
    plain = _OVERRIDES.sub("", text).replace("\\h", " ")
    return [line.strip() for line in re.split(r"\\[Nn]", plain) if line.strip()]
