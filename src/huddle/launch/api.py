"""The launch API: stages and gates (experiments, decisions, plans and effort beside)."""

from fastapi import APIRouter, Response

from huddle.deps import RequirePlanner, RequireReader, SessionDep
from huddle.launch import stages
from huddle.launch.schemas import (
    GateCheckIn,
    GateItemCreate,
    GateItemList,
    GateItemRead,
    GateLineRead,
    StageMove,
    StageMoveRead,
    StageRead,
)
from huddle.models.launch import GateItem
from huddle.params import PathId
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["launch"])


def _line(line: stages.GateLine) -> GateLineRead:
    return GateLineRead(
        id=line.item.id,
        label=line.item.label,
        done=line.done,
        checked_by=line.checked_by,
        checked_at=line.checked_at,
    )


def read_stage(found: stages.StageView) -> StageRead:
    return StageRead(
        solution_id=found.solution.id,
        stage=found.solution.stage,
        next_stage=found.next_stage,
        launch_on=found.solution.launch_on,
        gate=[_line(line) for line in found.gate.lines] if found.gate else [],
        history=[StageMoveRead(**vars(m)) for m in found.history],
    )


def _item(item: GateItem) -> GateItemRead:
    return GateItemRead(id=item.id, stage=item.stage, label=item.label, position=item.position)


@router.get("/solutions/{solution_id}/stage", response_model=StageRead, responses=documented(404))
def get_stage(solution_id: PathId, session: SessionDep, actor: RequireReader) -> StageRead:
    """Its stage, the checklist to leave it with what is ticked, and every move so far."""
    return read_stage(stages.view(session, solution_id=solution_id, actor=actor))


@router.post("/solutions/{solution_id}/stage", response_model=StageRead, responses=documented(404))
def move_stage(
    solution_id: PathId, data: StageMove, session: SessionDep, actor: RequirePlanner
) -> StageRead:
    """Move it to a stage; past open gate items, or aside, only with a reason."""
    stages.move(session, solution_id=solution_id, to=data.stage, reason=data.reason, actor=actor)
    return read_stage(stages.view(session, solution_id=solution_id, actor=actor))


@router.put(
    "/solutions/{solution_id}/gate/{item_id}",
    response_model=GateLineRead,
    responses=documented(404),
)
def check_gate_item(
    solution_id: PathId,
    item_id: PathId,
    data: GateCheckIn,
    session: SessionDep,
    actor: RequirePlanner,
) -> GateLineRead:
    """Tick (or untick, with `done: false`) a gate item for this solution."""
    line = stages.set_check(
        session, solution_id=solution_id, gate_item_id=item_id, done=data.done, actor=actor
    )
    return _line(line)


@router.get("/gates", response_model=GateItemList)
def list_gate_items(session: SessionDep, actor: RequireReader) -> GateItemList:
    """The workspace's gate checklists, stage by stage."""
    found = stages.gate_items(session, actor=actor)
    return GateItemList(items=[_item(i) for items in found.values() for i in items])


@router.post("/gates", response_model=GateItemRead, status_code=201)
def add_gate_item(data: GateItemCreate, session: SessionDep, actor: RequirePlanner) -> GateItemRead:
    return _item(stages.add_gate_item(session, stage=data.stage, label=data.label, actor=actor))


@router.delete("/gates/{item_id}", status_code=204, responses=documented(404))
def remove_gate_item(item_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    stages.remove_gate_item(session, item_id=item_id, actor=actor)
    return Response(status_code=204)
