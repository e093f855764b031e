"""What every page route shares: who is signed in, and the CSRF check for its forms."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import unquote, urlencode, urlsplit

from fastapi import Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from huddle.auth.actor import Actor
from huddle.deps import LoginDep
from huddle.errors import NotAuthenticated, NotFound
from huddle.models.user import LoginSession
from huddle.params import MAX_ID
from huddle.web.csrf import check_csrf_form


@dataclass(frozen=True)
class Viewer:
    """Who the page is for, copied out of the session so an error page can still show it."""

    id: int
    name: str
    email: str
    role: str
    team: str
    csrf_token: str


def page_login(request: Request, login: LoginDep) -> LoginSession:
    if login is None:
        raise NotAuthenticated("please sign in")
    if any(form_id(value) is None for value in request.path_params.values() if value.isdigit()):
        # /problems/18446744073709551616 names nothing; asked for, PostgreSQL would fail.
        raise NotFound(f"no page {request.url.path}")
    user = login.user
    request.state.viewer = Viewer(
        user.id, user.name, user.email, user.role, user.team, login.csrf_token
    )
    return login


def page_actor(login: Annotated[LoginSession, Depends(page_login)]) -> Actor:
    return Actor(user=login.user)


PageActor = Annotated[Actor, Depends(page_actor)]


def form_actor(
    request: Request,
    login: Annotated[LoginSession, Depends(page_login)],
    csrf_token: Annotated[str, Form()] = "",
) -> Actor:
    check_csrf_form(request, login, csrf_token)
    return Actor(user=login.user)


FormActor = Annotated[Actor, Depends(form_actor)]


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: a redirect never leaves Huddle.

    Browsers read `//host`, `/\\host` and `/<tab>/host` as another site, and a target may be
    percent-encoded once or twice more on its way here, so each decoding is checked too.
    """
    if not target or len(target) > 2000:
        return default
    candidate = target
    for _ in range(3):
        if not _plainly_local(candidate):
            return default
        decoded = unquote(candidate)
        if decoded == candidate:
            return target
        candidate = decoded
    return default


def _plainly_local(path: str) -> bool:
    if not path.startswith("/") or path[1:2] in ("/", "\\"):
        return False
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in path):
        return False
    parts = urlsplit(path)
    return not parts.scheme and not parts.netloc


def back(path: str, **params: object) -> RedirectResponse:
    """After a form: back to a page, with a short notice for the person."""
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    if not query:
        return RedirectResponse(path, status_code=303)
    joiner = "&" if "?" in path else "?"
    return RedirectResponse(f"{path.rstrip('?&')}{joiner}{query}", status_code=303)


def leave(request: Request, path: str, **params: object) -> Response:
    """Like `back`, to another page: a form the inbox submits through htmx gets the address
    in `HX-Redirect` and the browser goes there, instead of that page being swapped into the
    inbox."""
    redirect = back(path, **params)
    if request.headers.get("HX-Request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": redirect.headers["location"]})
    return redirect


def form_id(value: str) -> int | None:
    """An id typed in a form or a query: ASCII digits that fit in 64 bits, or None."""
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) > MAX_ID:
        return None
    return int(text)


_PICKED = re.compile(r"\(#(\d+)\)\s*$")


def picked_id(typed: str, named: Callable[[str], int | None]) -> int | None:
    """The id a picker names: "Label (#12)" as its list offers it, "#12" or "12"; else what
    `named` finds for the words typed (a problem's title, a suggestion's label)."""
    text = typed.strip()
    found = _PICKED.search(text)
    if found:
        return form_id(found.group(1))
    if form_id(text.lstrip("#")) is not None:
        return form_id(text.lstrip("#"))
    return named(text) if text else None


def search_words(value: str) -> str:
    """What was typed in a search box, less NUL characters (no text holds them)."""
    return value.replace("\x00", "").strip()


def first_problem(error: ValidationError) -> str:
    """The first thing wrong with a form, as 'field: reason', for the person to fix."""
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "form"
    return f"{where}: {first['msg']}"
