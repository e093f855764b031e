"""Values exports write loosely: text that may be blank or not text at all, tags as a list or
in one cell, a flag cell ("true", "1", "yes"), an object a record may leave out."""

import re
from collections.abc import Mapping
from typing import Any


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def tags_from(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [str(v) for v in value]
    elif value:
        items = re.split(r"[;,|]", str(value))
    else:
        items = []
    return sorted({t.strip().lower() for t in items if t and t.strip()})


def said_yes(value: Any) -> bool:
    """A flag cell an export set: "true", "1", "yes" (IsDeleted, Is Document, First Message
    From Agent)."""
    return str(value or "").strip().lower() in {"true", "1", "yes"}


def dict_at(record: Mapping[str, Any], key: str) -> dict[str, Any]:
    """record[key] when it is an object, else an empty one: exports leave parts out."""
    value = record.get(key)
    return value if isinstance(value, dict) else {}


def first_given(record: Mapping[str, Any], *keys: str) -> Any:
    """The value of the first of `keys` the record gives (not missing, None or "")."""
    for key in keys:
        if record.get(key) not in (None, ""):
            return record[key]
    return None


def listed(value: Any) -> list[Any]:
    """The value when it is a list, else an empty one."""
    return value if isinstance(value, list) else []
