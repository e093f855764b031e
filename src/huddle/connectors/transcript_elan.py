"""ELAN's annotation documents (.eaf) read as a call.

ELAN (a linguist's, a UX researcher's transcription tool) saves EAF XML: a HEADER naming the
recording (`MEDIA_DESCRIPTOR MEDIA_URL`), a TIME_ORDER of TIME_SLOTs (milliseconds; a slot
ELAN could not align has no TIME_VALUE and lies after the slot before it), then TIERs, each a
layer of annotations: what one person said (named by its PARTICIPANT, else by its TIER_ID,
"tx@JD" being JD's), or notes, codes, themes, translations of it. A tier depending on another
(PARENT_REF, REF_ANNOTATIONs pointing to the parent's annotations: a translation, a gloss, a
code) is never speech, nor is an independent tier whose id or type names a kind of note
("Researcher notes", "notes-lt", "Themes"). Where a speaker's own tier holds only segment
numbers and the words are on a transcription tier under it ("ref@JD" over "tx@JD"), those are
the speech. Tiers are written whole, one after another: their annotations are put in the order
their slots give. A participant written "Kofi Mensah, charge nurse" is Kofi Mensah, in that
role.
"""

import re
from contextlib import suppress
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, ElementTree  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import parse_when
from huddle.connectors.transcript_formats import Call
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
    try:
        root = ElementTree.fromstring(raw)
    except ParseError as error:
        line = error.position[0] if error.position else 1
        errors.append(RowError(line, None, f"not a well-formed ELAN document (.eaf): {error}"))
        return call
    except DefusedXmlException as error:
        reason = (
            "not an ELAN document as ELAN saves it: it declares XML entities or a DTD "
            f"({type(error).__name__}); save it again from ELAN"
        )
        errors.append(RowError(1, None, reason))
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
    said: list[tuple[float, int, str, str]] = []  # (start, order, annotation id, speaker)
    values: dict[str, str] = {}
    roles: dict[str, str] = {}
    for tier in _speech(root, tiers):
        name, role = _speaker(tier)
        for annotation in _words_of(tier, tiers):
            ident = annotation.get("ANNOTATION_ID", "")
            text = (annotation.findtext("ANNOTATION_VALUE") or "").strip()
            if text:
                values[ident] = text
                said.append((starts.get(ident) or 0.0, len(said), ident, name))
                if role:
                    roles[name] = role
    if not said:
        named = ", ".join(repr(tier.get("TIER_ID", "")) for tier in tiers) or "none"
        errors.append(
            RowError(1, None, f"no tier of this ELAN document holds what was said (tiers: {named})")
        )
    for _, _, ident, name in sorted(said):
        call.say(lines.get(ident, 1), name, starts.get(ident), values[ident])
    for name, role in roles.items():
        call.speakers[call.speaker(name)].role = role
    return call


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
    with no constraint, named as no kind of note."""
    types = {t.get("LINGUISTIC_TYPE_ID", ""): t for t in root.iter("LINGUISTIC_TYPE")}
    speech = []
    for tier in tiers:
        kind = tier.get("LINGUISTIC_TYPE_REF", "")
        constrained = kind in types and types[kind].get("CONSTRAINTS")
        if tier.get("PARENT_REF") or constrained:
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
    ident = tier.get("TIER_ID", "").strip()
    return (ident.rpartition("@")[2].strip() or ident or "Unknown"), None


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
