"""Pages of solutions: the ranked list (by any framework, side by side), a solution's page,
the form that creates or edits one, and the admin's page of the workspace's own framework."""

import json
import math
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from huddle.auth.policies import may_administer, may_plan, may_read_internal_roadmap, require
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.ideas import scoring, service
from huddle.ideas.approval import approval
from huddle.ideas.formula import FormulaError
from huddle.ideas.schemas import (
    DELIVERED,
    HORIZON_LABELS,
    TAG_LABELS,
    Commitment,
    SolutionCreate,
    SolutionUpdate,
    ValueTag,
)
from huddle.problems import service as problems
from huddle.web.pages import FormActor, PageActor, back, first_problem, form_id
from huddle.web.render import csv_response, render

router = APIRouter()
SCORING_COLUMNS = ("name", "label", "weight", "low", "high")
FRAMEWORK_LABELS = {"rice": "RICE", "ice": "ICE", "wsjf": "WSJF", "custom": "Our framework"}
ESTIMATE_LABELS = {
    "reach": "Reach (accounts; blank: from its problems)",
    "impact": "Impact (RICE: 0.25 minimal … 3 massive; ICE: 1 to 10)",
    "confidence": "Confidence (%)",
    "effort": "Effort (person-months)",
    "business_value": "Business value (WSJF, 1 to 20)",
    "time_criticality": "Time criticality (WSJF, 1 to 20)",
    "risk_reduction": "Risk reduction / opportunity (WSJF, 1 to 20)",
    "ease": "Ease (ICE, 1 to 10)",
}


def _frameworks(session: Any) -> dict[str, str]:
    names = dict(FRAMEWORK_LABELS)
    if service.custom_framework(session) is None:
        names.pop("custom")
    return names


@router.get("/solutions", response_class=HTMLResponse)
def solution_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    framework: str = "rice",
    product_area: str = "",
    problem_id: str = "",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    frameworks = _frameworks(session)
    framework = framework if framework in frameworks else "rice"
    items = service.ranked(
        session,
        actor=actor,
        framework=framework,
        product_area=product_area or None,
        problem_id=form_id(problem_id),
    )
    chosen = {i for i in (form_id(v) for v in request.query_params.getlist("id")) if i}
    compared = [item for item in items if item.solution.id in chosen]
    balance = service.value_balance(items)
    by_quarter = service.value_balance(items, by="quarter")
    return render(
        request,
        "solutions.html",
        items=items,
        balance=balance,
        balance_chart=json.dumps(_balance_chart(balance)),
        by_quarter=by_quarter,
        quarter_chart=json.dumps(_balance_chart(by_quarter)),
        compared=compared,
        framework=framework,
        frameworks=frameworks,
        product_area=product_area,
        areas=service.product_areas(session, actor=actor),
        tag_labels=TAG_LABELS,
        delivered={t.value for t in DELIVERED},
        can_plan=may_plan(actor) is None,
        notice=notice,
        error=error,
    )


@router.get("/solutions/export.csv")
def solutions_csv(
    session: SessionDep, actor: PageActor, framework: str = "rice", product_area: str = ""
) -> Response:
    """The ranked list as a spreadsheet: every framework's score and its inputs, the
    evidence behind each solution, its value tags and where it stands on the roadmap;
    internal notes only for those who may read them."""
    frameworks = _frameworks(session)
    framework = framework if framework in frameworks else "rice"
    items = service.ranked(
        session, actor=actor, framework=framework, product_area=product_area or None
    )
    notes = bool(items) and items[0].notes_visible
    header: list[object] = [
        "rank",
        "id",
        "title",
        "product_area",
        *(f"score_{key}" for key in frameworks),
        *scoring.INPUTS,
        "accounts",
        "arr",
        "mentions",
        "value_tags",
        "horizon",
        "commitment",
        "quarter",
        "problem_ids",
    ]
    rows: list[list[object]] = [header + (["internal_notes"] if notes else [])]
    for item in items:
        s = item.solution
        scores = [item.scores[key].value if key in item.scores else None for key in frameworks]
        row: list[object] = [
            item.rank,
            s.id,
            s.title,
            s.product_area or "",
            *("" if v is None else round(v, 2) for v in scores),
            *("" if item.values[name] is None else item.values[name] for name in scoring.INPUTS),
            s.accounts,
            s.arr_minor / 100,
            s.mentions,
            " ".join(s.value_tags),
            s.horizon or "",
            s.commitment,
            s.quarter or "",
            " ".join(str(i) for i in item.problem_ids),
        ]
        rows.append(row + ([s.internal_notes] if notes else []))
    return csv_response(rows, f"solutions-{framework}.csv")


KIND_COLOURS = {
    "delivers value to users": "#16a34a",
    "both": "#0ea5e9",
    "derives value from users": "#d97706",
    "untagged": "#cbd5e1",
}


def _balance_chart(balance: list[service.Balance]) -> dict[str, Any]:
    """Solutions per product area by the value they are for, as a stacked bar chart."""
    values = [
        {"area": b.area, "kind": kind, "solutions": count}
        for b in balance
        for kind, count in (
            ("delivers value to users", b.delivers),
            ("both", b.both),
            ("derives value from users", b.derives),
            ("untagged", b.untagged),
        )
        if count
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": {"step": 18},
        "data": {"values": values},
        "mark": {"type": "bar"},
        "encoding": {
            "y": {"field": "area", "type": "nominal", "title": None, "sort": None},
            "x": {"field": "solutions", "type": "quantitative", "title": "solutions"},
            "color": {
                "field": "kind",
                "type": "nominal",
                "title": None,
                "scale": {"domain": list(KIND_COLOURS), "range": list(KIND_COLOURS.values())},
                "legend": {"orient": "bottom"},
            },
            "tooltip": [{"field": "area"}, {"field": "kind"}, {"field": "solutions"}],
        },
    }


def _number(text: str, name: str) -> float | None:
    cleaned = text.strip().rstrip("%").strip()
    if not cleaned:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise HuddleError(
            f"{ESTIMATE_LABELS[name].split(' (')[0]}: “{text}” is not a number"
        ) from None
    if not math.isfinite(value):
        raise HuddleError(f"{ESTIMATE_LABELS[name].split(' (')[0]}: give a number")
    return value / 100 if name == "confidence" else value


async def _typed(request: Request) -> dict[str, Any]:
    """What the solution form holds, as SolutionCreate/SolutionUpdate take it: text as typed,
    estimates as numbers (confidence typed as a percentage), criteria by name."""
    form = await request.form()

    def text(name: str) -> str:
        return str(form.get(name) or "")

    data: dict[str, Any] = {
        "title": text("title").strip(),
        "description": text("description"),
        "internal_notes": text("internal_notes"),
        "product_area": text("product_area").strip() or None,
        "problem_ids": [
            i for i in (form_id(str(v)) for v in form.getlist("problem_ids")) if i is not None
        ],
        "value_tags": [
            str(t) for t in form.getlist("value_tags") if str(t) in ValueTag.__members__
        ],
        "criteria": {},
        "horizon": text("horizon") or None,
        "commitment": text("commitment") or "exploring",
        "quarter": text("quarter").strip().upper() or None,
        "public": form.get("public") == "on",
    }
    if text("reason").strip():
        data["reason"] = text("reason").strip()
    for name in scoring.INPUTS:
        data[name] = _number(text(name), name)
    for key, value in form.multi_items():
        name, typed = str(key), str(value).strip()
        if name.startswith("criterion_") and typed:
            try:
                data["criteria"][name.removeprefix("criterion_")] = float(typed)
            except ValueError:
                raise HuddleError(
                    f"{name.removeprefix('criterion_')}: “{typed}” is not a number"
                ) from None
    return data


@router.get("/problems/{problem_id}/solutions", response_class=HTMLResponse)
def problem_solutions(
    request: Request, problem_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The solutions proposed for a problem: a part of the problem's page."""
    problems.get_problem(session, problem_id=problem_id, actor=actor)
    return render(
        request,
        "_problem_solutions.html",
        items=service.ranked(session, actor=actor, problem_id=problem_id),
        problem_id=problem_id,
        can_plan=may_plan(actor) is None,
    )


@router.get("/solutions/new", response_class=HTMLResponse)
def solution_new(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    problem_id: str = "",
    error: str | None = None,
) -> Response:
    require(may_plan(actor))
    chosen = form_id(problem_id)
    return _edit_page(request, session, actor, None, [chosen] if chosen else [], error)


def _edit_page(
    request: Request,
    session: Any,
    actor: Any,
    item: service.Ranked | None,
    problem_ids: list[int],
    error: str | None,
) -> Response:
    return render(
        request,
        "solution_edit.html",
        item=item,
        chosen=set(problem_ids),
        problems=problems.ranked_problems(session, actor=actor, sort="score"),
        estimate_labels=ESTIMATE_LABELS,
        tag_labels=TAG_LABELS,
        delivered={t.value for t in DELIVERED},
        custom=service.custom_framework(session),
        horizons=HORIZON_LABELS,
        commitments=[c.value for c in Commitment],
        approval=approval(item.solution).value if item else None,
        error=error,
    )


@router.post("/solutions")
async def solution_create(request: Request, session: SessionDep, actor: FormActor) -> Response:
    require(may_plan(actor))
    try:
        data = SolutionCreate(**await _typed(request))
        solution = service.create_solution(session, data=data, actor=actor)
    except ValidationError as invalid:
        return back("/solutions/new", error=first_problem(invalid))
    except HuddleError as refused:
        if refused.status == 403:
            raise
        return back("/solutions/new", error=refused.message)
    return back(f"/solutions/{solution.id}", notice="Solution created")


@router.get("/solutions/{solution_id}", response_class=HTMLResponse)
def solution_page(
    request: Request,
    solution_id: int,
    session: SessionDep,
    actor: PageActor,
    framework: str = "rice",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    frameworks = _frameworks(session)
    framework = framework if framework in frameworks else "rice"
    item = service.ranked_one(session, solution_id=solution_id, actor=actor, framework=framework)
    ranked = {p.id: p for p in problems.ranked_problems(session, actor=actor, sort="score")}
    return render(
        request,
        "solution.html",
        item=item,
        solution=item.solution,
        framework=framework,
        frameworks=frameworks,
        problems=[ranked[i] for i in item.problem_ids if i in ranked],
        tag_labels=TAG_LABELS,
        delivered={t.value for t in DELIVERED},
        custom=service.custom_framework(session),
        can_plan=may_plan(actor) is None,
        roadmap_visible=may_read_internal_roadmap(actor) is None,
        approval=approval(item.solution).value,
        horizons=HORIZON_LABELS,
        notice=notice,
        error=error,
    )


@router.get("/solutions/{solution_id}/edit", response_class=HTMLResponse)
def solution_edit_page(
    request: Request,
    solution_id: int,
    session: SessionDep,
    actor: PageActor,
    error: str | None = None,
) -> Response:
    require(may_plan(actor))
    item = service.ranked_one(session, solution_id=solution_id, actor=actor)
    return _edit_page(request, session, actor, item, item.problem_ids, error)


@router.post("/solutions/{solution_id}/edit")
async def solution_edit(
    request: Request, solution_id: int, session: SessionDep, actor: FormActor
) -> Response:
    require(may_plan(actor))
    here = f"/solutions/{solution_id}/edit"
    try:
        data = SolutionUpdate(**await _typed(request))
        service.update_solution(session, solution_id=solution_id, data=data, actor=actor)
    except ValidationError as invalid:
        return back(here, error=first_problem(invalid))
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(f"/solutions/{solution_id}", notice="Saved")


@router.post("/solutions/{solution_id}/delete")
def solution_delete(solution_id: int, session: SessionDep, actor: FormActor) -> Response:
    service.delete_solution(session, solution_id=solution_id, actor=actor)
    return back("/solutions", notice="Solution deleted")


@router.get("/admin/scoring", response_class=HTMLResponse)
def scoring_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    require(may_administer(actor))
    stored = service.custom_definition(session, actor=actor) or {}
    criteria = list(stored.get("criteria", []))
    return render(
        request,
        "scoring.html",
        criteria=criteria + [{}] * max(1, 6 - len(criteria)),
        formula=stored.get("formula") or "",
        notice=notice,
        error=error,
    )


@router.post("/admin/scoring")
async def scoring_save(
    request: Request, session: SessionDep, actor: FormActor, formula: Annotated[str, Form()] = ""
) -> Response:
    require(may_administer(actor))
    form = await request.form()
    columns = {name: [str(v) for v in form.getlist(name)] for name in SCORING_COLUMNS}
    costs = {str(v) for v in form.getlist("cost")}

    def cell(column: str, row: int, default: str) -> str:
        values = columns[column]
        return (values[row].strip() if row < len(values) else "") or default

    criteria = []
    for row, typed in enumerate(columns["name"]):
        name = typed.strip().lower()
        if not name:
            continue
        try:
            criteria.append(
                {
                    "name": name,
                    "label": cell("label", row, name.replace("_", " ").capitalize()),
                    "weight": float(cell("weight", row, "1")),
                    "low": float(cell("low", row, "1")),
                    "high": float(cell("high", row, "5")),
                    "higher_is_better": name not in costs,
                }
            )
        except ValueError:
            return back("/admin/scoring", error=f"{name}: weights and scales are numbers")
    if not criteria:
        return back("/admin/scoring", error="Name at least one criterion")
    try:
        service.set_custom_framework(session, criteria=criteria, formula=formula, actor=actor)
    except (HuddleError, FormulaError) as refused:
        return back("/admin/scoring", error=str(refused))
    return back("/admin/scoring", notice="Saved: solutions can be ranked by it")
