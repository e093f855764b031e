"""A plain transcript's header keys that are a speaker's label too.

"Customer: Acme Robotics" above a call's turns says whose call it is; "Customer: The export
keeps timing out." is the customer's first turn. A key that names the call's account or its
host ("Customer", "Company", "Account", "Host", "Rep") is the header's when its value names
(a few words, no sentence's punctuation, a name's capitals), or when other header keys' lines
are beside it; else the line is a turn.
"""

import re

from huddle.connectors.transcript_formats import META_KEYS, SKIPPED_META_KEYS
from huddle.imports.fields import normalise

# Whose a call is ("Customer: Acme Robotics") is a name: a few words, no sentence's
# punctuation, the words of a name capitalised (but its particles: "Bank of America").
_NAME_PARTICLES = frozenset(["of", "and", "the", "for", "de", "du", "la", "le", "von", "van", "y"])
# The keys that name the call's account ("Customer", "Company") or its host ("Host", "Rep"),
# a speaker's label too.
_NAMING_KEYS = frozenset(k for k, v in META_KEYS.items() if v in ("account", "host"))


def said_to_a_key(key: str, value: str) -> bool:
    """Whether a `Customer: …` line (a key that names the call's account or host, and a
    speaker's label too) is a turn, its value said rather than a name: "Customer: The export
    keeps timing out." is the customer's words; "Customer: Acme Robotics Inc." whose call it
    is."""
    return normalise(key) in _NAMING_KEYS and _sentence(value)


def _sentence(value: str) -> bool:
    """Whether a header line's value reads as words said, not a name, a date or an id."""
    words = value.split()
    # A question, an exclamation, a sentence ending before another ("out. Then"), a clause.
    if len(words) > 6 or re.search(r"[?!;\u2026]|(?<![\w'])[a-z]+\.\s+[A-Z]|,\s+[a-z]", value):
        return True
    lower = [w for w in words if w[:1].islower() and w.lower() not in _NAME_PARTICLES]
    # A sentence's words run lower-case ("keeps timing out."); a name's do not.
    last = words[-1] if words else ""
    return len(lower) >= 2 or (last.endswith(".") and last[:1].islower() and len(words) > 1)


def among_keys(lines: list[tuple[int, str]], number: int) -> bool:
    """Whether the line numbered `number` is among a header's other `Key: value` lines (the
    line before it or after it, blank lines passed over, is one of another key)."""
    told = [(n, t) for n, t in lines if t]
    at = next((i for i, (n, _) in enumerate(told) if n == number), None)
    if at is None:
        return False
    own = normalise(told[at][1].partition(":")[0])
    beside = [told[i][1] for i in (at - 1, at + 1) if 0 <= i < len(told)]
    for text in beside:
        key, sep, value = text.partition(":")
        name = normalise(key)
        if not sep or not value.strip() or name == own:
            continue
        if name in SKIPPED_META_KEYS or META_KEYS.get(name) not in (None, "account", "host"):
            return True
        # A key a person or a company is named under is a speaker's label too: its line is
        # a header's when it names ("Host: Dana Lee"), not when it says ("Host: Welcome all.").
        if name in META_KEYS and not _sentence(value):
            return True
    return False
