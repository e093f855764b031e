"""The one place every router is included."""

from fastapi import FastAPI

from huddle.accounts.api import router as accounts_api
from huddle.auth.api import router as users_api
from huddle.feedback.api import router as feedback_api
from huddle.feedback.ingest import router as ingest_api
from huddle.insights.api import router as insights_api
from huddle.problems.api import router as problems_api
from huddle.web.views import router as pages


def include_routers(app: FastAPI) -> None:
    for router in (users_api, accounts_api, feedback_api, problems_api, insights_api, pages):
        app.include_router(router)
    app.include_router(ingest_api)
