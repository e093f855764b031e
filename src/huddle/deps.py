"""The names routes inject: a session per request, and who is asking."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from huddle.auth import service as auth
from huddle.auth.actor import Actor
from huddle.auth.policies import (
    may_add_evidence,
    may_administer,
    may_plan,
    may_read,
    may_triage,
    require,
)
from huddle.db import session_scope
from huddle.errors import NotAuthenticated
from huddle.models.user import LoginSession
from huddle.web.csrf import check_csrf_header

SESSION_COOKIE = "huddle_session"


def get_session(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error."""
    with session_scope(request.app.state.database_url) as session:
        yield session


# Function scope: the commit happens when the route (and its response model) is done and
# before the response is sent, so a 2xx means stored and a failed commit is an error answer.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def current_login(request: Request, session: SessionDep) -> LoginSession | None:
    token = request.cookies.get(SESSION_COOKIE)
    return auth.resolve_session(session, token) if token else None


LoginDep = Annotated[LoginSession | None, Depends(current_login)]


def api_actor(request: Request, session: SessionDep) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() == "bearer" and secret:
        actor = auth.resolve_api_token(session, secret.strip(), request.app.state.token_use)
        if actor is not None:
            return actor
        raise NotAuthenticated("the API token is not valid or was revoked")
    token = request.cookies.get(SESSION_COOKIE)
    login = auth.resolve_session(session, token) if token else None
    if login is not None:
        if request.method not in {"GET", "HEAD", "OPTIONS"}:
            # A browser session calling the API must prove it is our page, like a form does.
            check_csrf_header(request, login)
        return Actor(user=login.user)
    raise NotAuthenticated("send an API token as 'Authorization: Bearer hud_…'")


ApiActor = Annotated[Actor, Depends(api_actor)]


def _needs(policy: object) -> object:
    def dependency(actor: ApiActor) -> Actor:
        require(policy(actor))  # type: ignore[operator]
        return actor

    return dependency


RequireReader = Annotated[Actor, Depends(_needs(may_read))]
RequireContributor = Annotated[Actor, Depends(_needs(may_add_evidence))]
RequirePM = Annotated[Actor, Depends(_needs(may_triage))]
RequirePlanner = Annotated[Actor, Depends(_needs(may_plan))]
RequireAdmin = Annotated[Actor, Depends(_needs(may_administer))]
