from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from huddle import __version__
from huddle.auth.token_use import TokenUse, TokenUseWriter
from huddle.config import get_settings
from huddle.db import get_engine
from huddle.feedback.ingest import BODY_COMPONENTS
from huddle.insights.embedding import prefer_latency
from huddle.insights.search import warm_up
from huddle.jobs.runner import InlineWorker
from huddle.routes import include_routers
from huddle.web.access_log import AccessLog, log_requests_to_stderr
from huddle.web.admission import Admission
from huddle.web.errors import install_error_handlers
from huddle.web.render import TEMPLATES
from huddle.web.security import BodyLimits, RequestGate, SecurityHeaders

STATIC = Path(__file__).parent / "web" / "static"


def create_app(database_url: str | None = None, *, run_jobs: bool | None = None) -> FastAPI:
    settings = get_settings()
    url = database_url or settings.database_url
    inline = settings.run_jobs_inline if run_jobs is None else run_jobs

    token_use = TokenUse()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = InlineWorker(url) if inline else None
        token_writer = TokenUseWriter(url, token_use)
        token_writer.start()
        if worker:
            worker.start()
        prefer_latency()
        if settings.warm_up:
            warm_up(url)
        yield
        if worker:
            worker.stop(settings.shutdown_seconds)
        token_writer.stop()

    app = FastAPI(
        title="Huddle",
        version=__version__,
        summary="Customer evidence in, ranked user problems out.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.database_url = url
    app.state.token_use = token_use
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    include_routers(app)
    install_error_handlers(app)
    # The last added is the outermost: every answer, the gate's too, gets the headers; what
    # the gate refuses never waits for admission.
    app.add_middleware(
        Admission,
        concurrency=settings.web_concurrency,
        queue_seconds=settings.web_queue_seconds,
    )
    app.add_middleware(RequestGate, limits=BodyLimits.from_settings(settings))
    app.add_middleware(SecurityHeaders, https_only=settings.secure_cookies)
    if settings.access_log:
        log_requests_to_stderr()
        app.add_middleware(AccessLog)

    document = app.openapi

    def openapi() -> dict[str, Any]:
        # Models the document refers to that no route declares (the ingest body is parsed
        # by hand, to name each refused item's index).
        schema = document()
        schema.setdefault("components", {}).setdefault("schemas", {}).update(BODY_COMPONENTS)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        # The vendored Swagger UI, started by a script file: nothing inline, nothing remote.
        return TEMPLATES.TemplateResponse(
            request, "api_docs.html", {"openapi_url": "/openapi.json"}
        )

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        with get_engine(url).connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__}

    return app
