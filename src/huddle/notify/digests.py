"""Weekly digests, each for its audience, about the reader's own accounts and requests.

- **sales**, for each account owner: what shipped this week that their accounts asked for,
  what is committed on the sales-safe roadmap for them (as sales leadership approved it),
  what their accounts said this week (with a chart of the weeks before), and their accounts
  to watch: churn warnings (notify/churn.py) first, then those marked at risk or renewing.
- **support**: the known problems behind this week's tickets and chats, with their status,
  and the tickets that no problem explains yet.
- **leadership**: the problems rising fastest with the ARR at stake (charted), the customers
  who may leave, the go/no-go decisions of the week, what shipped this week, the roadmap by commitment, and the portfolio's
  value balance.

A digest is read in the app (*Digests*), exported as Markdown, and sent weekly (in the app,
and by email as plain text and as HTML with its charts as attached images) under a key of the audience, the person and the ISO week: sent twice in a
week, it is one message.
"""

import base64
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_read, require
from huddle.config import get_settings
from huddle.errors import Invalid
from huddle.ideas import service as ideas
from huddle.ideas.approval import Approval, approval
from huddle.kit import png
from huddle.kit.money import format_money
from huddle.kit.text import truncate
from huddle.kit.time import utcnow
from huddle.launch.decisions import OUTCOMES
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.launch import Decision
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.user import User
from huddle.notify import churn
from huddle.notify.service import send_to
from huddle.problems import service as problems

AUDIENCES = ("sales", "support", "leadership")
OPEN_STATUSES = ("new", "validated", "planned")
RISING = 5
WEEK = timedelta(days=7)
SUPPORT_SOURCES = ("ticket", "chat")
MAX_LINES = 25
WEEKS_CHARTED = 8


def _uri(png_bytes: bytes) -> str:
    return f"data:image/png;base64,{base64.b64encode(png_bytes).decode()}"


def _line_bars(rows: list[list[float]]) -> list[bytes]:
    """One small chart per line, all on the scale of the largest value."""
    top = max((v for row in rows for v in row), default=0.0) or 1.0
    return [png.bars([row], top=top, width=120, bar=6, gap=1) for row in rows]


@dataclass
class Section:
    title: str
    lines: list[str] = field(default_factory=list)
    empty: str = "Nothing this week."
    chart: bytes | None = None  # a PNG (kit/png.py), its figures in `chart_alt`
    chart_alt: str = ""
    # A small bar chart (PNG) before each line, on one scale; its figures are in the line.
    bars: list[bytes] = field(default_factory=list)

    @property
    def bar_uris(self) -> list[str]:
        return [_uri(b) for b in self.bars]

    @property
    def chart_uri(self) -> str:
        """The chart as a data: URI, for the page in the app."""
        return _uri(self.chart) if self.chart else ""


@dataclass
class Digest:
    audience: str
    reader: User
    start: datetime
    end: datetime
    sections: list[Section]

    @property
    def subject(self) -> str:
        return f"Your {self.audience} digest, week of {self.start:%d %b %Y}"

    @property
    def week(self) -> str:
        year, week, _ = self.end.isocalendar()
        return f"{year}-W{week:02d}"

    def text(self) -> str:
        out = [self.subject, ""]
        for section in self.sections:
            out += [section.title, "-" * len(section.title)]
            out += [f"- {line}" for line in section.lines] or [section.empty]
            out.append("")
        base = get_settings().base_url.rstrip("/")
        out.append(f"Huddle: {base}/digests?audience={self.audience}")
        return "\n".join(out)

    def html(self) -> str:
        """The email's HTML: each chart is an image attached under the Content-ID
        `chart-N` (see `images`); delivery adds the unsubscribe link."""
        base = get_settings().base_url.rstrip("/")
        out = [
            '<!doctype html><html><body style="font-family:system-ui,sans-serif;'
            'color:#111827;max-width:640px">',
            f'<h1 style="font-size:20px">{escape(self.subject)}</h1>',
        ]
        for index, section in enumerate(self.sections, start=1):
            out.append(f'<h2 style="font-size:16px;margin-top:24px">{escape(section.title)}</h2>')
            if section.chart:
                out.append(
                    f'<img src="cid:chart-{index}" alt="{escape(section.chart_alt)}" '
                    'style="display:block;margin:8px 0">'
                )
            if section.lines:
                out.append("<ul>")
                for number, line in enumerate(section.lines):
                    bar = (
                        f'<img src="cid:chart-{index}-{number}" alt="" width="120"> '
                        if number < len(section.bars)
                        else ""
                    )
                    out.append(f"<li>{bar}{escape(line)}</li>")
                out.append("</ul>")
            else:
                out.append(f'<p style="color:#6b7280">{escape(section.empty)}</p>')
        link = f"{base}/digests?audience={self.audience}"
        out.append(f'<p><a href="{escape(link)}">Read it in Huddle</a></p>')
        out.append("</body></html>")
        return "\n".join(out)

    @property
    def images(self) -> dict[str, str]:
        """The charts by Content-ID, base64-encoded (as a message's data keeps them)."""
        found = {}
        for index, section in enumerate(self.sections, start=1):
            if section.chart:
                found[f"chart-{index}"] = base64.b64encode(section.chart).decode()
            for number, bar in enumerate(section.bars):
                found[f"chart-{index}-{number}"] = base64.b64encode(bar).decode()
        return found

    def markdown(self) -> str:
        out = [f"# {self.subject}", ""]
        for section in self.sections:
            out += [f"## {section.title}", ""]
            out += [f"- {line}" for line in section.lines] or [section.empty]
            out.append("")
        return "\n".join(out)


def _problems_of(session: Session, feedback_ids: set[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    if feedback_ids:
        rows = session.execute(
            select(FeedbackLink.feedback_id, FeedbackLink.problem_id).where(
                FeedbackLink.feedback_id.in_(feedback_ids)
            )
        )
        for feedback_id, problem_id in rows:
            found[feedback_id].add(problem_id)
    return found


def _solutions_for(session: Session, problem_ids: set[int]) -> dict[int, set[int]]:
    """Solution id -> the problems among `problem_ids` it addresses."""
    found: dict[int, set[int]] = defaultdict(set)
    if problem_ids:
        rows = session.execute(
            select(SolutionProblem.solution_id, SolutionProblem.problem_id).where(
                SolutionProblem.problem_id.in_(problem_ids)
            )
        )
        for solution_id, problem_id in rows:
            found[solution_id].add(problem_id)
    return found


def sales_digest(session: Session, reader: User, *, now: datetime | None = None) -> Digest:
    end = now or utcnow()
    start = end - WEEK
    accounts = {
        a.id: a for a in session.scalars(select(Account).where(Account.owner_id == reader.id))
    }
    evidence = list(
        session.scalars(
            select(Feedback)
            .where(Feedback.account_id.in_(accounts))
            .order_by(Feedback.occurred_at.desc(), Feedback.id)
        )
    )
    problems_of = _problems_of(session, {f.id for f in evidence})
    asked: dict[int, set[int]] = defaultdict(set)  # problem -> accounts that asked
    for item in evidence:
        for problem_id in problems_of[item.id]:
            asked[problem_id].add(item.account_id or 0)
    solutions = _solutions_for(session, set(asked))
    shipped, committed = (
        Section("Shipped this week for your accounts"),
        Section("Committed for your accounts", empty="Nothing committed for them yet."),
    )
    chosen = session.scalars(select(Solution).where(Solution.id.in_(solutions))).unique()
    for solution in sorted(chosen, key=lambda s: s.title.lower()):
        names = sorted(
            {accounts[a].name for p in solutions[solution.id] for a in asked[p] if a in accounts}
        )
        who = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
        if (
            solution.commitment == "shipped"
            and solution.shipped_at
            and solution.shipped_at >= start
        ):
            shipped.lines.append(f"{solution.title}: asked for by {who}")
        elif approval(solution) == Approval.approved and solution.sales_approved:
            shown = solution.sales_approved
            if shown.get("commitment") == "committed":
                when = shown.get("shared_quarter") or "no date shared"
                committed.lines.append(f"{shown.get('title')} ({when}): asked for by {who}")
    said = Section("What your accounts said this week")
    weekly = [0] * WEEKS_CHARTED
    for item in evidence:
        age = int((end - item.occurred_at) / WEEK)
        if 0 <= age < WEEKS_CHARTED:
            weekly[WEEKS_CHARTED - 1 - age] += 1
    if any(weekly):
        said.chart = png.columns(weekly)
        said.chart_alt = (
            f"Items from your accounts a week, the last {WEEKS_CHARTED} weeks, oldest first: "
            + ", ".join(map(str, weekly))
        )
    for item in evidence:
        if item.occurred_at < start or len(said.lines) >= MAX_LINES:
            continue
        account = accounts.get(item.account_id or 0)
        said.lines.append(
            f"{account.name if account else 'An account'} ({item.source}): "
            f"“{truncate(item.text, 180)}”"
        )
    warned = {
        w.account.id: w
        for w in churn.watch_list(session, actor=Actor(reader), now=end)
        if w.account.id in accounts
    }
    risky = [a for a in accounts.values() if a.at_risk or a.id in warned or _renews_soon(a, end)]
    watch = Section(
        "Your accounts to watch", empty="None warned, at risk or renewing within 90 days."
    )
    ordered = sorted(risky, key=lambda a: (a.id not in warned, -(a.arr_minor or 0)))
    for account in ordered[:MAX_LINES]:
        parts = [format_money(account.arr_minor or 0, account.currency or "USD", compact=True)]
        if account.id in warned:
            found = warned[account.id]
            parts.append(f"churn warning ({'; '.join(x.words for x in found.signals)})")
        if account.at_risk:
            parts.append("marked at risk")
        if account.renewal_date:
            parts.append(f"renews {account.renewal_date:%d %b %Y}")
        watch.lines.append(f"{account.name}: {', '.join(parts)}")
    return Digest("sales", reader, start, end, [shipped, committed, said, watch])


def _renews_soon(account: Account, now: datetime) -> bool:
    if account.renewal_date is None:
        return False
    return 0 <= (account.renewal_date - now.date()).days <= 90


def support_digest(session: Session, reader: User, *, now: datetime | None = None) -> Digest:
    end = now or utcnow()
    start = end - WEEK
    tickets = list(
        session.scalars(
            select(Feedback).where(
                Feedback.source.in_(SUPPORT_SOURCES),
                Feedback.occurred_at >= start,
                Feedback.occurred_at <= end,
            )
        )
    )
    problems_of = _problems_of(session, {t.id for t in tickets})
    counts: dict[int, int] = defaultdict(int)
    for ticket in tickets:
        for problem_id in problems_of[ticket.id]:
            counts[problem_id] += 1
    problems = {p.id: p for p in session.scalars(select(Problem).where(Problem.id.in_(counts)))}
    solutions = _solutions_for(session, set(problems))
    planned: dict[int, list[str]] = defaultdict(list)
    for solution in session.scalars(select(Solution).where(Solution.id.in_(solutions))).unique():
        if solution.horizon or solution.commitment == "shipped":
            for problem_id in solutions[solution.id]:
                planned[problem_id].append(f"{solution.title} ({solution.commitment})")
    known = Section("Known problems behind this week's tickets")
    charted: list[float] = []
    for problem_id, count in sorted(counts.items(), key=lambda pc: -pc[1])[:MAX_LINES]:
        problem = problems.get(problem_id)
        if problem is None:
            continue
        status = problem.status.replace("_", " ")
        plan = f"; {'; '.join(planned[problem_id])}" if planned[problem_id] else ""
        charted.append(float(count))
        known.lines.append(
            f"{problem.title} — {count} ticket{'s' if count != 1 else ''}, {status}{plan}"
        )
    known.bars = _line_bars([[c] for c in charted])
    unexplained = [t for t in tickets if not problems_of[t.id]]
    new = Section("Tickets no known problem explains yet", empty="Every ticket is explained.")
    new.lines = [f"“{truncate(t.text, 160)}”" for t in unexplained[:MAX_LINES]]
    if len(unexplained) > MAX_LINES:
        new.lines.append(f"… and {len(unexplained) - MAX_LINES} more in the inbox")
    return Digest("support", reader, start, end, [known, new])


def leadership_digest(session: Session, reader: User, *, now: datetime | None = None) -> Digest:
    end = now or utcnow()
    start = end - WEEK
    actor = Actor(reader)
    rising = Section("Rising problems", empty="No problem is rising.")
    ranked = problems.ranked_problems(session, actor=actor, sort="trend")
    rising_figures: list[tuple[float, float]] = []
    for item in [p for p in ranked if p.status in OPEN_STATUSES][: RISING * 3]:
        figures = item.severity
        if figures.recent <= figures.previous or len(rising.lines) >= RISING:
            continue
        at_stake = format_money(figures.arr_minor, compact=True)
        risk = (
            f", {format_money(figures.arr_at_risk_minor, compact=True)} of it at risk"
            if figures.arr_at_risk_minor
            else ""
        )
        rising_figures.append((figures.previous, figures.recent))
        rising.lines.append(
            f"{item.title}: {figures.recent} mentions in 30 days (the 30 before: "
            f"{figures.previous}), {figures.accounts} accounts, {at_stake} ARR{risk}; "
            f"{item.status.replace('_', ' ')}"
        )
    rising.bars = _line_bars([[p, r] for p, r in rising_figures])
    warnings = churn.watch_list(session, actor=actor, now=end)
    leaving = Section("Customers who may leave", empty="No churn warning.")
    if warnings:
        total = sum(w.account.arr_minor or 0 for w in warnings)
        high = sum(1 for w in warnings if w.level == "high")
        leaving.lines.append(
            f"{len(warnings)} customers on the watch list ({high} high), "
            f"{format_money(total, compact=True)} ARR"
        )
        for w in sorted(warnings, key=lambda w: -(w.account.arr_minor or 0))[:RISING]:
            arr = format_money(w.account.arr_minor or 0, w.account.currency or "USD", compact=True)
            renews = f", renews in {w.renewal_days} days" if w.renewal_days is not None else ""
            leaving.lines.append(
                f"{w.account.name} ({arr}{renews}): {'; '.join(x.words for x in w.signals)}"
            )
    solutions = list(session.scalars(select(Solution)).unique())
    titles = {s.id: s.title for s in solutions}
    decided = Section("Go/no-go decisions this week", empty="No decision this week.")
    statement = (
        select(Decision)
        .where(Decision.created_at >= start, Decision.created_at <= end)
        .order_by(Decision.created_at, Decision.id)
    )
    for decision in session.scalars(statement).unique():
        outcome = OUTCOMES.get(decision.outcome, decision.outcome)
        who = f" ({decision.decided_by.name})" if decision.decided_by else ""
        decided.lines.append(
            f"{titles.get(decision.solution_id, 'A solution')}: {outcome}{who}: "
            f"{truncate(decision.reasons, 160)}"
        )
    shipped = Section("Shipped this week")
    shipped.lines = [
        f"{s.title}" + (f" ({s.product_area})" if s.product_area else "")
        for s in sorted(solutions, key=lambda s: s.title.lower())
        if s.commitment == "shipped" and s.shipped_at and s.shipped_at >= start
    ]
    planned = Section("On the roadmap", empty="Nothing on the roadmap yet.")
    for level in ("committed", "planned", "exploring"):
        chosen = [s for s in solutions if s.horizon and s.commitment == level]
        if chosen:
            names = ", ".join(s.title for s in sorted(chosen, key=lambda s: s.position)[:6])
            more = f" and {len(chosen) - 6} more" if len(chosen) > 6 else ""
            planned.lines.append(f"{len(chosen)} {level}: {names}{more}")
    balance = Section("Value balance", empty="No solution yet.")
    for row in ideas.value_balance(ideas.ranked(session, actor=actor)):
        balance.lines.append(
            f"{row.area}: {row.delivers + row.both} deliver value to users, "
            f"{row.derives + row.both} derive value from them ({row.both} both, "
            f"{row.untagged} untagged); effort {row.delivers_effort:g} / "
            f"{row.derives_effort:g} person-months"
        )
    sections = [rising, leaving, decided, shipped, planned, balance]
    return Digest("leadership", reader, start, end, sections)


BUILDERS = {"sales": sales_digest, "support": support_digest, "leadership": leadership_digest}


def digest(session: Session, *, audience: str, actor: Actor, now: datetime | None = None) -> Digest:
    """The actor's own digest for `audience`."""
    require(may_read(actor))
    if audience not in BUILDERS:
        raise Invalid(f"unknown digest {audience!r}: use {', '.join(AUDIENCES)}", field="audience")
    return BUILDERS[audience](session, actor.user, now=now)


def readers(session: Session, audience: str) -> list[User]:
    """Who gets an audience's digest: the active members of that team."""
    return list(
        session.scalars(select(User).where(User.team == audience, User.is_active).order_by(User.id))
    )


def send_digests(
    session: Session,
    *,
    audience: str,
    actor: Actor | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> tuple[list[Digest], list[int]]:
    """Each reader's digest, written as messages (in the app, and by email when mail is set
    up) unless a dry run; the digests, and the ids of emails to send."""
    if actor is not None:
        require(may_administer(actor))
    if audience not in BUILDERS:
        raise Invalid(f"unknown digest {audience!r}: use {', '.join(AUDIENCES)}", field="audience")
    made = [BUILDERS[audience](session, reader, now=now) for reader in readers(session, audience)]
    emails: list[int] = []
    if not dry_run:
        for found in made:
            emails += send_to(
                session,
                f"digest:{audience}:{found.week}",
                found.reader,
                found.subject,
                found.text(),
                {
                    "audience": audience,
                    "week": found.week,
                    "html": found.html(),
                    "images": found.images,
                },
            )
    return made, emails
