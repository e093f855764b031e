from fastapi import APIRouter, Request, Response

from huddle.auth import service
from huddle.auth.repository import TokenRepository, UserRepository
from huddle.auth.schemas import (
    TokenCreate,
    TokenIssued,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from huddle.deps import RequireAdmin, RequireReader, SessionDep
from huddle.params import PathId
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["users"])


@router.get("/me", response_model=UserRead)
def me(actor: RequireReader) -> UserRead:
    return UserRead.model_validate(actor.user)


@router.get("/users", response_model=list[UserRead])
def list_users(session: SessionDep, actor: RequireAdmin) -> list[UserRead]:
    return [UserRead.model_validate(user) for user in UserRepository(session).all()]


@router.post("/users", response_model=UserRead, status_code=201, responses=documented(409))
def create_user(data: UserCreate, session: SessionDep, actor: RequireAdmin) -> UserRead:
    return UserRead.model_validate(service.create_user(session, data=data, actor=actor).user)


@router.patch("/users/{user_id}", response_model=UserRead, responses=documented(404))
def update_user(
    user_id: PathId, data: UserUpdate, session: SessionDep, actor: RequireAdmin
) -> UserRead:
    return UserRead.model_validate(
        service.update_user(session, user_id=user_id, data=data, actor=actor)
    )


@router.get("/tokens", response_model=list[TokenRead])
def list_tokens(request: Request, session: SessionDep, actor: RequireReader) -> list[TokenRead]:
    uses = request.app.state.token_use
    return [
        TokenRead.model_validate(t).model_copy(update={"last_used_at": uses.last_used(t)})
        for t in TokenRepository(session).for_user(actor.id)
    ]


@router.post("/tokens", response_model=TokenIssued, status_code=201)
def create_token(data: TokenCreate, session: SessionDep, actor: RequireReader) -> TokenIssued:
    token, secret = service.issue_token(
        session, user=actor.user, name=data.name, scope=data.scope, actor=actor
    )
    return TokenIssued.model_validate(
        {**TokenRead.model_validate(token).model_dump(), "token": secret}
    )


@router.delete("/tokens/{token_id}", status_code=204, responses=documented(404))
def revoke_token(token_id: PathId, session: SessionDep, actor: RequireReader) -> Response:
    service.revoke_token(session, token_id=token_id, actor=actor)
    return Response(status_code=204)
