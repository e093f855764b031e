"""A piece of evidence on its own page: everything known about it, its problems and history;
edited by PMs, admins and the person who submitted it; a passage of it linked to a problem."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from huddle.activity import recent_for
from huddle.auth.policies import may_edit_evidence, may_triage, require
from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.feedback import service
from huddle.feedback.schemas import FeedbackFilter, FeedbackUpdate
from huddle.models.enums import DismissReason, SourceKind
from huddle.problems import service as problems
from huddle.problems.repository import LinkRepository, ProblemRepository
from huddle.web.pages import FormActor, PageActor, back, form_id
from huddle.web.render import render

router = APIRouter()


@router.get("/evidence/{feedback_id}", response_class=HTMLResponse)
def evidence_page(
    request: Request,
    feedback_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    item = service.get_feedback(session, feedback_id=feedback_id, actor=actor)
    can_triage = may_triage(actor) is None
    return render(
        request,
        "evidence.html",
        item=item,
        links=LinkRepository(session).of_feedback(actor, item.id),
        history=recent_for(session, "feedback", item.id, limit=20),
        choices=problems.problem_choices(session, actor=actor) if can_triage else [],
        can_triage=can_triage,
        can_edit=may_edit_evidence(actor, item.submitter_id) is None,
        sources=list(SourceKind),
        reasons=list(DismissReason),
        notice=notice,
        error=error,
    )


@router.post("/evidence/{feedback_id}/edit")
def evidence_edit(
    feedback_id: int,
    session: SessionDep,
    actor: FormActor,
    text: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
) -> Response:
    here = f"/evidence/{feedback_id}"
    try:
        data = FeedbackUpdate(
            text=text,
            title=title.strip() or None,
            source=source,
            tags=[t.strip() for t in tags.split(",") if t.strip()],
        )
    except ValidationError as problem:
        first = problem.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "the form"
        return back(here, error=f"{field}: {first['msg']}")
    service.update_feedback(session, feedback_id=feedback_id, data=data, actor=actor)
    return back(here, notice="Saved")


@router.post("/evidence/{feedback_id}/link")
def evidence_link(
    feedback_id: int,
    session: SessionDep,
    actor: FormActor,
    problem_id: Annotated[str, Form()] = "",
    quote: Annotated[str, Form()] = "",
) -> Response:
    require(may_triage(actor))
    here = f"/evidence/{feedback_id}"
    chosen = form_id(problem_id)
    if chosen is None:
        return back(here, error="Choose the problem to link to")
    try:
        added = problems.link_feedback(
            session,
            problem_id=chosen,
            feedback_ids=[feedback_id],
            actor=actor,
            quote=quote.strip() or None,
        )
    except HuddleError as problem:
        return back(here, error=str(problem))
    title = problems.get_problem(session, problem_id=chosen, actor=actor).title
    if not added:
        return back(here, error=f"Already linked to “{title}”")
    what = "The passage" if quote.strip() else "It"
    return back(here, notice=f"{what} is now evidence of “{title}”")


MY_PAGE = 50


@router.get("/my/evidence", response_class=HTMLResponse)
def my_evidence(request: Request, session: SessionDep, actor: PageActor, page: int = 1) -> Response:
    """What I added and what became of it: the problems it backs (and where they stand),
    dismissed, snoozed, or waiting in the inbox."""
    page = min(max(page, 1), 1_000_000)
    items, total = service.list_feedback(
        session,
        where=FeedbackFilter(submitter_id=actor.id),
        actor=actor,
        limit=MY_PAGE,
        offset=(page - 1) * MY_PAGE,
    )
    problem_ids = {p for item in items for p in item.problem_ids}
    backing = ProblemRepository(session).by_ids(actor, problem_ids)
    return render(
        request,
        "my_evidence.html",
        items=items,
        total=total,
        backing=backing,
        page=page,
        pages=max(1, -(-total // MY_PAGE)),
        path="/my/evidence",
        qs="",
    )
