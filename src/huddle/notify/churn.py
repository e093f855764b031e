"""Churn warnings: customers whose own recent evidence says they may leave.

An account is on the watch list when, in the last six weeks, one of these holds; each warning
carries the evidence that raised it:

- **talk of leaving**: it said it may cancel, not renew, move to a competitor or look at
  other options (a list of phrasings, tested on wordings it was not written from);
- **turning negative**: at least four negative items, at least a third of what it said, and
  more than twice as many as its usual pace over the year before;
- **severe problems before renewal**: it renews within 90 days and its recent negative
  items back at least two open problems in the top quarter by severity.

The at-risk flag a person sets is never a signal: the watch list is there to confirm or
contradict it. Only customers are watched (prospects and churned accounts are not).

The daily check (notify/tasks.py) tells each warned account's owner and followers, once per
account, set of signals and month, and posts `churn.alert` to the workspace's webhook.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.config import get_settings
from huddle.insights.boilerplate import detractor
from huddle.kit.money import format_money
from huddle.kit.text import truncate
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink
from huddle.notify.follows import followers
from huddle.notify.service import send_to, webhook
from huddle.problems import service as problems

WINDOW = timedelta(days=42)
YEAR = timedelta(days=365)
NEGATIVE = -0.25  # sentiment at or below which an item is negative
TURN_ITEMS = 5
TURN_SHARE = 1 / 3
TURN_PACE = 2.0
TURN_WORSE = 1.5  # its share of negative items against the year before
RENEWAL_DAYS = 90
SEVERE_ITEMS = 2
SEVERE_PROBLEMS = 2
SEVERE_AT_LEAST = 3
CLOSED = ("solved", "wont_fix")
NOT_EVIDENCE = ("spam", "duplicate")  # set aside for these reasons, it says nothing
CHURN = "churn"

_OTHER = r"(?:other|alternative|another|different|competing|rival|cheaper)"
_VENDORS = r"(?:options?|tools?|vendors?|solutions?|providers?|products?|platforms?|suppliers?)"
_AGREEMENT = r"(?:contract|subscription|agreement|relationship|licen[cs]es?|plan)"
LEAVING = re.compile(
    rf"""(?ix)
    \b(?:look(?:ing)?|evaluat\w*|consider\w*|explor\w*|assess\w*|shopp?\w*\s+around|trial\w*
       |talk(?:ing)?|speak(?:ing)?)\s+(?:at|for|to|with)?\s*(?:an?\s+)?{_OTHER}\s+{_VENDORS}
    | \b(?:evaluat\w*|consider\w*|explor\w*|look\w*\s+(?:at|for))\s+alternatives
    | \b(?:cancel\w*|terminat\w*|end(?:ing)?|exit\w*|leav\w*|drop\w*|get(?:ting)?\s+out\s+of)
       \s+(?:our|the|this|their|my)\s+(?:\w+\s+)?{_AGREEMENT}
    | \b(?:close|closer)\s+to\s+cancel\w*
    | \b(?:not|n't|never|won't|unlikely\s+to)\s+(?:be\s+)?(?:\w+\s+){{0,2}}renew(?:ing|al)?\b
    | \brenewal\s+(?:is\s+)?(?:in\s+(?:question|doubt|jeopardy)|at\s+risk|on\s+hold|unlikely)
    | \b(?:whether|if)\s+(?:we|they)\s+(?:should\s+|will\s+|can\s+)?renew
    | \b(?:switch\w*|mov(?:e|ing)|migrat\w*|go(?:ing)?\s+back|port(?:ing)?)\s+(?:over\s+)?to\s+
       (?:a\s+)?(?:competitor|another\s+(?:vendor|tool|provider|platform|solution|product)
       |(?-i:(?!(?:Settings|Admin|Reports?|Billing|Dashboard|Step|Page|Tab|Menu|Next)\b)
         [A-Z][\w.]*\w)(?=[\s.,!;:]|$))
    | \b(?:pull(?:ing)?\s+the\s+plug|second\s+thoughts|churn(?:ing)?\s+(?:risk|from\s+you))
    | \bescalat\w*\s+(?:this\s+|it\s+)?(?:to|with)\s+(?:our|their|my)\s+
       (?:leadership|cfo|ceo|coo|cto|vp|exec\w*|board|management)
    | \bcan(?:'t|not|\s+no\s+longer)\s+(?:keep\s+)?(?:justify\w*|defend\w*)
    | \b(?:keeps?\s+calling\s+us|reached\s+out)\b.*\b(?:listening|tempting|considering)
    """
)


def talk_of_leaving(text: str) -> str | None:
    """The words in `text` that say the customer may leave, or None."""
    found = LEAVING.search(" ".join(text.replace("\u2019", "'").split()))
    return found.group(0) if found else None


@dataclass
class Signal:
    kind: str  # leaving | negative | renewal
    words: str  # what it means, in plain words
    evidence: list[Feedback] = field(default_factory=list)
    phrases: dict[int, str] = field(default_factory=dict)  # item id -> the words of leaving


@dataclass
class Warning:
    account: Account
    signals: list[Signal]
    renewal_days: int | None

    @property
    def kinds(self) -> str:
        return "+".join(s.kind for s in self.signals)

    @property
    def level(self) -> str:
        """high: more than one signal, or it talks of leaving within 90 days of renewal."""
        soon = self.renewal_days is not None and self.renewal_days <= RENEWAL_DAYS
        if len(self.signals) > 1 or (soon and self.signals[0].kind == "leaving"):
            return "high"
        return "watch"

    @property
    def evidence(self) -> list[Feedback]:
        seen: dict[int, Feedback] = {}
        for signal in self.signals:
            for item in signal.evidence:
                seen.setdefault(item.id, item)
        return sorted(seen.values(), key=lambda f: (f.occurred_at, f.id), reverse=True)


def _customer_evidence(since: datetime) -> tuple[ColumnElement[bool], ...]:
    """What counts as what a customer said since `since`: neither a duplicate nor set aside
    as spam or not evidence (the same for the recent weeks and the usual pace)."""
    return (
        Account.status == "customer",
        Feedback.occurred_at >= since,
        Feedback.duplicate_of_id.is_(None),
        (Feedback.dismissed_reason.is_(None)) | (Feedback.dismissed_reason.not_in(NOT_EVIDENCE)),
    )


def _recent(session: Session, since: datetime, only: int | None) -> dict[int, list[Feedback]]:
    statement = (
        select(Feedback)
        .join(Account, Account.id == Feedback.account_id)
        .where(*_customer_evidence(since))
        .order_by(Feedback.occurred_at.desc(), Feedback.id.desc())
    )
    if only is not None:
        statement = statement.where(Feedback.account_id == only)
    found: dict[int, list[Feedback]] = {}
    for item in session.scalars(statement).unique():
        found.setdefault(item.account_id or 0, []).append(item)
    return found


def _usual(
    session: Session, since: datetime, until: datetime, only: int | None
) -> dict[int, tuple[int, int]]:
    """How many items each customer sent between `since` and `until`, and how many of them
    were negative in their words."""
    negative = case((Feedback.sentiment <= NEGATIVE, 1), else_=0)
    statement = (
        select(Feedback.account_id, func.count(Feedback.id), func.sum(negative))
        .join(Account, Account.id == Feedback.account_id)
        .where(*_customer_evidence(since), Feedback.occurred_at < until)
        .group_by(Feedback.account_id)
    )
    if only is not None:
        statement = statement.where(Feedback.account_id == only)
    return {
        a: (int(count), int(upset or 0))
        for a, count, upset in session.execute(statement)
        if a is not None
    }


def _severe(session: Session, actor: Actor, ids: list[int]) -> dict[int, set[int]]:
    """For each of the items `ids`, the open problems in the top quarter by severity it backs
    (the top three at least: in a young workspace a quarter is one problem or none)."""
    ranked = [p for p in problems.ranked_problems(session, actor=actor) if p.status not in CLOSED]
    top = {p.id for p in ranked[: max(SEVERE_AT_LEAST, -(-len(ranked) // 4))]}
    found: dict[int, set[int]] = {}
    if not top or not ids:
        return found
    statement = select(FeedbackLink.feedback_id, FeedbackLink.problem_id).where(
        FeedbackLink.feedback_id.in_(ids), FeedbackLink.problem_id.in_(top)
    )
    for feedback_id, problem_id in session.execute(statement):
        found.setdefault(feedback_id, set()).add(problem_id)
    return found


def _negative(item: Feedback) -> bool:
    """Negative in its words, or a low survey score (a bare "NPS 3" scores no sentiment)."""
    worded = item.sentiment is not None and item.sentiment <= NEGATIVE
    return worded or (item.source == "survey" and detractor(item.text, item.tags or []))


def watch_list(
    session: Session, *, actor: Actor, now: datetime | None = None, account_id: int | None = None
) -> list[Warning]:
    """Every customer with a churn warning (or only the account `account_id`), the most
    urgent first: high before watch, then the soonest renewal, then the largest ARR."""
    require(may_read(actor))
    now = now or utcnow()
    since = now - WINDOW
    recent = _recent(session, since, account_id)
    usual = _usual(session, now - YEAR, since, account_id)
    negative_ids = [f.id for items in recent.values() for f in items if _negative(f)]
    severe = _severe(session, actor, negative_ids)
    warnings = []
    for items in recent.values():
        account = items[0].account
        assert account is not None
        renewal_days = (account.renewal_date - now.date()).days if account.renewal_date else None
        signals = []
        leaving = {f.id: words for f in items if (words := talk_of_leaving(f.text))}
        if leaving:
            distinct = {w.lower(): truncate(w, 80) for w in reversed(leaving.values())}
            said = "”, “".join(reversed(distinct.values()))
            evidence = [f for f in items if f.id in leaving]
            signals.append(Signal("leaving", f"talked of leaving: “{said}”", evidence, leaving))
        negative = [f for f in items if _negative(f)]
        before, upset_before = usual.get(account.id, (0, 0))
        pace = before * WINDOW / (YEAR - WINDOW)
        share = len(negative) / len(items)
        if (
            len(negative) >= TURN_ITEMS
            and share >= TURN_SHARE
            and len(negative) > TURN_PACE * pace
            and share >= TURN_WORSE * (upset_before / before if before else 0.0)
        ):
            signals.append(
                Signal(
                    "negative",
                    f"{len(negative)} of its {len(items)} items in six weeks are negative, "
                    + (
                        f"and it is saying {len(items) / pace:.1f} times as much as usual"
                        if pace
                        else "and before that it had said nothing"
                    ),
                    negative,
                )
            )
        on_severe = [f for f in negative if f.id in severe]
        count = len({p for f in on_severe for p in severe[f.id]})
        if (
            renewal_days is not None
            and 0 <= renewal_days <= RENEWAL_DAYS
            and len(on_severe) >= SEVERE_ITEMS
            and count >= SEVERE_PROBLEMS
        ):
            signals.append(
                Signal(
                    "renewal",
                    f"renews in {renewal_days} days with {count} of the most severe open "
                    f"problem{'s' if count != 1 else ''} unsolved",
                    on_severe,
                )
            )
        if signals:
            warnings.append(Warning(account, signals, renewal_days))
    warnings.sort(
        key=lambda w: (
            w.level != "high",
            w.renewal_days if w.renewal_days is not None and w.renewal_days >= 0 else 10**6,
            -(w.account.arr_minor or 0),
            w.account.id,
        )
    )
    return warnings


def describe(warning: Warning, *, quotes: int = 3) -> str:
    """The warning in words, with the evidence behind it."""
    account = warning.account
    arr = format_money(account.arr_minor or 0, account.currency or "USD")
    renewal = (
        f", renews in {warning.renewal_days} days"
        if warning.renewal_days is not None and warning.renewal_days >= 0
        else ""
    )
    lines = [f"{account.name} ({arr} ARR{renewal}) may be about to leave:"]
    lines += [f"- {signal.words}" for signal in warning.signals]
    lines += ["", "What they said:"]
    for item in warning.evidence[:quotes]:
        lines.append(f"    {item.occurred_at:%d %b}, {item.source}: “{truncate(item.text, 220)}”")
    return "\n".join(lines)


def _month(now: datetime) -> str:
    return f"{now:%Y-%m}"


def send_alerts(session: Session, *, actor: Actor, now: datetime | None = None) -> list[int]:
    """Tell each warned account's owner and followers, once per account, set of signals and
    month; post `churn.alert` to the webhook. The ids of emails, chat posts and webhooks to
    send."""
    now = now or utcnow()
    base = get_settings().base_url.rstrip("/")
    outgoing: list[int] = []
    for warning in watch_list(session, actor=actor, now=now):
        account = warning.account
        key = f"{CHURN}:{account.id}:{warning.kinds}:{_month(now)}"
        link = f"{base}/accounts/{account.id}"
        body = "\n".join([describe(warning), "", f"The account in Huddle: {link}"])
        subject = f"Churn warning: {account.name} ({warning.level})"
        data: dict[str, object] = {
            "account_id": account.id,
            "level": warning.level,
            "signals": [s.kind for s in warning.signals],
            "feedback_ids": [f.id for f in warning.evidence],
        }
        people = {u.id: u for u in followers(session, "account", account.id)}
        if account.owner is not None and account.owner.is_active:
            people[account.owner.id] = account.owner
        for user in people.values():
            outgoing += send_to(session, key, user, subject, body, data)
        outgoing += webhook(
            session,
            f"{key}:webhook",
            "churn.alert",
            {
                **data,
                "name": account.name,
                "reasons": [s.words for s in warning.signals],
                "renewal_days": warning.renewal_days,
                "url": link,
            },
        )
    return outgoing


def marked_but_quiet(session: Session, warnings: list[Warning], *, actor: Actor) -> list[Account]:
    """Customers a person marked at risk that have no warning: the evidence does not show it,
    or they have gone quiet (which can be the worse sign)."""
    require(may_read(actor))
    warned = {w.account.id for w in warnings}
    statement = (
        select(Account)
        .where(Account.status == "customer", Account.at_risk)
        .order_by(Account.renewal_date.is_(None), Account.renewal_date, Account.name)
    )
    return [a for a in session.scalars(statement).unique() if a.id not in warned]
