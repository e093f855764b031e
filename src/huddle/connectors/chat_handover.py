"""A customer's chat message that only hands the conversation to a colleague: "Morning all!
Marco runs our warehouse systems, he'll chime in on the scanner stuff", "Looping in Priya
from finance." Nothing is said about the product yet (the colleague says it next): skipped
like a greeting, not evidence.

Every part of the message (its sentences, and the clauses a comma joins) must be a greeting,
the colleague's role ("Marco runs our warehouse systems") or the handover itself ("he'll
chime in", "looping in Priya", "cc @Priya"), and one part the handover: a part that says
anything else ("the export is broken again") keeps the message. A colleague is a capitalised
name or a mention, never a pronoun or an article opening a sentence ("It is the worst
release yet"), and what the handover says after them is short ("from finance", "on the
scanner stuff"): "Bringing in Dana from IT since SSO logs everyone out" says what is wrong.
"""

import re

# A colleague as people write them: a capitalised name or two ("Priya", "Tom Baker"), or a
# chat mention ("@priya"); not a pronoun or an article that opens a sentence ("The export").
_NAME = (
    r"(?!(?:the|this|that|these|those|it|its|there|here|what|which|everything|everyone|"
    r"nothing|our|we|i|you|your|my)\b)"
    r"(?:@[\w.'-]+|(?-i:[A-Z][\w'.-]*)(?: (?-i:[A-Z][\w'.-]*))?)"
)
# A word of what the colleague will speak to ("on the scanner stuff", "about the invoices"),
# not one that goes on to say what happened ("since SSO logs everyone out").
_TOPIC_WORD = r"(?!(?:that|which|who|whose|since|because|as|when|after|so|and|but|then)\b)[\w&/'-]+"
_GREETING = re.compile(
    r"^(?:(?:good )?(?:morning|afternoon|evening)|hi+|hello|hey+|hiya)"
    r"(?: (?:all|everyone|team|folks|guys|both|there|y'all))?$",
    re.IGNORECASE,
)
# "Marco runs our warehouse systems", "she's our finance lead", "Priya from our finance team".
_ROLE = re.compile(
    rf"^(?:{_NAME}|he|she|they)(?: (?:runs|handles|leads|manages|owns|looks after|takes care of|"
    rf"is in charge of|is responsible for|heads up)| is| 's|'s| from) (?:our|the)"
    rf"(?: {_TOPIC_WORD}){{1,5}}$",
    re.IGNORECASE,
)
# "he'll chime in on the scanner stuff", "looping in Priya", "cc @Priya", "adding Tom here".
_WHEN = (
    r"(?: (?:from here|here|now|shortly|soon|later|today|tomorrow|in a (?:bit|sec|moment|minute)))"
)
_HANDOVER = re.compile(
    rf"^(?:(?:he|she|they|{_NAME}) ?(?:'ll|will|can) (?:chime in|jump in|weigh in|join|"
    rf"take (?:it|this|over)|pick (?:it|this) up|follow up|fill you in)"
    rf"{_WHEN}?(?: (?:on|about|with|re|regarding|for)(?: {_TOPIC_WORD}){{1,3}})?{_WHEN}?|"
    rf"(?:looping|loop|bringing|pulling|adding) (?:in )?{_NAME}(?:,? (?:and |& )?{_NAME})*"
    rf"(?: (?:here|in|to this(?: thread| chat| channel| conversation)?|"
    rf"from (?:our |the )?{_TOPIC_WORD}(?: {_TOPIC_WORD})?))?|"
    rf"cc:? {_NAME}(?:,? (?:and |& )?{_NAME})*)$",
    re.IGNORECASE,
)
# Sentences and the clauses a comma or a dash joins; not the dot of "@tom.b" or the colon of
# "cc: Priya".
_PARTS = re.compile(r"(?:[.!;]|(?<![Cc][Cc]):)+(?=\s|$)|\n+|,\s+|\s+[-\u2013\u2014]\s+")
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
