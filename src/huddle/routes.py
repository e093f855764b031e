"""The one place every router is included."""

from fastapi import FastAPI

from huddle.accounts.api import router as accounts_api
from huddle.auth.api import router as users_api
from huddle.feedback.api import router as feedback_api
from huddle.feedback.ingest import router as ingest_api
from huddle.ideas.api import router as solutions_api
from huddle.insights.api import router as insights_api
from huddle.launch.api import router as launch_api
from huddle.launch.hooks import router as tool_hooks
from huddle.notify.api import router as notify_api
from huddle.plans.api import router as objectives_api
from huddle.plans.roadmap_api import router as roadmap_api
from huddle.problems.api import router as problems_api
from huddle.problems.team_api import router as team_api
from huddle.web.errors import API_ERRORS
from huddle.web.views import router as pages


def include_routers(app: FastAPI) -> None:
    # Every API operation documents the refusals any of them may answer with; an operation
    # adds its own (404, 409, 429) where it declares its route.
    routers = (
        users_api,
        accounts_api,
        feedback_api,
        problems_api,
        team_api,
        solutions_api,
        objectives_api,
        roadmap_api,
        launch_api,
        insights_api,
        notify_api,
    )
    for router in (*routers, ingest_api):
        app.include_router(router, responses=API_ERRORS)
    app.include_router(pages)
    # Signed by each tool, not by a Huddle credential (launch/hooks.py).
    app.include_router(tool_hooks, include_in_schema=False)
