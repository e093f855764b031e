"""Salesforce's Enhanced Messaging conversation entries as the Connect REST API answers them.

`GET /connect/conversation/{conversationIdentifier}/entries` answers `conversationEntries`,
each an entry of a messaging session (or a voice call's transcript): its `identifier`, the
`messageText` said, the `sender` (`role`, `appType`, `subject`: the participant's id on
their app), perhaps the `senderDisplayName`, and `clientTimestamp` and
`serverReceivedTimestamp`, in epoch milliseconds. The participant's role says whose the words
are: an `Agent` or `Supervisor` the contact centre's, the `EndUser` the customer; a
`Chatbot`'s, the `System`'s or the `Router`'s are nobody's. The answer lists the newest
entries first unless asked `FromStart`: they are put in the order sent.

`transcript_platforms` makes a call of them, as of the ConversationEntry records a SOQL query
answers.
"""

from datetime import UTC, datetime
from typing import Any

from huddle.connectors.record_values import as_object, as_text, listed

# An entry as `transcript_platforms` makes a call of it: when, who, their side, the words.
Said = tuple[datetime | None, str, str | None, str]

# Whose the words are, by the sender's role; the automated voices are nobody's.
_SIDES = {"agent": "internal", "supervisor": "internal", "enduser": "external"}
_NOBODY = frozenset(["chatbot", "bot", "system", "router", "flow", "automatedprocess"])
# Of a list, the share of members that must be entries for it to be read as them.
_MOSTLY = 0.6


def _letters(value: Any) -> str:
    return "".join(c for c in str(value or "").lower() if c.isalpha())


def _is_entry(value: Any) -> bool:
    """A Connect API entry: a sender with its role, and the words sent (perhaps none)."""
    return (
        isinstance(value, dict)
        and isinstance(as_object(value.get("sender")).get("role"), str)
        and "messageText" in value
    )


def _sent_at(entry: dict[str, Any]) -> datetime | None:
    """When the entry was sent: its client's timestamp, else the server's, in epoch
    milliseconds (or an ISO time, as some wrappers write it)."""
    for key in ("clientTimestamp", "serverReceivedTimestamp"):
        value = entry.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            try:
                return datetime.fromtimestamp(value / 1000, UTC)
            except (OverflowError, OSError, ValueError):
                continue
        if isinstance(value, str) and value.strip():
            try:
                found = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            except ValueError:
                continue
            return found if found.tzinfo else found.replace(tzinfo=UTC)
    return None


def connect_entries(record: Any) -> dict[str, list[Said]] | None:
    """The said entries of a Connect API answer, by conversation (its identifier where the
    answer names it), in the order sent; None for any other JSON."""
    answer = as_object(record)
    rows = listed(answer.get("conversationEntries"))
    entries = [r for r in rows if _is_entry(r)]
    if len(entries) < 2 or len(entries) < _MOSTLY * len(rows):
        return None
    times = [_sent_at(e) for e in entries]
    if all(when is not None for when in times):
        ranked = sorted(range(len(entries)), key=lambda i: times[i] or datetime.min)
        entries, times = [entries[i] for i in ranked], [times[i] for i in ranked]
    said: list[Said] = []
    for entry, when in zip(entries, times, strict=True):
        text = as_text(entry.get("messageText"))
        sender = as_object(entry.get("sender"))
        role = _letters(sender.get("role"))
        if text is None or role in _NOBODY:
            continue
        label = as_text(entry.get("senderDisplayName")) or str(sender["role"]).strip()
        said.append((when, label, _SIDES.get(role), text))
    if not said:
        return None
    key = as_text(answer.get("conversationIdentifier") or answer.get("conversationId")) or ""
    return {key: said}
