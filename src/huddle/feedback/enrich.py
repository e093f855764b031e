"""What happens to evidence text on its way in: PII masking, sentiment, urgency."""

from dataclasses import dataclass

from huddle.insights.pii import mask_pii
from huddle.insights.signals import sentiment, urgency


@dataclass(frozen=True)
class Enrichment:
    text: str
    masked: int
    sentiment: float | None
    urgency: float | None


def signals(text: str) -> tuple[float, float]:
    mood = sentiment(text)
    return round(mood, 3), round(urgency(text, sentiment_score=mood), 3)


def enrich_text(text: str, *, mask: bool, score: bool = True) -> Enrichment:
    """Masking always happens before text is stored; bulk imports leave the scores to the
    background job that embeds them (`score=False`), to keep large imports fast."""
    masked = 0
    if mask:
        text, counts = mask_pii(text)
        masked = sum(counts.values())
    mood, pressure = signals(text) if score else (None, None)
    return Enrichment(text=text, masked=masked, sentiment=mood, urgency=pressure)
