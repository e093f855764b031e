"""A call as the transcript readers give it (`Call`: its metadata, its speakers' turns in
order), its metadata lines, and WebVTT and SRT cues.

Metadata comes from a leading `NOTE` block (WebVTT) or leading `Key: value` lines (plain
text): title, date, account, recording, participants, host (`apply_meta`). Plain text is read
by `transcript_plain`; what the formats share (a name alone over the words, a title holding
the date) is here.
"""

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.email_addresses import email_in
from huddle.connectors.export_dates import parse_when
from huddle.connectors.transcript_labels import (
    OUTSIDER,
    dated_title,
    letters,
    person_name,
    spellings,
)
from huddle.connectors.transcript_names import not_a_name
from huddle.connectors.transcript_rules import Speaker
from huddle.imports.fields import normalise
from huddle.imports.records import RowError


@dataclass
class Utterance:
    line: int
    speaker: str
    start: float | None
    text: str
    # Where each merged cue began in `text`, so a statement links to its own moment.
    marks: list[tuple[int, float | None]] = field(default_factory=list)

    def start_of(self, fragment: str) -> float | None:
        position = self.text.find(fragment)
        found = self.start
        for offset, start in self.marks:
            if position >= offset and start is not None:
                found = start
        return found


@dataclass
class Call:
    line: int = 1
    title: str | None = None
    started_at: datetime | None = None
    recording_url: str | None = None
    call_id: str | None = None
    account: str | None = None
    speakers: dict[str, Speaker] = field(default_factory=dict)
    utterances: list[Utterance] = field(default_factory=list)

    def speaker(self, label: str) -> str:
        """Registers a speaker label ('Dana Lee <dana@x.io>', 'Tom Becker (External)',
        'Lindqvist, Maya') and returns its name."""
        email = email_in(label)
        name = re.sub(r"<[^>]*>|\([^)]*@[^)]*\)", "", label).strip() or (email or "Unknown")
        name, outsider = person_name(name)
        known = self.speakers.get(name)
        if known is None:
            self.speakers[name] = Speaker(name=name, email=email, outsider=outsider)
        else:
            known.email = known.email or email
            known.outsider = known.outsider or outsider
        return name

    def settle_addresses(self, spoke: set[str]) -> None:
        """A participant known only by an address ('dev.anand@globex.example', as Fireflies
        lists them) is the speaker who has it, or the one speaker without an address whose
        name it spells; then it is not a speaker of its own."""
        for address, alone in list(self.speakers.items()):
            if alone.email != address.lower() or address in spoke:
                continue
            others = [s for s in self.speakers.values() if s is not alone]
            owners = [s for s in others if s.email == alone.email]
            if not owners:
                local = letters(address.partition("@")[0])
                owners = [s for s in others if s.email is None and local in spellings(s.name)]
            if len(owners) == 1:
                owner = owners[0]
                owner.email = owner.email or alone.email
                owner.role = owner.role or alone.role
                del self.speakers[address]

    def say(
        self, line: int, label: str, start: float | None, text: str, *, new_turn: bool = False
    ) -> None:
        """Adds what `label` said; it goes on the speaker's last turn unless someone else spoke
        in between or `new_turn` (a chat's messages are each a turn)."""
        text = re.sub(r"\s+", " ", _ANNOTATION.sub("", text)).strip()
        if not text:
            return
        name = (
            self.speaker(label)
            if label
            else (self.utterances[-1].speaker if self.utterances else "Unknown")
        )
        if name not in self.speakers:
            self.speakers[name] = Speaker(name=name)
        last = self.utterances[-1] if self.utterances else None
        # Subtitle formats cut one turn into many cues: a turn goes on until the speaker changes.
        if last is not None and last.speaker == name and not new_turn:
            last.marks.append((len(last.text) + 1, start))
            last.text = f"{last.text} {text}"
            return
        self.utterances.append(Utterance(line, name, start, text, [(0, start)]))


TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
# What a transcriber writes into the words that nobody said: Rev's "[inaudible 00:26]" and
# "[crosstalk 00:12:34]", "[laughs]", "(inaudible)".
_ANNOTATION = re.compile(
    r"\s*[\[(](?:inaudible|crosstalk|laughs?|laughter|laughing|music|silence|pause|applause"
    r"|background noise|foreign|foreign language|unintelligible|indiscernible|overlapping"
    r"|overlapping speech|coughs?|sighs?|phone rings|audio cuts out|break in audio)"
    rf"(?:\s+{TIME})?[\])]",
    re.IGNORECASE,
)
# A cue's timing; Teams' classic transcript writes its parts unpadded ("0:0:5.230").
CUE_TIME = r"(?:\d+:)?\d{1,2}:\d{1,2}(?:[.,]\d{1,7})?"
_CUE = re.compile(rf"^\s*({CUE_TIME})\s*-->\s*({CUE_TIME})(?:\s.*)?$")
# Teams' classic transcript (its .docx, or the text of one): under each timing the speaker's
# name on a line of its own ("Becker, Tom"), the words below.
_MARKED = re.compile(r" \((?:External|Guest)\)$")
# The small words of names written lower case: "van der Berg, Anna", "Luís da Silva".
_PARTICLES = frozenset(
    [
        "van",
        "der",
        "den",
        "de",
        "la",
        "le",
        "von",
        "da",
        "di",
        "del",
        "du",
        "dos",
        "das",
        "bin",
        "al",
        "el",
        "ter",
        "ten",
        "y",
    ]
)
# A name's first letter: a capital, accented ones too ("Íñigo", "Émilie", "Łukasz").
CAPITAL = r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f]"
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>(.*)$", re.DOTALL)
_LABEL = re.compile(
    # "Helen Marsh | Initech Health: …", "Tom Becker (OurCo): …" (Zoom's display names).
    rf"^(?:>>\s*)?(?:\[({CAPITAL}[\w .'@()|&-]{{0,60}}?)\]:?|({CAPITAL}[\w .'@<>()|&-]{{0,60}}?):)"
    r"\s+(.+)$",
    re.DOTALL,
)
# Webex's WebVTT names the speaker in the cue's id, not in its text: '4 "Leon Fischer"
# (3892678060)'.
_CUE_SPEAKER = re.compile(r'^\d+\s+"(?P<speaker>[^"]{1,80})"(?:\s+\(\d+\))?$')
# A participant that is not a person: Meet's tile for a shared screen.
_NOT_A_PERSON = re.compile(r"'s presentation$", re.IGNORECASE)
_TAGS = re.compile(r"</?[a-z][^>]*>")
META_KEYS = {
    "title": "title",
    "topic": "title",
    "meeting": "title",
    "meeting_topic": "title",
    "subject": "title",
    "call": "title",
    "date": "date",
    "started_at": "date",
    "start": "date",
    "when": "date",
    "account": "account",
    "company": "account",
    "customer": "account",
    "account_id": "account",
    "domain": "account",
    "recording": "recording",
    "recording_url": "recording",
    "url": "recording",
    "link": "recording",
    "call_id": "call_id",
    "id": "call_id",
    "meeting_id": "call_id",
    "webinar_id": "call_id",
    "conference_id": "call_id",
    "participants": "participants",
    "attendees": "participants",
    "host": "host",
    "rep": "host",
    "organizer": "host",
}
# Keys of a call's header that say nothing Huddle keeps (Zoom's "Passcode:", a "Duration:"):
# read past, not taken for a speaker.
SKIPPED_META_KEYS = frozenset(
    [
        "passcode",
        "password",
        "duration",
        "time",
        "time_zone",
        "timezone",
        "location",
        "language",
        "recorded_by",
        "host_email",
        "organizer_email",
        "dial_in",
        "agenda",
    ]
)


def seconds(text: str) -> float:
    parts = text.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def moment(offset: float | None) -> str:
    whole = int(offset or 0)
    hours, rest = divmod(whole, 3600)
    return (
        f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
        if hours
        else f"{rest // 60:02d}:{rest % 60:02d}"
    )


def apply_meta(call: Call, key: str, value: str, line: int, errors: list[RowError]) -> bool:
    if normalise(key) in SKIPPED_META_KEYS and value.strip():
        return True
    name = META_KEYS.get(normalise(key))
    if name is None or not value.strip():
        return False
    value = value.strip()
    if name == "title":
        call.title = value
    elif name == "date":
        try:
            call.started_at = parse_when(value)
        except ValueError as error:
            call.started_at = _zoned_date(value)
            if call.started_at is None:
                errors.append(RowError(line, key, str(error)))
    elif name == "account":
        call.account = value
    elif name == "recording":
        call.recording_url = value
    elif name == "call_id":
        call.call_id = value
    elif name in {"participants", "host"}:
        for part in re.split(r",(?![^(]*\))|;", value):
            # "Nadia Haddad (CSM)" says her role; "(External)" is the meeting tool's mark.
            part = part.strip()
            role_match = None if OUTSIDER.search(part) else re.search(r"\(([^)@]+)\)$", part)
            label = part[: role_match.start()].strip() if role_match else part
            if label and not _NOT_A_PERSON.search(label):
                speaker = call.speakers[call.speaker(label)]
                speaker.role = (
                    "host"
                    if name == "host"
                    else (role_match.group(1) if role_match else speaker.role)
                )
    return True


def numbered_lines(path: Path, options: ConnectorOptions) -> Iterator[tuple[int, str]]:
    """A text file's lines, numbered from 1 and stripped, without the byte-order mark a file
    saved from Word or Notepad starts with."""
    with path.open("r", encoding=options.encoding, newline=None) as handle:
        for number, raw in enumerate(handle, start=1):
            yield number, (raw.lstrip("\ufeff") if number == 1 else raw).strip()


def read_subtitles(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """WebVTT and SRT: cues of timing + text, the speaker in <v Name> or a 'Name:' prefix."""
    call = Call()
    reference = modified_at(path)
    first = True
    block: list[tuple[int, str]] = []
    # Each cue as read: its timing's line, when it starts, its id, its lines of words.
    cues: list[tuple[int, float, str, list[str]]] = []

    def flush() -> None:
        nonlocal first
        texts = [t for _, t in block]
        if not texts:
            return
        head_line = block[0][0]
        if first and path.suffix.lower() == ".vtt" and not texts[0].startswith("WEBVTT"):
            errors.append(RowError(head_line, None, "a WebVTT file starts with 'WEBVTT'"))
        if first and texts[0].startswith("WEBVTT"):
            first = False
            return
        first = False
        if texts[0].startswith(("NOTE", "STYLE", "REGION")):
            body = [texts[0].removeprefix("NOTE").strip(), *texts[1:]]
            for offset, entry in enumerate(body):
                key, sep, value = entry.partition(":")
                if sep:
                    apply_meta(call, key, value, head_line + offset, errors)
                elif entry and texts[0].startswith("NOTE"):
                    # "NOTE\nOurCo / Acme Robotics - Q4 business review": its title
                    title_or_date(call, entry, reference)
            return
        timing_at = next((i for i, t in enumerate(texts[:2]) if "-->" in t), None)
        if timing_at is None:
            errors.append(
                RowError(
                    head_line,
                    None,
                    f"expected a cue timing ('00:01.000 --> 00:04.000'), found {texts[0][:40]!r}",
                )
            )
            return
        match = _CUE.match(texts[timing_at])
        if match is None:
            errors.append(
                RowError(block[timing_at][0], None, f"not a cue timing: {texts[timing_at][:60]!r}")
            )
            return
        start = seconds(match.group(1))
        cues.append(
            (block[timing_at][0], start, texts[0] if timing_at == 1 else "", texts[timing_at + 1 :])
        )

    for number, text in numbered_lines(path, options):
        if text:
            block.append((number, text))
        else:
            flush()
            block = []
    flush()
    heads = _speaker_lines(cues)
    for line, start, cue_id, words in cues:
        head = words[0] if len(words) > 1 and words[0] in heads else None
        text = "\n".join(words[1:] if head else words).strip()
        voice = _VOICE.match(text)
        named = _CUE_SPEAKER.match(cue_id)
        label = ""
        spoken = _json_cue(text)
        if spoken is not None:
            label, text, said_at = spoken
            # The clock time a cue was said, less its offset into the recording: the call's.
            began = said_at - timedelta(seconds=start) if said_at else None
            call.started_at = call.started_at or began
        elif head:
            label = head
        elif voice:
            label, text = voice.group(1), voice.group(2)
        elif named:
            # The cue id says who: a "Name:" the text opens with is theirs, anything else with
            # a colon ("Honestly: the export…") is what they said.
            label = named["speaker"]
            text = re.sub(rf"^{re.escape(label)}\s*:\s*", "", text)
        else:
            labelled = _LABEL.match(text)
            name = labelled and (labelled.group(1) or labelled.group(2))
            if labelled and name and len(name.split()) <= 5:
                label, text = name, labelled.group(3)
        call.say(line, label, start, _TAGS.sub("", text))
    return call


def _json_cue(text: str) -> tuple[str, str, datetime | None] | None:
    """A cue whose text is a JSON object (Microsoft Graph's callTranscript
    `metadataContent`: `{"startDateTime", "endDateTime", "speakerName", "spokenText",
    "spokenLanguage"}`): who spoke, what they said, and when by the clock. None for any
    other cue."""
    if not text.startswith("{"):
        return None
    try:
        cue = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(cue, dict):
        return None
    said = next((cue[k] for k in _JSON_CUE_TEXT if isinstance(cue.get(k), str)), None)
    if said is None:
        return None
    who = next((cue[k] for k in _JSON_CUE_SPEAKER if isinstance(cue.get(k), str)), "")
    try:
        began = parse_when(cue["startDateTime"]) if cue.get("startDateTime") else None
    except ValueError:
        began = None
    return who, said, began


_JSON_CUE_TEXT = ("spokenText", "text")
_JSON_CUE_SPEAKER = ("speakerName", "speaker")


def _speaker_lines(cues: list[tuple[int, float, str, list[str]]]) -> set[str]:
    """The lines that name a cue's speaker over its words (Teams' classic transcript)."""
    return names_over_words([words for _, _, _, words in cues])


def names_over_words(blocks: list[list[str]]) -> set[str]:
    """The first lines of blocks that name who says the lines under them: a name alone on
    the first line, again and again, in most blocks of more than one line (Teams' classic
    cues; Otter's text without timestamps). A subtitle's lines broken mid-sentence, or a
    paragraph's first line, are not names said over and over."""
    # A title over the call's date ("Globex Renewal", "18 November 2026") is no turn.
    firsts = Counter(
        lines[0]
        for lines in blocks
        if len(lines) > 1 and not (name_line(lines[0]) and _dated(lines[1]))
    )
    named = Counter({line: n for line, n in firsts.items() if name_line(line)})
    repeated = {line for line, n in named.items() if n > 1}
    if not repeated or sum(named[line] for line in repeated) * 2 < sum(firsts.values()):
        return _names_over_lines([line for lines in blocks for line in lines])
    # The layout once known, a name said over one block only is a speaker's too.
    return set(named)


def _names_over_lines(lines: list[str]) -> set[str]:
    """The same layout without blank lines between turns (a Word document, one paragraph a
    line, as Word's Transcribe adds it "with speakers"): a name alone over a line that is no
    name, again and again, heading at least a third of the lines."""
    heads = Counter(
        line
        for line, after in pairwise(lines)
        if name_line(line) and not name_line(after) and not _dated(after)
    )
    repeated = {line for line, n in heads.items() if n > 1}
    if not repeated or sum(heads[line] for line in repeated) * 3 < len(lines):
        return set()
    return set(heads)


def _dated(line: str) -> bool:
    """Whether a line is a date alone (a call's, under its title): no turn's words."""
    from huddle.connectors.export_dates import human_date

    return len(line) <= 60 and any(c.isdigit() for c in line) and human_date(line) is not None


# A diarizer's label for a voice it did not name: Word's Transcribe and most recorders write
# "Speaker 1" (Word localises it: "Sprecher 1", "Orateur 1", "Hablante 1").
_NUMBERED_SPEAKER = re.compile(
    r"^(?:speaker|sprecher|orateur|intervenant|locuteur|hablante|spreker|oratore|guest)"
    r" \d{1,3}$",
    re.IGNORECASE,
)


def name_line(line: str) -> bool:
    """Whether a line is a person's name alone: "Dana Lee", "Becker, Tom", "Álvarez, José",
    "van der Berg, Anna", "Dana", perhaps "(External)"; not a word that stands where a name
    could ("Okay", "Thanks")."""
    if _NUMBERED_SPEAKER.match(line):
        return True
    words = [w.rstrip(",") for w in _MARKED.sub("", line.strip()).split()]
    if not 1 <= len(words) <= 4 or len(line) > 60 or line.rstrip().endswith((",", ":")):
        return False
    if len(words) == 1 and not_a_name(words[0]):
        return False
    return all(
        w
        and all(c.isalpha() or c in "'.-\u2019" for c in w)
        and (w[0].isupper() or w.casefold() in _PARTICLES)
        for w in words
    ) and any(w[0].isupper() for w in words)


def modified_at(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


# Google Meet's transcript in Docs is titled "<the meeting's title> (<when>) - Transcript",
# as long as the meeting's own title makes it.
TRANSCRIPT_TITLE = re.compile(
    r"\s[-\u2013\u2014]\s*(transcript|transkript|transcription|transcripción|trascrizione|"
    r"transcrição|transcriptie)\s*$",
    re.IGNORECASE,
)


# A date line's time range: when it ended, left off so the line reads as the date it began
# ("…, 10:00 AM - 10:05 AM", "…, 10:00-10:40 ET": the zone after the range kept).
_RANGE_END = re.compile(
    r"(?<=[\dMm.])\s*[-\u2013\u2014]\s*\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?"
    r"(?=(?:\s+[A-Z]{2,4})?$)"
)
# What a person writes after a call's date: where it was held ("… ET (Teams)").
_WHERE_HELD = re.compile(r"\s*\([^()]{1,40}\)$")


def _zoned_date(text: str) -> datetime | None:
    """A call's date line as UTC, its zone beside the time read ("…, 11:00 AM - 11:52 AM
    (EST)", "…, 10:00 AM - 10:05 AM PST"); a date with a time range (Krisp's "…, 10:00 AM -
    10:05 AM") is the date it began."""
    from huddle.connectors.export_dates import human_date, time_zone

    zoned = time_zone(text)
    line = zoned[0] if zoned else text
    when = human_date(line) or human_date(_RANGE_END.sub("", _WHERE_HELD.sub("", line)))
    return zoned[1](when) if zoned and when else when


def title_or_date(call: Call, text: str, reference: datetime) -> bool:
    """A line above the first speaker without a 'Key:': the call's title, or its date, or a
    title holding the date (`_dated_title`)."""
    long = len(text.split()) > 12 and not TRANSCRIPT_TITLE.search(text)
    if long or text.endswith((".", "?", "!")):
        return False
    # A date written day first opens with a digit ("18 November 2026 · notes"), a title not;
    # a date with a time range (Krisp's "…, 10:00 AM - 10:05 AM") is the date it began.
    when = _zoned_date(text)
    if when is None and not text[0].isupper():
        return False
    if when is None and call.title is None:
        call.title, when = dated_title(TRANSCRIPT_TITLE.sub("", text), reference)
        call.started_at = call.started_at or when
        return True
    if when is not None:
        call.started_at = call.started_at or when
        return True
    return False
