# ruff: noqa: RUF003
"""Dates a forward's header block writes for people in Hebrew, Arabic and Korean, as the
English `human_date` reads: Hebrew Outlook's "יום שלישי 1 דצמבר 2026 11:05", Arabic
Outlook's "الثلاثاء، 1 ديسمبر 2026 11:05 ص", Korean Outlook's "2026년 12월 1일 화요일 오후
2:22"."""

import re

from huddle.connectors.export_dates import ENGLISH_MONTHS

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
