"""How a refused request is answered: one JSON shape for the API, the error page for a person.

The bodies are declared here as models so the OpenAPI document shows what really comes
back: `ErrorRead` for every refusal, and for a body or query that fails validation (422)
`ValidationErrorRead`, which names each field and what is wrong with it.
"""

from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException
from starlette.routing import Match

from huddle.errors import Conflict, HuddleError, NotAuthenticated
from huddle.web.render import render_error


class ErrorRead(BaseModel):
    detail: str = Field(description="what went wrong, in words a person can act on")
    field: str | None = Field(default=None, description="the field at fault, when there is one")


class FieldProblem(BaseModel):
    field: str = Field(description="the field: a dotted path into the body, or query.NAME")
    reason: str
    index: int | None = Field(default=None, description="the item of a batch, when in one")


class ValidationErrorRead(BaseModel):
    detail: list[FieldProblem]


_DESCRIPTIONS = {
    400: "The body cannot be read as what this operation takes",
    401: "No credential, or an API token that is not valid or was revoked",
    403: "Not allowed for this role or token scope, or a browser session without its CSRF token",
    404: "Nothing with that id",
    409: "Already there: `field` names what must be unique",
    413: "The body is over the size limit",
    422: "Invalid input: each field and what is wrong with it, or the one `field` at fault",
    429: "Too many requests: retry after `Retry-After` seconds",
}


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses` of an operation that may answer with these errors."""
    return {
        status: {
            "model": ValidationErrorRead | ErrorRead if status == 422 else ErrorRead,
            "description": _DESCRIPTIONS[status],
        }
        for status in statuses
    }


# Any API operation may answer these: a body it cannot read or that is too large, a missing
# or wrong credential, a role that may not, a parameter out of bounds.
API_ERRORS = documented(400, 401, 403, 413, 422)


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get(
        "accept", ""
    )


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_html(request):
        page = render_error(request, status, message)
        page.headers.update(headers or {})
        return page
    return JSONResponse({"detail": message}, status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(IntegrityError)
    async def integrity_error(request: Request, error: IntegrityError) -> Response:
        # The checks before a write passed, then another request stored the same key first
        # (two creates at once): the request was rolled back; trying again finds the first.
        return await huddle_error(
            request,
            Conflict("another change to the same record was stored at the same time; try again"),
        )

    @app.exception_handler(HuddleError)
    async def huddle_error(request: Request, error: HuddleError) -> Response:
        if wants_html(request):
            if isinstance(error, NotAuthenticated):
                here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                return RedirectResponse(f"/login?{urlencode({'next': here})}", status_code=303)
            return render_error(request, error.status, error.message)
        body: dict[str, object] = {"detail": error.message}
        if error.field:
            body["field"] = error.field
        headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
        return JSONResponse(body, status_code=error.status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        fixed = _allowed_methods(request, fixed_paths_only=True)
        if fixed and any(e["loc"][0] == "path" for e in error.errors()):
            # `PATCH /problems/from-feedback` is a wrong method for a fixed path, not a bad id
            # for `/problems/{problem_id}`.
            return error_response(request, 405, "Method Not Allowed", {"Allow": ", ".join(fixed)})
        problems = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "reason": e["msg"]}
            for e in error.errors()
        ]
        if wants_html(request):
            text = "; ".join(f"{p['field']}: {p['reason']}" for p in problems)
            return render_error(request, 422, text)
        return JSONResponse({"detail": problems}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        headers = dict(error.headers or {})
        if error.status_code == 405:
            # Starlette names only the methods of the first route on the path; name them all.
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return error_response(request, error.status_code, str(error.detail), headers)


def _allowed_methods(request: Request, *, fixed_paths_only: bool = False) -> list[str]:
    """The methods of the routes this path names; a fixed path (`/problems/from-feedback`)
    is named before a parameter's (`/problems/{problem_id}`)."""
    fixed: set[str] = set()
    any_path: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        if not route.methods:
            continue
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match != Match.NONE:
            any_path |= route.methods
            if "{" not in (route.path or "{"):
                fixed |= route.methods
    return sorted(fixed if fixed or fixed_paths_only else any_path)
