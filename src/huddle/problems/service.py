import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.accounts.repository import AccountRepository
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_triage, require
from huddle.errors import Invalid, NotFound
from huddle.feedback.repository import FeedbackRepository
from huddle.insights.repository import InsightRepository
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem
from huddle.problems import figures
from huddle.problems import severity as sev
from huddle.problems.repository import LinkRepository, ProblemRepository, QuoteFilter
from huddle.problems.schemas import (
    NewProblemFromFeedback,
    ProblemCreate,
    ProblemUpdate,
    RankedProblem,
    SeverityRead,
)

# Evidence shown per page of a problem.
QUOTES_PAGE = 25


# notify/tasks.py, named here: how people are told is not the problems' business.
STATUS_TASK = "notify.problem_status"


def get_problem(session: Session, *, problem_id: int, actor: Actor) -> Problem:
    problem = ProblemRepository(session).get(actor, problem_id)
    if problem is None:
        raise NotFound(f"no problem {problem_id}")
    return problem


def _check_parent(session: Session, actor: Actor, problem_id: int | None, parent_id: int) -> None:
    problems = ProblemRepository(session)
    parent = problems.get(actor, parent_id)
    if parent is None:
        raise Invalid(f"no problem {parent_id} to roll up to", field="parent_id")
    if problem_id is None:
        return
    parents = {p.id: p.parent_id for p in problems.all(actor)}
    if parent_id in sev.descendants(parents)[problem_id]:
        raise Invalid(
            "a problem cannot roll up to itself or to a problem below it", field="parent_id"
        )


def create_problem(session: Session, *, data: ProblemCreate, actor: Actor) -> Problem:
    require(may_triage(actor))
    if data.parent_id is not None:
        _check_parent(session, actor, None, data.parent_id)
    problem = ProblemRepository(session).add(
        Problem(
            title=data.title.strip(),
            description=data.description,
            product_area=data.product_area,
            status=data.status.value,
            parent_id=data.parent_id,
            created_by_id=actor.id,
        )
    )
    record(session, actor, "created", problem, f"created problem “{problem.title}”")
    return problem


def update_problem(
    session: Session, *, problem_id: int, data: ProblemUpdate, actor: Actor
) -> Problem:
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    changes = data.model_dump(exclude_unset=True)
    reason = (changes.pop("reason", None) or "").strip()
    if changes.get("parent_id") is not None:
        _check_parent(session, actor, problem.id, changes["parent_id"])
    before = {name: getattr(problem, name) for name in changes}
    for name, value in changes.items():
        setattr(problem, name, value.value if hasattr(value, "value") else value)
    session.flush()
    summary = ", ".join(f"{name}: {before[name]} → {getattr(problem, name)}" for name in changes)
    if reason:
        summary += f" ({reason})"
    record(session, actor, "updated", problem, summary or "no change")
    if "status" in changes and before["status"] != problem.status:
        # Its owner and followers are told, with the reason (notify/): queued in this
        # transaction, so only a kept change tells anyone; the event's id keeps a second
        # run of the job from telling them twice.
        jobs.defer(
            session,
            STATUS_TASK,
            ids=[problem.id],
            event=uuid.uuid4().hex,
            before=before["status"],
            after=problem.status,
            reason=reason,
            actor_id=actor.id,
        )
    return problem


def _evidence(session: Session, actor: Actor, feedback_ids: Sequence[int]) -> Sequence[Feedback]:
    found = FeedbackRepository(session).get_many(actor, feedback_ids)
    missing = set(feedback_ids) - {item.id for item in found}
    if missing:
        raise Invalid(
            f"no evidence with id {', '.join(map(str, sorted(missing)))}", field="feedback_ids"
        )
    return found


def link_feedback(
    session: Session,
    *,
    problem_id: int,
    feedback_ids: Sequence[int],
    actor: Actor,
    quote: str | None = None,
    confidence: float | None = None,
) -> int:
    """Attach evidence to a problem; returns how many links are new."""
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    found = _evidence(session, actor, feedback_ids)
    if quote is not None and len(found) == 1 and quote.strip() not in found[0].text:
        raise Invalid("the quote must be a passage of the evidence's text", field="quote")
    links = LinkRepository(session)
    already = links.existing(problem.id, feedback_ids)
    new = [
        FeedbackLink(
            feedback_id=item.id,
            problem_id=problem.id,
            quote=(quote.strip() if quote else None),
            linked_by_id=actor.id,
            confidence=confidence,
        )
        for item in found
        if item.id not in already
    ]
    links.add_all(new)
    if new:
        # Evidence with a problem is no longer a suggestion's to offer.
        InsightRepository(session).release([n.feedback_id for n in new])
        record(
            session,
            actor,
            "linked",
            problem,
            f"linked {len(new)} evidence",
            ids=[n.feedback_id for n in new],
        )
    return len(new)


def unlink_feedback(
    session: Session, *, problem_id: int, feedback_ids: Sequence[int], actor: Actor
) -> int:
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    removed = LinkRepository(session).remove(problem.id, feedback_ids)
    if removed:
        record(
            session,
            actor,
            "unlinked",
            problem,
            f"unlinked {removed} evidence",
            ids=list(feedback_ids),
        )
    return removed


def create_from_feedback(
    session: Session, *, data: NewProblemFromFeedback, actor: Actor
) -> Problem:
    require(may_triage(actor))
    # Checked before the problem is made: a page that reports the refusal still commits.
    _evidence(session, actor, data.feedback_ids)
    problem = create_problem(
        session, data=ProblemCreate(**data.model_dump(exclude={"feedback_ids"})), actor=actor
    )
    link_feedback(session, problem_id=problem.id, feedback_ids=data.feedback_ids, actor=actor)
    return problem


def merge_problems(session: Session, *, source_id: int, target_id: int, actor: Actor) -> Problem:
    """Fold a near-duplicate problem into another: its evidence and children move, it is deleted."""
    require(may_triage(actor))
    if source_id == target_id:
        raise Invalid("a problem cannot be merged into itself", field="target_id")
    source = get_problem(session, problem_id=source_id, actor=actor)
    target = get_problem(session, problem_id=target_id, actor=actor)
    LinkRepository(session).move(source.id, target.id)
    for problem in ProblemRepository(session).all(actor):
        if problem.parent_id == source.id:
            problem.parent_id = target.id if problem.id != target.id else source.parent_id
    if target.parent_id == source.id:
        target.parent_id = source.parent_id
    record(session, actor, "merged", target, f"merged “{source.title}” into this problem")
    # Its address keeps working: it leads to the problem that absorbed it (and so do the
    # addresses of problems merged into it before).
    ProblemRepository(session).record_merge(source.id, target.id)
    session.delete(source)
    session.flush()
    return target


def linked_ids(session: Session, *, problem_id: int, actor: Actor) -> set[int]:
    """Ids of the evidence linked to this problem itself."""
    get_problem(session, problem_id=problem_id, actor=actor)
    return LinkRepository(session).feedback_ids(problem_id)


def has_children(session: Session, *, problem_id: int, actor: Actor) -> bool:
    return bool(ProblemRepository(session).children(actor, problem_id))


def delete_for_undo(session: Session, *, problem_id: int, actor: Actor) -> None:
    """Delete a problem an action just made, to take the action back."""
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    record(session, actor, "deleted", problem, f"took back “{problem.title}”")
    session.delete(problem)
    session.flush()


def merged_into(session: Session, *, problem_id: int, actor: Actor) -> int | None:
    """The problem a merged problem now lives on, if it was merged (ids are never reused)."""
    target = ProblemRepository(session).merged_into(actor, problem_id)
    if target is None or ProblemRepository(session).get(actor, target) is None:
        return None
    return target


def severities(
    session: Session, *, actor: Actor, today: date | None = None
) -> dict[int, sev.Severity]:
    """Every problem's severity figures, as kept in `problem_figures` (one query); those not
    yet refreshed are computed in memory and not written (see huddle.problems.figures)."""
    return figures.severities(session, actor=actor, today=today or utcnow().date())


def reindex_figures(
    session: Session, *, actor: Actor, progress: Callable[[int, int], None] | None = None
) -> int:
    """Recompute every problem's kept figures from scratch and write them (`huddle reindex`);
    returns how many rows were written."""
    require(may_administer(actor))
    return figures.reindex(session, today=utcnow().date(), progress=progress)


def ranked_problems(
    session: Session,
    *,
    actor: Actor,
    sort: str = "score",
    status: str | None = None,
    product_area: str | None = None,
    today: date | None = None,
) -> list[RankedProblem]:
    if sort not in sev.SORT_KEYS:
        raise Invalid(
            f"cannot sort by {sort!r}; use one of {', '.join(sev.SORT_KEYS)}", field="sort"
        )
    figures = severities(session, actor=actor, today=today)
    problems = [
        p
        for p in ProblemRepository(session).all(actor)
        if (status is None or p.status == status)
        and (product_area is None or p.product_area == product_area)
    ]
    problems = _ordered(problems, figures, sort)
    return [_ranked(p, index, figures) for index, p in enumerate(problems, start=1)]


@dataclass(frozen=True)
class ProblemChoice:
    id: int
    rank: int
    title: str


def problem_choices(session: Session, *, actor: Actor) -> list[ProblemChoice]:
    """Every problem by rank, as pickers list them (no figures built)."""
    figures = severities(session, actor=actor)
    ranking = _ordered(ProblemRepository(session).all(actor), figures, "score")
    return [ProblemChoice(p.id, rank, p.title) for rank, p in enumerate(ranking, start=1)]


def problem_titled(session: Session, *, title: str, actor: Actor) -> int | None:
    """The problem whose title is exactly this (ignoring case and spacing), if only one is."""
    wanted = " ".join(title.split()).lower()
    found = [
        p.id
        for p in ProblemRepository(session).all(actor)
        if " ".join(p.title.split()).lower() == wanted
    ]
    return found[0] if len(found) == 1 else None


def ranked_problem(session: Session, *, problem_id: int, actor: Actor) -> RankedProblem:
    """One problem with its figures and its rank by severity among all of them."""
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    figures = severities(session, actor=actor)
    ranking = _ordered(ProblemRepository(session).all(actor), figures, "score")
    return _ranked(problem, ranking.index(problem) + 1, figures)


def _ranked(problem: Problem, rank: int, figures: dict[int, sev.Severity]) -> RankedProblem:
    return RankedProblem.model_validate(
        {
            **{c: getattr(problem, c) for c in RankedProblem.model_fields if hasattr(problem, c)},
            "rank": rank,
            "severity": SeverityRead.model_validate(figures[problem.id]),
        }
    )


def _ordered(
    problems: Sequence[Problem], figures: dict[int, sev.Severity], sort: str
) -> list[Problem]:
    """Most severe first by one figure, ties broken by the score (stable for equal scores)."""
    key = sev.SORT_KEYS[sort]
    return sorted(problems, key=lambda p: (key(figures[p.id]), figures[p.id].score), reverse=True)


@dataclass
class ProblemDetail:
    problem: Problem
    severity: sev.Severity
    rank: int
    of: int
    # One page of the evidence (under the filter), and how much there is under it.
    links: Sequence[FeedbackLink]
    total: int
    accounts: list[tuple[Account, int]]
    monthly: list[tuple[str, int]]
    parent: Problem | None
    children: list[Problem]
    others: list[Problem]


def problem_detail(
    session: Session,
    *,
    problem_id: int,
    actor: Actor,
    where: QuoteFilter | None = None,
    limit: int = QUOTES_PAGE,
    offset: int = 0,
) -> ProblemDetail:
    """A problem's figures, rank, chart, accounts and one page of its evidence. The chart's
    and the accounts' counts are kept with the figures (counted from the evidence while
    they are stale) and the page of evidence is read in index order, so the page costs
    about the same at ten links or a hundred thousand."""
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    # One severity pass serves both the rank and the figures of this problem.
    every = severities(session, actor=actor)
    all_problems = ProblemRepository(session).all(actor)
    ranking = _ordered(all_problems, every, "score")
    parents = {p.id: p.parent_id for p in all_problems}
    family = sev.descendants(parents)[problem.id]
    repo = LinkRepository(session)
    kept = figures.mentions_of(session, actor=actor, problem_id=problem.id, parents=parents)
    # While the family's figures are stale, counted from the evidence (as severities() does).
    counted = kept or sev.Mentions(
        by_month=repo.family_months(family), by_account=repo.family_accounts(family)
    )
    accounts = AccountRepository(session).by_ids(set(counted.by_account))
    where = where or QuoteFilter()
    links, total = repo.family_page(
        actor,
        problem.id,
        family,
        where=where,
        limit=limit,
        offset=offset,
        known_total=_known_total(where, every[problem.id].mentions, counted.by_account, accounts),
    )
    by_arr = sorted(
        ((accounts[a], n) for a, n in counted.by_account.items() if a in accounts),
        key=lambda pair: (pair[0].arr_minor, pair[1]),
        reverse=True,
    )
    return ProblemDetail(
        problem=problem,
        severity=every[problem.id],
        rank=ranking.index(problem) + 1,
        of=len(ranking),
        links=links,
        total=total,
        accounts=by_arr,
        monthly=_last_months(counted.by_month, 12),
        parent=next((p for p in all_problems if p.id == problem.parent_id), None),
        children=[p for p in all_problems if p.parent_id == problem.id],
        others=sorted(
            (p for p in all_problems if p.id != problem.id), key=lambda p: p.title.lower()
        ),
    )


def _known_total(
    where: QuoteFilter,
    mentions: int,
    by_account: Mapping[int, int],
    accounts: Mapping[int, Account],
) -> int | None:
    """How much of the family's evidence the filter keeps, from what is counted already: all
    of it (the figures' mentions), or an account's or a segment's share (the per-account
    counts); None for a source, which nothing counts: the database counts it."""
    if where.source is not None:
        return None
    if where.account_id is None and where.segment is None:
        return mentions
    return sum(
        n
        for a, n in by_account.items()
        if a in accounts
        and where.account_id in (None, a)
        and where.segment in (None, accounts[a].segment)
    )


def _last_months(counts: Mapping[str, int], span: int) -> list[tuple[str, int]]:
    """Mentions per month ('YYYY-MM') for the last `span` months up to this one, zeros
    included so gaps show; earlier and later months are left out."""
    today = utcnow().date()
    keys = []
    year, month = today.year, today.month
    for _ in range(span):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return [(k, counts.get(k, 0)) for k in reversed(keys)]
