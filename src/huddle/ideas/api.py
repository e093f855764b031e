from fastapi import APIRouter, Query, Response

from huddle.deps import RequireAdmin, RequirePlanner, RequireReader, SessionDep
from huddle.errors import NotFound
from huddle.ideas import scoring, service
from huddle.ideas.approval import approval
from huddle.ideas.schemas import (
    CustomFrameworkIn,
    CustomFrameworkRead,
    ScoreRead,
    SolutionCreate,
    SolutionList,
    SolutionRead,
    SolutionUpdate,
)
from huddle.params import PathId, QueryId, QueryText
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/solutions", tags=["solutions"])
FRAMEWORK_PATTERN = "^(" + "|".join(scoring.FRAMEWORKS) + ")$"


def _score(found: scoring.Score) -> ScoreRead:
    return ScoreRead(
        framework=found.framework,
        value=found.value,
        missing=list(found.missing),
        explanation=found.explanation,
        inputs=dict(found.inputs),
    )


def read(item: service.Ranked, framework: str) -> SolutionRead:
    solution = item.solution
    return SolutionRead(
        id=solution.id,
        title=solution.title,
        description=solution.description,
        internal_notes=solution.internal_notes if item.notes_visible else None,
        product_area=solution.product_area,
        owner_id=solution.owner_id,
        problem_ids=item.problem_ids,
        accounts=solution.accounts,
        arr_minor=solution.arr_minor,
        mentions=solution.mentions,
        reach_from_problems=item.reach_from_problems,
        estimates={name: getattr(solution, name) for name in service.ESTIMATES},
        criteria=dict(solution.criteria),
        value_tags=list(solution.value_tags),
        value=item.value_kind,
        horizon=solution.horizon,
        commitment=solution.commitment,
        quarter=solution.quarter,
        public=solution.public,
        sales_approval=approval(solution).value,
        rank=item.rank,
        score=_score(item.scores[framework]),
        scores={name: _score(s) for name, s in item.scores.items()},
        created_at=solution.created_at,
        updated_at=solution.updated_at,
    )


@router.get("", response_model=SolutionList)
def list_solutions(
    session: SessionDep,
    actor: RequireReader,
    framework: str = Query("rice", pattern=FRAMEWORK_PATTERN),
    product_area: QueryText = None,
    problem_id: QueryId = None,
) -> SolutionList:
    """Every solution ranked by `framework`, each with every framework's score and how it
    was derived; those a framework cannot score (an estimate missing) come last."""
    items = service.ranked(
        session, actor=actor, framework=framework, product_area=product_area, problem_id=problem_id
    )
    return SolutionList(
        items=[read(i, framework) for i in items], total=len(items), framework=framework
    )


@router.post("", response_model=SolutionRead, status_code=201)
def create_solution(
    data: SolutionCreate, session: SessionDep, actor: RequirePlanner
) -> SolutionRead:
    solution = service.create_solution(session, data=data, actor=actor)
    return read(service.ranked_one(session, solution_id=solution.id, actor=actor), "rice")


@router.get("/scoring/custom", response_model=CustomFrameworkRead, responses=documented(404))
def get_custom(session: SessionDep, actor: RequireReader) -> CustomFrameworkRead:
    stored = service.custom_definition(session, actor=actor)
    if stored is None:
        raise NotFound("this workspace has no framework of its own yet")
    return CustomFrameworkRead.model_validate(stored)


@router.put("/scoring/custom", response_model=CustomFrameworkRead)
def put_custom(
    data: CustomFrameworkIn, session: SessionDep, actor: RequireAdmin
) -> CustomFrameworkRead:
    """The workspace's own framework: criteria with weights and scales, and optionally a
    formula over their names (+ - * / ^, min, max, sqrt, log, abs, round)."""
    criteria = [c.model_dump() for c in data.criteria]
    service.set_custom_framework(session, criteria=criteria, formula=data.formula, actor=actor)
    return CustomFrameworkRead.model_validate(service.custom_definition(session, actor=actor))


@router.get("/{solution_id}", response_model=SolutionRead, responses=documented(404))
def get_solution(
    solution_id: PathId,
    session: SessionDep,
    actor: RequireReader,
    framework: str = Query("rice", pattern=FRAMEWORK_PATTERN),
) -> SolutionRead:
    item = service.ranked_one(session, solution_id=solution_id, actor=actor, framework=framework)
    return read(item, framework)


@router.patch("/{solution_id}", response_model=SolutionRead, responses=documented(404))
def update_solution(
    solution_id: PathId, data: SolutionUpdate, session: SessionDep, actor: RequirePlanner
) -> SolutionRead:
    service.update_solution(session, solution_id=solution_id, data=data, actor=actor)
    return read(service.ranked_one(session, solution_id=solution_id, actor=actor), "rice")


@router.delete("/{solution_id}", status_code=204, responses=documented(404))
def delete_solution(solution_id: PathId, session: SessionDep, actor: RequirePlanner) -> Response:
    service.delete_solution(session, solution_id=solution_id, actor=actor)
    return Response(status_code=204)
