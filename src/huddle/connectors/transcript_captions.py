"""Captions in TTML (DFXP): a caption vendor's timed frames read as a call.

A caption file (3Play Media's, Rev's, YouTube's DFXP; a broadcaster's TTML) is a `<tt>`
document whose body holds `<p begin= end=>` frames of one or two short lines (`<br/>`): a
sentence runs over several frames, and the speaker is named only on the first frame of a
turn ("SAM ORTIZ: Thanks for…", perhaps after `>>`, the captioner's mark of a new speaker),
or by the frame's `ttm:agent`, an agent the head names (`<ttm:agent xml:id="a1"><ttm:name>
Sam Ortiz</ttm:name></ttm:agent>`). Frames run together into turns until the speaker
changes; frames that only describe a sound ("[LAUGHTER]", `ttm:role="sound"`) are nobody's
words. Which side each speaker is on is decided as for any call (`transcript_rules`).
"""

import re
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, ElementTree  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import parse_when
from huddle.connectors.transcript_formats import Call, modified_at
from huddle.connectors.transcript_labels import dated_title
from huddle.imports.records import RowError

CAPTION_SUFFIXES = frozenset([".dfxp", ".ttml"])
# A TTML document's opening: its root element is `tt` (perhaps prefixed, as `tt:tt`), after
# an XML declaration and comments.
_TT_ROOT = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:[\w.-]+:)?tt[\s>/]", re.DOTALL
)
# Roles (`ttm:role`) of frames that say what is heard or seen, not what anyone said.
_NOT_SPEECH = frozenset(["sound", "music", "action", "kinesic", "description", "title"])
# A frame that is all a captioner's description: "[LAUGHTER]", "(PHONE RINGING)", "♪♪".
DESCRIBED = re.compile(r"^(?:\[[^\]]*\]|\([^)]*\)|[\s\u266a\u266b#]+)+$")
# The speaker a frame opens with: ">> SAM ORTIZ: …", "SAM ORTIZ: …", ">> …" (a new speaker
# the captioner did not name).
_NEW_SPEAKER = re.compile(r"^>>\s*")
_NAMED = re.compile(r"^(?P<name>[^\W\d_][\w .'\u2019-]{0,40}?)\s*:\s+(?P<said>.+)$", re.DOTALL)
_UNNAMED = "Unknown speaker"
# TTML's time expressions: a clock time ("00:01:02.500", "00:01:02:15" in frames) or an
# offset in a unit ("62.5s", "1500ms", "75f", "625000000t").
_CLOCK = re.compile(r"^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?$")
_OFFSET = re.compile(r"^(\d+(?:\.\d+)?)(h|m|s|ms|f|t)$")
_P_TAG = re.compile(rb"<(?:[\w.-]+:)?p[\s>/]")


@dataclass
class _Rates:
    """The document's frame and tick rates (`ttp:frameRate`, `ttp:tickRate`), for times
    given in frames or ticks."""

    frames: float = 30.0
    ticks: float = 1.0


@dataclass
class Frame:
    line: int
    start: float | None
    agent: str | None
    text: str


def is_captions(path: Path) -> bool:
    """Whether a file is TTML: named .dfxp or .ttml, or any file whose root element is
    `tt` (an .xml a caption vendor wrote)."""
    if path.suffix.lower() in CAPTION_SUFFIXES:
        return True
    with path.open("rb") as handle:
        head = handle.read(4096).removeprefix(b"\xef\xbb\xbf")
    return _TT_ROOT.match(head) is not None


def parsed_xml(
    raw: bytes, what: str, saved: str, again: str, errors: list[RowError]
) -> Element | None:
    """The document's XML root; None, with the error said, for XML that is not well-formed or
    that declares entities or a DTD (which could swell the file without end or read another
    file: no caption or annotation tool writes them). `what` names the document ("a TTML
    (DFXP) document"), `saved` how its tools save it, `again` what to do."""
    try:
        root: Element = ElementTree.fromstring(raw)
    except ParseError as error:
        line = error.position[0] if error.position else 1
        errors.append(RowError(line, None, f"not a well-formed {what.split(' ', 1)[1]}: {error}"))
        return None
    except DefusedXmlException as error:
        reason = (
            f"not {what} {saved}: it declares XML entities or a DTD "
            f"({type(error).__name__}); {again}"
        )
        errors.append(RowError(1, None, reason))
        return None
    return root


def read_captions(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """A TTML document's frames as a call: its title from the head's `ttm:title`, its turns
    the frames run together by speaker."""
    del options  # XML says its own encoding
    call = Call()
    raw = path.read_bytes()
    root = parsed_xml(
        raw,
        "a TTML (DFXP) document",
        "as caption tools save it",
        "export the captions again",
        errors,
    )
    if root is None:
        return call
    if _local(root.tag) != "tt":
        errors.append(RowError(1, None, f"expected a TTML document (<tt>), found <{root.tag}>"))
        return call
    rates = _rates(root)
    agents = _agents(root)
    title = next((_text(e) for e in root.iter() if _local(e.tag) == "title"), "")
    if title:
        call.title, call.started_at = dated_title(title, modified_at(path))
    # Else the date in the media file's name the description gives ("Captions for media
    # file interview-2026-11-30.mp4", 3Play's).
    described = " ".join(_text(e) for e in root.iter() if _local(e.tag) == "desc")
    dated = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", described)
    if call.started_at is None and dated:
        with suppress(ValueError):  # no day a calendar has: the file's own date stands
            call.started_at = parse_when(dated[1])
    # Each <p> start tag's line, in document order: the frames' lines.
    lines = [raw.count(b"\n", 0, found.start()) + 1 for found in _P_TAG.finditer(raw)]
    frames = _frames(root, rates, agents)
    for at, frame in enumerate(frames):
        frame.line = lines[at] if len(lines) == len(frames) else 1
    say_frames(call, frames, set(agents.values()))
    return call


def say_frames(call: Call, frames: list[Frame], agent_names: set[str]) -> None:
    """The frames said in turn: a frame naming its speaker opens their turn, one naming no
    one goes on with the turn before."""
    speakers = _speaker_labels([frame.text for frame in frames], agent_names)
    for frame in frames:
        text, label, new_turn = frame.text, frame.agent or "", False
        if _NEW_SPEAKER.match(text):
            text, new_turn = _NEW_SPEAKER.sub("", text), True
            label = label or _UNNAMED
        named = _NAMED.match(text)
        if named and named["name"].strip() in speakers:
            label, text = _cased(named["name"].strip()), named["said"]
        call.say(frame.line, label, frame.start, text, new_turn=new_turn)


def _speaker_labels(texts: list[str], agent_names: set[str]) -> set[str]:
    """The `NAME:` openings of frames that name a speaker. Captioners write names in capitals
    (3Play's "SAM ORTIZ:"): where any frame does, only those are names, so that a frame going
    on with a sentence ("Quick headline: weekly users…") is not taken for a speaker's.
    Otherwise a name is one the head's agents have, or one that opens two frames or more."""
    found = Counter(
        named["name"].strip()
        for text in texts
        if (named := _NAMED.match(_NEW_SPEAKER.sub("", text))) and len(named["name"].split()) <= 4
    )
    capitals = {name for name in found if name.isupper()}
    if capitals:
        return capitals
    return {name for name, n in found.items() if n > 1 or name in agent_names}


def _cased(name: str) -> str:
    """A name written in capitals as a person writes it: "SAM ORTIZ" is "Sam Ortiz"."""
    if not name.isupper():
        return name
    return re.sub(r"[^\W\d_]+", lambda word: word[0].capitalize(), name)


def _frames(root: Element, rates: _Rates, agents: dict[str, str]) -> list[Frame]:
    """The body's `<p>` frames in order, with when each began (its ancestors' `begin`
    added: TTML times a frame from its parent's) and whose agent said it; frames describing
    a sound and empty ones left out."""
    frames: list[Frame] = []

    def walk(element: Element, offset: float | None, agent: str | None, role: str) -> None:
        begin = _time(_attribute(element, "begin"), rates)
        at = offset if begin is None else (offset or 0.0) + begin
        agent = _attribute(element, "agent") or agent
        role = _attribute(element, "role") or role
        if _local(element.tag) == "p":
            text = re.sub(r"\s+", " ", _words(element)).strip()
            if text and not DESCRIBED.match(text) and role not in _NOT_SPEECH:
                who = agents.get(agent.split()[0]) if agent else None
                frames.append(Frame(1, at, who, text))
            return
        for child in element:
            walk(child, at, agent, role)

    body = next((e for e in root if _local(e.tag) == "body"), None)
    if body is not None:
        walk(body, None, None, "")
    return frames


def _words(element: Element) -> str:
    """A frame's words: its text and its spans', a line break read as a space."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if _local(child.tag) == "br" else _words(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _agents(root: Element) -> dict[str, str]:
    """The head's agents by id: each one's full name (`ttm:name type="full"`), else any
    name it has."""
    agents: dict[str, str] = {}
    for element in root.iter():
        if _local(element.tag) != "agent":
            continue
        ident = next((v for k, v in element.attrib.items() if _local(k) == "id"), None)
        names = [(n.get("type", ""), _text(n)) for n in element if _local(n.tag) == "name"]
        names = [(kind, name) for kind, name in names if name]
        if ident and names:
            agents[ident] = next((name for kind, name in names if kind == "full"), names[0][1])
    return agents


def _rates(root: Element) -> _Rates:
    rates = _Rates()
    frames = _attribute(root, "frameRate")
    if frames and re.fullmatch(r"\d+(\.\d+)?", frames):
        rates.frames = float(frames)
    ticks = _attribute(root, "tickRate")
    if ticks and re.fullmatch(r"\d+", ticks):
        rates.ticks = float(ticks)
    elif frames:
        rates.ticks = rates.frames
    return rates


def _time(value: str | None, rates: _Rates) -> float | None:
    """A TTML time expression in seconds; None when there is none or it is no time."""
    if not value:
        return None
    value = value.strip()
    clock = _CLOCK.match(value)
    if clock:
        hours, minutes, secs, frames = clock.groups()
        total = int(hours) * 3600 + int(minutes) * 60 + float(secs)
        return total + (float(frames) / rates.frames if frames else 0.0)
    offset = _OFFSET.match(value)
    if offset is None:
        return None
    number, unit = float(offset[1]), offset[2]
    per = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    if unit in per:
        return number * per[unit]
    return number / (rates.frames if unit == "f" else rates.ticks)


def _attribute(element: Element, name: str) -> str | None:
    """An attribute by its local name, whatever namespace it is in (`ttm:agent`, `begin`)."""
    return next((v for k, v in element.attrib.items() if _local(k) == name), None)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _text(element: Element) -> str:
    return re.sub(r"\s+", " ", "".join(element.itertext())).strip()
