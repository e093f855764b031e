"""Where a CRM note with no title of its own may name its account: its opening, as a person
reading the timeline takes it ("Globex Freight - QBR notes", "Call w/ Hooli Cloud platform
team.", "Acme Robotics (Jordan): …"). Read by the readers of notes that carry no title
(EspoCRM's posts, Affinity's notes, Capsule's entries), added to the places a note's account
is looked for (`FeedbackRecord.mentions`) after its parent's name and its title.
"""

import re
from collections.abc import Callable, Iterable

from huddle.imports.records import FeedbackRecord

# A post's opening: up to its first colon, full stop, question or exclamation mark, or its
# line's end.
_OPENING = re.compile(r"^\s*([^:\n]+?)(?::|[.!?](?:\s|$)|\n|$)")
# Where an opening turns to another company than the one the post is on: a competitor it is
# compared with or chosen over, a tool it moves to ("Globex asked us to compare with Initech",
# "Moving to Initech next quarter"): the opening ends there.
_OTHER_COMPANY = re.compile(
    r"(?:^|\s)(?:compar(?:e|ed|es|ing)\b(?:\s+\w+)?\s+(?:with|to|against)|vs\.?|versus|"
    r"instead\s+of|rather\s+than|than|(?:switch|mov|migrat)(?:e|es|ed|ing)?\s+(?:to|from|away)|"
    r"lost\s+to|cho(?:se|ose|osing|sen)|went\s+with|competitors?)(?!\w)",
    re.IGNORECASE,
)


def note_opening(text: str | None) -> str | None:
    """A note's opening, where its account may be named as in a title: up to its first colon
    or sentence's end, and not what it is compared with or moves to (a competitor). Of any
    length: the import reads a long one for an account's whole name only."""
    found = _OPENING.match(text or "")
    opening = found.group(1) if found else None
    if opening:
        opening = _OTHER_COMPANY.split(opening, maxsplit=1)[0].strip()
    return opening or None


def add_openings(
    records: Iterable[FeedbackRecord], wanted: Callable[[FeedbackRecord], bool]
) -> None:
    """Each `wanted` record's opening (of its words as read: HTML as text) added last to the
    places its account may be named."""
    for record in records:
        opening = note_opening(record.text) if wanted(record) else None
        if opening and opening not in record.mentions:
            record.mentions = (*record.mentions, opening)
