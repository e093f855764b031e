"""Objectives and key results: set and measured by the product team, each check-in of a key
result kept so its progress can be drawn over time, and solutions linked to the key results
they are expected to move."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from pydantic import MISSING
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, may_read, require
from huddle.errors import Invalid, NotFound
from huddle.kit.time import utcnow
from huddle.models.objective import CheckIn, KeyResult, Objective
from huddle.plans.repository import ObjectiveRepository
from huddle.plans.schemas import (
    KeyResultCreate,
    KeyResultUpdate,
    ObjectiveCreate,
    ObjectiveUpdate,
)


def progress(start: float, target: float, current: float) -> float:
    """How far `current` has come from `start` to `target`, 0 to 1, whichever way the target
    lies (p95 latency from 900 ms down to 300 ms is half done at 600 ms). A key result whose
    target is its start is done only while it holds there."""
    if target == start:
        return 1.0 if current == target else 0.0
    return min(1.0, max(0.0, (current - start) / (target - start)))


@dataclass(frozen=True)
class MeasuredKeyResult:
    key_result: KeyResult
    check_ins: list[CheckIn]
    solution_ids: list[int]

    @property
    def progress(self) -> float:
        kr = self.key_result
        return progress(kr.start_value, kr.target_value, kr.current_value)


@dataclass(frozen=True)
class MeasuredObjective:
    objective: Objective
    key_results: list[MeasuredKeyResult]

    @property
    def progress(self) -> float:
        """The mean of its key results' progress: 0 until it has one."""
        if not self.key_results:
            return 0.0
        return sum(kr.progress for kr in self.key_results) / len(self.key_results)


def get_objective(session: Session, *, objective_id: int, actor: Actor) -> Objective:
    objective = ObjectiveRepository(session).get(actor, objective_id)
    if objective is None:
        raise NotFound(f"objective {objective_id} not found")
    return objective


def get_key_result(
    session: Session, *, objective_id: int, key_result_id: int, actor: Actor
) -> KeyResult:
    get_objective(session, objective_id=objective_id, actor=actor)
    key_result = ObjectiveRepository(session).key_result(actor, key_result_id)
    if key_result is None or key_result.objective_id != objective_id:
        raise NotFound(f"key result {key_result_id} of objective {objective_id} not found")
    return key_result


def _measure(session: Session, objectives: Sequence[Objective]) -> list[MeasuredObjective]:
    repo = ObjectiveRepository(session)
    key_results = repo.key_results([o.id for o in objectives])
    kr_ids = [kr.id for krs in key_results.values() for kr in krs]
    check_ins, solutions = repo.check_ins(kr_ids), repo.solution_ids(kr_ids)
    return [
        MeasuredObjective(
            o,
            [MeasuredKeyResult(kr, check_ins[kr.id], solutions[kr.id]) for kr in key_results[o.id]],
        )
        for o in objectives
    ]


def objectives(
    session: Session, *, actor: Actor, period: str | None = None
) -> list[MeasuredObjective]:
    """Every objective (of a period), latest period first, each with its key results."""
    require(may_read(actor))
    return _measure(session, ObjectiveRepository(session).all(actor, period=period))


def measured(session: Session, *, objective_id: int, actor: Actor) -> MeasuredObjective:
    return _measure(session, [get_objective(session, objective_id=objective_id, actor=actor)])[0]


def _check_owner(session: Session, owner_id: int | None) -> None:
    if owner_id is not None and not ObjectiveRepository(session).user_exists(owner_id):
        raise Invalid(f"no user {owner_id}: choose an owner who exists", field="owner_id")


def create_objective(session: Session, *, data: ObjectiveCreate, actor: Actor) -> Objective:
    require(may_plan(actor))
    _check_owner(session, data.owner_id)
    objective = Objective(
        title=data.title.strip() or data.title,
        description=data.description,
        period=data.period,
        status=data.status.value,
        owner_id=data.owner_id if data.owner_id is not None else actor.id,
        created_by_id=actor.id,
    )
    ObjectiveRepository(session).add(objective)
    record(session, actor, "created", objective, f"created objective “{objective.title}”")
    return objective


def _sent(data: ObjectiveUpdate | KeyResultUpdate) -> dict[str, object]:
    values = {name: getattr(data, name) for name in type(data).model_fields}
    return {name: value for name, value in values.items() if value is not MISSING}


def update_objective(
    session: Session, *, objective_id: int, data: ObjectiveUpdate, actor: Actor
) -> Objective:
    require(may_plan(actor))
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    sent = _sent(data)
    for name in ("title", "description", "period", "status"):
        if name in sent and sent[name] is None:
            raise Invalid(f"{name} cannot be null", field=name)
    if "owner_id" in sent:
        owner_id = sent["owner_id"]
        assert owner_id is None or isinstance(owner_id, int)
        _check_owner(session, owner_id)
        objective.owner_id = owner_id
    if data.title is not MISSING:
        objective.title = data.title.strip() or data.title
    if data.description is not MISSING:
        objective.description = data.description
    if data.period is not MISSING:
        objective.period = data.period
    if data.status is not MISSING:
        objective.status = data.status.value
    session.flush()
    record(
        session,
        actor,
        "edited",
        objective,
        f"edited {', '.join(sorted(sent))}",
        fields=sorted(sent),
    )
    return objective


def delete_objective(session: Session, *, objective_id: int, actor: Actor) -> None:
    require(may_plan(actor))
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    record(session, actor, "deleted", objective, f"deleted objective “{objective.title}”")
    ObjectiveRepository(session).delete(objective)


def add_key_result(
    session: Session, *, objective_id: int, data: KeyResultCreate, actor: Actor
) -> KeyResult:
    """A key result, its current value (the start, unless given) kept as its first check-in."""
    require(may_plan(actor))
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    current = data.start_value if data.current_value is None else data.current_value
    repo = ObjectiveRepository(session)
    key_result = KeyResult(
        objective_id=objective.id,
        title=data.title.strip() or data.title,
        unit=data.unit.strip(),
        start_value=data.start_value,
        target_value=data.target_value,
        current_value=current,
    )
    repo.add(key_result)
    repo.add(CheckIn(key_result_id=key_result.id, value=current, by_id=actor.id, at=utcnow()))
    record(session, actor, "added", objective, f"added key result “{key_result.title}”")
    return key_result


def update_key_result(
    session: Session,
    *,
    objective_id: int,
    key_result_id: int,
    data: KeyResultUpdate,
    actor: Actor,
) -> KeyResult:
    require(may_plan(actor))
    key_result = get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    sent = _sent(data)
    for name, value in sent.items():
        if value is None:
            raise Invalid(f"{name} cannot be null", field=name)
    if data.title is not MISSING:
        key_result.title = data.title.strip() or data.title
    if data.unit is not MISSING:
        key_result.unit = data.unit.strip()
    if data.start_value is not MISSING:
        key_result.start_value = data.start_value
    if data.target_value is not MISSING:
        key_result.target_value = data.target_value
    session.flush()
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    record(
        session,
        actor,
        "edited",
        objective,
        f"edited key result “{key_result.title}”: {', '.join(sorted(sent))}",
        key_result_id=key_result.id,
        fields=sorted(sent),
    )
    return key_result


def delete_key_result(
    session: Session, *, objective_id: int, key_result_id: int, actor: Actor
) -> None:
    require(may_plan(actor))
    key_result = get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    record(session, actor, "deleted", objective, f"deleted key result “{key_result.title}”")
    ObjectiveRepository(session).delete(key_result)


def check_in(
    session: Session,
    *,
    objective_id: int,
    key_result_id: int,
    value: float,
    note: str = "",
    actor: Actor,
    at: datetime | None = None,
) -> CheckIn:
    """The key result's value now: it becomes the current value, and is kept."""
    require(may_plan(actor))
    key_result = get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    entry = CheckIn(
        key_result_id=key_result.id,
        value=value,
        note=note.strip(),
        by_id=actor.id,
        at=at or utcnow(),
    )
    ObjectiveRepository(session).add(entry)
    key_result.current_value = value
    session.flush()
    objective = get_objective(session, objective_id=objective_id, actor=actor)
    unit = f" {key_result.unit}" if key_result.unit else ""
    record(
        session,
        actor,
        "checked in",
        objective,
        f"“{key_result.title}” is at {value:g}{unit}",
        key_result_id=key_result.id,
        value=value,
    )
    return entry


def link_solution(
    session: Session, *, objective_id: int, key_result_id: int, solution_id: int, actor: Actor
) -> None:
    """Say a solution is expected to move this key result (a solution may serve several)."""
    require(may_plan(actor))
    key_result = get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    repo = ObjectiveRepository(session)
    if not repo.solution_exists(solution_id):
        raise Invalid(f"no solution {solution_id}: choose one that exists", field="solution_id")
    if repo.link(key_result.id, solution_id):
        objective = get_objective(session, objective_id=objective_id, actor=actor)
        record(
            session,
            actor,
            "linked",
            objective,
            f"solution {solution_id} serves “{key_result.title}”",
            key_result_id=key_result.id,
            solution_id=solution_id,
        )


def unlink_solution(
    session: Session, *, objective_id: int, key_result_id: int, solution_id: int, actor: Actor
) -> None:
    require(may_plan(actor))
    key_result = get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    if ObjectiveRepository(session).unlink(key_result.id, solution_id):
        objective = get_objective(session, objective_id=objective_id, actor=actor)
        record(
            session,
            actor,
            "unlinked",
            objective,
            f"solution {solution_id} no longer serves “{key_result.title}”",
            key_result_id=key_result.id,
            solution_id=solution_id,
        )


def serving(
    session: Session, *, solution_id: int, actor: Actor
) -> list[tuple[MeasuredKeyResult, Objective]]:
    """The key results a solution serves, each with its objective."""
    require(may_read(actor))
    found = ObjectiveRepository(session).serving(actor, solution_id)
    return [(MeasuredKeyResult(kr, [], []), objective) for kr, objective in found]
