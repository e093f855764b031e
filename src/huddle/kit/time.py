import re
from datetime import UTC, date, datetime, timedelta

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%Y/%m/%d", "%d.%m.%Y")


def utcnow() -> datetime:
    return datetime.now(UTC)


def parse_datetime(value: str) -> datetime:
    """ISO 8601 (with or without zone; naive means UTC) or a plain date; raises ValueError."""
    text = value.strip()
    if not text:
        raise ValueError("empty date")
    # A warehouse's timestamps: "2026-11-24 09:14:22.123456 UTC" (BigQuery), "2026-11-18
    # 16:02:11.000 +0000" (Snowflake).
    text = re.sub(r"\s+(UTC|GMT)$", "+00:00", text)
    text = re.sub(r"(?<=\d)\s+([+-]\d{2}:?\d{2})$", r"\1", text)
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = datetime.combine(parse_date(text), datetime.min.time())
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def parse_date(value: str) -> date:
    text = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        raise ValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None


def days_ago(days: float, *, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=days)


def current_quarter(today: date | None = None) -> str:
    """The quarter of `today` (UTC today when not given), written as 2027-Q1."""
    day = today or utcnow().date()
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def shift_quarter(quarter: str, by: int) -> str:
    """The quarter `by` quarters after (before, when negative) `quarter`."""
    year, number = int(quarter[:4]), int(quarter[-1])
    index = year * 4 + number - 1 + by
    return f"{index // 4}-Q{index % 4 + 1}"
