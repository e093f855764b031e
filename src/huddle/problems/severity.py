"""How bad is a problem: figures measured from its evidence, and one score that ranks them.

The score is a weighted sum of damped figures, so that no single figure can drown the others:

    score = w_accounts    * ln(1 + distinct accounts)
          + w_mentions    * ln(1 + mentions)
          + w_arr         * log10(1 + ARR at stake / 1,000)
          + w_arr_at_risk * log10(1 + ARR of accounts at risk or renewing within 90 days / 1,000)
          + w_segments    * (segments affected - 1)
          + w_trend       * clamp(log2((last 30 days + 1) / (the 30 days before + 1)), -2, 2)

ARR is in major units of the workspace currency. The weights come from settings
(`HUDDLE_SEVERITY_*`, see docs/severity.md). A parent problem counts the evidence of all
the problems below it once each.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from huddle.config import SeverityWeights
from huddle.kit.money import format_money

RISK_RENEWAL_DAYS = 90
TREND_DAYS = 30


@dataclass(frozen=True)
class Evidence:
    problem_id: int
    feedback_id: int
    occurred_at: datetime
    account_id: int | None
    sentiment: float | None
    # False when the item's date is its import's (the source gave none): out of the trend.
    dated: bool = True


@dataclass(frozen=True)
class AccountFacts:
    arr_minor: int
    segment: str | None
    at_risk: bool
    renewal_date: date | None
    churned: bool


@dataclass(frozen=True)
class Reason:
    label: str
    value: str
    points: float


@dataclass(frozen=True)
class Mentions:
    """What a problem's page counts beside its figures, over the same evidence (each item once
    across the problem and those below it): items per UTC month ('YYYY-MM') and per account."""

    by_month: dict[str, int]
    by_account: dict[int, int]


@dataclass
class Severity:
    problem_id: int
    mentions: int = 0
    accounts: int = 0
    arr_minor: int = 0
    arr_at_risk_minor: int = 0
    segments: list[str] = field(default_factory=list)
    recent: int = 0
    previous: int = 0
    sentiment: float | None = None
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    @property
    def trend(self) -> float:
        return math.log2((self.recent + 1) / (self.previous + 1))


SORT_KEYS: dict[str, Callable[[Severity], float]] = {
    "score": lambda s: s.score,
    "mentions": lambda s: s.mentions,
    "accounts": lambda s: s.accounts,
    "arr": lambda s: s.arr_minor,
    "arr_at_risk": lambda s: s.arr_at_risk_minor,
    "segments": lambda s: len(s.segments),
    "trend": lambda s: s.trend,
}


def descendants(parents: Mapping[int, int | None]) -> dict[int, set[int]]:
    """Each problem with every problem below it (itself included); cycles are cut."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)
    result: dict[int, set[int]] = {}
    for root in parents:
        seen = {root}
        stack = [root]
        while stack:
            for child in children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        result[root] = seen
    return result


def families(
    parents: Mapping[int, int | None], evidence: Iterable[Evidence]
) -> Iterator[tuple[int, dict[int, Evidence]]]:
    """Each problem with its evidence and that of every problem below it, by item: an item
    linked to two of them counts once."""
    by_problem: dict[int, dict[int, Evidence]] = defaultdict(dict)
    for item in evidence:
        by_problem[item.problem_id][item.feedback_id] = item
    for problem_id, family in descendants(parents).items():
        items: dict[int, Evidence] = {}
        for member in family:
            items.update(by_problem.get(member, {}))
        yield problem_id, items


def month_of(moment: datetime) -> str:
    """'YYYY-MM' of a moment's UTC date, as huddle.kit.sql.year_month computes it."""
    utc = moment.astimezone(UTC)
    return f"{utc.year:04d}-{utc.month:02d}"


def mentions(
    parents: Mapping[int, int | None], evidence: Iterable[Evidence]
) -> dict[int, Mentions]:
    return {
        problem_id: Mentions(
            # An undated item's month is its import's, not when it was said: not charted.
            by_month=dict(Counter(month_of(i.occurred_at) for i in items.values() if i.dated)),
            by_account=dict(
                Counter(i.account_id for i in items.values() if i.account_id is not None)
            ),
        )
        for problem_id, items in families(parents, evidence)
    }


def compute(
    parents: Mapping[int, int | None],
    evidence: Iterable[Evidence],
    accounts: Mapping[int, AccountFacts],
    weights: SeverityWeights,
    *,
    today: date,
) -> dict[int, Severity]:
    now = datetime.combine(today, time.min, tzinfo=UTC) + timedelta(days=1)
    recent_start = now - timedelta(days=TREND_DAYS)
    previous_start = recent_start - timedelta(days=TREND_DAYS)
    renewal_horizon = today + timedelta(days=RISK_RENEWAL_DAYS)

    results: dict[int, Severity] = {}
    for problem_id, items in families(parents, evidence):
        severity = Severity(problem_id=problem_id, mentions=len(items))
        account_ids = {item.account_id for item in items.values() if item.account_id is not None}
        facts = [accounts[a] for a in account_ids if a in accounts]
        severity.accounts = len(account_ids)
        live = [f for f in facts if not f.churned]
        severity.arr_minor = sum(f.arr_minor for f in live)
        severity.arr_at_risk_minor = sum(
            f.arr_minor
            for f in live
            if f.at_risk
            or (f.renewal_date is not None and today <= f.renewal_date <= renewal_horizon)
        )
        severity.segments = sorted({f.segment for f in facts if f.segment})
        # Items dated by their import, not their source, say nothing of when: not counted.
        severity.recent = sum(
            1 for i in items.values() if i.dated and i.occurred_at >= recent_start
        )
        severity.previous = sum(
            1 for i in items.values() if i.dated and previous_start <= i.occurred_at < recent_start
        )
        sentiments = [i.sentiment for i in items.values() if i.sentiment is not None]
        severity.sentiment = sum(sentiments) / len(sentiments) if sentiments else None
        _score(severity, weights)
        results[problem_id] = severity
    return results


def _score(severity: Severity, weights: SeverityWeights) -> None:
    trend = max(-2.0, min(2.0, severity.trend))
    reasons = [
        Reason(
            "accounts", f"{severity.accounts}", weights.accounts * math.log1p(severity.accounts)
        ),
        Reason(
            "mentions", f"{severity.mentions}", weights.mentions * math.log1p(severity.mentions)
        ),
        Reason(
            "ARR at stake",
            _money(severity.arr_minor),
            weights.arr * math.log10(1 + severity.arr_minor / 100_000),
        ),
        Reason(
            "ARR at risk or renewing ≤90 days",
            _money(severity.arr_at_risk_minor),
            weights.arr_at_risk * math.log10(1 + severity.arr_at_risk_minor / 100_000),
        ),
        Reason(
            "segments",
            ", ".join(severity.segments) or "none",
            weights.segments * max(0, len(severity.segments) - 1),
        ),
        Reason(
            "trend (30 days vs 30 before)",
            f"{severity.recent} vs {severity.previous}",
            weights.trend * trend,
        ),
    ]
    severity.reasons = reasons
    severity.score = round(sum(reason.points for reason in reasons), 2)


def _money(minor: int) -> str:
    return format_money(minor, compact=True)
