"""Who said a record of a call's JSON, where the record says it its own way.

`transcript_found` reads a turn's speaker from a name, a participant object or a role. Some
tools say it otherwise, and these read them:

- the side as the record's only key: Invoca's conversation, `[{"agent": "…"}, {"caller":
  "…"}]`, no names, no times;
- a field every record carries the same value of (Avaya Infinity's `channel`, the
  interaction's id) beside one that tells the speakers apart (its `author`): it names no one;
- a flag on the record that its speaker hosted the meeting (Attendee's `speaker_is_host`):
  the vendor's only when nothing else on the call says who the vendor is, since a customer
  often hosts the meeting the vendor's bot joins (`HOSTED`);
- the direction of each record, in or out of the contact centre (Avaya Infinity's
  `direction`): what came in is the customer's, what went out the centre's, when the
  records go both ways (a call's one direction on every record says nothing).
"""

from typing import Any

from huddle.connectors.record_values import letters_key

# Keys compared by their letters only, as `transcript_found` compares them.
_HOST_KEYS = frozenset(["ishost", "speakerishost", "participantishost"])
_DIRECTIONS = {"in": "external", "inbound": "external", "out": "internal", "outbound": "internal"}
# The role of a speaker flagged on their turns as the meeting's host: no side by the rules of
# sides (a customer may host), the vendor's when they find none (`transcript.read_calls`).
HOSTED = "meeting host"


def said_by_role(record: dict[str, Any], roles: frozenset[str]) -> tuple[str, str] | None:
    """(role, words) of a record whose one member is a side and its words (Invoca's
    `{"caller": "…"}`); None for any other record."""
    if len(record) != 1:
        return None
    ((key, value),) = record.items()
    if letters_key(key) in roles and isinstance(value, str) and value.strip():
        return key, value.strip()
    return None


def hosted(record: dict[str, Any]) -> bool:
    """Whether the record says its speaker hosted the meeting (Attendee's
    `speaker_is_host`)."""
    return any(letters_key(k) in _HOST_KEYS and v is True for k, v in record.items())


def same_everywhere(records: list[dict[str, Any]], keys: tuple[str, ...]) -> frozenset[str]:
    """Of `keys` (letters only), those every record holds one same value of, when another
    of them tells the records apart: a conversation's id, not a speaker. None are when no
    key tells them apart (a call of one speaker is still theirs)."""
    values: dict[str, set[str]] = {}
    for record in records:
        for name, value in record.items():
            if letters_key(name) in keys and value is not None:
                values.setdefault(letters_key(name), set()).add(repr(value))
    held = {k for k, v in values.items() if all(_has(r, k) for r in records)}
    constant = frozenset(k for k in held if len(values[k]) == 1)
    varies = any(len(v) > 1 for v in values.values())
    return constant if len(records) > 1 and varies else frozenset()


def _has(record: dict[str, Any], key: str) -> bool:
    return any(letters_key(name) == key and value is not None for name, value in record.items())


def by_direction(
    records: list[dict[str, Any]], turns: list[tuple[str, str | None, float | None, str]]
) -> list[tuple[str, str | None, float | None, str]]:
    """Each turn without a role given the side its record's direction says (in: the
    customer's, out: the contact centre's), when the records go both ways."""
    kinds = [_DIRECTIONS.get(str(r.get("direction", "")).strip().lower()) for r in records]
    if not {"internal", "external"} <= set(kinds):
        return turns
    return [
        (speaker, role or kind, start, text)
        for (speaker, role, start, text), kind in zip(turns, kinds, strict=True)
    ]
