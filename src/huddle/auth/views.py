from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from huddle.auth import service
from huddle.auth.policies import may_administer, require
from huddle.auth.repository import UserRepository
from huddle.auth.schemas import UserCreate, UserUpdate
from huddle.config import get_settings
from huddle.deps import SESSION_COOKIE, LoginDep, SessionDep
from huddle.errors import HuddleError, NotPermitted
from huddle.models.enums import Role, Team
from huddle.web.csrf import LOGIN_CSRF_COOKIE, check_login_csrf, new_login_csrf
from huddle.web.pages import FormActor, PageActor, back, first_problem, local_path
from huddle.web.render import render

router = APIRouter()


def _login_page(
    request: Request,
    *,
    error: str | None = None,
    email: str = "",
    next_: str = "/",
    status: int = 200,
) -> HTMLResponse:
    token = new_login_csrf()
    response = render(
        request,
        "login.html",
        status_code=status,
        error=error,
        email=email,
        next=next_,
        login_csrf=token,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=get_settings().secure_cookies,
    )
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, login: LoginDep, next: str = "/") -> Response:
    if login is not None:
        return RedirectResponse(local_path(next), status_code=303)
    return _login_page(request, next_=local_path(next))


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        check_login_csrf(request, csrf_token)
        _, token = service.login(
            session,
            email=email.strip(),
            password=password,
            ip=request.client.host if request.client else "?",
        )
    except HuddleError as error:
        # The failed attempt must be kept even though the page shows an error.
        session.commit()
        return _login_page(
            request, error=error.message, email=email, next_=local_path(next), status=error.status
        )
    response = RedirectResponse(local_path(next), status_code=303)
    settings = get_settings()
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86400,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


@router.post("/logout")
def logout(request: Request, session: SessionDep, actor: FormActor) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.logout(session, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(actor: PageActor) -> Response:
    return RedirectResponse("/inbox" if actor.at_least(Role.pm) else "/problems", status_code=303)


def _users_page(
    request: Request,
    session: SessionDep,
    *,
    notice: str | None = None,
    error: str | None = None,
    new_password: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "users.html",
        status_code=status,
        users=UserRepository(session).all(),
        roles=list(Role),
        teams=list(Team),
        notice=notice,
        error=error,
        new_password=new_password,
    )


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    require(may_administer(actor))
    return _users_page(request, session, notice=notice, error=error)


@router.post("/admin/users")
def users_create(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    email: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "contributor",
    team: Annotated[str, Form()] = "product",
    password: Annotated[str, Form()] = "",
) -> Response:
    require(may_administer(actor))
    try:
        data = UserCreate(
            email=email.strip(), name=name.strip(), role=role, team=team, password=password or None
        )
    except ValidationError as error:
        return back("/admin/users", error=first_problem(error))
    created = service.create_user(session, data=data, actor=actor)
    if not created.generated:
        return back("/admin/users", notice=f"Added {created.user.email}")
    # A generated password is shown on this page only: never in a URL, where the browser's
    # history, a proxy's log or a Referer header would keep it, and never cached.
    page = _users_page(
        request, session, notice=f"Added {created.user.email}", new_password=created.password
    )
    page.headers["Cache-Control"] = "no-store"
    return page


@router.post("/admin/users/{user_id}")
def users_update(
    user_id: int,
    session: SessionDep,
    actor: FormActor,
    role: Annotated[str, Form()] = "",
    team: Annotated[str, Form()] = "",
    is_active: Annotated[str, Form()] = "",
    approves_for_sales: Annotated[str, Form()] = "",
) -> Response:
    require(may_administer(actor))
    try:
        changes: dict[str, object] = {
            "is_active": is_active == "on",
            "approves_for_sales": approves_for_sales == "on",
        }
        changes.update({k: v for k, v in (("role", role), ("team", team)) if v})
        data = UserUpdate.model_validate(changes)
        service.update_user(session, user_id=user_id, data=data, actor=actor)
    except (ValidationError, HuddleError) as error:
        if isinstance(error, NotPermitted):
            raise
        message = error.message if isinstance(error, HuddleError) else first_problem(error)
        return back("/admin/users", error=message)
    return back("/admin/users", notice="Saved")
