"""How recorders label a call: who spoke, and what the call was and when.

Speaker labels as meeting tools write them ("Tom Becker (External)", "Lindqvist, Maya", an
address alone for a participant) and titles that hold the call's date (Teams' recording name,
Google Meet's document title, Fathom's title with a date but no year). Pure functions over
text; `transcript_formats` reads the files.
"""

import re
import unicodedata
from datetime import UTC, datetime, timedelta

# How a meeting tool marks someone from outside the organisation that held the meeting:
# a mark of whose meeting it was, not the person's company (transcript_rules reads it).
OUTSIDER = re.compile(r"\s*\((?:external|guest|unverified)(?: user)?\)$", re.IGNORECASE)
# "Lindqvist, Maya (Vandelay)": a directory's surname-first display name (Teams, Outlook).
_SURNAME_FIRST = re.compile(
    r"^(?P<surname>[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?), "
    r"(?!(?:Jr|Sr|II|III|IV|PhD|MD|MBA|Esq)\b)(?P<given>[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?)"
    r"(?P<rest> \([^()]*\))?$"
)


def person_name(label: str) -> tuple[str, bool]:
    """A speaker's name as a person reads it, and whether the meeting tool marked them as
    an outsider: ("Tom Becker", True) of "Tom Becker (External)", ("Maya Lindqvist", False)
    of "Lindqvist, Maya"."""
    marked = OUTSIDER.search(label)
    outsider = marked is not None and marked.start() > 0
    name = label[: marked.start()] if marked is not None and outsider else label
    surname_first = _SURNAME_FIRST.match(name)
    if surname_first:
        name = f"{surname_first['given']} {surname_first['surname']}{surname_first['rest'] or ''}"
    return name, outsider


def letters(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if "a" <= c <= "z")


def spellings(name: str) -> set[str]:
    """How an address's local part may spell a name: "dev.anand", "devanand", "danand",
    "anand.dev", "dev" (separators dropped)."""
    words = [w for w in (letters(part) for part in re.sub(r"\([^()]*\)", "", name).split()) if w]
    if not words:
        return set()
    first, last = words[0], words[-1]
    return {first, "".join(words), first + last, first[0] + last, first + last[0], last + first}


# Teams names a recording "<meeting>-20261201_160312-Meeting Recording".
_TEAMS_RECORDING = re.compile(r"^(?P<title>.+?)-(?P<stamp>\d{8}_\d{6})-Meeting Recording$")
# What separates a title's parts: "Hooli Cloud / OurCo QBR - 2026/11/26 15:58 CET - Transcript".
_TITLE_PARTS = re.compile(r"(\s+[-\u2013\u2014|\u2022\u00b7]\s+)")
# The parts of a title that name the document, not the call.
_DOCUMENT_WORDS = frozenset(["transcript", "meeting transcript", "meeting recording"])
_MONTH_DAY = re.compile(
    r"^(?:(?P<m1>[A-Za-z]{3,9})\.? (?P<d1>\d{1,2})|(?P<d2>\d{1,2}) (?P<m2>[A-Za-z]{3,9})\.?)"
    r"(?:st|nd|rd|th)?$"
)


def dated_title(text: str, reference: datetime) -> tuple[str, datetime | None]:
    """A title line and the date it holds, the date taken out: Teams' recording name,
    "Hooli Cloud / OurCo QBR - 2026/11/26 15:58 CET - Transcript" (Google Meet's document),
    "Weekly sync (2026-11-26 15:58 GMT+1) - Transcript", Fathom's "Initech Health onboarding
    - week 2 - December 02" (no year: the latest such date not after `reference`, the file's
    time)."""
    teams = _TEAMS_RECORDING.match(text)
    if teams:
        stamp = datetime.strptime(teams["stamp"], "%Y%m%d_%H%M%S").replace(tzinfo=UTC)
        return teams["title"].strip(), stamp
    pieces = _TITLE_PARTS.split(text)
    parts, separators = pieces[0::2], pieces[1::2]
    for at, part in enumerate(parts):
        when = _date_in(part, reference)
        if when is not None:
            parts[at] = ""
        elif (inside := _IN_BRACKETS.match(part)) and (
            when := _date_in(inside["inside"], reference)
        ):
            parts[at] = inside["before"]
        else:
            continue
        kept = [i for i, p in enumerate(parts) if p and p.casefold() not in _DOCUMENT_WORDS]
        if not kept:
            return text, when
        title = parts[kept[0]] + "".join(separators[i - 1] + parts[i] for i in kept[1:])
        return title, when
    return text, None


_IN_BRACKETS = re.compile(r"^(?P<before>.*?)\s*\((?P<inside>[^()]+)\)$")
# A zone given as an offset ("GMT+1", "UTC-07:00"): unlike a zone's name, it says the time.
_OFFSET = re.compile(r"\s+(?:GMT|UTC)(?P<sign>[+-])(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?$")


def _date_in(part: str, reference: datetime) -> datetime | None:
    """A part of a title that is a date: written for people, year first with slashes, or a
    month and day without the year."""
    from huddle.connectors.export_dates import human_date

    if not re.search(r"\d\D+\d|[A-Za-z]{3}", part) or not re.search(r"\d", part):
        return None
    text = re.sub(r"^(\d{4})/(\d{1,2})/(\d{1,2})\b", r"\1-\2-\3", part.strip())
    offset = _OFFSET.search(text)
    when = human_date(text[: offset.start()] if offset else text)
    if when is not None and offset is not None:
        minutes = int(offset["hours"]) * 60 + int(offset["minutes"] or 0)
        when -= timedelta(minutes=minutes if offset["sign"] == "+" else -minutes)
    if when is not None:
        return when
    found = _MONTH_DAY.match(text)
    if found is None:
        return None
    month, day = (found["m1"] or found["m2"])[:3], int(found["d1"] or found["d2"])
    for year in (reference.year, reference.year - 1):
        try:
            when = datetime.strptime(f"{day} {month} {year}", "%d %b %Y").replace(tzinfo=UTC)
        except ValueError:
            return None
        if when <= reference:
            return when
    return None
