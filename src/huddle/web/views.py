"""Page routes of every domain, gathered so routes.py includes one router."""

from fastapi import APIRouter

from huddle.accounts.views import router as accounts
from huddle.auth.views import router as auth
from huddle.feedback.evidence_views import router as evidence
from huddle.feedback.views import router as feedback
from huddle.ideas.views import router as solutions
from huddle.imports.views import router as imports
from huddle.insights.views import router as insights
from huddle.launch.views import router as launches
from huddle.notify.views import router as notifications
from huddle.plans.roadmap_views import router as roadmap
from huddle.plans.views import router as objectives
from huddle.problems.team_views import router as problem_team
from huddle.problems.views import router as problems
from huddle.web.saved_views import router as saved_views

router = APIRouter(include_in_schema=False)
for domain in (
    auth,
    feedback,
    evidence,
    insights,
    problems,
    problem_team,
    solutions,
    objectives,
    roadmap,
    launches,
    accounts,
    imports,
    saved_views,
    notifications,
):
    router.include_router(domain)
