"""What happens to evidence text on its way in: PII masking, sentiment, urgency."""

from dataclasses import dataclass

from huddle.insights.signals import mask_pii, sentiment, urgency


@dataclass(frozen=True)
class Enrichment:
    text: str
    masked: int
    sentiment: float
    urgency: float


def enrich_text(text: str, *, mask: bool) -> Enrichment:
    masked = 0
    if mask:
        text, counts = mask_pii(text)
        masked = sum(counts.values())
    mood = sentiment(text)
    return Enrichment(
        text=text,
        masked=masked,
        sentiment=round(mood, 3),
        urgency=round(urgency(text, sentiment_score=mood), 3),
    )
