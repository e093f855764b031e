"""What the API and `huddle alerts churn --json` say of churn warnings."""

from datetime import datetime

from pydantic import BaseModel

from huddle.notify.churn import Warning


class WarningEvidence(BaseModel):
    id: int
    occurred_at: datetime
    source: str
    text: str
    sentiment: float | None
    leaving_words: str | None  # the words that talk of leaving, when that raised it


class WarningSignal(BaseModel):
    kind: str  # leaving | negative | renewal
    words: str
    feedback_ids: list[int]


class WarningRead(BaseModel):
    account_id: int
    account: str
    arr_minor: int
    currency: str
    renewal_days: int | None
    owner: str | None  # the owner's email
    marked_at_risk: bool  # what a person said; never a signal of its own
    level: str  # high | watch
    signals: list[WarningSignal]
    evidence: list[WarningEvidence]


def warning_read(warning: Warning) -> WarningRead:
    account = warning.account
    phrases = {i: w for s in warning.signals for i, w in s.phrases.items()}
    return WarningRead(
        account_id=account.id,
        account=account.name,
        arr_minor=account.arr_minor or 0,
        currency=account.currency or "USD",
        renewal_days=warning.renewal_days,
        owner=account.owner.email if account.owner else None,
        marked_at_risk=account.at_risk,
        level=warning.level,
        signals=[
            WarningSignal(kind=s.kind, words=s.words, feedback_ids=[f.id for f in s.evidence])
            for s in warning.signals
        ],
        evidence=[
            WarningEvidence(
                id=f.id,
                occurred_at=f.occurred_at,
                source=f.source,
                text=f.text,
                sentiment=f.sentiment,
                leaving_words=phrases.get(f.id),
            )
            for f in warning.evidence
        ],
    )
