import hmac
import secrets

from fastapi import Request

from huddle.errors import NotPermitted
from huddle.models.user import LoginSession

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
LOGIN_CSRF_COOKIE = "huddle_login_csrf"


def _same(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), (given or "").encode())


def check_csrf_header(request: Request, login: LoginSession) -> None:
    if not _same(login.csrf_token, request.headers.get(CSRF_HEADER)):
        raise NotPermitted("missing or wrong CSRF token; reload the page and try again")


def check_csrf_form(request: Request, login: LoginSession, form_value: str | None) -> None:
    given = form_value or request.headers.get(CSRF_HEADER)
    if not _same(login.csrf_token, given):
        raise NotPermitted("missing or wrong CSRF token; reload the page and try again")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)


def check_login_csrf(request: Request, form_value: str | None) -> None:
    """Before sign-in there is no session: the form and a cookie must carry the same value."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not cookie or not _same(cookie, form_value):
        raise NotPermitted("the sign-in form expired; reload the page and try again")
