from fastapi import APIRouter, Query, Response
from fastapi.responses import RedirectResponse

from huddle.deps import RequirePM, RequireReader, SessionDep
from huddle.errors import NotFound
from huddle.models.enums import ProblemStatus
from huddle.params import Offset, PathId, QueryText
from huddle.problems import service
from huddle.problems.repository import LinkRepository
from huddle.problems.schemas import (
    LinkCreate,
    LinkRead,
    NewProblemFromFeedback,
    ProblemCreate,
    ProblemList,
    ProblemRead,
    ProblemUpdate,
    RankedProblem,
)
from huddle.problems.severity import SORT_KEYS
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/problems", tags=["problems"])
SORT_PATTERN = "^(" + "|".join(SORT_KEYS) + ")$"


@router.get("", response_model=ProblemList)
def list_problems(
    session: SessionDep,
    actor: RequireReader,
    sort: str = Query("score", pattern=SORT_PATTERN),
    status: ProblemStatus | None = None,
    product_area: QueryText = None,
) -> ProblemList:
    items = service.ranked_problems(
        session, actor=actor, sort=sort, status=status, product_area=product_area
    )
    return ProblemList(items=items, total=len(items), sort=sort)


@router.post("", response_model=ProblemRead, status_code=201)
def create_problem(data: ProblemCreate, session: SessionDep, actor: RequirePM) -> ProblemRead:
    return ProblemRead.model_validate(service.create_problem(session, data=data, actor=actor))


@router.post(
    "/from-feedback", response_model=ProblemRead, status_code=201, responses=documented(404)
)
def create_from_feedback(
    data: NewProblemFromFeedback, session: SessionDep, actor: RequirePM
) -> ProblemRead:
    return ProblemRead.model_validate(service.create_from_feedback(session, data=data, actor=actor))


@router.get(
    "/{problem_id}",
    response_model=RankedProblem,
    responses={
        308: {"description": "Merged into another problem: `Location` names it"},
        **documented(404),
    },
)
def get_problem(
    problem_id: PathId, session: SessionDep, actor: RequireReader
) -> RankedProblem | Response:
    try:
        return service.ranked_problem(session, problem_id=problem_id, actor=actor)
    except NotFound:
        target = service.merged_into(session, problem_id=problem_id, actor=actor)
        if target is None:
            raise
    return RedirectResponse(f"/api/v1/problems/{target}", status_code=308)


@router.patch("/{problem_id}", response_model=ProblemRead, responses=documented(404))
def update_problem(
    problem_id: PathId, data: ProblemUpdate, session: SessionDep, actor: RequirePM
) -> ProblemRead:
    problem = service.update_problem(session, problem_id=problem_id, data=data, actor=actor)
    return ProblemRead.model_validate(problem)


@router.post(
    "/{problem_id}/merge-into/{target_id}", response_model=ProblemRead, responses=documented(404)
)
def merge_problem(
    problem_id: PathId, target_id: PathId, session: SessionDep, actor: RequirePM
) -> ProblemRead:
    target = service.merge_problems(session, source_id=problem_id, target_id=target_id, actor=actor)
    return ProblemRead.model_validate(target)


@router.get("/{problem_id}/links", response_model=list[LinkRead], responses=documented(404))
def list_links(
    problem_id: PathId,
    session: SessionDep,
    actor: RequireReader,
    limit: int = Query(1000, ge=1, le=1000),
    offset: Offset = 0,
) -> list[LinkRead]:
    """This problem's own links, newest evidence first, `limit` at a time."""
    service.get_problem(session, problem_id=problem_id, actor=actor)
    links = LinkRepository(session).for_problems(actor, [problem_id], limit=limit, offset=offset)
    return [LinkRead.model_validate(link) for link in links]


@router.post("/{problem_id}/links", status_code=201, responses=documented(404))
def link_feedback(
    problem_id: PathId, data: LinkCreate, session: SessionDep, actor: RequirePM
) -> dict[str, int]:
    created = service.link_feedback(
        session,
        problem_id=problem_id,
        feedback_ids=data.feedback_ids,
        quote=data.quote,
        actor=actor,
    )
    return {"linked": created}


@router.delete("/{problem_id}/links/{feedback_id}", status_code=204, responses=documented(404))
def unlink_feedback(
    problem_id: PathId, feedback_id: PathId, session: SessionDep, actor: RequirePM
) -> Response:
    if not service.unlink_feedback(
        session, problem_id=problem_id, feedback_ids=[feedback_id], actor=actor
    ):
        raise NotFound(f"evidence {feedback_id} is not linked to problem {problem_id}")
    return Response(status_code=204)
