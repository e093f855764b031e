"""A problem's team over the API: its owner, its followers, its comments. The same rules as
the problem page's controls (team.py): PMs and admins set the owner, anyone who reads may
follow, contributors and up comment."""

from fastapi import APIRouter, Query
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.deps import RequireContributor, RequirePM, RequireReader, SessionDep
from huddle.params import Offset, PathId
from huddle.problems import team
from huddle.problems.schemas import CommentCreate, CommentRead, OwnerUpdate, PeopleRead
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/problems", tags=["problems"])


def _people(session: Session, problem_id: int, actor: Actor) -> PeopleRead:
    return PeopleRead.model_validate(team.people(session, problem_id=problem_id, actor=actor))


@router.get("/{problem_id}/people", response_model=PeopleRead, responses=documented(404))
def get_people(problem_id: PathId, session: SessionDep, actor: RequireReader) -> PeopleRead:
    return _people(session, problem_id, actor)


@router.put("/{problem_id}/owner", response_model=PeopleRead, responses=documented(404))
def set_owner(
    problem_id: PathId, data: OwnerUpdate, session: SessionDep, actor: RequirePM
) -> PeopleRead:
    team.set_owner(session, problem_id=problem_id, user_id=data.user_id, actor=actor)
    return _people(session, problem_id, actor)


@router.put("/{problem_id}/following", response_model=PeopleRead, responses=documented(404))
def follow(problem_id: PathId, session: SessionDep, actor: RequireReader) -> PeopleRead:
    """Follow the problem as the caller (again is fine)."""
    team.follow(session, problem_id=problem_id, actor=actor, on=True)
    return _people(session, problem_id, actor)


@router.delete("/{problem_id}/following", response_model=PeopleRead, responses=documented(404))
def unfollow(problem_id: PathId, session: SessionDep, actor: RequireReader) -> PeopleRead:
    """Stop following the problem; its owner stays its owner."""
    team.follow(session, problem_id=problem_id, actor=actor, on=False)
    return _people(session, problem_id, actor)


@router.get("/{problem_id}/comments", response_model=list[CommentRead], responses=documented(404))
def list_comments(
    problem_id: PathId,
    session: SessionDep,
    actor: RequireReader,
    limit: int = Query(100, ge=1, le=1000),
    offset: Offset = 0,
) -> list[CommentRead]:
    """Oldest first, `limit` at a time."""
    found = team.comments(session, problem_id=problem_id, actor=actor, limit=limit, offset=offset)
    return [CommentRead.model_validate(comment) for comment in found]


@router.post(
    "/{problem_id}/comments",
    response_model=CommentRead,
    status_code=201,
    responses=documented(404),
)
def add_comment(
    problem_id: PathId, data: CommentCreate, session: SessionDep, actor: RequireContributor
) -> CommentRead:
    made = team.comment(session, problem_id=problem_id, body=data.body, actor=actor)
    return CommentRead.model_validate(made)
