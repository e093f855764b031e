"""The roadmap, for each audience: what the product team plans (now, next, later, and by
quarter), what sales may show a customer, and what anyone may read without signing in.

- **internal**: every solution on the roadmap, with its score, evidence and owner; internal
  notes for the product team only.
- **sales**: only what sales leadership approved, as it was approved: title, description,
  product area, column and commitment, and the quarter only where the approver shared it.
  Never ARR, accounts, scores, problems or internal notes. A change to any of those fields
  after approval takes the item off the sales roadmap until it is approved again.
- **public**: the items marked public, when an admin has opened the public roadmap: title,
  description, product area, column and commitment. No dates.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import (
    may_administer,
    may_approve_for_sales,
    may_plan,
    may_read,
    may_read_internal_notes,
    may_read_internal_roadmap,
    may_review_for_sales,
    require,
)
from huddle.errors import Invalid, NotFound
from huddle.ideas import service as ideas
from huddle.ideas.approval import Approval, approval, fingerprint, shown_to_sales
from huddle.ideas.repository import SolutionRepository
from huddle.ideas.schemas import HORIZON_LABELS, Commitment, Horizon
from huddle.kit.time import current_quarter, shift_quarter, utcnow
from huddle.models.objective import KeyResult, KeyResultSolution
from huddle.models.solution import Solution
from huddle.models.user import User

HORIZONS = tuple(h.value for h in Horizon)
COMMITMENTS = tuple(c.value for c in Commitment)
PUBLIC_KEY = "roadmap.public"


class Audience(StrEnum):
    internal = "internal"
    sales = "sales"
    public = "public"


@dataclass(frozen=True)
class Item:
    """One item of a roadmap, holding only what its audience may see: the fields a view of
    another audience may not show are None."""

    id: int
    title: str
    description: str
    product_area: str | None
    horizon: str
    commitment: str
    quarter: str | None
    # Internal only.
    position: float = 0.0
    public: bool | None = None
    approval: str | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    owner: str | None = None
    rank: int | None = None
    score: float | None = None
    accounts: int | None = None
    arr_minor: int | None = None
    mentions: int | None = None
    value_kind: str | None = None
    internal_notes: str | None = None
    # Sales only: whether the approver shared the quarter.
    quarter_shared: bool | None = None


@dataclass(frozen=True)
class Roadmap:
    audience: Audience
    items: list[Item]
    framework: str = "rice"
    # For the product team's board: solutions not on the roadmap yet, to drag onto it.
    unplanned: list[Item] = field(default_factory=list)

    def column(self, horizon: str) -> list[Item]:
        return [item for item in self.items if item.horizon == horizon]

    @property
    def quarters(self) -> list[str]:
        """The timeline's columns: from this quarter (or the earliest planned, if earlier) to
        a year ahead (or the latest planned), one per quarter."""
        planned = sorted({i.quarter for i in self.items if i.quarter})
        first = min([current_quarter(), *planned[:1]])
        last = max([shift_quarter(current_quarter(), 3), *planned[-1:]])
        found: list[str] = []
        quarter = first
        while quarter <= last and len(found) < 40:
            found.append(quarter)
            quarter = shift_quarter(quarter, 1)
        return found

    @property
    def areas(self) -> list[str]:
        return sorted({i.product_area or "" for i in self.items}, key=lambda a: (a == "", a))


# -- reading ---------------------------------------------------------------------------------


def _objective_solutions(session: Session, objective_id: int) -> set[int]:
    statement = (
        select(KeyResultSolution.solution_id)
        .join(KeyResult, KeyResult.id == KeyResultSolution.key_result_id)
        .where(KeyResult.objective_id == objective_id)
    )
    return set(session.scalars(statement))


def _keep(
    session: Session,
    solutions: Sequence[Solution],
    product_area: str | None,
    objective_id: int | None,
) -> list[Solution]:
    chosen = list(solutions)
    if product_area:
        chosen = [s for s in chosen if s.product_area == product_area]
    if objective_id is not None:
        serving = _objective_solutions(session, objective_id)
        chosen = [s for s in chosen if s.id in serving]
    return chosen


def _ordered(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (HORIZONS.index(i.horizon), i.position, i.id))


def roadmap(
    session: Session,
    *,
    actor: Actor | None,
    audience: Audience = Audience.internal,
    product_area: str | None = None,
    objective_id: int | None = None,
    framework: str = "rice",
) -> Roadmap:
    """The roadmap as `audience` sees it. `actor` is None only for the public roadmap, which
    anyone reads once an admin opened it; a member of the workspace may read (and export)
    what it would show before it is opened."""
    if audience == Audience.public:
        member = actor is not None and may_read(actor) is None
        if not (member or public_enabled(session)):
            raise NotFound("this workspace has no public roadmap")
        return _public(session, product_area, objective_id)
    if actor is None:
        raise NotFound("sign in to read this roadmap")
    require(may_read(actor))
    if audience == Audience.sales:
        return _sales(session, actor, product_area, objective_id)
    require(may_read_internal_roadmap(actor))
    return _internal(session, actor, product_area, objective_id, framework)


def _internal(
    session: Session,
    actor: Actor,
    product_area: str | None,
    objective_id: int | None,
    framework: str,
) -> Roadmap:
    ranked = ideas.ranked(session, actor=actor, framework=framework)
    kept = {s.id for s in _keep(session, [r.solution for r in ranked], product_area, objective_id)}
    notes = may_read_internal_notes(actor) is None
    approvers = _approvers(session, [r.solution for r in ranked])
    items: list[Item] = []
    unplanned: list[Item] = []
    for entry in ranked:
        solution = entry.solution
        if solution.id not in kept:
            continue
        score = entry.scores[framework].value if framework in entry.scores else None
        item = Item(
            id=solution.id,
            title=solution.title,
            description=solution.description,
            product_area=solution.product_area,
            horizon=solution.horizon or "",
            commitment=solution.commitment,
            quarter=solution.quarter,
            position=solution.position,
            public=solution.public,
            approval=approval(solution).value,
            approved_by=approvers.get(solution.sales_approved_by_id or 0),
            approved_at=solution.sales_approved_at,
            owner=solution.owner.name if solution.owner else None,
            rank=entry.rank,
            score=score,
            accounts=solution.accounts,
            arr_minor=solution.arr_minor,
            mentions=solution.mentions,
            value_kind=entry.value_kind,
            internal_notes=solution.internal_notes if notes else None,
        )
        (items if solution.horizon else unplanned).append(item)
    return Roadmap(Audience.internal, _ordered(items), framework, unplanned)


def _approvers(session: Session, solutions: Sequence[Solution]) -> dict[int, str]:
    ids = {s.sales_approved_by_id for s in solutions if s.sales_approved_by_id}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}


def _on_roadmap(session: Session) -> Sequence[Solution]:
    statement = select(Solution).where(Solution.horizon.is_not(None)).order_by(Solution.id)
    return session.scalars(statement).unique().all()


def _sales(
    session: Session, actor: Actor, product_area: str | None, objective_id: int | None
) -> Roadmap:
    items = []
    for solution in _keep(session, _on_roadmap(session), product_area, objective_id):
        if approval(solution) != Approval.approved or solution.sales_approved is None:
            continue
        shown = solution.sales_approved
        items.append(
            Item(
                id=solution.id,
                title=shown["title"] or "",
                description=shown["description"] or "",
                product_area=shown["product_area"],
                horizon=shown["horizon"] or "",
                commitment=shown["commitment"] or Commitment.exploring.value,
                quarter=shown.get("shared_quarter"),
                position=solution.position,
                quarter_shared=shown.get("shared_quarter") is not None,
            )
        )
    return Roadmap(Audience.sales, _ordered(items))


def _public(session: Session, product_area: str | None, objective_id: int | None) -> Roadmap:
    items = [
        Item(
            id=s.id,
            title=s.title,
            description=s.description,
            product_area=s.product_area,
            horizon=s.horizon or "",
            commitment=s.commitment,
            quarter=None,
            position=s.position,
        )
        for s in _keep(session, _on_roadmap(session), product_area, objective_id)
        if s.public
    ]
    return Roadmap(Audience.public, _ordered(items))


def awaiting_approval(session: Session, *, actor: Actor) -> list[Solution]:
    """What sales leadership has to look at: items on the roadmap not (or no longer)
    approved for sales, in board order."""
    require(may_review_for_sales(actor))
    waiting = [s for s in _on_roadmap(session) if approval(s) != Approval.approved]
    return sorted(waiting, key=lambda s: (HORIZONS.index(s.horizon or "now"), s.position, s.id))


def table(found: Roadmap) -> list[list[object]]:
    """The roadmap as a table: a header, then one row per item in board order, with only
    the columns its audience may see (the CLI's CSV export too)."""
    public = ["id", "title", "description", "product_area", "horizon", "commitment"]
    header: list[object] = list(public)
    if found.audience != Audience.public:
        header.append("quarter")
    if found.audience == Audience.internal:
        header += [
            "rank",
            f"score_{found.framework}",
            "accounts",
            "arr",
            "mentions",
            "owner",
            "public",
            "sales_approval",
            "internal_notes",
        ]
    table: list[list[object]] = [header]
    for item in found.items:
        row: list[object] = [getattr(item, name) or "" for name in public]
        if found.audience != Audience.public:
            row.append(item.quarter or "")
        if found.audience == Audience.internal:
            row += [
                item.rank or "",
                "" if item.score is None else round(item.score, 2),
                item.accounts or 0,
                (item.arr_minor or 0) / 100,
                item.mentions or 0,
                item.owner or "",
                "yes" if item.public else "no",
                item.approval or "",
                item.internal_notes or "",
            ]
        table.append(row)
    return table


# -- changing --------------------------------------------------------------------------------


def move(
    session: Session,
    *,
    solution_id: int,
    horizon: str | None,
    before_id: int | None = None,
    actor: Actor,
) -> Solution:
    """Drag and drop: a solution into a column (None: off the roadmap), before another item
    of that column or at its end."""
    require(may_plan(actor))
    if horizon is not None and horizon not in HORIZONS:
        raise Invalid(f"unknown column {horizon!r}: use {', '.join(HORIZONS)}", field="horizon")
    solution = ideas.get_solution(session, solution_id=solution_id, actor=actor)
    was = solution.horizon
    ideas.place_on_roadmap(session, solution, horizon, before_id=before_id)
    if was != horizon:
        where = HORIZON_LABELS.get(horizon or "", "off the roadmap")
        record(session, actor, "moved", solution, f"moved to {where}", horizon=horizon)
    return solution


def approve_for_sales(
    session: Session, *, solution_id: int, share_quarter: bool, actor: Actor
) -> Solution:
    """Sales leadership approves the item as it is now for the sales-safe roadmap, with its
    quarter or without."""
    require(may_approve_for_sales(actor))
    solution = ideas.get_solution(session, solution_id=solution_id, actor=actor)
    if solution.horizon is None:
        raise Invalid("put it on the roadmap before approving it for sales", field="horizon")
    if share_quarter and not solution.quarter:
        raise Invalid("it has no quarter to share: approve it without one", field="share_quarter")
    shown = shown_to_sales(solution)
    solution.sales_approved = {
        **shown,
        "shared_quarter": shown["quarter"] if share_quarter else None,
    }
    solution.sales_approved_hash = fingerprint(shown)
    solution.sales_approved_by_id = actor.id
    solution.sales_approved_at = utcnow()
    session.flush()
    with_quarter = f" with {solution.quarter}" if share_quarter else " without a date"
    record(session, actor, "approved", solution, f"approved for sales{with_quarter}")
    return solution


def withdraw_sales_approval(session: Session, *, solution_id: int, actor: Actor) -> Solution:
    require(may_approve_for_sales(actor))
    solution = ideas.get_solution(session, solution_id=solution_id, actor=actor)
    if solution.sales_approved_hash is None:
        return solution
    solution.sales_approved = None
    solution.sales_approved_hash = None
    solution.sales_approved_by_id = None
    solution.sales_approved_at = None
    session.flush()
    record(session, actor, "withdrawn", solution, "sales approval withdrawn")
    return solution


def public_enabled(session: Session) -> bool:
    stored = SolutionRepository(session).meta(PUBLIC_KEY) or {}
    return bool(stored.get("enabled"))


def set_public(session: Session, *, enabled: bool, actor: Actor) -> None:
    """An admin opens (or closes) the public roadmap: a page anyone may read."""
    require(may_administer(actor))
    SolutionRepository(session).set_meta(PUBLIC_KEY, {"enabled": enabled})
