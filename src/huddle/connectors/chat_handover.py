"""A customer's chat message that only hands the conversation to a colleague: "Morning all!
Marco runs our warehouse systems, he'll chime in on the scanner stuff", "Looping in Priya
from finance." Nothing is said about the product yet (the colleague says it next): skipped
like a greeting, not evidence.

Every part of the message (its sentences, and the clauses a comma joins) must be a greeting,
the colleague's role ("Marco runs our warehouse systems") or the handover itself ("he'll
chime in", "looping in Priya", "cc @Priya"), and one part the handover: a part that says
anything else ("the export is broken again") keeps the message.
"""

import re

_NAME = r"@?[A-Z][\w'.-]*(?: [A-Z][\w'.-]*)?"
_GREETING = re.compile(
    r"^(?:(?:good )?(?:morning|afternoon|evening)|hi+|hello|hey+|hiya)"
    r"(?: (?:all|everyone|team|folks|guys|both|there|y'all))?$",
    re.IGNORECASE,
)
# "Marco runs our warehouse systems", "she's our finance lead", "Priya from our finance team".
_ROLE = re.compile(
    rf"^(?:{_NAME}|he|she|they)(?: (?:runs|handles|leads|manages|owns|looks after|takes care of|"
    rf"is in charge of|is responsible for|heads up)| is| 's|'s| from) (?:our|the)\b[\w\s&/-]*$",
    re.IGNORECASE,
)
# "he'll chime in on the scanner stuff", "looping in Priya", "cc @Priya", "adding Tom here".
_HANDOVER = re.compile(
    rf"^(?:(?:he|she|they|{_NAME}) ?(?:'ll|will|can) (?:chime in|jump in|weigh in|join|"
    rf"take (?:it|this|over)|pick (?:it|this) up|follow up|fill you in)(?: [\w&/'-]+){{0,5}}|"
    rf"(?:looping|loop|bringing|pulling|adding) (?:in )?{_NAME}"
    rf"(?: (?:here|in|to this|from [\w\s&/-]+))?|"
    rf"cc:? {_NAME}(?:,? {_NAME})*)$",
    re.IGNORECASE,
)
_PARTS = re.compile(r"[.!;:\n]+|,\s+|\s+[-\u2013\u2014]\s+")
# Words that say something is wrong or wanted: the message says more than who will answer.
_MORE = re.compile(
    r"\b(?:not|no|never|can't|cannot|won't|doesn't|don't|isn't|fail\w*|broken|break\w*|error\w*|"
    r"bug\w*|issue\w*|problem\w*|crash\w*|slow\w*|stuck|wrong|need\w*|want\w*|wish\w*)\b",
    re.IGNORECASE,
)


def hands_over(text: str) -> bool:
    """Whether a message only greets and hands the conversation to a colleague."""
    if "?" in text or _MORE.search(text):
        return False
    parts = [p.strip() for p in _PARTS.split(text) if p.strip()]
    kinds = [
        "handover"
        if _HANDOVER.match(part)
        else "aside"
        if _GREETING.match(part) or _ROLE.match(part)
        else "said"
        for part in parts
    ]
    return "handover" in kinds and "said" not in kinds
