# ruff: noqa: RUF001
"""A call's date line read to the UTC instant it began: the zone written beside its time
("(EST)" after Sembly's time range, "PST" after Krisp's, "GMT+1", "(UTC-05:00)", "ET" on its
half of the year), and the time Jamie and Bluedot write after a "·"."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import calls_in

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))

TURNS = """
Sam Ortiz [00:05]: Thanks for making time.
Nadia Park [00:14]: Happy to be here.
"""


def _started(tmp_path: Path, date_line: str) -> datetime | None:
    path = tmp_path / "call.txt"
    path.write_text(f"Reporting deep dive\n{date_line}\n{TURNS}", encoding="utf-8")
    calls, output = calls_in(path, OURS)
    assert output.errors == []
    (call,) = calls
    return call.started_at


@pytest.mark.parametrize(
    ("date_line", "began"),
    [
        # Sembly: a time range, the zone in brackets after it.
        ("Monday, November 30, 2026 11:00 AM – 11:52 AM (EST)", datetime(2026, 11, 30, 16)),
        # Krisp-like: the zone after the range.
        ("Nov 30, 2026, 10:00 AM - 10:05 AM PST", datetime(2026, 11, 30, 18)),
        ("Monday, July 6, 2026 9:00 AM (EDT)", datetime(2026, 7, 6, 13)),
        ("30 November 2026 15:00 CET", datetime(2026, 11, 30, 14)),
        ("30 November 2026 15:00 GMT+1", datetime(2026, 11, 30, 14)),
        ("Nov 30, 2026 10:00 AM (UTC-05:00)", datetime(2026, 11, 30, 15)),
        ("Nov 30, 2026 10:00 UTC", datetime(2026, 11, 30, 10)),
        # "ET" is the clock of New York: EST in winter, EDT in summer.
        ("Nov 30, 2026, 10:00-10:40 ET", datetime(2026, 11, 30, 15)),
        ("Jul 1, 2026, 10:00-10:40 ET", datetime(2026, 7, 1, 14)),
    ],
)
def test_a_zone_beside_the_time_gives_the_utc_instant(
    tmp_path: Path, date_line: str, began: datetime
) -> None:
    assert _started(tmp_path, date_line) == began.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("date_line", "began"),
    [
        # Jamie: the time range after a "·".
        ("Tuesday, 1 December 2026 · 15:00 – 15:47", datetime(2026, 12, 1, 15)),
        # Bluedot: the time, then the call's length.
        ("Thu, Nov 19, 2026 · 10:00 AM · 31 min", datetime(2026, 11, 19, 10)),
        # A time before the "·" keeps it; what follows is the call's length.
        ("Nov 30, 2026 2:00PM · 3:37", datetime(2026, 11, 30, 14)),
        # No time anywhere: the day.
        ("18 November 2026 · notes", datetime(2026, 11, 18)),
    ],
)
def test_the_time_after_a_dot_is_when_the_call_began(
    tmp_path: Path, date_line: str, began: datetime
) -> None:
    assert _started(tmp_path, date_line) == began.replace(tzinfo=UTC)


def test_a_zone_without_a_time_leaves_the_day(tmp_path: Path) -> None:
    assert _started(tmp_path, "November 30, 2026 (EST)") == datetime(2026, 11, 30, tzinfo=UTC)
