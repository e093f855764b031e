"""Praise and thanks: evidence that is glad, not evidence of a problem.

"Love the new dashboard, great job!" belongs in the inbox (someone should see it) but not in
a suggested problem. "Love it but exports time out" is a problem: praise that comes with
something to fix is never praise here.

Rules first, then the embedding:

1. A problem cue — a complaint word ("slow", "broken", "fails", "missing"), a negation, a
   contrast ("but", "however", "though"), a request ("please add", "would love", "we need",
   "could you") or a question — makes a text a problem. Praise idioms that carry a
   negation ("no complaints", "can't imagine going back", "never looked back") are taken
   out before the check.
2. Otherwise a praise cue ("love", "great", "thanks", "just works", "lifesaver") makes it
   praise, and so does something that got faster ("approvals used to take a week and now
   take a day"; the other way round it is a problem).
3. A text with neither cue is praise when its vector is closer to the praise prototypes
   than to the problem prototypes by `EMBEDDING_MARGIN` (only when vectors of the default
   encoder are given).

Measured on `tests/insights/fixtures/praise_cases.tsv` by `bench/labels.py`.

A theme is left out of suggestions when at least `PRAISE_SHARE` of its members are praise.
"""

# People type curly apostrophes; the patterns must match them.
# ruff: noqa: RUF001

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from huddle.insights.boilerplate import strip_boilerplate
from huddle.insights.embedding import Embedder, normalize_rows

PRAISE_SHARE = 0.5
EMBEDDING_MARGIN = 0.15

_IDIOMS = re.compile(
    r"\b(?:no\s+complaints|zero\s+(?:issues|problems|complaints)|not\s+a\s+single\s+(?:issue|problem)"
    r"|can(?:'|’)?t\s+imagine\s+(?:going\s+back|\w+ing\s+\w+\s+without)"
    r"|(?:can(?:'|’)?t|couldn(?:'|’)?t)\s+(?:be\s+happier|recommend\s+\w+\s+enough)"
    r"|(?:don(?:'|’)?t|do\s+not)\s+miss\s+(?:it|them|\w+)|never\s+looked\s+back"
    r"|needed\s+no\s+training|no\s+more\s+\w+ing|without\s+(?:any\s+)?(?:issues|problems|hassle)"
    r"|don(?:'|’)?t\s+know\s+what\s+we(?:'|’)?d\s+do\s+without|nothing\s+but\s+(?:praise|good)"
    r"|(?:is|was|are|were)\s+(?:exactly\s+)?what\s+(?:we|our\s+\w+|they)\s+(?:wanted|needed|asked\s+for))",
    re.IGNORECASE,
)
_PROBLEM = re.compile(
    r"\?|\b(?:but|however|though|although|except|unfortunately|otherwise\s+\w+ing|wish|only\s+"
    r"(?:problem|issue|thing)|would\s+(?:love|like|be\s+(?:great|nice|good|helpful))|(?:i|we|you)"
    r"(?:'|’)?d\s+(?:love|like)|please|could\s+you|can\s+you|any\s+chance|let\s+us|need|needs|"
    r"needed|want|wants|missing|lack|lacks|no\s+way|not|never|no|cant|dont|doesnt|wont|isnt|didnt|"
    r"cannot|stop|stops|stopped|fail|fails|"
    r"failed|failing|falls?\s+apart|error|errors|broken|break|breaks|crash|crashes|crashed|bug|bugs|"
    r"issue|issues|problem|problems|slow|slower|stuck|time(?:s|d)?\s+out|timeout|hang|hangs|"
    r"freeze|freezes|confus\w*|hard\s+to|difficult|annoy\w*|frustrat\w*|disappoint\w*|wrong|"
    r"lost|lose|loses|unable|expensive|declined|duplicate\w*|twice|off\s+by|drops?|unusable|"
    r"ages|forever|too\s+(?:many|much|noisy|slow)|cancel\w*|move\s+to|instead|only\s+\w+s?\s+the)\b"
    r"|\w+n(?:'|’)t\b|\b(?:nobody|no\s+one|hidden|garbled|in\s+advance|everything\s+else"
    r"|the\s+rest|(?:a|the)\s+fix|fix\s+(?:it|this|that)|must[\s-]have|every\s+single"
    r"|longer\s+than|(?:would|(?:'|’)d)\s+(?:be\s+)?appreciate\w*|hoping\s+for)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:lov(?:e|es|ed|ing)|great|awesome|amazing|excellent|fantastic|brilliant|perfect(?:ly)?|"
    r"happy|happier|glad|delighted|thrilled|pleased|thank(?:s|\s+you)?|thx|kudos|congrats|"
    r"congratulations|impressed|impressive|intuitive|smooth\w*|painless|lifesaver|game\s+changer|best|nice|"
    r"well\s+done|good\s+(?:job|work)|just\s+works|works\s+(?:great|perfectly|well)|saved\s+us|"
    r"appreciate\w*|recommend\w*|fan|enjoy\w*|superb|wonderful|helpful|above\s+and\s+beyond|"
    r"outstanding|beautiful|improvement|(?:so\s+much|a\s+lot|way|much)\s+better|better\s+than|faster|easier|easy|quick(?:er|ly)?|calm\w*|"
    r"paid\s+for\s+itself|stars|10/10|shout\s*out|all\s+good|keep\s+up)\b",
    re.IGNORECASE,
)

# Prototypes for texts without a cue either way; written for this, not taken from the
# labelled cases.
PRAISE_PROTOTYPES = (
    "we are very happy with the product",
    "thank you, the team did a wonderful job",
    "it works really well for us",
    "this saves us a lot of time every week",
    "the new release is a big improvement",
    "our team enjoys using it every day",
)
PROBLEM_PROTOTYPES = (
    "it does not work and shows an error",
    "please add this feature, we need it",
    "the page is very slow to load",
    "the numbers are wrong after the sync",
    "we can't do this without a workaround",
    "it is too expensive for our team",
)


_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
_SECONDS |= {"month": 2_592_000, "year": 31_536_000}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}
_DURATION = (
    r"(\d+(?:\.\d+)?|an?|one|two|three|four|five|ten|few|couple\s+of)?\s*"
    r"(second|minute|hour|day|week|month|year)s?"
)
_BEFORE_NOW = re.compile(
    r"\bused\s+to\s+take\s+(?:us\s+|me\s+|them\s+)?(?:about\s+|around\s+)?"
    + _DURATION
    + r"\b.{0,40}?\bnow\s+(?:it\s+|they\s+)?(?:takes?|only\s+takes?|is|are)\s+"
    r"(?:just\s+|only\s+|about\s+)?" + _DURATION,
    re.IGNORECASE,
)


def _seconds(count: str | None, unit: str) -> float:
    text = (count or "a").lower()
    number = float(text) if text[0].isdigit() else _COUNTS.get(text, 3)
    return number * _SECONDS[unit.lower()]


def _speed_change(body: str) -> bool | None:
    """ "Used to take a week, now takes a day": True when it got faster, False when slower."""
    found = _BEFORE_NOW.search(body)
    if found is None:
        return None
    before, after = _seconds(found[1], found[2]), _seconds(found[3], found[4])
    return None if before == after else after < before


def _cues(text: str) -> tuple[bool, bool]:
    # An idiom is praise whatever negation it carries.
    body = _IDIOMS.sub(" great ", strip_boilerplate(text))
    faster = _speed_change(body)
    problem = bool(_PROBLEM.search(body)) or faster is False
    return problem, bool(_PRAISE.search(body)) or faster is True


def praise_by_rules(text: str) -> bool | None:
    """True or False when a cue decides; None when the text has neither kind of cue."""
    problem, praise = _cues(text)
    if problem:
        return False
    return True if praise else None


_PROTOTYPES: dict[str, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]] = {}


def _prototypes(embedder: Embedder) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    if embedder.name not in _PROTOTYPES:
        praise = normalize_rows(embedder.encode(list(PRAISE_PROTOTYPES)).mean(axis=0))[0]
        problem = normalize_rows(embedder.encode(list(PROBLEM_PROTOTYPES)).mean(axis=0))[0]
        _PROTOTYPES[embedder.name] = (praise, problem)
    return _PROTOTYPES[embedder.name]


# Open rows normalised and scored at a time (is_praise).
_BLOCK = 8192


def is_praise(
    texts: Sequence[str],
    vectors: npt.ArrayLike | None = None,
    embedder: Embedder | None = None,
) -> npt.NDArray[np.bool_]:
    """Per text: praise or thanks with nothing to fix. `vectors` (the texts' embeddings by
    `embedder`) decide texts that no rule decides; without them such texts are not praise."""
    verdicts = [praise_by_rules(text) for text in texts]
    out = np.asarray([v is True for v in verdicts], dtype=bool)
    open_rows = [i for i, v in enumerate(verdicts) if v is None]
    if open_rows and vectors is not None and embedder is not None:
        given = np.asarray(vectors)
        given = given[None, :] if given.ndim == 1 else given
        if given.shape[1] == embedder.dim:
            praise, problem = _prototypes(embedder)
            # The open rows a block at a time, normalised as they are read: every row
            # normalised at once, then gathered, held two more copies of every vector
            # (0.3 GB at 100,000 items).
            for start in range(0, len(open_rows), _BLOCK):
                chosen = open_rows[start : start + _BLOCK]
                rows = normalize_rows(given[chosen])
                out[chosen] = rows @ praise - rows @ problem >= EMBEDDING_MARGIN
    return out
