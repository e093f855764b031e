from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from huddle.deps import ApiActor, RequireContributor, RequirePM, RequireReader, SessionDep
from huddle.feedback import service, triage
from huddle.feedback.repository import FeedbackRepository
from huddle.feedback.schemas import (
    DismissRequest,
    FeedbackCreate,
    FeedbackFilter,
    FeedbackList,
    FeedbackRead,
    FeedbackUpdate,
    RestoreRequest,
    SnoozeRequest,
    TriageResult,
)
from huddle.models.enums import SourceKind, Team
from huddle.params import Offset, PathId, QueryId, QueryMoment, QueryText
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/feedback", tags=["feedback"])
# Lists count their matches up to this many unless asked for the exact total.
COUNT_UP_TO = 1_000


@router.get("", response_model=FeedbackList)
def list_feedback(
    session: SessionDep,
    actor: RequireReader,
    source: SourceKind | None = None,
    team: Team | None = None,
    account_id: QueryId = None,
    segment: QueryText = None,
    since: QueryMoment = None,
    until: QueryMoment = None,
    q: Annotated[
        QueryText,
        Query(
            description="words the text holds, in any order, each the start of a word in it; "
            "case and accents do not matter (docs/search-by-words.md)"
        ),
    ] = None,
    unlinked: bool = False,
    state: Annotated[
        Literal["open", "snoozed", "dismissed"] | None,
        Query(alias="triage", description="open: in the inbox; snoozed; dismissed (default: all)"),
    ] = None,
    problem_id: QueryId = None,
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
    exact_total: Annotated[
        bool,
        Query(
            description=f"count every match (slow at a million items); by default `total` "
            f"counts up to {COUNT_UP_TO:,} and `total_capped` says when there are more"
        ),
    ] = False,
) -> FeedbackList:
    where = FeedbackFilter(
        source=source,
        team=team,
        account_id=account_id,
        segment=segment,
        since=since,
        until=until,
        text=q,
        unlinked=unlinked,
        triage=state,
        problem_id=problem_id,
    )
    cap = None if exact_total else COUNT_UP_TO
    items, total = service.list_feedback(
        session, where=where, actor=actor, limit=limit, offset=offset, count_up_to=cap
    )
    capped = cap is not None and total > cap
    return FeedbackList(
        items=items,
        total=min(total, cap) if cap is not None else total,
        total_capped=capped,
        limit=limit,
        offset=offset,
    )


@router.post(
    "",
    response_model=FeedbackRead,
    status_code=201,
    responses={
        200: {"model": FeedbackRead, "description": "Sent before: the stored item"},
        **documented(409),
    },
)
def add_feedback(
    data: FeedbackCreate, response: Response, session: SessionDep, actor: RequireContributor
) -> FeedbackRead:
    """Add one item; idempotent by (origin, external_id), or by its text, account and date."""
    item, status = service.add_feedback(session, data=data, actor=actor)
    if status != "created":
        response.status_code = 200
    return service.to_reads(FeedbackRepository(session), [item])[0]


@router.get("/{feedback_id}", response_model=FeedbackRead, responses=documented(404))
def get_feedback(feedback_id: PathId, session: SessionDep, actor: RequireReader) -> FeedbackRead:
    item = service.get_feedback(session, feedback_id=feedback_id, actor=actor)
    return service.to_reads(FeedbackRepository(session), [item])[0]


@router.patch("/{feedback_id}", response_model=FeedbackRead, responses=documented(404))
def update_feedback(
    feedback_id: PathId, data: FeedbackUpdate, session: SessionDep, actor: ApiActor
) -> FeedbackRead:
    item = service.update_feedback(session, feedback_id=feedback_id, data=data, actor=actor)
    return service.to_reads(FeedbackRepository(session), [item])[0]


@router.delete("/{feedback_id}", status_code=204, responses=documented(404))
def delete_feedback(feedback_id: PathId, session: SessionDep, actor: ApiActor) -> Response:
    service.delete_feedback(session, feedback_id=feedback_id, actor=actor)
    return Response(status_code=204)


@router.post("/dismiss", response_model=TriageResult, responses=documented(404))
def dismiss(data: DismissRequest, session: SessionDep, actor: RequirePM) -> TriageResult:
    """Out of the inbox as not a problem, with a reason; undone by `/restore`."""
    changed = triage.dismiss(session, ids=data.feedback_ids, reason=data.reason.value, actor=actor)
    return TriageResult(changed=changed)


@router.post("/snooze", response_model=TriageResult, responses=documented(404))
def snooze(data: SnoozeRequest, session: SessionDep, actor: RequirePM) -> TriageResult:
    """Out of the inbox until a day; undone by `/restore`."""
    return TriageResult(
        changed=triage.snooze(session, ids=data.feedback_ids, until=data.until, actor=actor)
    )


@router.post("/restore", response_model=TriageResult, responses=documented(404))
def restore(data: RestoreRequest, session: SessionDep, actor: RequirePM) -> TriageResult:
    """Back into the inbox: undoes a dismissal or a snooze."""
    return TriageResult(changed=triage.restore(session, ids=data.feedback_ids, actor=actor))
