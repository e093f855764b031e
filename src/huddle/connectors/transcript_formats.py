"""Reading call transcripts: WebVTT and SRT cues, and "Speaker: text" plain text.

Both give a `Call`: its metadata (title, date, account, recording link, participants) and the
speakers' turns in order. Metadata comes from a leading `NOTE` block (WebVTT) or leading
`Key: value` lines (plain text): title, date, account, recording, participants, host.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.common import email_in, parse_when
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
        """Registers a speaker label ('Dana Lee <dana@x.io>') and returns its name."""
        email = email_in(label)
        name = re.sub(r"<[^>]*>|\([^)]*@[^)]*\)", "", label).strip() or (email or "Unknown")
        known = self.speakers.get(name)
        if known is None:
            self.speakers[name] = Speaker(name=name, email=email)
        elif email and not known.email:
            known.email = email
        return name

    def say(self, line: int, label: str, start: float | None, text: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
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
        if last is not None and last.speaker == name:
            last.marks.append((len(last.text) + 1, start))
            last.text = f"{last.text} {text}"
            return
        self.utterances.append(Utterance(line, name, start, text, [(0, start)]))


_TIME = r"(?:\d+:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?"
_CUE = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"^<v(?:\.[\w.-]+)?\s+([^>]+)>(.*)$", re.DOTALL)
_LABEL = re.compile(
    # "Helen Marsh | Initech Health: …", "Tom Becker (OurCo): …" (Zoom's display names).
    r"^(?:>>\s*)?(?:\[([A-Z][\w .'@()|&-]{0,60}?)\]:?|([A-Z][\w .'@<>()|&-]{0,60}?):)\s+(.+)$",
    re.DOTALL,
)
_TXT_LINE = re.compile(
    rf"^\[?(?P<ts1>{_TIME})\]?\s+(?P<s1>[^:]{{1,60}}):\s*(?P<t1>.+)$"
    rf"|^(?P<s2>[^:\[\]]{{1,60}}?)\s*(?:[(\[](?P<ts2>{_TIME})[)\]])?:\s+(?P<t2>.+)$"
)
_OTTER_HEAD = re.compile(rf"^(?P<speaker>[A-Z][\w .'-]{{0,50}}?)\s+(?P<ts>{_TIME})$")
# "00:01:02 Name" on its own line, the words on the next (Otter, Fireflies, Grain exports).
_TIME_HEAD = re.compile(rf"^\[?(?P<ts>{_TIME})\]?\s+(?P<speaker>[A-Z][\w .'-]{{0,50}}?)$")
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
            from huddle.connectors.common import human_date

            call.started_at = human_date(value)
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
            role_match = re.search(r"\(([^)@]+)\)\s*$", part)
            label = re.sub(r"\(([^)@]+)\)\s*$", "", part).strip()
            if label:
                speaker = call.speakers[call.speaker(label)]
                speaker.role = (
                    "host"
                    if name == "host"
                    else (role_match.group(1) if role_match else speaker.role)
                )
    return True


def read_subtitles(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """WebVTT and SRT: cues of timing + text, the speaker in <v Name> or a 'Name:' prefix."""
    call = Call()
    with path.open("r", encoding=options.encoding, newline=None) as handle:
        lines = enumerate(handle, start=1)
        first = True
        block: list[tuple[int, str]] = []

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
                        _title_or_date(call, entry)
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
                    RowError(
                        block[timing_at][0], None, f"not a cue timing: {texts[timing_at][:60]!r}"
                    )
                )
                return
            start = seconds(match.group(1))
            text = "\n".join(texts[timing_at + 1 :]).strip()
            voice = _VOICE.match(text)
            label = ""
            if voice:
                label, text = voice.group(1), voice.group(2)
            else:
                labelled = _LABEL.match(text)
                name = labelled and (labelled.group(1) or labelled.group(2))
                if labelled and name and len(name.split()) <= 5:
                    label, text = name, labelled.group(3)
            call.say(block[timing_at][0], label, start, _TAGS.sub("", text))

        for number, raw in lines:
            text = raw.rstrip("\n").rstrip("\r")
            if text.strip():
                block.append((number, text.strip()))
            else:
                flush()
                block = []
        flush()
    return call


def read_plain(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """'Speaker: text' lines (optionally timestamped), or Otter's 'Name  0:05' + text lines."""
    call = Call()
    in_header = True
    listing = False  # after Otter's "SPEAKERS" line, the names come next
    skipping = False  # inside a block of the export's own notes ("SUMMARY KEYWORDS"), to a blank
    pending: tuple[str, float | None, int] | None = None
    with path.open("r", encoding=options.encoding) as handle:
        for number, raw in enumerate(handle, start=1):
            text = raw.strip()
            if not text:
                skipping = False
                continue
            if text == "---" or (in_header and skipping):
                continue
            if in_header:
                if text.lower() in _NOTE_HEADINGS:
                    skipping = True
                    continue
                if text.lower() == "transcript":
                    continue
                if listing:
                    listing = False
                    if not _speaker_line(text):
                        apply_meta(call, "participants", text, number, errors)
                        continue
                if text.lower() in _LIST_HEADINGS:
                    listing = True
                    continue
                key, sep, value = text.partition(":")
                if sep and apply_meta(call, key, value, number, errors):
                    continue
                if not _speaker_line(text) and _title_or_date(call, text):
                    continue  # an export's title and date lines, above or among the keys
                in_header = False
            otter = _OTTER_HEAD.match(text) or _TIME_HEAD.match(text)
            if otter and len(otter.group("speaker").split()) <= 4:
                pending = (otter.group("speaker"), seconds(otter.group("ts")), number)
                continue
            if pending is not None:
                call.say(pending[2], pending[0], pending[1], text)
                pending = None
                continue
            match = _TXT_LINE.match(text)
            label = (match.group("s1") or match.group("s2") or "").strip() if match else ""
            if match and 0 < len(label.split()) <= 5 and not label.endswith(("http", "https")):
                stamp = match.group("ts1") or match.group("ts2")
                body = match.group("t1") or match.group("t2")
                call.say(number, label, seconds(stamp) if stamp else None, body)
            elif call.utterances:
                call.utterances[-1].text += " " + text
            else:
                errors.append(
                    RowError(
                        number,
                        None,
                        "expected 'Speaker: text' (a speaker label, a colon, what they said)",
                    )
                )
    return call


# A heading line over the names of who was on the call ("SPEAKERS", then "Alex, Maya").
_LIST_HEADINGS = frozenset(["speakers", "participants", "attendees"])
# Blocks an export writes above the transcript about it (Otter's keywords, a recorder's
# summary): not what anyone said; skipped to the next blank line.
_NOTE_HEADINGS = frozenset(
    ["summary keywords", "keywords", "summary", "action items", "outline", "key points"]
)


def _speaker_line(text: str) -> bool:
    if _OTTER_HEAD.match(text) or _TIME_HEAD.match(text):
        return True
    match = _TXT_LINE.match(text)
    label = (match.group("s1") or match.group("s2") or "").strip() if match else ""
    return 0 < len(label.split()) <= 5


def _title_or_date(call: Call, text: str) -> bool:
    """A line above the first speaker without a 'Key:': the call's title, or its date."""
    from huddle.connectors.common import human_date

    if len(text.split()) > 12 or text.endswith((".", "?", "!")) or not text[0].isupper():
        return False
    when = human_date(text)
    if when is not None:
        call.started_at = call.started_at or when
        return True
    if call.title is None:
        call.title = text
        return True
    return False
