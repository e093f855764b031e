"""Times as exports write them: ISO text or Unix time (`parse_when`), a date written for
people in the languages tools and mail clients write it in (`human_date`), one copied from a
web page ("3 days ago", "Dec 3"; `relative_date`); `export_date` tries them in turn.

A numeric date such as 3/12/2026 reads both ways. A file writes all its dates one way, so a
CSV import settles the order from the file's own dates and says it in `SLASH_MONTH_FIRST`
while its rows are read; without it, day first unless a 12-hour clock says American.
"""

import re
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from huddle.kit.time import parse_datetime

# Whether a numeric date such as 3/12/2026 is month first (True), day first (False), or not
# known (None: day first unless a 12-hour clock says American). A file writes every date one
# way, so a CSV import settles it from the file's own dates (`csv_reading.file_slash_order`).
SLASH_MONTH_FIRST: ContextVar[bool | None] = ContextVar("slash_month_first", default=None)
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")


def slash_order(values: Iterable[str]) -> bool | None:
    """Month first (True) when a date's second number is past 12, day first (False) when
    its first is, from the first such date; None when every date reads both ways."""
    for value in values:
        found = _SLASH_DATE.match(value)
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 >= second:
            return False
        if second > 12 >= first:
            return True
    return None


def clock_hour(hour: int, half: str | None) -> int | None:
    """The hour on a 24-hour clock of one written on a 12-hour clock ("a" or "p"; None for a
    24-hour one); None when a 12-hour clock's hour is not 1 to 12."""
    if not half:
        return hour if 0 <= hour <= 23 else None
    if not 1 <= hour <= 12:
        return None
    return hour % 12 + (12 if half.lower() == "p" else 0)


def parse_when(value: Any) -> datetime:
    """ISO text, or Unix seconds (Intercom's and Slack's '1700000000.000100'); raises ValueError."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    text = str(value).strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), UTC)
    if re.fullmatch(r"\d{12,14}", text):
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    return parse_datetime(text)


_WEEKDAY = re.compile(
    r"^((mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|"
    # German, French, Spanish, Italian, Portuguese, Dutch weekdays as mail clients write them;
    # the short forms only with their dot or comma ("Mar 3" is March).
    r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|"
    r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    # Norwegian, Danish and Swedish; Czech.
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|måndag|tisdag|lördag|söndag|"
    r"pondělí|úterý|středa|čtvrtek|pátek|sobota|neděle)\.?,?|"
    r"(mo|di|mi|do|fr|sa|so|lun|mar|mer|jeu|ven|sam|dim|mié|jue|vie|sáb|dom|gio|ma|wo|vr|za|zo)"
    r"(\.,?|,))\s+",
    re.IGNORECASE,
)
# Months in the languages mail clients write dates in, to their English names.
_MONTHS = {
    "January": ("januar", "janvier", "enero", "gennaio", "janeiro", "januari", "ledna", "január"),
    "February": (
        "februar",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
        "února",
        "február",
    ),
    "March": ("märz", "maerz", "mars", "marzo", "março", "maart", "mär", "března", "március"),
    "April": ("avril", "abril", "aprile", "dubna", "április"),
    "May": ("mai", "mayo", "maggio", "maio", "mei", "maj", "května", "május"),
    "June": ("juni", "juin", "junio", "giugno", "junho", "června", "június"),
    "July": ("juli", "juillet", "julio", "luglio", "julho", "července", "július"),
    "August": ("août", "aout", "agosto", "augustus", "augusti", "srpna", "augusztus"),
    "September": ("septembre", "septiembre", "settembre", "setembro", "září", "szeptember"),
    "October": ("oktober", "octobre", "octubre", "ottobre", "outubro", "okt", "října", "október"),
    "November": ("novembre", "noviembre", "novembro", "listopadu"),
    "December": (
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
        "desember",
        "prosince",
        "dez",
        "déc",
        "dic",
        "des",
    ),
}
_MONTH_WORD = {word: english for english, words in _MONTHS.items() for word in words}
# The months' English names, January first: what the other languages' names are read as.
ENGLISH_MONTHS = tuple(_MONTHS)
_FOREIGN_MONTH = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _MONTH_WORD), key=len, reverse=True)) + r")\b\.?",
    re.IGNORECASE,
)
_HUMAN_FORMATS = (
    "%B %d %Y %I:%M %p",
    "%b %d %Y %I:%M %p",
    # Pendo's "Dec 1, 2026, 7:41:12 AM" (the commas go before parsing).
    "%b %d %Y %I:%M:%S %p",
    "%B %d %Y %I:%M:%S %p",
    "%b %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%b %d %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %I:%M %p",
    "%d %b %Y %I:%M %p",  # HappyFox's "01 Dec 2026 09:14 AM"
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",  # Google Sheets' "2026-12-03 9:14:22"
    # Year first with slashes, as Japan and China write a date ("2026/11/30 14:02"; their
    # "2026年11月30日" is read as it).
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%b %d %H:%M:%S %Y",
    # Jira's "03/Dec/26 9:14 AM"; Google Forms' and US spreadsheets' "11/30/2026 16:40:05"
    # (day first where both read: "12/1/2026" is 12 January).
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%y",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    # Salesforce's "12/3/2026, 9:14 AM" (the comma goes before parsing).
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    # A 12-hour clock is American: month first ("12/01/2026 09:14:02 AM", SurveyMonkey).
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
)
# The formats to try when the file's order of numeric dates is known (`SLASH_MONTH_FIRST`).
_FORMATS_BY_ORDER = {
    None: _HUMAN_FORMATS,
    True: tuple(f for f in _HUMAN_FORMATS if not f.startswith("%d/%m/")),
    False: tuple(f for f in _HUMAN_FORMATS if not f.startswith("%m/%d/")),
}


_GMT_OFFSET = re.compile(r"\s*\b(?:GMT|UTC)([+-])(\d{2}):?(\d{2})$")


# A clock time opening a part of a date line ("15:00 - 15:47", "10:00 AM · 31 min").
_CLOCK = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?\s?[Mm]\.?)?")


def human_date(value: str) -> datetime | None:
    """A date written for people — 'Tuesday, November 10, 2026 4:12 PM', 'Nov 9, 2026 at
    14:02', '20.11.2026' — as UTC (a zone name is ignored; day first where it is ambiguous),
    or None."""
    # "… 2:00PM • 3:37" (a recorder's date, then the call's length), "… 15:00
    # (America/Chicago)" (the zone as a name): the date is what comes first. Jamie's and
    # Bluedot's "Tuesday, 1 December 2026 · 15:00 - 15:47" put the time after the dot: a date
    # without a clock takes the one opening the part after it.
    parts = re.split(r"\s+[•·|]\s+", value.strip())
    if len(parts) > 1 and not _CLOCK.search(parts[0]):
        clock = _CLOCK.match(parts[1])
        if clock:
            timed = _read_human(f"{parts[0]} {clock.group()}")
            if timed is not None:
                return timed
    return _read_human(parts[0])


def _read_human(value: str) -> datetime | None:
    """`human_date` of a date without the parts a recorder writes after it."""
    text = value
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text)
    # "… 10:00 AM Eastern Time (US and Canada)": a zone written in words, ignored as a name is.
    text = re.sub(r"\s+(?:[A-Z][a-z]+ ){1,3}Time$", "", text)
    text = _WEEKDAY.sub("", text)
    # "03-12-2026 22:10:41": Dutch and Danish write a numeric date with dashes, read as the
    # same date with slashes (and in the file's order).
    text = re.sub(r"^(\d{1,2})-(\d{1,2})-(\d{2,4})\b", r"\1/\2/\3", text)
    # JavaScript's "Mon Nov 30 2026 08:10:11 GMT+0100 (Central European Standard Time)":
    # the offset is kept, the zone's name (gone above) is not.
    offset = timedelta(0)
    zoned = _GMT_OFFSET.search(text)
    if zoned:
        sign = -1 if zoned.group(1) == "-" else 1
        offset = sign * timedelta(hours=int(zoned.group(2)), minutes=int(zoned.group(3)))
        text = text[: zoned.start()]
    text = re.sub(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", r"\1/\2/\3", text)
    # Its weekday in brackets, half- or full-width: "(火)", "\uff08火\uff09".
    text = re.sub(r"\s*[(\uff08][月火水木金土日][)\uff09]\s*", " ", text)
    # "8. Dezember 2026 16:12", "7 déc. 2026 à 15:02", "8 de diciembre de 2026 16:12".
    text = _FOREIGN_MONTH.sub(lambda m: _MONTH_WORD[m.group(1).lower()], text)
    text = re.sub(r"(?<=\d)\.(?=\s+[A-Z][a-z]+)", "", text)
    text = re.sub(r"\s+(de|del|um|à|a las|alle|om|kl\.?)\s+", " ", text, flags=re.IGNORECASE)
    # Spanish "02:14:09 p. m." (CLDR's, with its space; "p.m." is also American): a 12-hour
    # clock, and a date written day first, as Spain and Latin America write it.
    order = SLASH_MONTH_FIRST.get()
    if order is None and re.search(r"\d\s*[ap]\.\s+m\.", text, re.IGNORECASE):
        order = False
    text = re.sub(r"(?<=\d)\s*([ap])\.\s?m\.", r" \1m", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)\s*([AaPp][Mm])\b", lambda m: " " + m.group(1).upper(), text)
    text = re.sub(r"\s+at\s+", " ", text)
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    text = re.sub(r"\s*\(?\b(?!AM\b|PM\b)[A-Z]{2,5}\)?$", "", text.replace(",", " ")).strip()
    text = re.sub(r"\s+", " ", text)
    for fmt in _FORMATS_BY_ORDER[order]:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC) - offset
        except ValueError:
            continue
    try:
        return parse_when(text) - offset
    except ValueError:
        return None


# Zones as a call's date line writes them beside its time, to their offsets from UTC in hours;
# "ET"/"PT"… (either half of the year) to the places whose clocks they are. Abbreviations that
# name two zones (IST: India or Ireland) are left out: such a time stays as written.
_ZONE_HOURS = {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "MSK": 3, "JST": 9, "KST": 9, "SGT": 8, "HKT": 8, "AEST": 10, "AEDT": 11,
    "NZST": 12, "NZDT": 13, "HST": -10, "AKST": -9, "AKDT": -8, "PST": -8, "PDT": -7,
    "MST": -7, "MDT": -6, "CST": -6, "CDT": -5, "EST": -5, "EDT": -4,
}  # fmt: skip
_ZONE_PLACES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
# A zone after a time ("11:52 AM (EST)", "10:05 AM PST", "15:00 GMT+1", "(UTC-05:00)").
_TIME_ZONE = re.compile(
    r"(?<=[\dMm.])\s*(?P<open>\()?\s*(?:(?:GMT|UTC)\s*(?P<sign>[+\-\u2212])\s*(?P<hours>\d{1,2})"
    r"(?::?(?P<minutes>\d{2}))?|(?P<name>[A-Z]{2,4}))\s*(?(open)\))\s*$"
)


def time_zone(value: str) -> tuple[str, Callable[[datetime], datetime]] | None:
    """The zone a date line ends with beside its time: the line without it, and how to make a
    time read on that zone's clock (as UTC, as `human_date` reads it) the UTC instant; None
    without a zone known."""
    found = _TIME_ZONE.search(value)
    if not found:
        return None
    rest = value[: found.start()].rstrip()
    if not _CLOCK.search(rest):
        return None  # a date without a time: a day, not an instant
    name = found.group("name")
    if name in _ZONE_PLACES:
        place = ZoneInfo(_ZONE_PLACES[name])
        return rest, lambda when: when.replace(tzinfo=place).astimezone(UTC)
    if name is not None and name not in _ZONE_HOURS:
        return None
    if name is not None:
        offset = timedelta(hours=_ZONE_HOURS[name])
    else:
        sign = 1 if found.group("sign") == "+" else -1
        offset = sign * timedelta(
            hours=int(found.group("hours")), minutes=int(found.group("minutes") or 0)
        )
    return rest, lambda when: when - offset


def export_date(value: str, *, relative: bool = False) -> datetime:
    """A date cell of a tool's export: ISO or Unix time (`parse_when`), else a date written
    for people as tools write them ("November 28, 2026", Jira's "03/Dec/26 9:14 AM", Google
    Forms' "11/30/2026 16:40:05"; `human_date`), and with `relative` one copied from a web
    page ("3 days ago", "Dec 3"; `relative_date`). Raises `parse_when`'s ValueError when
    none reads it."""
    if SLASH_MONTH_FIRST.get() is not None and _SLASH_DATE.match(value):
        # 3/12/2026 in a file whose other dates say which comes first.
        ordered = human_date(value)
        if ordered is not None:
            return ordered
    try:
        return parse_when(value)
    except ValueError:
        found = human_date(value) or (relative_date(value) if relative else None)
        if found is None:
            raise
        return found


_AGO = re.compile(
    r"^(?:(\d+)|an?|one) (minute|hour|day|week|month|year)s? ago$|^(yesterday|today)$",
    re.IGNORECASE,
)
_UNITS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def relative_date(value: str) -> datetime | None:
    """A date copied from a web page: "3 days ago", "yesterday", or "Dec 3" without its year
    (the latest such day up to today)."""
    now = datetime.now(UTC).replace(microsecond=0)
    text = value.strip()
    found = _AGO.match(text)
    if found:
        if found.group(3):
            return now - timedelta(days=1 if found.group(3).lower() == "yesterday" else 0)
        count = int(found.group(1) or 1)
        return now - timedelta(days=count * _UNITS[found.group(2).lower()])
    for fmt in ("%b %d", "%B %d", "%d %b", "%d %B"):
        try:
            day = datetime.strptime(f"{text} {now.year}", f"{fmt} %Y").replace(tzinfo=UTC)
        except ValueError:
            continue
        return day if day <= now else day.replace(year=now.year - 1)
    return None
