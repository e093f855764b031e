"""Pages of delivering and launching: every solution by stage, one solution's launch page
(stage and gate, experiments, decisions, go-to-market plan, responsibilities), and the
workspace's gate checklists."""

import json
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from huddle.auth.policies import may_plan, require
from huddle.auth.repository import UserRepository
from huddle.deps import SessionDep
from huddle.errors import HuddleError, Invalid
from huddle.kit.time import parse_date, utcnow
from huddle.launch import decisions, delivery, effort, plans, raci, stages, trials
from huddle.launch.experiments import parse_csv
from huddle.launch.repository import LaunchRepository
from huddle.web.pages import FormActor, PageActor, back, form_id
from huddle.web.render import render

router = APIRouter()


def _refused(refused: HuddleError, here: str) -> Response:
    """A refusal of the form's content back on the page it came from; a refusal of the person
    (403) or of a missing thing (404) stays an error response."""
    if refused.status in (403, 404):
        raise refused
    return back(here, error=refused.message)


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
        plan=plans.plan(session, solution_id=solution_id, actor=actor),
        teams=plans.TEAMS,
        today_date=utcnow().date(),
        phase_of=stages.PHASE_OF,
        raci=raci.matrix(session, actor=actor),
        links=delivery.links(session, solution_id=solution_id, actor=actor),
        mentions=delivery.mentions_change(session, solution_id=solution_id, actor=actor),
        parts=[
            "_launch_delivery.html",
            "_launch_plan.html",
            "_launch_experiments.html",
            "_launch_decisions.html",
            "_launch_raci.html",
        ],
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
        readiness=plans.readiness(session, solution_id=solution_id, actor=actor),
        raci=raci.matrix(session, actor=actor),
        current_phase=stages.PHASE_OF.get(found.solution.stage),
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
        return _refused(refused, here)
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
        return _refused(refused, here)
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
        return _refused(refused, here)
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
        return _refused(refused, here)
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


# -- go-to-market plans ----------------------------------------------------------------------


def _day(text: str, field: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise HuddleError(f"{field}: “{text}” is not a date (YYYY-MM-DD)") from None


@router.post("/solutions/{solution_id}/tasks")
def task_add(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    owner_id: Annotated[str, Form()] = "",
    due_on: Annotated[str, Form()] = "",
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    try:
        plans.add_task(
            session,
            solution_id=solution_id,
            title=title,
            team=team,
            owner_id=form_id(owner_id),
            due_on=_day(due_on, "due_on"),
            actor=actor,
        )
    except HuddleError as refused:
        return _refused(refused, here)
    return back(here, notice="Task added")


@router.post("/solutions/{solution_id}/tasks/standard")
def task_standard(solution_id: int, session: SessionDep, actor: FormActor) -> Response:
    added = plans.add_standard_plan(session, solution_id=solution_id, actor=actor)
    return back(f"/solutions/{solution_id}/launch", notice=f"{len(added)} tasks added")


@router.post("/tasks/{task_id}/done")
def task_done(
    task_id: int, session: SessionDep, actor: FormActor, done: Annotated[str, Form()] = ""
) -> Response:
    task = plans.update_task(session, task_id=task_id, done=done == "on", actor=actor)
    return back(f"/solutions/{task.solution_id}/launch", notice="Plan updated")


@router.post("/tasks/{task_id}/delete")
def task_delete(task_id: int, session: SessionDep, actor: FormActor) -> Response:
    solution_id = plans.delete_task(session, task_id=task_id, actor=actor)
    return back(f"/solutions/{solution_id}/launch", notice="Task removed")


@router.post("/solutions/{solution_id}/launch-date")
def launch_date(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    launch_on: Annotated[str, Form()] = "",
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    try:
        plans.set_launch_date(
            session, solution_id=solution_id, launch_on=_day(launch_on, "launch_on"), actor=actor
        )
    except HuddleError as refused:
        return _refused(refused, here)
    return back(here, notice="Launch date saved")


@router.get("/launches/calendar", response_class=HTMLResponse)
def calendar_page(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """Launches and their tasks by month, from the start of last month on."""
    today = utcnow().date()
    start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    entries = plans.calendar(session, actor=actor, start=start)
    months: dict[str, list[plans.CalendarEntry]] = {}
    for entry in entries:
        months.setdefault(entry.day.strftime("%B %Y"), []).append(entry)
    return render(request, "launch_calendar.html", months=months, today=today)


# -- responsibilities and effort -------------------------------------------------------------


@router.get("/launches/raci", response_class=HTMLResponse)
def raci_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "raci.html",
        raci=raci.matrix(session, actor=actor),
        can_plan=may_plan(actor) is None,
        phases=stages.PHASES,
        notice=notice,
        error=error,
    )


@router.post("/launches/raci/{activity_id}")
def raci_save(
    activity_id: int,
    session: SessionDep,
    actor: FormActor,
    activity: Annotated[str, Form()] = "",
    responsible: Annotated[str, Form()] = "",
    accountable: Annotated[str, Form()] = "",
    consulted: Annotated[str, Form()] = "",
    informed: Annotated[str, Form()] = "",
) -> Response:
    try:
        raci.update(
            session,
            activity_id=activity_id,
            activity=activity,
            responsible=responsible,
            accountable=accountable,
            consulted=consulted,
            informed=informed,
            actor=actor,
        )
    except HuddleError as refused:
        return _refused(refused, "/launches/raci")
    return back("/launches/raci", notice="Saved")


@router.post("/launches/raci")
def raci_add(
    session: SessionDep,
    actor: FormActor,
    phase: Annotated[str, Form()] = "",
    activity: Annotated[str, Form()] = "",
    responsible: Annotated[str, Form()] = "",
    accountable: Annotated[str, Form()] = "",
) -> Response:
    try:
        raci.add(
            session,
            phase=phase,
            activity=activity,
            responsible=responsible,
            accountable=accountable,
            actor=actor,
        )
    except HuddleError as refused:
        return _refused(refused, "/launches/raci")
    return back("/launches/raci", notice="Added")


@router.get("/launches/effort", response_class=HTMLResponse)
def effort_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    found = effort.summary(session, actor=actor)
    return render(
        request,
        "effort.html",
        found=found,
        chart=json.dumps(effort.chart(found)),
        phases=stages.PHASES,
        solutions=LaunchRepository(session).solutions(actor),
        can_plan=may_plan(actor) is None,
        notice=notice,
        error=error,
    )


@router.post("/launches/effort")
def effort_log(
    session: SessionDep,
    actor: FormActor,
    phase: Annotated[str, Form()] = "",
    days: Annotated[str, Form()] = "",
    week_of: Annotated[str, Form()] = "",
    solution_id: Annotated[str, Form()] = "",
    estimated: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    try:
        try:
            amount = float(days.strip())
        except ValueError:
            raise HuddleError(f"days: “{days.strip()}” is not a number") from None
        effort.log(
            session,
            actor=actor,
            phase=phase,
            days=amount,
            week_of=_day(week_of, "week_of"),
            solution_id=form_id(solution_id),
            estimated=estimated == "on",
            note=note,
        )
    except HuddleError as refused:
        return _refused(refused, "/launches/effort")
    return back("/launches/effort", notice="Logged")


@router.post("/launches/effort/split")
def effort_split(
    session: SessionDep,
    actor: FormActor,
    discovery: Annotated[str, Form()] = "",
    implementation: Annotated[str, Form()] = "",
    launch: Annotated[str, Form()] = "",
) -> Response:
    try:
        split = {}
        for phase, text in (
            ("discovery", discovery),
            ("implementation", implementation),
            ("launch", launch),
        ):
            try:
                split[phase] = float(text.strip().rstrip("%"))
            except ValueError:
                raise HuddleError(f"{phase}: “{text.strip()}” is not a number") from None
        effort.set_intended_split(session, split=split, actor=actor)
    except HuddleError as refused:
        return _refused(refused, "/launches/effort")
    return back("/launches/effort", notice="Intended split saved")


# -- delivery links --------------------------------------------------------------------------


@router.post("/solutions/{solution_id}/links")
def link_add(
    solution_id: int, session: SessionDep, actor: FormActor, url: Annotated[str, Form()] = ""
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    try:
        made = delivery.add_link(session, solution_id=solution_id, url=url, actor=actor)
    except HuddleError as refused:
        return _refused(refused, here)
    return back(here, notice=f"Linked {made.key}")


@router.post("/solutions/{solution_id}/learned")
def learned_save(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    learned: Annotated[str, Form()] = "",
) -> Response:
    here = f"/solutions/{solution_id}/launch"
    try:
        stages.record_learning(session, solution_id=solution_id, text=learned, actor=actor)
    except HuddleError as refused:
        return _refused(refused, here)
    return back(here, notice="What was learned is saved")


@router.post("/solutions/{solution_id}/links/statuses")
async def link_statuses(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    tool: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Ticket statuses from a tool's CSV export, for every solution's links to them (sent
    from this solution's page, which it returns to)."""
    here = f"/solutions/{solution_id}/launch"
    require(may_plan(actor))
    try:
        if file is None or not file.filename:
            raise Invalid("file: choose the tool's CSV export", field="file")
        text = await _results_text("", file)
        found = delivery.import_statuses(session, tool=tool, text=text, actor=actor)
    except HuddleError as refused:
        return _refused(refused, here)
    unknown = (
        f"; not linked to any solution: {', '.join(found.unknown[:5])}" if found.unknown else ""
    )
    more = f" and {len(found.unknown) - 5} more" if len(found.unknown) > 5 else ""
    return back(
        here,
        notice=f"{found.tickets} tickets read, {found.changed} links changed{unknown}{more}",
    )


@router.post("/links/{link_id}/delete")
def link_remove(link_id: int, session: SessionDep, actor: FormActor) -> Response:
    solution_id = delivery.remove_link(session, link_id=link_id, actor=actor)
    return back(f"/solutions/{solution_id}/launch", notice="Link removed")
