"""ELAN's annotation documents (.eaf) read as a call.

ELAN (a linguist's, a UX researcher's transcription tool) saves EAF XML: a HEADER naming the
recording (`MEDIA_DESCRIPTOR MEDIA_URL`), a TIME_ORDER of TIME_SLOTs (milliseconds; a slot
ELAN could not align has no TIME_VALUE and lies after the slot before it), then TIERs, each a
layer of annotations: what one person said (named by its PARTICIPANT, else by its TIER_ID,
"tx@JD" being JD's, "K-Spch" K's, "*PAR" PAR's), or notes, codes, themes, translations of it.
A tier depending on another (PARENT_REF, REF_ANNOTATIONs pointing to the parent's
annotations: a translation, a gloss, a code) is never speech, nor is an independent tier whose
id or type names a kind of note ("Researcher notes", "notes-lt", "Themes") or whose type takes
its values from a controlled vocabulary (codes picked from a list). A tier for everyone, its
annotations opening with their speaker ("A: …", "Kofi: …"), is read by those names, as
captions are. A document converted from CLAN's CHAT has CHAT's codes in its words ("[/]",
"&-um", "xxx", "+..."): they are taken out. Where a speaker's own tier holds only segment
numbers and the words are on a transcription tier under it ("ref@JD" over "tx@JD"), those are
the speech. Tiers are written whole, one after another: their annotations are put in the order
their slots give. A participant written "Kofi Mensah, charge nurse" is Kofi Mensah, in that
role.
"""

import re
from collections import Counter
from contextlib import suppress
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import parse_when
from huddle.connectors.transcript_captions import Frame, parsed_xml, say_frames
from huddle.connectors.transcript_formats import Call, name_line
from huddle.imports.records import RowError

# An ELAN document's opening: its root element, after an XML declaration and comments.
_ROOT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<ANNOTATION_DOCUMENT[\s>]", re.S)
# How many of a time unit make a second (EAF's first versions counted video frames).
_PER_SECOND = {"milliseconds": 1000.0, "PAL-frames": 25.0, "NTSC-frames": 30000 / 1001}
# Tiers that say something of what was said, not the words themselves.
_NOTES = re.compile(
    r"(?<![a-z])(?:notes?|comments?|themes?|codes?|coding|tags?|translations?|gloss(?:es)?|"
    r"remarks?|memos?|observations?|categor(?:y|ies)|topics?|summar(?:y|ies)|descriptions?|"
    r"context|gestures?|actions?|events?|non-?verbal|noises?|sounds?)(?![a-z])",
    re.IGNORECASE,
)
# A dependent tier holding a speaker's words under their segments.
_WORDS = re.compile(
    r"(?<![a-z])(?:transcri\w*|tx|orth\w*|utterances?|speech|text)(?![a-z])", re.IGNORECASE
)
_ANNOTATION_ID = re.compile(rb'ANNOTATION_ID="([^"]+)"')
# A speaker named at the start of an annotation: "A: How do you…", "Kofi Mensah: Well…".
_LABELLED = re.compile(r"^(?P<name>[^\W\d_][\w .'\u2019-]{0,40}?)\s*:\s+\S")
# A tier's id naming what kind of tier it is after whose ("K-Spch", "A_utterance").
_KIND_SUFFIX = re.compile(
    r"[\s_-]+(?:spch|speech|utt\w*|tx|transcri\w*|orth\w*|words?|text)$", re.IGNORECASE
)
# CHAT's transcription codes, and what each is read as.
_CHAT_CODES = [
    (re.compile(r"\x15[^\x15]*\x15"), " "),  # a media bullet: the utterance's times
    # What a speaker said again or took back, "<a> [/] a", "went [//] goes": the first go.
    (re.compile(r"(?:<[^<>]*>|\S+)\s*\[/+\]"), " "),
    (re.compile(r"\[[^\]]*\]"), " "),  # [/] retracing, [: word], [= gloss], [+ post], [*]
    (re.compile(r"(?<!\S)&\S*"), " "),  # &-um a filler, &=laughs an event, &+fr a fragment
    (re.compile(r"(?<!\S)(?:xxx|yyy|www|0\S+)(?!\S)"), " "),  # unheard, untranscribed, left out
    (re.compile(r"(?<!\S)\+\S*\?\S*"), "?"),  # +/? an interrupted question
    (re.compile(r"(?<!\S)\+\S*"), "..."),  # +... trailing off, +/. interrupted
    (  # "<…>" a group's edges; marks of pitch, pace, overlap and stress
        re.compile(r"[<>\u2191\u2193\u2197\u2198\u2248\u2261\u2219\u2308\u2309\u230a\u230b\u00b0]"),
        "",
    ),
    (re.compile(r"(?<=\w)@[\w:$]+"), ""),  # "@s" a word of another language, "@b" babbling
    (re.compile(r"(?<=\w)\((\w+)\)|\((\w+)\)(?=\w)"), r"\1\2"),  # doin(g), (be)cause
    (re.compile(r"(?<=\w)_(?=\w)"), " "),  # ice_cream
]


def is_elan(path: Path) -> bool:
    """Whether a file is an ELAN document: named .eaf, or XML whose root is
    ANNOTATION_DOCUMENT."""
    if path.suffix.lower() == ".eaf":
        return True
    with path.open("rb") as handle:
        head = handle.read(4096).removeprefix(b"\xef\xbb\xbf")
    return _ROOT.match(head) is not None


def read_elan(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """What the document's speakers said, in time order: its speech tiers' annotations."""
    del options  # XML says its own encoding
    call = Call()
    raw = path.read_bytes()
    root = parsed_xml(
        raw, "an ELAN document (.eaf)", "as ELAN saves it", "save it again from ELAN", errors
    )
    if root is None:
        return call
    if root.tag != "ANNOTATION_DOCUMENT":
        errors.append(
            RowError(
                1, None, f"expected an ELAN document (<ANNOTATION_DOCUMENT>), found <{root.tag}>"
            )
        )
        return call
    header = root.find("HEADER")
    units = header.get("TIME_UNITS", "") if header is not None else ""
    starts = _starts(root, _slot_times(root, _PER_SECOND.get(units, 1000.0)))
    lines = {
        found[1].decode(errors="replace"): raw.count(b"\n", 0, found.start()) + 1
        for found in _ANNOTATION_ID.finditer(raw)
    }
    _media(call, header, root.get("DATE"))
    tiers = root.findall("TIER")
    chat = _from_chat(header, tiers)
    said: list[tuple[float, int, str, str]] = []  # (start, order, annotation id, speaker)
    values: dict[str, str] = {}
    roles: dict[str, str] = {}
    everyones: set[str] = set()  # annotations on a tier of everyone's words, names and all
    labels: set[str] = set()  # the names those open with
    for tier in _speech(root, tiers):
        name, role = _speaker(tier)
        worded = []
        for annotation in _words_of(tier, tiers):
            ident = annotation.get("ANNOTATION_ID", "")
            text = (annotation.findtext("ANNOTATION_VALUE") or "").strip()
            text = _chat_words(text) if chat else text
            if text:
                values[ident] = text
                worded.append(ident)
                said.append((starts.get(ident) or 0.0, len(said), ident, name))
                if role:
                    roles[name] = role
        # A tier its PARTICIPANT names is that one person's, whatever their words open with.
        if not tier.get("PARTICIPANT") and (
            opening := _speakers_named_in([values[ident] for ident in worded])
        ):
            everyones.update(worded)
            labels.update(opening)
    if not said:
        named = ", ".join(repr(tier.get("TIER_ID", "")) for tier in tiers) or "none"
        errors.append(
            RowError(1, None, f"no tier of this ELAN document holds what was said (tiers: {named})")
        )
    frames = [
        Frame(
            lines.get(ident, 1),
            starts.get(ident),
            None if ident in everyones else name,
            values[ident],
        )
        for _, _, ident, name in sorted(said)
    ]
    if everyones:
        # One tier for everyone ("A: How do you…", "B: In a spreadsheet."): the names in the
        # words open each speaker's turn, as a caption's do.
        tiers_of = {name for _, _, ident, name in said if ident not in everyones}
        say_frames(call, frames, labels | tiers_of)
    else:
        for frame in frames:
            call.say(frame.line, frame.agent or "", frame.start, frame.text)
    for name, role in roles.items():
        call.speakers[call.speaker(name)].role = role
    return call


def _speakers_named_in(texts: list[str]) -> set[str]:
    """The speakers a tier's annotations name at their start ("A: …", "Kofi Mensah: …"),
    where they are a tier of everyone's words: two names or more, opening half the
    annotations or more; none otherwise."""
    named = Counter(found["name"] for text in texts if (found := _LABELLED.match(text)))
    if len(named) < 2 or 2 * sum(named.values()) < len(texts):
        return set()
    return {name for name in named if name_line(name)}


def _from_chat(header: Element | None, tiers: list[Element]) -> bool:
    """Whether a document was converted from CLAN's CHAT: tiers named as CHAT's lines ("*PAR",
    "%mor@PAR"), or CHAT's headers kept as properties ("@Participants:")."""
    properties = header.findall("PROPERTY") if header is not None else []
    return any(tier.get("TIER_ID", "").startswith(("*", "%")) for tier in tiers) or any(
        p.get("NAME", "").startswith("@") for p in properties
    )


def _chat_words(text: str) -> str:
    """A CHAT utterance's words as said: its codes out ("[/]" a retracing, "&-um" a filler,
    "&=laughs" an event, "xxx" what could not be heard, a media bullet), "<…>" and "doin(g)"
    read as words, its terminator ("+..." trailing off) put against the last word."""
    for code, said in _CHAT_CODES:
        text = code.sub(said, text)
    text = re.sub(r"\s+([.?!,])", r"\1", re.sub(r"\s+", " ", text)).strip()
    return text[:1].upper() + text[1:]


def _slot_times(root: Element, per_second: float) -> dict[str, float | None]:
    """Each time slot's time in seconds; one ELAN left unaligned has the time of the slot
    before it (the time order is in time), none before the first aligned."""
    times: dict[str, float | None] = {}
    last: float | None = None
    for slot in root.iter("TIME_SLOT"):
        value = slot.get("TIME_VALUE")
        if value is not None and re.fullmatch(r"\d+(?:\.\d+)?", value.strip()):
            last = float(value) / per_second
        times[slot.get("TIME_SLOT_ID", "")] = last
    return times


def _starts(root: Element, times: dict[str, float | None]) -> dict[str, float | None]:
    """When each annotation begins: its first slot's time, or (a REF_ANNOTATION) the time of
    the annotation it refers to, through any chain of them."""
    starts: dict[str, float | None] = {}
    refers: dict[str, str] = {}
    for annotation in root.iter("ALIGNABLE_ANNOTATION"):
        starts[annotation.get("ANNOTATION_ID", "")] = times.get(
            annotation.get("TIME_SLOT_REF1", "")
        )
    for annotation in root.iter("REF_ANNOTATION"):
        refers[annotation.get("ANNOTATION_ID", "")] = annotation.get("ANNOTATION_REF", "")
    for ident, target in refers.items():
        for _ in range(len(refers)):  # a chain, never a loop
            if target not in refers:
                break
            target = refers[target]
        starts[ident] = starts.get(target)
    return starts


def _speech(root: Element, tiers: list[Element]) -> list[Element]:
    """The independent tiers of what people said: not depending on another tier, of a type
    with no constraint and no controlled vocabulary, named as no kind of note."""
    types = {t.get("LINGUISTIC_TYPE_ID", ""): t for t in root.iter("LINGUISTIC_TYPE")}
    speech = []
    for tier in tiers:
        kind = tier.get("LINGUISTIC_TYPE_REF", "")
        constrained = kind in types and types[kind].get("CONSTRAINTS")
        if tier.get("PARENT_REF") or constrained:
            continue
        # A tier of a type bound to a controlled vocabulary holds its entries (codes, an
        # emotion, a turn type), chosen from a list, not what anyone said.
        coded = kind in types and types[kind].get("CONTROLLED_VOCABULARY_REF")
        if coded or any(a.get("CVE_REF") for a in _annotations(tier)):
            continue
        if _NOTES.search(tier.get("TIER_ID", "")) or _NOTES.search(kind):
            continue
        speech.append(tier)
    return speech


def _words_of(tier: Element, tiers: list[Element]) -> list[Element]:
    """A speech tier's annotations; when they hold no words (segment numbers), those of the
    transcription tier under it."""
    annotations = _annotations(tier)
    if any(_has_words(a) for a in annotations):
        return annotations
    for child in tiers:
        named = f"{child.get('TIER_ID', '')} {child.get('LINGUISTIC_TYPE_REF', '')}"
        words = _annotations(child)
        if (
            child.get("PARENT_REF") == tier.get("TIER_ID")
            and _WORDS.search(named)
            and not _NOTES.search(named)
            and any(_has_words(a) for a in words)
        ):
            return words
    return []


def _annotations(tier: Element) -> list[Element]:
    return [a for wrapper in tier.findall("ANNOTATION") for a in wrapper]


def _has_words(annotation: Element) -> bool:
    return re.search(r"[^\W\d_]{2}", annotation.findtext("ANNOTATION_VALUE") or "") is not None


def _speaker(tier: Element) -> tuple[str, str | None]:
    """Who a tier's words are: its PARTICIPANT ("Kofi Mensah, charge nurse" is Kofi Mensah,
    a charge nurse; "Lindqvist, Maya" stays a name), else its id ("tx@JD" is JD's)."""
    participant = (tier.get("PARTICIPANT") or "").strip()
    if participant:
        name, comma, role = participant.partition(",")
        if comma and len(name.split()) >= 2 and role.strip():
            return name.strip(), role.strip()
        return participant, None
    ident = tier.get("TIER_ID", "").strip().lstrip("*").strip()
    ident = ident.rpartition("@")[2].strip() or ident
    return (_KIND_SUFFIX.sub("", ident) or ident or "Unknown"), None


def _media(call: Call, header: Element | None, saved: str | None) -> None:
    """The recording a document is of (a web address only: a path on the transcriber's
    disk links nowhere), and the call's date: one in the recording's name, else the day
    the document was saved."""
    if header is None:
        header = Element("HEADER")
    descriptor = header.find("MEDIA_DESCRIPTOR")
    media = descriptor.get("MEDIA_URL") if descriptor is not None else None
    url = media or header.get("MEDIA_FILE") or ""
    if re.match(r"https?://", url, re.IGNORECASE):
        call.recording_url = url
    dated = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", unquote(url))
    for when in (dated[1] if dated else None, saved):
        if when and call.started_at is None:
            with suppress(ValueError):
                call.started_at = parse_when(when)
