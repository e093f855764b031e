"""Solutions: created and edited by the product team, linked to the problems they address,
and ranked by a scoring framework (ideas/scoring.py) over the PM's estimates and the kept
evidence figures (ideas/figures.py)."""

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import MISSING
from sqlalchemy.orm import Session

from huddle import jobs
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import (
    may_administer,
    may_plan,
    may_read,
    may_read_internal_notes,
    require,
)
from huddle.errors import Invalid, NotFound
from huddle.ideas import figures, scoring
from huddle.ideas.formula import FormulaError
from huddle.ideas.repository import SolutionRepository
from huddle.ideas.schemas import DELIVERED, DERIVED, SolutionCreate, SolutionUpdate, ValueTag
from huddle.kit.time import utcnow
from huddle.models.solution import Solution

ESTIMATES = scoring.INPUTS
CUSTOM_KEY = "scoring.custom"
# notify/tasks.py; named here, not imported: the product team's rules don't depend on how
# people are told.
SHIPPED_TASK = "notify.solution_shipped"
COMMITMENT_TASK = "notify.solution_commitment"


@dataclass(frozen=True)
class Ranked:
    """A solution with what it is judged by: its problems, the values its scores used, and
    every framework's score."""

    solution: Solution
    problem_ids: list[int]
    values: dict[str, float | None]
    scores: dict[str, scoring.Score]
    rank: int = 0
    notes_visible: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def reach_from_problems(self) -> bool:
        return self.solution.reach is None

    @property
    def value_kind(self) -> str | None:
        tags = {ValueTag(t) for t in self.solution.value_tags if t in ValueTag.__members__}
        delivers, derives = bool(tags & DELIVERED), bool(tags & DERIVED)
        if delivers and derives:
            return "both"
        return "delivers" if delivers else "derives" if derives else None


def get_solution(session: Session, *, solution_id: int, actor: Actor) -> Solution:
    solution = SolutionRepository(session).get(actor, solution_id)
    if solution is None:
        raise NotFound(f"solution {solution_id} not found")
    return solution


def _check_estimates(values: Mapping[str, float | None]) -> None:
    problems = scoring.validate_inputs(values)
    if problems:
        name, message = next(iter(problems.items()))
        raise Invalid(message, field=name)


def _check_problems(session: Session, problem_ids: Sequence[int]) -> list[int]:
    chosen = list(dict.fromkeys(problem_ids))
    missing = sorted(set(chosen) - SolutionRepository(session).existing_problems(chosen))
    if missing:
        raise Invalid(
            f"no problem {', '.join(str(i) for i in missing)}: choose problems that exist",
            field="problem_ids",
        )
    return chosen


def _clean_tags(tags: Sequence[ValueTag | str]) -> list[str]:
    return list(dict.fromkeys(ValueTag(t).value for t in tags))


def create_solution(session: Session, *, data: SolutionCreate, actor: Actor) -> Solution:
    require(may_plan(actor))
    estimates = {name: getattr(data, name) for name in ESTIMATES}
    _check_estimates(estimates)
    problem_ids = _check_problems(session, data.problem_ids)
    _check_criteria(session, data.criteria)
    repo = SolutionRepository(session)
    solution = repo.add(
        Solution(
            title=data.title.strip(),
            description=data.description,
            internal_notes=data.internal_notes,
            product_area=(data.product_area or "").strip() or None,
            created_by_id=actor.id,
            owner_id=actor.id,
            criteria=dict(data.criteria),
            value_tags=_clean_tags(data.value_tags),
            commitment=data.commitment.value,
            quarter=data.quarter,
            public=data.public,
            **estimates,
        )
    )
    if data.horizon is not None:
        place_on_roadmap(session, solution, data.horizon.value)
    if data.commitment.value == "shipped":
        solution.shipped_at = utcnow()
        jobs.defer(session, SHIPPED_TASK, ids=[solution.id])
    repo.set_problems(solution.id, problem_ids)
    figures.write(session, [solution.id])
    record(session, actor, "created", solution, f"created solution “{solution.title}”")
    return solution


def update_solution(
    session: Session, *, solution_id: int, data: SolutionUpdate, actor: Actor
) -> Solution:
    require(may_plan(actor))
    solution = get_solution(session, solution_id=solution_id, actor=actor)
    sent = {name: getattr(data, name) for name in type(data).model_fields}
    sent = {name: value for name, value in sent.items() if value is not MISSING}
    # Why it changed is said to followers and kept in the log, not a field of the solution.
    reason = (sent.pop("reason", None) or "").strip()
    for name in ("title", "description", "internal_notes"):
        if name in sent and sent[name] is None:
            raise Invalid(f"{name} cannot be null", field=name)
    estimates = {name: getattr(solution, name) for name in ESTIMATES}
    estimates.update({name: sent[name] for name in ESTIMATES if name in sent})
    _check_estimates(estimates)
    if "criteria" in sent:
        _check_criteria(session, sent["criteria"])
        solution.criteria = dict(sent["criteria"])
    for name in ESTIMATES:
        if name in sent:
            setattr(solution, name, sent[name])
    if "title" in sent:
        solution.title = sent["title"].strip()
    for name in ("description", "internal_notes"):
        if name in sent:
            setattr(solution, name, sent[name])
    if "product_area" in sent:
        solution.product_area = (sent["product_area"] or "").strip() or None
    if "value_tags" in sent:
        solution.value_tags = _clean_tags(sent["value_tags"])
    if "commitment" in sent and sent["commitment"].value != solution.commitment:
        # Its followers are told, with the reason (notify/); the event's id keeps a second
        # run of the job from telling them twice.
        jobs.defer(
            session,
            COMMITMENT_TASK,
            ids=[solution.id],
            event=uuid.uuid4().hex,
            before=solution.commitment,
            after=sent["commitment"].value,
            reason=reason,
            actor_id=actor.id,
        )
    if "commitment" in sent:
        shipped = sent["commitment"].value == "shipped" != solution.commitment
        solution.commitment = sent["commitment"].value
        if shipped:
            solution.shipped_at = utcnow()
            # Account owners and contributors are told (notify/): in this transaction, so
            # only a kept change tells anyone.
            jobs.defer(session, SHIPPED_TASK, ids=[solution.id])
    for name in ("quarter", "public"):
        if name in sent:
            setattr(solution, name, sent[name])
    if "horizon" in sent:
        horizon = sent["horizon"].value if sent["horizon"] is not None else None
        if horizon != solution.horizon:
            place_on_roadmap(session, solution, horizon)
    if "problem_ids" in sent:
        SolutionRepository(session).set_problems(
            solution.id, _check_problems(session, sent["problem_ids"])
        )
        figures.write(session, [solution.id])
    session.flush()
    summary = f"edited {', '.join(sorted(sent))}" + (f" ({reason})" if reason else "")
    record(session, actor, "edited", solution, summary, fields=sorted(sent))
    return solution


def place_on_roadmap(
    session: Session, solution: Solution, horizon: str | None, *, before_id: int | None = None
) -> None:
    """Put a solution in a column of the roadmap (None: off it), before another item of that
    column or at its end; the column's items are numbered again in their new order."""
    solution.horizon = horizon
    if horizon is None:
        solution.position = 0.0
        return
    repo = SolutionRepository(session)
    column = [s for s in repo.in_column(horizon) if s.id != solution.id]
    at = next((i for i, s in enumerate(column) if s.id == before_id), len(column))
    column.insert(at, solution)
    for position, item in enumerate(column, start=1):
        item.position = float(position)
    session.flush()


def delete_solution(session: Session, *, solution_id: int, actor: Actor) -> None:
    require(may_plan(actor))
    solution = get_solution(session, solution_id=solution_id, actor=actor)
    record(session, actor, "deleted", solution, f"deleted solution “{solution.title}”")
    SolutionRepository(session).delete(solution)


def link_problem(session: Session, *, solution_id: int, problem_id: int, actor: Actor) -> None:
    """Say the solution addresses one more problem (from the problem's page)."""
    require(may_plan(actor))
    solution = get_solution(session, solution_id=solution_id, actor=actor)
    repo = SolutionRepository(session)
    current = repo.problem_ids([solution.id])[solution.id]
    if problem_id in current:
        return
    repo.set_problems(solution.id, _check_problems(session, [*current, problem_id]))
    figures.write(session, [solution.id])
    record(session, actor, "linked", solution, f"addresses problem {problem_id}")


def reindex_figures(session: Session, *, actor: Actor) -> int:
    """Count every solution's evidence figures from scratch (`huddle reindex`)."""
    require(may_administer(actor))
    return figures.reindex(session)


# -- ranking --------------------------------------------------------------------------------


def _values(solution: Solution) -> dict[str, float | None]:
    values: dict[str, float | None] = {name: getattr(solution, name) for name in ESTIMATES}
    if values["reach"] is None:
        values["reach"] = float(solution.accounts)
    return values


def _score_all(
    solution: Solution, custom: scoring.CustomFramework | None
) -> tuple[dict[str, float | None], dict[str, scoring.Score]]:
    values = _values(solution)
    scores = {name: scoring.score(name, values) for name in ("rice", "ice", "wsjf")}
    if custom is not None:
        criteria: dict[str, float | None] = {c.name: None for c in custom.criteria}
        criteria.update(solution.criteria)
        scores["custom"] = scoring.score("custom", criteria, custom)
    return values, scores


def _order(ranked: list[Ranked], framework: str) -> list[Ranked]:
    def key(item: Ranked) -> tuple[int, float, int, int]:
        found = item.scores.get(framework)
        value = found.value if found is not None else None
        return (value is None, -(value or 0.0), -item.solution.accounts, item.solution.id)

    ordered = sorted(ranked, key=key)
    return [
        Ranked(r.solution, r.problem_ids, r.values, r.scores, rank, r.notes_visible, r.extra)
        for rank, r in enumerate(ordered, start=1)
    ]


def ranked(
    session: Session,
    *,
    actor: Actor,
    framework: str = "rice",
    product_area: str | None = None,
    problem_id: int | None = None,
) -> list[Ranked]:
    """Every solution (of a product area, or addressing a problem), best first by
    `framework`; those it cannot score (an estimate missing) last."""
    require(may_read(actor))
    if framework not in scoring.FRAMEWORKS:
        raise Invalid(
            f"unknown framework {framework!r}: use {', '.join(scoring.FRAMEWORKS)}",
            field="framework",
        )
    custom = custom_framework(session)
    if framework == "custom" and custom is None:
        raise Invalid(
            "this workspace has no framework of its own yet: an admin defines its criteria",
            field="framework",
        )
    repo = SolutionRepository(session)
    solutions = repo.all(actor, product_area=product_area, problem_id=problem_id)
    problems = repo.problem_ids([s.id for s in solutions])
    notes = may_read_internal_notes(actor) is None
    found = []
    for solution in solutions:
        values, scores = _score_all(solution, custom)
        found.append(Ranked(solution, problems[solution.id], values, scores, 0, notes))
    return _order(found, framework)


def ranked_one(
    session: Session, *, solution_id: int, actor: Actor, framework: str = "rice"
) -> Ranked:
    get_solution(session, solution_id=solution_id, actor=actor)
    for item in ranked(session, actor=actor, framework=framework):
        if item.solution.id == solution_id:
            return item
    raise NotFound(f"solution {solution_id} not found")


@dataclass(frozen=True)
class Balance:
    """Solutions of one product area (or all) by the value they are for."""

    area: str
    delivers: int = 0
    derives: int = 0
    both: int = 0
    untagged: int = 0
    # Estimated effort (person-months) of those that deliver and of those that derive
    # (a solution that does both counts in each).
    delivers_effort: float = 0.0
    derives_effort: float = 0.0


NO_QUARTER = "No quarter"


def value_balance(items: Sequence[Ranked], *, by: str = "area") -> list[Balance]:
    """The portfolio's balance by product area (or by the quarter it is planned for, in
    time order), then overall: is it only harvesting?"""
    groups: dict[str, list[Ranked]] = {}
    for item in items:
        if by == "quarter":
            key = item.solution.quarter or NO_QUARTER
        else:
            key = item.solution.product_area or "No product area"
        groups.setdefault(key, []).append(item)
    # Quarters sort as written (2026-Q4 before 2027-Q1); the unplanned come last.
    ordered = sorted(groups.items(), key=lambda pair: (pair[0] == NO_QUARTER, pair[0]))
    found = [_balance(key, group) for key, group in ordered]
    return [*found, _balance("All solutions", list(items))] if len(found) > 1 else found


def _balance(area: str, items: Sequence[Ranked]) -> Balance:
    kinds = [item.value_kind for item in items]
    effort = [item.solution.effort or 0.0 for item in items]
    return Balance(
        area=area,
        delivers=kinds.count("delivers"),
        derives=kinds.count("derives"),
        both=kinds.count("both"),
        untagged=kinds.count(None),
        delivers_effort=sum(
            e for k, e in zip(kinds, effort, strict=True) if k in ("delivers", "both")
        ),
        derives_effort=sum(
            e for k, e in zip(kinds, effort, strict=True) if k in ("derives", "both")
        ),
    )


def product_areas(session: Session, *, actor: Actor) -> list[str]:
    return sorted(
        {s.product_area for s in SolutionRepository(session).all(actor) if s.product_area}
    )


# -- the workspace's own framework ----------------------------------------------------------


def custom_framework(session: Session) -> scoring.CustomFramework | None:
    stored = SolutionRepository(session).meta(CUSTOM_KEY)
    if not stored:
        return None
    criteria = [scoring.Criterion(**c) for c in stored.get("criteria", [])]  # type: ignore[attr-defined]
    formula = stored.get("formula")
    return scoring.validate_custom(criteria, str(formula) if formula else None)


def custom_definition(session: Session, *, actor: Actor) -> dict[str, Any] | None:
    require(may_read(actor))
    return SolutionRepository(session).meta(CUSTOM_KEY)


def set_custom_framework(
    session: Session, *, criteria: Sequence[Mapping[str, Any]], formula: str | None, actor: Actor
) -> scoring.CustomFramework:
    """An admin defines the workspace's own criteria (names, labels, weights, scales) and,
    optionally, a formula over them."""
    require(may_administer(actor))
    try:
        framework = scoring.validate_custom(
            [scoring.Criterion(**dict(c)) for c in criteria], (formula or "").strip() or None
        )
    except FormulaError as error:
        raise Invalid(str(error), field="formula") from None
    except ValueError as error:
        raise Invalid(str(error), field="criteria") from None
    SolutionRepository(session).set_meta(
        CUSTOM_KEY,
        {
            "criteria": [dict(c) for c in criteria],
            "formula": framework.formula.source if framework.formula else None,
        },
    )
    return framework


def _check_criteria(session: Session, values: Mapping[str, float]) -> None:
    if not values:
        return
    custom = custom_framework(session)
    known = {c.name for c in custom.criteria} if custom else set()
    unknown = sorted(set(values) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none defined yet"
        raise Invalid(
            f"unknown criterion {unknown[0]!r} (the workspace's criteria: {listed})",
            field="criteria",
        )
    out_of_scale = scoring.validate_inputs(values, custom)
    if out_of_scale:
        raise Invalid(next(iter(out_of_scale.values())), field="criteria")
