"""The problem page's team controls: owner, follow, comments, delete."""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import Response

from huddle.deps import SessionDep
from huddle.errors import HuddleError
from huddle.problems import team
from huddle.web.pages import FormActor, back, form_id

router = APIRouter()


@router.post("/problems/{problem_id}/owner")
def problem_owner(
    problem_id: int, session: SessionDep, actor: FormActor, owner_id: Annotated[str, Form()] = ""
) -> Response:
    here = f"/problems/{problem_id}"
    try:
        team.set_owner(session, problem_id=problem_id, user_id=form_id(owner_id), actor=actor)
    except HuddleError as problem:
        if problem.status == 403:
            raise
        return back(here, error=str(problem))
    return back(here, notice="Owner saved")


@router.post("/problems/{problem_id}/follow")
def problem_follow(
    problem_id: int, session: SessionDep, actor: FormActor, on: Annotated[str, Form()] = "1"
) -> Response:
    following = on == "1"
    team.follow(session, problem_id=problem_id, actor=actor, on=following)
    notice = "You follow this problem" if following else "You no longer follow this problem"
    return back(f"/problems/{problem_id}", notice=notice)


@router.post("/problems/{problem_id}/comments")
def problem_comment(
    problem_id: int, session: SessionDep, actor: FormActor, body: Annotated[str, Form()] = ""
) -> Response:
    here = f"/problems/{problem_id}"
    try:
        team.comment(session, problem_id=problem_id, body=body, actor=actor)
    except HuddleError as problem:
        if problem.status == 403:
            raise
        return back(here, error=str(problem))
    return back(here, notice="Comment added")


@router.post("/problems/{problem_id}/delete")
def problem_delete(problem_id: int, session: SessionDep, actor: FormActor) -> Response:
    held = team.delete_problem(session, problem_id=problem_id, actor=actor)
    return back(
        "/problems", notice=f"Deleted; {held} item{'s' if held != 1 else ''} back in the inbox"
    )
