"""Values exports write loosely: text that may be blank or not text at all, tags as a list or
in one cell, a flag cell ("true", "1", "yes"), an object a record may leave out."""

import math
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


def as_object(value: Any) -> dict[str, Any]:
    """The value when it is an object, else an empty one."""
    return value if isinstance(value, dict) else {}


def letters_key(name: str) -> str:
    """A key by its letters only, lower case: "ActorType", "actor_type" and "actorType" alike."""
    return re.sub(r"[^a-z]", "", name.lower())


def given_by_letters(record: Mapping[str, Any], *keys: str) -> Any:
    """The first of `keys` (`letters_key`s) the record gives a value for, its keys compared by
    their letters only; None when it gives none."""
    found = {letters_key(k): v for k, v in record.items() if v is not None and v != ""}
    return next((found[k] for k in keys if k in found), None)


def finite_number(value: Any) -> float | None:
    """The value as a finite number ("1.5", 2), or None."""
    try:
        found = float(value)
    except (TypeError, ValueError):
        return None
    return found if math.isfinite(found) else None
