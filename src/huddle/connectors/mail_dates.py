# ruff: noqa: RUF003
"""Dates a forward's header block writes for people in Hebrew, Arabic and Korean, as the
English `human_date` reads: Hebrew Outlook's "יום שלישי 1 דצמבר 2026 11:05", Arabic
Outlook's "الثلاثاء، 1 ديسمبر 2026 11:05 ص", Korean Outlook's "2026년 12월 1일 화요일 오후
2:22". Apple Mail's "Begin forwarded message:" dates its original to the second, in the
zone of whoever forwarded it: "2 December 2026 at 08:41:22 GMT", "December 2, 2026 at
8:41:22 AM PST", "2. Dezember 2026 um 08:41:22 MEZ" (`apple_date`)."""

import re
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

from huddle.connectors.export_dates import ENGLISH_MONTHS, human_date, parse_when

_MONTHS = {
    # Hebrew (Gmail writes them after "ב", shortened with a geresh: "בדצמ׳").
    "ינואר": "January",
    "פברואר": "February",
    "מרץ": "March",
    "מרס": "March",
    "אפריל": "April",
    "מאי": "May",
    "יוני": "June",
    "יולי": "July",
    "אוגוסט": "August",
    "ספטמבר": "September",
    "אוקטובר": "October",
    "נובמבר": "November",
    "דצמבר": "December",
    # Arabic (Egypt and the Gulf; the Levant's Syriac names).
    "يناير": "January",
    "فبراير": "February",
    "مارس": "March",
    "أبريل": "April",
    "ابريل": "April",
    "إبريل": "April",
    "مايو": "May",
    "يونيو": "June",
    "يوليو": "July",
    "أغسطس": "August",
    "اغسطس": "August",
    "سبتمبر": "September",
    "أكتوبر": "October",
    "اكتوبر": "October",
    "نوفمبر": "November",
    "ديسمبر": "December",
    "كانون الثاني": "January",
    "شباط": "February",
    "آذار": "March",
    "نيسان": "April",
    "أيار": "May",
    "حزيران": "June",
    "تموز": "July",
    "آب": "August",
    "أيلول": "September",
    "تشرين الأول": "October",
    "تشرين الثاني": "November",
    "كانون الأول": "December",
}
_MONTH = re.compile(
    r"(?<![\w])ב?(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")(?![\w])"
)
# Weekdays, "יום שלישי", "الثلاثاء،", "화요일", and Korean's "(화)": dropped.
_WEEKDAY = re.compile(
    r"יום (ראשון|שני|שלישי|רביעי|חמישי|שישי|שבת),?|"
    r"(ال)?(أحد|احد|إثنين|اثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة|سبت)[،,]?|"
    r"[월화수목금토일]요일|\([월화수목금토일]\)"
)
_KOREAN = re.compile(r"(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일")
# Morning and afternoon: Korean 오전/오후, Arabic ص/م.
_HALF = {"오전": "AM", "오후": "PM", "ص": "AM", "م": "PM"}


def english_date(value: str) -> str | None:
    """The date in English words, or None when it holds none of these languages' words."""
    text = value.replace("\u200f", "").replace("\u200e", "")
    changed = _WEEKDAY.sub(" ", text)
    changed = _MONTH.sub(lambda m: _MONTHS[m.group(1)], changed)
    changed = _KOREAN.sub(lambda m: f"{int(m[3])} {ENGLISH_MONTHS[int(m[2]) - 1]} {m[1]}", changed)
    # "오후 2:22" → "2:22 PM"; "11:05 ص" → "11:05 AM".
    changed = re.sub(
        r"(오전|오후)\s*(\d{1,2}:\d{2}(?::\d{2})?)", lambda m: f"{m[2]} {_HALF[m[1]]}", changed
    )
    changed = re.sub(
        r"(\d{1,2}:\d{2}(?::\d{2})?)\s*(ص|م)(?!\w)", lambda m: f"{m[1]} {_HALF[m[2]]}", changed
    )
    changed = " ".join(changed.replace("،", ",").split()).strip(" ,")
    return changed if changed != " ".join(value.split()) else None


# Apple Mail's forwarded date: the day as the forwarder's language writes it, "at" (or "à",
# "um", "a las", "alle", "om"), the time with its seconds, and the zone's abbreviation with
# any offset ("GMT+1").
_APPLE_DATE = re.compile(
    r"^(?P<day>.*?\d{4})\s*,?\s+(?:at|à|um|a las|alle|om|kl\.)\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\s*(?P<half>[AaPp]\.?[Mm]\.?))?"
    r"(?:\s+(?P<zone>[A-Z]{1,5})(?P<offset>[+-]\d{1,2}(?::?\d{2})?)?)?\s*$"
)
# The zones Apple Mail names by abbreviation in its forwards, in hours from UTC (Europe's
# and North America's, in English and German; elsewhere it writes "GMT+8"); any other is
# read as UTC, and so are the ambiguous IST (India's or Ireland's) and AST.
_ZONE_HOURS = {
    "GMT": 0, "UTC": 0, "UT": 0, "Z": 0, "WET": 0, "BST": 1, "WEST": 1, "CET": 1, "MEZ": 1,
    "CEST": 2, "MESZ": 2, "EET": 2, "OEZ": 2, "EEST": 3, "OESZ": 3, "MSK": 3, "EST": -5,
    "EDT": -4, "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9,
    "AKDT": -8, "HST": -10,
}  # fmt: skip


def apple_date(value: str) -> datetime | None:
    """An Apple Mail forward's date ("2 December 2026 at 08:41:22 GMT"), or None."""
    found = _APPLE_DATE.match(value.strip())
    day = human_date(found["day"]) if found else None
    if found is None or day is None:
        return None
    hour = int(found["hour"])
    if found["half"]:
        hour = hour % 12 + (12 if found["half"][0] in "Pp" else 0)
    zone = timedelta(hours=_ZONE_HOURS.get(found["zone"] or "UTC", 0))
    if found["offset"]:
        # "GMT+1", "GMT+5:30", "GMT-0800"
        digits = found["offset"][1:].replace(":", "")
        hours, minutes = (digits[:-2], digits[-2:]) if len(digits) > 2 else (digits, "0")
        sign = -1 if found["offset"].startswith("-") else 1
        zone += sign * timedelta(hours=int(hours), minutes=int(minutes))
    try:
        return day.replace(
            hour=hour,
            minute=int(found["minute"]),
            second=int(found["second"]),
            tzinfo=timezone(zone),
        )
    except ValueError:
        return None  # "25:61:00", an offset of a day or more


def received_date(message: EmailMessage) -> datetime | None:
    """The date the top `Received` header stamps after its ';' (the last hop: when the mail
    reached the mailbox it was saved from)."""
    for received in message.get_all("Received") or ():
        _, _, stamp = str(received).rpartition(";")
        if stamp.strip():
            return mail_date(stamp.strip())
    return None


def mail_date(when: Any) -> datetime | None:
    """A mail's date as a header or a forward's block writes it: RFC 5322, ISO 8601, or for
    people (Apple Mail's, Proton Mail's, Hebrew, Arabic and Korean Outlook's)."""
    if not when:
        return None
    try:
        return parsedate_to_datetime(str(when))
    except (TypeError, ValueError):
        pass
    found: datetime | None
    try:
        return parse_when(str(when))
    except ValueError:
        # Apple Mail's forward: "Date: 2 December 2026 at 08:41:22 GMT", its zone kept; Proton
        # Mail's: "Date: On Monday, November 30th, 2026 at 10:05 AM".
        found = apple_date(str(when)) or human_date(_ON_DAY.sub("", str(when)))
    if found is None:
        # A Hebrew, Arabic or Korean Outlook's forward: "נשלח: יום שלישי 1 דצמבר 2026 11:05".
        english = english_date(str(when))
        found = human_date(english) if english else None
    return found


_ON_DAY = re.compile(r"^\s*(on|am|le|el|il|op|em)\s+(?=\D)", re.IGNORECASE)


def envelope_date(envelope: str) -> datetime | None:
    """The date of an mbox 'From sender Tue Nov 17 16:45:00 2026' line."""
    parts = envelope.split()
    return human_date(" ".join(parts[3:])) if len(parts) >= 6 else None
