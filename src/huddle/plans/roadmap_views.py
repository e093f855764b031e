"""Pages of the roadmap: the board (now, next, later; drag and drop for the product team) and
the quarterly timeline for each audience, sales leadership's approvals, the public page read
without signing in, and every view as CSV."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from huddle.auth.actor import Actor
from huddle.auth.policies import (
    may_administer,
    may_approve_for_sales,
    may_plan,
    may_read_internal_roadmap,
    require,
)
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.ideas import service as ideas
from huddle.ideas.approval import SALES_FIELDS
from huddle.ideas.schemas import HORIZON_LABELS, Commitment
from huddle.plans import changelog
from huddle.plans import roadmap as service
from huddle.plans import service as objectives
from huddle.web.pages import FormActor, PageActor, back, form_id, local_path
from huddle.web.render import csv_response, render

router = APIRouter()
VIEWS = ("board", "timeline")
COMMITMENT_LABELS = {c.value: c.value.capitalize() for c in Commitment}


def _audience(text: str, actor: Actor) -> service.Audience:
    """The audience asked for; else the internal roadmap for those who may read it, and the
    sales-safe one for customer-facing teams."""
    if text in (service.Audience.internal.value, service.Audience.sales.value):
        return service.Audience(text)
    if may_read_internal_roadmap(actor) is None:
        return service.Audience.internal
    return service.Audience.sales


def _filters(session: Any, actor: Actor) -> dict[str, Any]:
    return {
        "areas": ideas.product_areas(session, actor=actor),
        "objectives": [m.objective for m in objectives.objectives(session, actor=actor)],
    }


@router.get("/roadmap", response_class=HTMLResponse)
def roadmap_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    audience: str = "",
    view: str = "board",
    product_area: str = "",
    objective_id: str = "",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    chosen = _audience(audience, actor)
    view = view if view in VIEWS else "board"
    found = service.roadmap(
        session,
        actor=actor,
        audience=chosen,
        product_area=product_area or None,
        objective_id=form_id(objective_id),
    )
    return render(
        request,
        "roadmap.html",
        roadmap=found,
        audience=chosen.value,
        view=view,
        product_area=product_area,
        objective_id=form_id(objective_id),
        horizons=HORIZON_LABELS,
        commitments=COMMITMENT_LABELS,
        can_plan=may_plan(actor) is None and chosen == service.Audience.internal,
        can_approve=may_approve_for_sales(actor) is None,
        reads_internal=may_read_internal_roadmap(actor) is None,
        can_administer=may_administer(actor) is None,
        public_enabled=service.public_enabled(session),
        query=request.url.query,
        notice=notice,
        error=error,
        **_filters(session, actor),
    )


@router.get("/roadmap/export.csv")
def roadmap_csv(
    session: SessionDep,
    actor: PageActor,
    audience: str = "",
    product_area: str = "",
    objective_id: str = "",
) -> Response:
    chosen = _audience(audience, actor)
    found = service.roadmap(
        session,
        actor=actor,
        audience=chosen,
        product_area=product_area or None,
        objective_id=form_id(objective_id),
    )
    return csv_response(service.table(found), f"roadmap-{chosen.value}.csv")


@router.post("/roadmap/move")
def roadmap_move(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    solution_id: Annotated[str, Form()] = "",
    horizon: Annotated[str, Form()] = "",
    before_id: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/roadmap",
) -> Response:
    """A card dropped in a column (the board's script), or moved with the card's own form
    (without a script): the script is answered 204, the form goes back to the board."""
    require(may_plan(actor))
    scripted = request.headers.get("X-Requested-With") == "fetch"
    solution = form_id(solution_id)
    try:
        if solution is None:
            raise HuddleError("choose a solution to move")
        service.move(
            session,
            solution_id=solution,
            horizon=horizon or None,
            before_id=form_id(before_id),
            actor=actor,
        )
    except HuddleError as refused:
        if refused.status in (403, 404) or scripted:
            raise
        return back(local_path(next, "/roadmap"), error=refused.message)
    if scripted:
        return Response(status_code=204)
    return back(local_path(next, "/roadmap"), notice="Moved")


@router.get("/roadmap/approvals", response_class=HTMLResponse)
def approvals_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    """Sales leadership's queue: what is on the roadmap but not (or no longer) approved for
    sales, with what changed since an earlier approval."""
    waiting = service.awaiting_approval(session, actor=actor)
    changes = {
        s.id: [
            (name, (s.sales_approved or {}).get(name), getattr(s, name))
            for name in SALES_FIELDS
            if s.sales_approved and (s.sales_approved or {}).get(name) != getattr(s, name)
        ]
        for s in waiting
    }
    return render(
        request,
        "roadmap_approvals.html",
        waiting=waiting,
        changes=changes,
        approved=service.roadmap(session, actor=actor, audience=service.Audience.sales).items,
        horizons=HORIZON_LABELS,
        can_approve=may_approve_for_sales(actor) is None,
        notice=notice,
        error=error,
    )


@router.post("/solutions/{solution_id}/sales-approval")
def approve(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    share_quarter: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/roadmap/approvals",
) -> Response:
    target = local_path(next, "/roadmap/approvals")
    try:
        solution = service.approve_for_sales(
            session, solution_id=solution_id, share_quarter=share_quarter == "on", actor=actor
        )
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(target, error=refused.message)
    return back(target, notice=f"“{solution.title}” is on the sales roadmap")


@router.post("/solutions/{solution_id}/sales-approval/withdraw")
def withdraw(
    solution_id: int,
    session: SessionDep,
    actor: FormActor,
    next: Annotated[str, Form()] = "/roadmap/approvals",
) -> Response:
    solution = service.withdraw_sales_approval(session, solution_id=solution_id, actor=actor)
    target = local_path(next, "/roadmap/approvals")
    return back(target, notice=f"“{solution.title}” is off the sales roadmap")


@router.post("/admin/roadmap/public")
def set_public(
    session: SessionDep, actor: FormActor, enabled: Annotated[str, Form()] = ""
) -> Response:
    service.set_public(session, enabled=enabled == "on", actor=actor)
    state = "open: anyone with the link may read it" if enabled == "on" else "closed"
    return back("/roadmap", notice=f"The public roadmap is {state}")


@router.get("/public/roadmap", response_class=HTMLResponse)
def public_page(request: Request, session: SessionDep, product_area: str = "") -> Response:
    """Read without signing in: only items marked public, no dates, no figures."""
    found = service.roadmap(
        session, actor=None, audience=service.Audience.public, product_area=product_area or None
    )
    return render(
        request,
        "roadmap_public.html",
        roadmap=found,
        horizons=HORIZON_LABELS,
        commitments=COMMITMENT_LABELS,
        product_area=product_area,
        areas=sorted({i.product_area for i in found.items if i.product_area}),
    )


@router.get("/public/roadmap.csv")
def public_csv(session: SessionDep, product_area: str = "") -> Response:
    found = service.roadmap(
        session, actor=None, audience=service.Audience.public, product_area=product_area or None
    )
    return csv_response(service.table(found), "roadmap.csv")


# -- the changelog ------------------------------------------------------------------------


@router.get("/changelog", response_class=HTMLResponse)
def changelog_page(
    request: Request, session: SessionDep, actor: PageActor, notice: str | None = None
) -> Response:
    return render(
        request,
        "changelog.html",
        entries=changelog.entries(session, actor=actor),
        public=False,
        public_enabled=changelog.public_enabled(session),
        can_administer=may_administer(actor) is None,
        notice=notice,
    )


@router.get("/changelog.md")
def changelog_markdown(session: SessionDep, actor: PageActor) -> Response:
    text = changelog.markdown(changelog.entries(session, actor=actor))
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="changelog.md"'},
    )


@router.post("/admin/changelog/public")
def changelog_public(
    session: SessionDep, actor: FormActor, enabled: Annotated[str, Form()] = ""
) -> Response:
    changelog.set_public(session, enabled=enabled == "on", actor=actor)
    state = "open: anyone with the link may read it" if enabled == "on" else "closed"
    return back("/changelog", notice=f"The public changelog is {state}")


@router.get("/public/changelog", response_class=HTMLResponse)
def public_changelog(request: Request, session: SessionDep) -> Response:
    """Read without signing in: shipped solutions marked public."""
    return render(
        request,
        "changelog.html",
        entries=changelog.entries(session, actor=None),
        public=True,
    )


@router.get("/public/changelog.atom")
def public_changelog_feed(session: SessionDep) -> Response:
    return Response(
        changelog.atom(changelog.entries(session, actor=None)),
        media_type="application/atom+xml; charset=utf-8",
    )
