"""How survey exports write a respondent's score: a number ("7", "7.0"), a number with its
label ("10 - Extremadamente probable"), or a five-point satisfaction in words ("Extremely
Happy")."""

import re

# A five-point satisfaction scale in words, as help desks export it (Freshdesk's "Extremely
# Happy" … "Extremely Unhappy").
_CSAT_WORDS = {
    "extremely happy": 5,
    "very happy": 5,
    "very satisfied": 5,
    "extremely satisfied": 5,
    "excellent": 5,
    "happy": 4,
    "satisfied": 4,
    "good": 4,
    "neutral": 3,
    "okay": 3,
    "average": 3,
    "unhappy": 2,
    "dissatisfied": 2,
    "poor": 2,
    "extremely unhappy": 1,
    "very unhappy": 1,
    "very dissatisfied": 1,
    "extremely dissatisfied": 1,
    "very poor": 1,
}


def score_from(text: str, top: int) -> int:
    """A score out of `top` (10 for an NPS, 7 for a CES, 5 for a CSAT), written as a number,
    with its label, or for a CSAT in words."""
    worded = _CSAT_WORDS.get(" ".join(text.lower().split())) if top == 5 else None
    if worded is not None:
        return worded
    # SurveyMonkey writes the label with the end points: "10 - Extremadamente probable".
    text = re.sub(r"^\s*(\d+)\s*[-\u2013:]\s*\D.*$", r"\1", text)
    try:
        value = float(text.strip())
    except ValueError:
        raise ValueError(f"not a score: {text!r}") from None
    low = 0 if top == 10 else 1
    if not value.is_integer() or not low <= value <= top:
        raise ValueError(f"a score from {low} to {top}, not {text!r}")
    return int(value)
