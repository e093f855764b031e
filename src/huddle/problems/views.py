import bisect
import json
import math
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from huddle.activity import recent_for
from huddle.auth.policies import may_comment, may_triage, require
from huddle.auth.repository import UserRepository
from huddle.deps import SessionDep
from huddle.errors import HuddleError, NotFound
from huddle.models.enums import ProblemStatus, SourceKind
from huddle.problems import service
from huddle.problems.repository import ProblemRepository, QuoteFilter, TeamRepository
from huddle.problems.schemas import ProblemCreate, ProblemUpdate
from huddle.problems.severity import SORT_KEYS
from huddle.problems.team import questions_of
from huddle.web.pages import FormActor, PageActor, back, first_problem, form_id
from huddle.web.render import render
from huddle.web.saved_views import views_for

router = APIRouter()
CLOSED = {ProblemStatus.solved.value, ProblemStatus.wont_fix.value}
# The sort each column header of the problem list asks for.
COLUMN_SORTS = {
    "Severity": "score",
    "Mentions": "mentions",
    "Accounts": "accounts",
    "ARR at stake": "arr",
    "At risk / renewing": "arr_at_risk",
    "Segments": "segments",
    "Trend 30d": "trend",
}
LAST_PAGE = 1_000_000  # past any problem's evidence, and far inside a 64-bit offset
SORT_LABELS = {
    "score": "Severity",
    "mentions": "Mentions",
    "accounts": "Accounts",
    "arr": "ARR at stake",
    "arr_at_risk": "ARR at risk",
    "segments": "Segments",
    "trend": "Trend",
}


@router.get("/problems", response_class=HTMLResponse)
def problem_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    sort: str = "score",
    status: str = "",
    product_area: str = "",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    sort = sort if sort in SORT_KEYS else "score"
    statuses = [s.value for s in ProblemStatus]
    status = status if status in (*statuses, "all") else ""
    items = service.ranked_problems(
        session,
        actor=actor,
        sort=sort,
        status=status if status in statuses else None,
        product_area=product_area or None,
    )
    if not status:
        # Open problems by default: solved and won't fix ones are one choice away.
        items = [p for p in items if p.status not in CLOSED]
        for rank, p in enumerate(items, start=1):
            p.rank = rank
    scores = sorted(p.severity.score for p in items)
    # "top N%" by severity beside the score: close scores read as close places.
    top_share = {
        p.id: math.ceil(
            100 * (len(scores) - bisect.bisect_right(scores, p.severity.score) + 1) / len(scores)
        )
        for p in items
    }
    return render(
        request,
        "problems.html",
        items=items,
        top_share=top_share,
        column_sorts=COLUMN_SORTS,
        views=views_for(session, actor, "problems"),
        here_query=request.url.query,
        sort=sort,
        sort_labels=SORT_LABELS,
        status=status,
        statuses=list(ProblemStatus),
        product_area=product_area,
        areas=ProblemRepository(session).product_areas(actor),
        titles={p.id: p.title for p in items},
        can_triage=may_triage(actor) is None,
        notice=notice,
        error=error,
    )


@router.post("/problems")
def problem_create(
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    product_area: Annotated[str, Form()] = "",
) -> Response:
    require(may_triage(actor))
    try:
        data = ProblemCreate(
            title=title.strip(), description=description, product_area=product_area.strip() or None
        )
    except ValidationError:
        return back("/problems", notice="A problem needs a title")
    problem = service.create_problem(session, data=data, actor=actor)
    return back(f"/problems/{problem.id}", notice="Problem created")


@router.get("/problems/{problem_id}", response_class=HTMLResponse)
def problem_page(
    request: Request,
    problem_id: int,
    session: SessionDep,
    actor: PageActor,
    page: int = 1,
    account: str = "",
    segment: str = "",
    source: str = "",
    undo_accept: str = "",
    undo_new: str = "",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    target = None
    page = min(max(page, 1), LAST_PAGE)
    sources = [kind.value for kind in SourceKind]
    where = QuoteFilter(
        account_id=form_id(account),
        segment=segment.strip() or None,
        source=source if source in sources else None,
    )
    try:
        detail = service.problem_detail(
            session,
            problem_id=problem_id,
            actor=actor,
            where=where,
            limit=service.QUOTES_PAGE,
            offset=(page - 1) * service.QUOTES_PAGE,
        )
    except NotFound:
        target = service.merged_into(session, problem_id=problem_id, actor=actor)
        if target is None:
            raise
    if target is not None:
        return RedirectResponse(f"/problems/{target}", status_code=301)
    chart = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "width": "container",
        "height": 160,
        "data": {"values": [{"month": m, "mentions": n} for m, n in detail.monthly]},
        "mark": {
            "type": "bar",
            "color": "#4f46e5",
            "cornerRadiusTopLeft": 3,
            "cornerRadiusTopRight": 3,
        },
        "encoding": {
            "x": {"field": "month", "type": "ordinal", "title": None, "axis": {"labelAngle": 0}},
            "y": {"field": "mentions", "type": "quantitative", "title": "mentions"},
            "tooltip": [{"field": "month"}, {"field": "mentions"}],
        },
    }
    history = recent_for(session, "problems", problem_id, limit=20)
    filters = {"account": account, "segment": segment, "source": source}
    people = TeamRepository(session).people(actor, detail.problem.id)
    owner = next((p.user for p in people if p.role == "owner"), None)
    return render(
        request,
        "problem.html",
        d=detail,
        chart=json.dumps(chart),
        statuses=list(ProblemStatus),
        others=detail.others,
        history=history,
        comments=TeamRepository(session).comments(actor, detail.problem.id),
        questions=questions_of(session, [detail.problem.id])[detail.problem.id],
        owner=owner,
        followers=[p.user for p in people if p.role == "follower"],
        following=any(p.user_id == actor.id for p in people),
        owners=[
            u for u in UserRepository(session).all() if u.is_active and u.role in ("pm", "admin")
        ],
        can_comment=may_comment(actor) is None,
        undo_accept=form_id(undo_accept),
        undo_new=undo_new == "1",
        filters=filters,
        where=where,
        sources=sources,
        segments=sorted({a.segment for a, _ in detail.accounts if a.segment}),
        page=page,
        pages=max(1, -(-detail.total // service.QUOTES_PAGE)),
        path=f"/problems/{problem_id}",
        qs=urlencode({k: v for k, v in filters.items() if v}),
        can_triage=may_triage(actor) is None,
        notice=notice,
        error=error,
    )


@router.post("/problems/{problem_id}/edit")
def problem_edit(
    problem_id: int,
    session: SessionDep,
    actor: FormActor,
    title: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    product_area: Annotated[str, Form()] = "",
    status: Annotated[str, Form()] = "",
    parent_id: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    require(may_triage(actor))
    try:
        changes: dict[str, object] = {
            "title": title.strip(),
            "description": description,
            "product_area": product_area.strip() or None,
        }
        if status:
            changes["status"] = status
        if reason.strip():
            changes["reason"] = reason.strip()
        changes["parent_id"] = form_id(parent_id)
        if parent_id.strip() and changes["parent_id"] is None:
            return back(f"/problems/{problem_id}", error="parent: choose a problem from the list")
        service.update_problem(
            session, problem_id=problem_id, data=ProblemUpdate.model_validate(changes), actor=actor
        )
    except ValidationError as error:
        return back(
            f"/problems/{problem_id}",
            error=first_problem(error),
        )
    except HuddleError as error:
        if error.status in (403, 404):
            raise
        return back(f"/problems/{problem_id}", error=error.message)
    return back(f"/problems/{problem_id}", notice="Saved")


@router.post("/problems/{problem_id}/unlink")
def problem_unlink(
    problem_id: int,
    session: SessionDep,
    actor: FormActor,
    feedback_id: Annotated[str, Form()] = "",
) -> Response:
    chosen = form_id(feedback_id)
    if chosen is None:
        return back(f"/problems/{problem_id}", error="Choose the evidence to unlink")
    removed = service.unlink_feedback(
        session, problem_id=problem_id, feedback_ids=[chosen], actor=actor
    )
    return back(
        f"/problems/{problem_id}",
        notice="Evidence unlinked; it is back in the inbox" if removed else None,
    )


@router.post("/problems/{problem_id}/merge")
def problem_merge(
    problem_id: int,
    session: SessionDep,
    actor: FormActor,
    target_id: Annotated[str, Form()] = "",
) -> Response:
    target_id_ = form_id(target_id)
    if target_id_ is None:
        return back(f"/problems/{problem_id}", error="Choose the problem to merge into")
    target = service.merge_problems(
        session, source_id=problem_id, target_id=target_id_, actor=actor
    )
    return back(f"/problems/{target.id}", notice="Merged")
