"""Pages of delivering and launching: every solution by stage, one solution's launch page
(stage and gate, experiments, decisions, go-to-market plan, responsibilities), and the
workspace's gate checklists."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from huddle.auth.policies import may_plan, require
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.launch import stages
from huddle.launch.repository import LaunchRepository
from huddle.web.pages import FormActor, PageActor, back
from huddle.web.render import render

router = APIRouter()


@router.get("/launches", response_class=HTMLResponse)
def launches_page(
    request: Request, session: SessionDep, actor: PageActor, notice: str | None = None
) -> Response:
    """Every solution by its stage of delivery."""
    solutions = LaunchRepository(session).solutions(actor)
    by_stage = {s: [x for x in solutions if x.stage == s] for s in stages.ALL_STAGES}
    return render(
        request,
        "launches.html",
        by_stage=by_stage,
        labels=stages.STAGE_LABELS,
        notice=notice,
    )


@router.get("/solutions/{solution_id}/launch", response_class=HTMLResponse)
def launch_page(
    request: Request,
    solution_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    found = stages.view(session, solution_id=solution_id, actor=actor)
    return render(
        request,
        "launch.html",
        found=found,
        solution=found.solution,
        stages_list=stages.STAGES,
        set_aside=stages.SET_ASIDE,
        labels=stages.STAGE_LABELS,
        can_plan=may_plan(actor) is None,
        notice=notice,
        error=error,
    )


@router.get("/solutions/{solution_id}/stage", response_class=HTMLResponse)
def stage_part(
    request: Request, solution_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The stage strip on a solution's page."""
    found = stages.view(session, solution_id=solution_id, actor=actor)
    return render(
        request,
        "_solution_stage.html",
        found=found,
        solution=found.solution,
        stages_list=stages.STAGES,
        labels=stages.STAGE_LABELS,
    )


@router.post("/solutions/{solution_id}/stage")
def stage_move(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    stage: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    try:
        moved = stages.move(session, solution_id=solution_id, to=stage, reason=reason, actor=actor)
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(here, notice=f"Moved to {moved.after}")


@router.post("/solutions/{solution_id}/gate/{item_id}")
def gate_check(
    solution_id: int,
    item_id: int,
    session: SessionDep,
    actor: FormActor,
    done: Annotated[str, Form()] = "",
) -> Response:
    stages.set_check(
        session, solution_id=solution_id, gate_item_id=item_id, done=done == "on", actor=actor
    )
    return back(f"/solutions/{solution_id}/launch", notice="Gate updated")


@router.get("/admin/gates", response_class=HTMLResponse)
def gates_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    require(may_plan(actor))
    return render(
        request,
        "gates.html",
        gates=stages.gate_items(session, actor=actor),
        labels=stages.STAGE_LABELS,
        notice=notice,
        error=error,
    )


@router.post("/admin/gates")
def gates_add(
    session: SessionDep,
    actor: FormActor,
    stage: Annotated[str, Form()] = "",
    label: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    try:
        stages.add_gate_item(session, stage=stage, label=label, actor=actor)
    except HuddleError as refused:
        return back("/admin/gates", error=refused.message)
    return back("/admin/gates", notice="Added")


@router.post("/admin/gates/{item_id}/delete")
def gates_remove(item_id: int, session: SessionDep, actor: FormActor) -> Response:
    stages.remove_gate_item(session, item_id=item_id, actor=actor)
    return back("/admin/gates", notice="Removed")
