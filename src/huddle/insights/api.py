from fastapi import APIRouter, Query

from huddle.deps import RequirePM, RequireReader, SessionDep
from huddle.feedback.repository import FeedbackRepository
from huddle.insights import search, service
from huddle.insights.repository import InsightRepository
from huddle.insights.schemas import (
    AcceptedTheme,
    AcceptTheme,
    MergeTheme,
    RejectItems,
    RenameTheme,
    SearchHit,
    ThemeList,
)
from huddle.params import PathId
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["themes"])


def _list(session: SessionDep, actor: RequireReader) -> ThemeList:
    run = InsightRepository(session).latest_run()
    return ThemeList(
        items=service.theme_summaries(session, actor=actor),
        unthemed=run.unthemed if run else 0,
        last_run_at=run.created_at if run else None,
        clustered=run.clustered if run else None,
    )


@router.get("/themes", response_model=ThemeList)
def list_themes(session: SessionDep, actor: RequireReader) -> ThemeList:
    return _list(session, actor)


@router.post("/themes/discover", response_model=ThemeList)
def discover(session: SessionDep, actor: RequirePM) -> ThemeList:
    service.discover(session, actor=actor)
    return _list(session, actor)


@router.post(
    "/themes/{theme_id}/accept",
    status_code=201,
    response_model=AcceptedTheme,
    responses=documented(404, 409),
)
def accept(
    theme_id: PathId, data: AcceptTheme, session: SessionDep, actor: RequirePM
) -> AcceptedTheme:
    """409 when the suggestion is no longer open: the detail says what became of it."""
    outcome = service.accept(
        session, theme_id=theme_id, actor=actor, title=data.title, product_area=data.product_area
    )
    return AcceptedTheme(
        problem_id=outcome.problem_id, linked=outcome.linked, skipped=outcome.skipped
    )


@router.post("/themes/{theme_id}/rename", responses=documented(404, 409))
def rename(
    theme_id: PathId, data: RenameTheme, session: SessionDep, actor: RequirePM
) -> dict[str, str]:
    return {
        "label": service.rename(session, theme_id=theme_id, label=data.label, actor=actor).label
    }


@router.post("/themes/{theme_id}/merge", responses=documented(404, 409))
def merge(
    theme_id: PathId, data: MergeTheme, session: SessionDep, actor: RequirePM
) -> dict[str, int]:
    return {
        "theme_id": service.merge(session, theme_id=theme_id, into_id=data.into_id, actor=actor).id
    }


@router.post("/themes/{theme_id}/split", responses=documented(404, 409))
def split(theme_id: PathId, session: SessionDep, actor: RequirePM) -> dict[str, list[int]]:
    return {"theme_ids": [t.id for t in service.split(session, theme_id=theme_id, actor=actor)]}


@router.post("/themes/{theme_id}/reject", status_code=204, responses=documented(404, 409))
def reject(theme_id: PathId, session: SessionDep, actor: RequirePM) -> None:
    service.reject(session, theme_id=theme_id, actor=actor)


@router.post("/themes/{theme_id}/reject-items", responses=documented(404, 409))
def reject_items(
    theme_id: PathId, data: RejectItems, session: SessionDep, actor: RequirePM
) -> dict[str, int]:
    return {
        "removed": service.reject_items(
            session, theme_id=theme_id, feedback_ids=data.feedback_ids, actor=actor
        )
    }


@router.get("/search", response_model=list[SearchHit])
def search_by_meaning(
    session: SessionDep,
    actor: RequireReader,
    q: str = Query(
        min_length=1, max_length=500, description="what the evidence is about, in any words"
    ),
    limit: int = Query(20, ge=1, le=200),
) -> list[SearchHit]:
    ranked = search.similar_ids(session, q, limit=limit)
    repo = FeedbackRepository(session)
    found = {item.id: item for item in repo.get_many(actor, [i for i, _ in ranked])}
    links = repo.problem_ids_for(list(found))
    return [
        SearchHit(
            feedback_id=i,
            similarity=round(score, 4),
            text=found[i].text,
            account_name=account.name if (account := found[i].account) else None,
            problem_ids=sorted(links.get(i, [])),
        )
        for i, score in ranked
        if i in found
    ]


@router.post("/feedback/{feedback_id}/merge-duplicate", status_code=204, responses=documented(404))
def merge_duplicate(feedback_id: PathId, session: SessionDep, actor: RequirePM) -> None:
    service.merge_duplicate(session, feedback_id=feedback_id, actor=actor)


@router.post(
    "/feedback/{feedback_id}/dismiss-duplicate", status_code=204, responses=documented(404)
)
def dismiss_duplicate(feedback_id: PathId, session: SessionDep, actor: RequirePM) -> None:
    service.dismiss_duplicate(session, feedback_id=feedback_id, actor=actor)
