"""Jitsi Meet's own transcript, as Jigasi (its transcription component) publishes it as text:

    Transcript of conference held at Dec 1, 2026 in room acme-onboarding@conference.meet.x.com
    Initial people present at 9:02:05 AM:
    <tab>Sam Ortiz
    Transcript, started at 9:02:05 AM:
    ________________________________________________________________________________
    <9:02:11 AM> Sam Ortiz: Welcome to the onboarding kickoff, everyone.
    <9:02:15 AM> Sam Ortiz: I've got Leila with me, she's one of our onboarding
                            specialists.
    <9:04:40 AM> hannes joined the conference
    <9:05:12 AM> Bruno Keller raised their hand

    End of transcript at Dec 1, 2026 9:48:51 AM

Each event is "<clock time> Name: words", wrapped at 80 columns under a hanging indent; the
events that are not words (joined, left, raised a hand) have no colon after the name. The
room's name ("acme-onboarding") is the call's title: a place that may name the account.
"""

import re
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import clock_hour, human_date
from huddle.connectors.transcript_formats import Call
from huddle.imports.records import RowError

_OPENING = re.compile(
    r"^\ufeff?Transcript of conference held at (?P<when>.+?) in room (?P<room>\S+)\s*$"
)
_PRESENT = re.compile(r"^Initial people present at .*:\s*$")
_STARTED = re.compile(r"^Transcript, started at .*:\s*$")
_ENDED = re.compile(r"^End of transcript at ")
_RULE = re.compile(r"^_{20,}\s*$")
_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AaPp]\.?[Mm]\.?)?"
_EVENT = re.compile(rf"^<(?P<clock>{_CLOCK})>\s+(?P<rest>.*)$")
# "Name: words"; a name is a few words, perhaps with the company in brackets.
_SAID = re.compile(r"^(?P<name>[^:<>]{1,80}?):\s+(?P<text>.*)$")


def is_jitsi(start: str) -> bool:
    """Whether a text file's first characters open Jigasi's transcript."""
    return start.lstrip("\ufeff").startswith("Transcript of conference held at ")


def read_jitsi(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    call = Call()
    began: float | None = None
    listing = False
    last: tuple[int, str, float | None, list[str]] | None = None  # line, name, when, words

    def flush() -> None:
        if last is not None:
            call.say(last[0], last[1], last[2], " ".join(last[3]))

    with path.open("r", encoding=options.encoding, newline=None) as handle:
        for number, raw in enumerate(handle, start=1):
            line = raw.rstrip("\n")
            opening = _OPENING.match(line) if number == 1 else None
            if opening:
                # A room's name is a slug ("ourco-acme-onboarding", "AcmeOnboarding"): its
                # words, so a place that names an account is read as one.
                room = opening["room"].split("@", 1)[0]
                room = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", room)
                call.title = " ".join(re.split(r"[-_.+%]+", room)).strip() or None
                call.started_at = human_date(opening["when"])
                continue
            if _PRESENT.match(line):
                listing = True
                continue
            if listing and line.startswith(("\t", " ")) and line.strip():
                call.speaker(line.strip())  # a participant, with the name they typed
                continue
            listing = False
            event = _EVENT.match(line)
            if event:
                flush()
                last = None
                said = _SAID.match(event["rest"])
                if said is None:
                    continue  # joined, left, raised their hand: no words
                when = _seconds(event["clock"])
                began = when if began is None else began
                offset = None if when is None or began is None else max(when - began, 0.0)
                last = (number, said["name"].strip(), offset, [said["text"].strip()])
                continue
            if last is not None and line[:1].isspace() and line.strip():
                last[3].append(line.strip())  # the words wrapped under the hanging indent
                continue
            if _ENDED.match(line) or _STARTED.match(line) or _RULE.match(line) or not line.strip():
                continue
            errors.append(
                RowError(number, None, "expected '<time> Name: text' (Jitsi's transcript)")
            )
    flush()
    return call


def _seconds(clock: str) -> float | None:
    """A clock time's seconds since midnight: "9:02:11 AM", "21:02:11"."""
    found = re.match(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s?(?:([AaPp])\.?[Mm]\.?)?$", clock.strip())
    if found is None:
        return None
    hour = clock_hour(int(found[1]), found[4])
    if hour is None:
        return None
    return float(hour * 3600 + int(found[2]) * 60 + int(found[3] or 0))
