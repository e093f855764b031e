"""The roadmap's API: one read per audience, moves on the board, sales approval, and the
admin's switch of the public roadmap."""

from fastapi import APIRouter, Query, Response

from huddle.deps import RequireAdmin, RequirePlanner, RequireReader, SessionDep
from huddle.ideas import scoring
from huddle.ideas.approval import approval
from huddle.models.solution import Solution
from huddle.params import PathId, QueryId, QueryText
from huddle.plans import roadmap as service
from huddle.plans.schemas import (
    InternalRoadmap,
    InternalRoadmapItem,
    PublicRoadmap,
    PublicRoadmapItem,
    PublicRoadmapSetting,
    RoadmapMove,
    SalesApprovalIn,
    SalesApprovalRead,
    SalesRoadmap,
    SalesRoadmapItem,
)
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["roadmap"])
FRAMEWORK_PATTERN = "^(" + "|".join(scoring.FRAMEWORKS) + ")$"


def public_item(item: service.Item) -> PublicRoadmapItem:
    return PublicRoadmapItem(
        id=item.id,
        title=item.title,
        description=item.description,
        product_area=item.product_area,
        horizon=item.horizon,
        commitment=item.commitment,
    )


def sales_item(item: service.Item) -> SalesRoadmapItem:
    return SalesRoadmapItem(**public_item(item).model_dump(), quarter=item.quarter)


def internal_item(item: service.Item) -> InternalRoadmapItem:
    return InternalRoadmapItem(
        **sales_item(item).model_dump(),
        position=item.position,
        public=bool(item.public),
        sales_approval=item.approval or "",
        sales_approved_by=item.approved_by,
        sales_approved_at=item.approved_at,
        owner=item.owner,
        rank=item.rank,
        score=item.score,
        accounts=item.accounts,
        arr_minor=item.arr_minor,
        mentions=item.mentions,
        value=item.value_kind,
        internal_notes=item.internal_notes,
    )


def read(found: service.Roadmap) -> InternalRoadmap | SalesRoadmap | PublicRoadmap:
    """The roadmap with only the fields its audience may see (the CLI's export too)."""
    if found.audience == service.Audience.public:
        return PublicRoadmap(audience="public", items=[public_item(i) for i in found.items])
    if found.audience == service.Audience.sales:
        return SalesRoadmap(audience="sales", items=[sales_item(i) for i in found.items])
    return InternalRoadmap(
        audience="internal",
        framework=found.framework,
        items=[internal_item(i) for i in found.items],
        unplanned=[internal_item(i) for i in found.unplanned],
    )


@router.get("/roadmap", response_model=InternalRoadmap)
def internal_roadmap(
    session: SessionDep,
    actor: RequireReader,
    product_area: QueryText = None,
    objective_id: QueryId = None,
    framework: str = Query("rice", pattern=FRAMEWORK_PATTERN),
) -> InternalRoadmap | SalesRoadmap | PublicRoadmap:
    """Everything on the roadmap, now, next and later in board order, with scores, evidence
    and sales approval; internal notes for the product team only."""
    found = service.roadmap(
        session,
        actor=actor,
        audience=service.Audience.internal,
        product_area=product_area,
        objective_id=objective_id,
        framework=framework,
    )
    return read(found)


@router.get("/roadmap/sales", response_model=SalesRoadmap)
def sales_roadmap(
    session: SessionDep,
    actor: RequireReader,
    product_area: QueryText = None,
    objective_id: QueryId = None,
) -> InternalRoadmap | SalesRoadmap | PublicRoadmap:
    """What sales may show a customer: only items sales leadership approved, as approved."""
    found = service.roadmap(
        session,
        actor=actor,
        audience=service.Audience.sales,
        product_area=product_area,
        objective_id=objective_id,
    )
    return read(found)


@router.get("/public/roadmap", response_model=PublicRoadmap, responses=documented(404))
def public_roadmap(
    session: SessionDep, product_area: QueryText = None
) -> InternalRoadmap | SalesRoadmap | PublicRoadmap:
    """The public roadmap, read without signing in: 404 until an admin opens it."""
    found = service.roadmap(
        session, actor=None, audience=service.Audience.public, product_area=product_area
    )
    return read(found)


@router.put("/roadmap/public", response_model=PublicRoadmapSetting)
def set_public(
    data: PublicRoadmapSetting, session: SessionDep, actor: RequireAdmin
) -> PublicRoadmapSetting:
    service.set_public(session, enabled=data.enabled, actor=actor)
    return PublicRoadmapSetting(enabled=service.public_enabled(session))


@router.post("/roadmap/moves", response_model=InternalRoadmapItem, responses=documented(404))
def move(data: RoadmapMove, session: SessionDep, actor: RequirePlanner) -> InternalRoadmapItem:
    """Drag and drop: a solution into a column (null: off the roadmap), before another item
    of that column or at its end. A move to another column sends an approved item back for
    sales approval; a move within its column does not."""
    solution = service.move(
        session,
        solution_id=data.solution_id,
        horizon=data.horizon.value if data.horizon else None,
        before_id=data.before_id,
        actor=actor,
    )
    found = service.roadmap(session, actor=actor)
    return next(internal_item(i) for i in [*found.items, *found.unplanned] if i.id == solution.id)


def _approval(solution: Solution) -> SalesApprovalRead:
    shown = solution.sales_approved or {}
    return SalesApprovalRead(
        solution_id=solution.id,
        sales_approval=approval(solution).value,
        approved_by_id=solution.sales_approved_by_id,
        approved_at=solution.sales_approved_at,
        shared_quarter=shown.get("shared_quarter"),
    )


@router.post(
    "/solutions/{solution_id}/sales-approval",
    response_model=SalesApprovalRead,
    responses=documented(404),
)
def approve(
    solution_id: PathId, data: SalesApprovalIn, session: SessionDep, actor: RequireReader
) -> SalesApprovalRead:
    """Sales leadership approves the item as it is now (with its quarter, or without a
    date) for the sales-safe roadmap."""
    solution = service.approve_for_sales(
        session, solution_id=solution_id, share_quarter=data.share_quarter, actor=actor
    )
    return _approval(solution)


@router.delete(
    "/solutions/{solution_id}/sales-approval", status_code=204, responses=documented(404)
)
def withdraw(solution_id: PathId, session: SessionDep, actor: RequireReader) -> Response:
    service.withdraw_sales_approval(session, solution_id=solution_id, actor=actor)
    return Response(status_code=204)
