"""Bounds on what a request names: ids, pages of a list, moments, and the text of a body.

Anything out of bounds is refused with a 422 naming the field instead of failing in the
database: ids and offsets fit a 64-bit integer (PostgreSQL's BIGINT), no text holds a NUL
character (PostgreSQL's text cannot), and a moment must convert to UTC.
"""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, Strict, field_validator

MAX_ID = 2**63 - 1
NUL_MESSAGE = "must not contain NUL (\\u0000) characters"
_NUMBER = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    return False


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def _in_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    moment = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


def _written_as_a_date(value: object) -> object:
    """Pydantic would also read a number (of seconds) as a moment: the document says text."""
    if isinstance(value, int | float) or (isinstance(value, str) and _NUMBER.fullmatch(value)):
        raise ValueError("use an ISO 8601 date or date-time, such as 2026-10-14T15:00:00Z")
    return value


def _a_json_number(value: object) -> object:
    """An integer as JSON writes one (5 or 5.0, as JSON Schema allows), not "5" or true."""
    if isinstance(value, str | bool):
        raise ValueError("must be a number, not text or true/false")
    return value


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


class Input(BaseModel):
    """A request body: no text anywhere in it may hold a NUL character."""

    @field_validator("*", mode="after")
    @classmethod
    def _refuse_nul(cls, value: Any) -> Any:
        if _holds_nul(value):
            raise ValueError(NUL_MESSAGE)
        return value


# In bodies, where JSON has types of its own: no "5" for 5, no 0 for false.
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_a_json_number)]
Minor = Annotated[int, Field(ge=0, le=MAX_ID), BeforeValidator(_a_json_number)]
Flag = Annotated[bool, Strict()]
QUARTER_PATTERN = r"^[0-9]{4}-Q[1-4]$"
Quarter = Annotated[str, Field(pattern=QUARTER_PATTERN, description="a quarter: 2027-Q1")]
Day = Annotated[date, BeforeValidator(_written_as_a_date)]
Moment = Annotated[datetime, BeforeValidator(_written_as_a_date), AfterValidator(_in_utc)]
# An id in another system, unique among ours: a blank one is no id, not the id "".
ExternalId = Annotated[
    Annotated[str, Field(max_length=200)] | None, BeforeValidator(_blank_is_none)
]

# In paths and queries.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
QueryText = Annotated[str | None, Query(max_length=500), AfterValidator(_no_nul)]
QueryDay = Annotated[date | None, Query(), BeforeValidator(_written_as_a_date)]
QueryMoment = Annotated[
    datetime | None, Query(), BeforeValidator(_written_as_a_date), AfterValidator(_in_utc)
]
