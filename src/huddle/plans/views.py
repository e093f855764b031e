"""Pages of objectives: the list by quarter, an objective's page with its key results, their
check-ins drawn over time and the solutions serving each, the forms that set and measure them,
and the part of a solution's page that names the key results it serves."""

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, require
from huddle.auth.repository import UserRepository
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.ideas import service as ideas
from huddle.models.enums import ObjectiveStatus
from huddle.plans import service
from huddle.plans.schemas import (
    CheckInCreate,
    KeyResultCreate,
    KeyResultUpdate,
    ObjectiveCreate,
    ObjectiveUpdate,
)
from huddle.web.pages import FormActor, PageActor, back, first_problem, form_id
from huddle.web.render import render

router = APIRouter()
STATUS_LABELS = {
    ObjectiveStatus.on_track: "On track",
    ObjectiveStatus.at_risk: "At risk",
    ObjectiveStatus.off_track: "Off track",
    ObjectiveStatus.done: "Done",
}


def _refusal(refused: HuddleError) -> str:
    if refused.status in (403, 404):
        raise refused
    return refused.message


def _number(text: str, label: str) -> float:
    try:
        value = float(text.strip().replace(",", ""))
    except ValueError:
        raise HuddleError(f"{label}: “{text}” is not a number") from None
    if not math.isfinite(value):
        raise HuddleError(f"{label}: give a number")
    return value


def _owners(session: Any) -> list[Any]:
    return [u for u in UserRepository(session).all() if u.is_active and u.role in ("pm", "admin")]


def _chart(item: service.MeasuredKeyResult) -> str:
    """A key result's check-ins over time, with its target as a rule."""
    kr = item.key_result
    values = [
        {"at": c.at.isoformat(), "value": c.value, "note": c.note or ""} for c in item.check_ins
    ]
    title = kr.unit or "value"
    chart = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 120,
        "layer": [
            {
                "data": {"values": values},
                "mark": {"type": "line", "point": True, "color": "#4f46e5"},
                "encoding": {
                    "x": {
                        "field": "at",
                        "type": "temporal",
                        "title": None,
                        "axis": {"format": "%d %b", "tickCount": 6, "labelAngle": 0},
                    },
                    "y": {
                        "field": "value",
                        "type": "quantitative",
                        "title": title,
                        "scale": {"zero": False},
                    },
                    "tooltip": [
                        {"field": "at", "type": "temporal", "title": "checked in"},
                        {"field": "value", "type": "quantitative", "title": title},
                        {"field": "note", "type": "nominal"},
                    ],
                },
            },
            {
                "data": {"values": [{"target": kr.target_value}]},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#16a34a"},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            },
        ],
    }
    return json.dumps(chart)


@router.get("/objectives", response_class=HTMLResponse)
def objective_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    items = service.objectives(session, actor=actor)
    periods: dict[str, list[service.MeasuredObjective]] = {}
    for item in items:
        periods.setdefault(item.objective.period, []).append(item)
    return render(
        request,
        "objectives.html",
        periods=periods,
        status_labels=STATUS_LABELS,
        can_plan=may_plan(actor) is None,
        notice=notice,
        error=error,
    )


@router.get("/objectives/new", response_class=HTMLResponse)
def objective_new(
    request: Request, session: SessionDep, actor: PageActor, error: str | None = None
) -> Response:
    require(may_plan(actor))
    return _edit_page(request, session, actor, None, error)


def _edit_page(
    request: Request, session: Any, actor: Actor, item: Any, error: str | None
) -> Response:
    return render(
        request,
        "objective_edit.html",
        objective=item,
        owners=_owners(session),
        owner_id=item.owner_id if item else actor.id,
        status_labels=STATUS_LABELS,
        error=error,
    )


def _objective_form(
    title: str, description: str, period: str, status: str, owner_id: str
) -> dict[str, Any]:
    return {
        "title": title.strip(),
        "description": description,
        "period": period.strip().upper(),
        "status": status or ObjectiveStatus.on_track.value,
        "owner_id": form_id(owner_id),
    }


@router.post("/objectives")
def objective_create(
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    owner_id: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    try:
        data = ObjectiveCreate(**_objective_form(title, description, period, status, owner_id))
        objective = service.create_objective(session, data=data, actor=actor)
    except ValidationError as invalid:
        return back("/objectives/new", error=first_problem(invalid))
    except HuddleError as refused:
        return back("/objectives/new", error=_refusal(refused))
    return back(f"/objectives/{objective.id}", notice="Objective created: add its key results")


@router.get("/objectives/{objective_id}", response_class=HTMLResponse)
def objective_page(
    request: Request,
    objective_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    item = service.measured(session, objective_id=objective_id, actor=actor)
    solutions = {s.solution.id: s for s in ideas.ranked(session, actor=actor)}
    return render(
        request,
        "objective.html",
        item=item,
        objective=item.objective,
        charts={kr.key_result.id: _chart(kr) for kr in item.key_results},
        solutions=solutions,
        status_labels=STATUS_LABELS,
        can_plan=may_plan(actor) is None,
        notice=notice,
        error=error,
    )


@router.get("/objectives/{objective_id}/edit", response_class=HTMLResponse)
def objective_edit_page(
    request: Request,
    objective_id: int,
    session: SessionDep,
    actor: PageActor,
    error: str | None = None,
) -> Response:
    require(may_plan(actor))
    objective = service.get_objective(session, objective_id=objective_id, actor=actor)
    return _edit_page(request, session, actor, objective, error)


@router.post("/objectives/{objective_id}/edit")
def objective_edit(
    objective_id: int,
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    period: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    owner_id: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    here = f"/objectives/{objective_id}/edit"
    try:
        data = ObjectiveUpdate(**_objective_form(title, description, period, status, owner_id))
        service.update_objective(session, objective_id=objective_id, data=data, actor=actor)
    except ValidationError as invalid:
        return back(here, error=first_problem(invalid))
    except HuddleError as refused:
        return back(here, error=_refusal(refused))
    return back(f"/objectives/{objective_id}", notice="Saved")


@router.post("/objectives/{objective_id}/delete")
def objective_delete(objective_id: int, session: SessionDep, actor: FormActor) -> Response:
    service.delete_objective(session, objective_id=objective_id, actor=actor)
    return back("/objectives", notice="Objective deleted")


@router.post("/objectives/{objective_id}/key-results")
def key_result_create(
    objective_id: int,
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    start_value: Annotated[str, Form()] = "",
    target_value: Annotated[str, Form()] = "",
    current_value: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    here = f"/objectives/{objective_id}"
    try:
        data = KeyResultCreate(
            title=title.strip(),
            unit=unit,
            start_value=_number(start_value, "Start"),
            target_value=_number(target_value, "Target"),
            current_value=_number(current_value, "Current") if current_value.strip() else None,
        )
        service.add_key_result(session, objective_id=objective_id, data=data, actor=actor)
    except ValidationError as invalid:
        return back(here, error=first_problem(invalid))
    except HuddleError as refused:
        return back(here, error=_refusal(refused))
    return back(here, notice="Key result added")


@router.get(
    "/objectives/{objective_id}/key-results/{key_result_id}/edit", response_class=HTMLResponse
)
def key_result_edit_page(
    request: Request,
    objective_id: int,
    key_result_id: int,
    session: SessionDep,
    actor: PageActor,
    error: str | None = None,
) -> Response:
    require(may_plan(actor))
    key_result = service.get_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    objective = service.get_objective(session, objective_id=objective_id, actor=actor)
    return render(request, "key_result_edit.html", objective=objective, kr=key_result, error=error)


@router.post("/objectives/{objective_id}/key-results/{key_result_id}/edit")
def key_result_edit(
    objective_id: int,
    key_result_id: int,
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    start_value: Annotated[str, Form()] = "",
    target_value: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    here = f"/objectives/{objective_id}/key-results/{key_result_id}/edit"
    try:
        data = KeyResultUpdate(
            title=title.strip(),
            unit=unit,
            start_value=_number(start_value, "Start"),
            target_value=_number(target_value, "Target"),
        )
        service.update_key_result(
            session,
            objective_id=objective_id,
            key_result_id=key_result_id,
            data=data,
            actor=actor,
        )
    except ValidationError as invalid:
        return back(here, error=first_problem(invalid))
    except HuddleError as refused:
        return back(here, error=_refusal(refused))
    return back(f"/objectives/{objective_id}", notice="Key result saved")


@router.post("/objectives/{objective_id}/key-results/{key_result_id}/delete")
def key_result_delete(
    objective_id: int, key_result_id: int, session: SessionDep, actor: FormActor
) -> Response:
    service.delete_key_result(
        session, objective_id=objective_id, key_result_id=key_result_id, actor=actor
    )
    return back(f"/objectives/{objective_id}", notice="Key result deleted")


@router.post("/objectives/{objective_id}/key-results/{key_result_id}/check-in")
def key_result_check_in(
    objective_id: int,
    key_result_id: int,
    session: SessionDep,
    actor: FormActor,
    value: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    here = f"/objectives/{objective_id}"
    try:
        data = CheckInCreate(value=_number(value, "Value"), note=note)
        service.check_in(
            session,
            objective_id=objective_id,
            key_result_id=key_result_id,
            value=data.value,
            note=data.note,
            actor=actor,
        )
    except ValidationError as invalid:
        return back(here, error=first_problem(invalid))
    except HuddleError as refused:
        return back(here, error=_refusal(refused))
    return back(here, notice="Checked in")


@router.post("/objectives/{objective_id}/key-results/{key_result_id}/solutions")
def key_result_link(
    objective_id: int,
    key_result_id: int,
    session: SessionDep,
    actor: FormActor,
    solution_id: Annotated[str, Form()] = "",
) -> Response:
    require(may_plan(actor))
    here = f"/objectives/{objective_id}"
    chosen = form_id(solution_id)
    if chosen is None:
        return back(here, error="Choose a solution to link")
    try:
        service.link_solution(
            session,
            objective_id=objective_id,
            key_result_id=key_result_id,
            solution_id=chosen,
            actor=actor,
        )
    except HuddleError as refused:
        return back(here, error=_refusal(refused))
    return back(here, notice="Solution linked")


@router.post(
    "/objectives/{objective_id}/key-results/{key_result_id}/solutions/{solution_id}/unlink"
)
def key_result_unlink(
    objective_id: int, key_result_id: int, solution_id: int, session: SessionDep, actor: FormActor
) -> Response:
    service.unlink_solution(
        session,
        objective_id=objective_id,
        key_result_id=key_result_id,
        solution_id=solution_id,
        actor=actor,
    )
    return back(f"/objectives/{objective_id}", notice="Solution unlinked")


@router.get("/solutions/{solution_id}/key-results", response_class=HTMLResponse)
def solution_key_results(
    request: Request, solution_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The key results a solution serves: a part of the solution's page."""
    ideas.get_solution(session, solution_id=solution_id, actor=actor)
    return render(
        request,
        "_solution_key_results.html",
        items=service.serving(session, solution_id=solution_id, actor=actor),
    )
