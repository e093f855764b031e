from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.deps import RequirePlanner, RequireReader, SessionDep
from huddle.models.enums import ObjectiveStatus
from huddle.params import PathId
from huddle.plans import service
from huddle.plans.schemas import (
    PERIOD_PATTERN,
    CheckInCreate,
    CheckInRead,
    KeyResultCreate,
    KeyResultRead,
    KeyResultUpdate,
    ObjectiveCreate,
    ObjectiveList,
    ObjectiveRead,
    ObjectiveUpdate,
)
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/objectives", tags=["objectives"])
KEY_RESULT = "/{objective_id}/key-results/{key_result_id}"


def read_key_result(item: service.MeasuredKeyResult) -> KeyResultRead:
    kr = item.key_result
    return KeyResultRead(
        id=kr.id,
        objective_id=kr.objective_id,
        title=kr.title,
        unit=kr.unit,
        start_value=kr.start_value,
        target_value=kr.target_value,
        current_value=kr.current_value,
        progress=item.progress,
        solution_ids=item.solution_ids,
        check_ins=[
            CheckInRead(value=c.value, at=c.at, by_id=c.by_id, note=c.note) for c in item.check_ins
        ],
    )


def read(item: service.MeasuredObjective) -> ObjectiveRead:
    objective = item.objective
    return ObjectiveRead(
        id=objective.id,
        title=objective.title,
        description=objective.description,
        period=objective.period,
        status=ObjectiveStatus(objective.status),
        owner_id=objective.owner_id,
        progress=item.progress,
        key_results=[read_key_result(kr) for kr in item.key_results],
        created_at=objective.created_at,
        updated_at=objective.updated_at,
    )


def _key_result(session: Session, actor: Actor, objective_id: int, kr_id: int) -> KeyResultRead:
    for kr in service.measured(session, objective_id=objective_id, actor=actor).key_results:
        if kr.key_result.id == kr_id:
            return read_key_result(kr)
    raise AssertionError("the key result was just found")  # pragma: no cover


@router.get("", response_model=ObjectiveList)
def list_objectives(
    session: SessionDep,
    actor: RequireReader,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
) -> ObjectiveList:
    """Every objective (of one quarter), latest quarter first, with its key results, their
    progress and check-ins."""
    items = service.objectives(session, actor=actor, period=period)
    return ObjectiveList(items=[read(i) for i in items], total=len(items))


@router.post("", response_model=ObjectiveRead, status_code=201)
def create_objective(
    data: ObjectiveCreate, session: SessionDep, actor: RequirePlanner
) -> ObjectiveRead:
    objective = service.create_objective(session, data=data, actor=actor)
    return read(service.measured(session, objective_id=objective.id, actor=actor))


@router.get("/{objective_id}", response_model=ObjectiveRead, responses=documented(404))
def get_objective(objective_id: PathId, session: SessionDep, actor: RequireReader) -> ObjectiveRead:
    return read(service.measured(session, objective_id=objective_id, actor=actor))


@router.patch("/{objective_id}", response_model=ObjectiveRead, responses=documented(404))
def update_objective(
    objective_id: PathId, data: ObjectiveUpdate, session: SessionDep, actor: RequirePlanner
) -> ObjectiveRead:
    service.update_objective(session, objective_id=objective_id, data=data, actor=actor)
    return read(service.measured(session, objective_id=objective_id, actor=actor))


@router.delete("/{objective_id}", status_code=204, responses=documented(404))
def delete_objective(objective_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    service.delete_objective(session, objective_id=objective_id, actor=actor)
    return Response(status_code=204)


@router.post(
    "/{objective_id}/key-results",
    response_model=KeyResultRead,
    status_code=201,
    responses=documented(404),
)
def add_key_result(
    objective_id: PathId, data: KeyResultCreate, session: SessionDep, actor: RequirePlanner
) -> KeyResultRead:
    kr = service.add_key_result(session, objective_id=objective_id, data=data, actor=actor)
    return _key_result(session, actor, objective_id, kr.id)


@router.patch(KEY_RESULT, response_model=KeyResultRead, responses=documented(404))
def update_key_result(
    objective_id: PathId,
    key_result_id: PathId,
    data: KeyResultUpdate,
    session: SessionDep,
    actor: RequirePlanner,
) -> KeyResultRead:
    service.update_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, data=data, actor=actor
    )
    return _key_result(session, actor, objective_id, key_result_id)


@router.delete(KEY_RESULT, status_code=204, responses=documented(404))
def delete_key_result(
    objective_id: PathId, key_result_id: PathId, session: SessionDep, actor: RequirePlanner
) -> Response:
    service.delete_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    return Response(status_code=204)


@router.post(
    KEY_RESULT + "/check-ins",
    response_model=KeyResultRead,
    status_code=201,
    responses=documented(404),
)
def check_in(
    objective_id: PathId,
    key_result_id: PathId,
    data: CheckInCreate,
    session: SessionDep,
    actor: RequirePlanner,
) -> KeyResultRead:
    """The key result's value now: it becomes the current value and is kept with the others."""
    service.check_in(
        session,
        objective_id=objective_id,
        key_result_id=key_result_id,
        value=data.value,
        note=data.note,
        actor=actor,
    )
    return _key_result(session, actor, objective_id, key_result_id)


@router.put(
    KEY_RESULT + "/solutions/{solution_id}", response_model=KeyResultRead, responses=documented(404)
)
def link_solution(
    objective_id: PathId,
    key_result_id: PathId,
    solution_id: PathId,
    session: SessionDep,
    actor: RequirePlanner,
) -> KeyResultRead:
    """The solution is expected to move this key result (linking twice changes nothing)."""
    service.link_solution(
        session,
        objective_id=objective_id,
        key_result_id=key_result_id,
        solution_id=solution_id,
        actor=actor,
    )
    return _key_result(session, actor, objective_id, key_result_id)


@router.delete(KEY_RESULT + "/solutions/{solution_id}", status_code=204, responses=documented(404))
def unlink_solution(
    objective_id: PathId,
    key_result_id: PathId,
    solution_id: PathId,
    session: SessionDep,
    actor: RequirePlanner,
) -> Response:
    service.unlink_solution(
        session,
        objective_id=objective_id,
        key_result_id=key_result_id,
        solution_id=solution_id,
        actor=actor,
    )
    return Response(status_code=204)
