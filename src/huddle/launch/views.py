"""Pages of delivering and launching: every solution by stage, one solution's launch page
(stage and gate, experiments, decisions, go-to-market plan, responsibilities), and the
workspace's gate checklists."""

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from huddle.auth.policies import may_plan, require
from huddle.auth.repository import UserRepository
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.kit.time import parse_date
from huddle.launch import decisions, stages, trials
from huddle.launch.experiments import parse_csv
from huddle.launch.repository import LaunchRepository
from huddle.web.pages import FormActor, PageActor, back, form_id
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
        trials=trials.for_solution(session, solution_id=solution_id, actor=actor),
        decided=decisions.search(session, actor=actor, solution_id=solution_id),
        outcomes=decisions.OUTCOMES,
        people=[u for u in UserRepository(session).all() if u.is_active],
        parts=["_launch_experiments.html", "_launch_decisions.html"],
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


# -- experiments -----------------------------------------------------------------------------

RESULTS_HEADER = "variant,exposures,conversions,expected_share"


async def _results_text(results: str, file: UploadFile | None) -> str:
    if file is not None and file.filename:
        raw = await file.read(2_000_000)
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise HuddleError(f"{file.filename}: not a UTF-8 CSV file") from None
    return results


@router.post("/solutions/{solution_id}/experiments")
async def experiment_create(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    name: Annotated[str, Form()] = "",
    hypothesis: Annotated[str, Form()] = "",
    primary_metric: Annotated[str, Form()] = "",
    results: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    require(may_plan(actor))
    try:
        text = await _results_text(results, file)
        trials.create(
            session,
            solution_id=solution_id,
            name=name,
            hypothesis=hypothesis,
            primary_metric=primary_metric,
            variants=parse_csv(text if text.strip() else RESULTS_HEADER),
            actor=actor,
        )
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(here, notice=f"Experiment “{name.strip()}” added")


@router.post("/experiments/{experiment_id}/results")
async def experiment_results(
    experiment_id: int,
    session: SessionDep,
    actor: FormActor,
    results: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    experiment = trials.get(session, experiment_id=experiment_id, actor=actor)
    here = f"/solutions/{experiment.solution_id}/launch"
    require(may_plan(actor))
    try:
        text = await _results_text(results, file)
        trials.import_csv(session, experiment_id=experiment_id, text=text, actor=actor)
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(here, notice="Results saved")


@router.post("/experiments/{experiment_id}/delete")
def experiment_delete(experiment_id: int, session: SessionDep, actor: FormActor) -> Response:
    solution_id = trials.delete(session, experiment_id=experiment_id, actor=actor)
    return back(f"/solutions/{solution_id}/launch", notice="Experiment deleted")


# -- decisions -------------------------------------------------------------------------------


@router.post("/solutions/{solution_id}/decisions")
async def decision_record(
    request: Request, solution_id: int, session: SessionDep, actor: FormActor
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    require(may_plan(actor))
    form = await request.form()

    def ids(name: str) -> list[int]:
        return [i for i in (form_id(str(v)) for v in form.getlist(name)) if i is not None]

    try:
        review = str(form.get("review_on") or "").strip()
        try:
            review_on = parse_date(review) if review else None
        except ValueError:
            raise HuddleError(f"review_on: “{review}” is not a date (YYYY-MM-DD)") from None
        decisions.record_decision(
            session,
            solution_id=solution_id,
            outcome=str(form.get("decision") or ""),
            reasons=str(form.get("reasons") or ""),
            risks=str(form.get("risks") or ""),
            signed_off_ids=ids("signed_off"),
            consulted_ids=ids("consulted"),
            review_on=review_on,
            actor=actor,
        )
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(here, notice="Decision recorded")


@router.get("/decisions", response_class=HTMLResponse)
def decisions_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    q: str = "",
    decision: str = "",
) -> Response:
    """Every go/no-go decision, newest first, searchable."""
    outcome = decision if decision in decisions.OUTCOMES else None
    return render(
        request,
        "decisions.html",
        found=decisions.search(session, actor=actor, text=q[:500] or None, outcome=outcome),
        q=q,
        decision=outcome or "",
        outcomes=decisions.OUTCOMES,
    )
