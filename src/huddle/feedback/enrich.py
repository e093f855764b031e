"""What happens to evidence text on its way in: PII masking, sentiment, urgency."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Enrichment:
    text: str
    masked: int
    sentiment: float | None
    urgency: float | None


def enrich_text(text: str, *, mask: bool) -> Enrichment:
    return Enrichment(text=text, masked=0, sentiment=None, urgency=None)
