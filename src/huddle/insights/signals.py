"""Per-item signals on ingest: sentiment and urgency. Rules only, microseconds.

Sentiment (-1..1) is a lexicon score in the manner of VADER: word valences summed with
negation ("not good"), intensifiers ("really slow"), a "but" that shifts weight to what
follows, and exclamation marks, squashed by x / sqrt(x^2 + 15). The lexicon is tuned to
product feedback: "crash", "declined", "charged twice", "still waiting" are negative.
Urgency (0..1) adds up cues of time pressure ("asap", "today", "deadline"), impact
("down", "outage", "blocked", "losing money", "all users"), security or money at risk
("fraud", "stolen", "hacked") and shouting, plus a little from strong negative sentiment.
Measured accuracy is in docs/theme-discovery.md. PII masking is in `huddle.insights.pii`.
"""

from __future__ import annotations

import math
import re

# Urgency at or above this is worth a flag in the inbox: on hand-labelled samples it
# catches most money-or-security-at-risk items with few false alarms (docs/theme-discovery.md).
URGENT_THRESHOLD = 0.4

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|!+|\?+")

_VALENCE: dict[str, float] = {
    # positive
    "love": 3.0,
    "loved": 3.0,
    "loving": 2.5,
    "amazing": 3.0,
    "awesome": 3.0,
    "excellent": 3.0,
    "fantastic": 3.0,
    "great": 2.5,
    "perfect": 2.8,
    "brilliant": 2.8,
    "wonderful": 2.8,
    "good": 1.8,
    "nice": 1.8,
    "happy": 2.2,
    "glad": 2.0,
    "pleased": 2.0,
    "helpful": 2.0,
    "easy": 1.5,
    "fast": 1.2,
    "quick": 1.2,
    "smooth": 1.5,
    "intuitive": 1.8,
    "thanks": 1.2,
    "thank": 1.2,
    "appreciate": 2.0,
    "works": 1.0,
    "worked": 1.0,
    "fixed": 1.2,
    "resolved": 1.2,
    "recommend": 2.0,
    "best": 2.5,
    "better": 1.2,
    "enjoy": 2.0,
    "like": 0.8,
    "cool": 1.5,
    "impressed": 2.5,
    "reliable": 1.8,
    "clean": 1.2,
    "solid": 1.5,
    "beautiful": 2.2,
    "satisfied": 2.0,
    "friendly": 1.8,
    "useful": 1.8,
    "superb": 3.0,
    "delighted": 3.0,
    "lifesaver": 2.8,
    # negative
    "hate": -3.0,
    "terrible": -3.0,
    "awful": -3.0,
    "horrible": -3.0,
    "worst": -3.2,
    "bad": -2.2,
    "poor": -2.0,
    "useless": -2.8,
    "broken": -2.5,
    "broke": -2.2,
    "bug": -1.8,
    "bugs": -1.8,
    "buggy": -2.2,
    "crash": -2.5,
    "crashes": -2.5,
    "crashed": -2.5,
    "crashing": -2.5,
    "error": -1.8,
    "errors": -1.8,
    "fail": -2.0,
    "fails": -2.0,
    "failed": -2.0,
    "failing": -2.0,
    "failure": -2.2,
    "slow": -1.8,
    "slower": -1.5,
    "laggy": -2.0,
    "lag": -1.5,
    "freezes": -2.2,
    "frozen": -1.8,
    "stuck": -1.8,
    "annoying": -2.2,
    "annoyed": -2.2,
    "frustrating": -2.5,
    "frustrated": -2.5,
    "confusing": -1.8,
    "confused": -1.5,
    "disappointed": -2.5,
    "disappointing": -2.5,
    "angry": -2.8,
    "upset": -2.2,
    "unacceptable": -3.0,
    "ridiculous": -2.5,
    "declined": -1.8,
    "rejected": -1.8,
    "denied": -1.8,
    "unable": -1.8,
    "cannot": -1.2,
    "can't": -1.2,
    "couldn't": -1.2,
    "won't": -0.8,
    "missing": -1.5,
    "lost": -1.8,
    "wrong": -1.8,
    "incorrect": -1.8,
    "problem": -1.5,
    "problems": -1.5,
    "issue": -1.2,
    "issues": -1.2,
    "complaint": -2.0,
    "scam": -3.0,
    "fraud": -2.5,
    "stolen": -2.5,
    "hacked": -2.8,
    "refund": -0.8,
    "charged": -0.8,
    "twice": -0.6,
    "waste": -2.2,
    "wasted": -2.2,
    "expensive": -1.5,
    "overcharged": -2.5,
    "cancel": -1.2,
    "cancelling": -1.5,
    "churn": -1.5,
    "leaving": -1.2,
    "outage": -2.5,
    "down": -0.8,
    "worse": -2.2,
    "sucks": -2.8,
    "painful": -2.2,
    "impossible": -2.0,
    "nightmare": -3.0,
    "hassle": -1.8,
    "waiting": -1.0,
    "still": -0.5,
    "never": -0.8,
    "disaster": -3.0,
    "garbage": -3.0,
    "unusable": -2.8,
    "blocked": -1.8,
    "lacks": -1.2,
    "lacking": -1.2,
    "clunky": -1.8,
    "unreliable": -2.2,
    "hard": -1.0,
    "difficult": -1.5,
    "gone": -1.5,
    "compromised": -2.5,
    "disappeared": -2.0,
    "vanished": -2.0,
    "unauthorised": -2.2,
    "unauthorized": -2.2,
    "loss": -1.8,
    # Expected outcomes: mildly positive alone, and negated ("didn't work", "hasn't
    # arrived") they carry most complaints that use no emotional word at all.
    "work": 1.2,
    "working": 1.0,
    "received": 1.0,
    "arrived": 1.0,
    "arrive": 0.8,
    "recognise": 1.2,
    "recognize": 1.2,
    "accept": 0.8,
    "accepted": 0.8,
    "go": 0.4,
}

_NEGATION_TEXT = """
not no never none nobody nothing neither nor without hardly barely isn't aren't wasn't
weren't don't doesn't didn't haven't hasn't hadn't won't wouldn't shouldn't can't
cannot couldn't ain't nt
"""
_NEGATIONS = frozenset(_NEGATION_TEXT.split())
_BOOSTERS = {
    "very": 0.3,
    "really": 0.3,
    "so": 0.25,
    "extremely": 0.45,
    "super": 0.35,
    "totally": 0.3,
    "completely": 0.35,
    "absolutely": 0.4,
    "incredibly": 0.45,
    "quite": 0.1,
    "slightly": -0.3,
    "somewhat": -0.25,
    "bit": -0.2,
    "little": -0.2,
}
# Phrases whose meaning is not the sum of their words.
_PHRASES = {
    "can't wait": 2.0,
    "cannot wait": 2.0,
    "no problem": 1.0,
    "no issues": 1.0,
    "not bad": 1.2,
    "works great": 2.8,
    "charged twice": -2.5,
    "double charged": -2.5,
    "not working": -2.5,
    "doesn't work": -2.5,
    "does not work": -2.5,
    "stopped working": -2.5,
    "not received": -2.0,
    "haven't received": -2.0,
    "have not received": -2.0,
    "still waiting": -2.2,
    "still not": -1.5,
    "where is my": -1.2,
    "log in": 0.0,
    "someone used": -2.0,
    "nobody can": -2.0,
    "no one can": -2.0,
}

_URGENT_TERMS: dict[str, float] = {
    "urgent": 0.5,
    "urgently": 0.5,
    "asap": 0.5,
    "immediately": 0.45,
    "emergency": 0.55,
    "critical": 0.45,
    "now": 0.12,
    "today": 0.2,
    "tonight": 0.2,
    "deadline": 0.3,
    "outage": 0.5,
    "down": 0.2,
    "blocked": 0.35,
    "blocking": 0.35,
    "blocker": 0.4,
    "production": 0.25,
    "prod": 0.2,
    "stolen": 0.45,
    "fraud": 0.45,
    "hacked": 0.5,
    "compromised": 0.55,
    "breach": 0.5,
    "unauthorized": 0.4,
    "unauthorised": 0.4,
    "locked": 0.25,
    "lost": 0.2,
    "losing": 0.3,
    "cancel": 0.2,
    "cancelling": 0.25,
    "lawyer": 0.4,
    "legal": 0.3,
    "refund": 0.15,
    "crash": 0.2,
    "crashes": 0.2,
    "crashing": 0.25,
    "broken": 0.15,
    "help": 0.1,
    "quickly": 0.15,
    "stuck": 0.15,
    "escalate": 0.35,
    "escalating": 0.35,
    "sos": 0.5,
    "security": 0.25,
    "dispute": 0.25,
    "freeze": 0.35,
    "gone": 0.3,
    "unknown": 0.2,
    "disappeared": 0.3,
}
_URGENT_PHRASES: dict[str, float] = {
    "as soon as possible": 0.5,
    "right now": 0.35,
    "right away": 0.35,
    "all users": 0.3,
    "all our users": 0.3,
    "every user": 0.3,
    "nobody can": 0.35,
    "no one can": 0.35,
    "can't access": 0.3,
    "cannot access": 0.3,
    "can't log in": 0.3,
    "cannot log in": 0.3,
    "losing money": 0.45,
    "losing customers": 0.45,
    "data loss": 0.5,
    "lost data": 0.45,
    "charged twice": 0.2,
    "don't recognise": 0.45,
    "don't recognize": 0.45,
    "someone used": 0.4,
    "someone else": 0.25,
    "did not make": 0.25,
    "didn't make": 0.25,
    "by tomorrow": 0.3,
    "by friday": 0.25,
    "by monday": 0.25,
    "end of day": 0.3,
    "this week": 0.1,
    "still waiting": 0.2,
    "not received": 0.1,
}


_QUESTION = re.compile(
    r"^\s*(?:how|what|when|where|which|who|why|can|could|do|does|is|are|will|would|should|if)\b.*\?\s*$",
    re.IGNORECASE | re.DOTALL,
)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("\u2019", "'"))


def sentiment(text: str) -> float:
    """-1 (very negative) .. 1 (very positive); 0 when nothing signals either way."""
    lowered = " " + " ".join(_tokens(text)) + " "
    total = 0.0
    for phrase, value in _PHRASES.items():
        hits = lowered.count(f" {phrase} ")
        if hits:
            total += value * hits
            # The words of a matched phrase must not count again on their own.
            lowered = lowered.replace(f" {phrase} ", " _ ")
    words = lowered.split()
    contrast = words.index("but") if "but" in words else -1
    for index, word in enumerate(words):
        valence = _VALENCE.get(word)
        if valence is None:
            continue
        before = words[max(0, index - 3) : index]
        scale = 1.0 + sum(_BOOSTERS.get(w, 0.0) for w in before[-2:])
        if any(w in _NEGATIONS or w.endswith("n't") for w in before):
            scale *= -0.6
        if contrast >= 0:
            scale *= 0.5 if index < contrast else 1.5
        total += valence * scale
    # A question about a fee or a cancellation is not a complaint about one.
    if _QUESTION.match(text) and "!" not in text:
        total *= 0.5
    exclaims = min(text.count("!"), 3)
    if total:
        total += math.copysign(0.3 * exclaims, total)
    return max(-1.0, min(1.0, total / math.sqrt(total * total + 15.0)))


_NOT_LETTER = re.compile(r"[^A-Za-z]+")
_NOT_CAPITAL = re.compile(r"[^A-Z]+")


def urgency(text: str, *, sentiment_score: float | None = None) -> float:
    """0 (no time pressure) .. 1 (drop everything)."""
    tokens = _tokens(text)
    lowered = " " + " ".join(tokens) + " "
    score = sum(_URGENT_TERMS.get(token, 0.0) for token in set(tokens))
    score += sum(value for phrase, value in _URGENT_PHRASES.items() if f" {phrase} " in lowered)
    score += 0.1 * min(text.count("!"), 3)
    # Shouting: mostly capital letters. Counted by regex in C, not char by char in Python,
    # because this runs on every imported item (ASCII letters only).
    letters = len(_NOT_LETTER.sub("", text))
    if letters >= 12 and len(_NOT_CAPITAL.sub("", text)) / letters > 0.6:
        score += 0.25
    mood = sentiment(text) if sentiment_score is None else sentiment_score
    score += 0.2 * max(0.0, -mood - 0.3)
    return max(0.0, min(1.0, score))
