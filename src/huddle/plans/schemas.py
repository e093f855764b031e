from datetime import datetime
from typing import Annotated

from pydantic import MISSING, BaseModel, BeforeValidator, Field

from huddle.ideas.schemas import Horizon
from huddle.models.enums import ObjectiveStatus
from huddle.params import QUARTER_PATTERN, Flag, Id, Input, Quarter, _a_json_number

# The lengths are the columns' (models/objective.py).
PERIOD_PATTERN = QUARTER_PATTERN
Period = Quarter
# A measure: a number as JSON writes one, finite and within what a float keeps exactly enough.
Measure = Annotated[float, Field(ge=-1e12, le=1e12), BeforeValidator(_a_json_number)]


class ObjectiveCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    period: Period
    status: ObjectiveStatus = ObjectiveStatus.on_track
    owner_id: Id | None = Field(default=None, description="null: whoever creates it")


class ObjectiveUpdate(Input):
    """Only the fields sent change."""

    title: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    description: str | MISSING = Field(default=MISSING, max_length=20_000)
    period: Period | MISSING = MISSING
    status: ObjectiveStatus | MISSING = MISSING
    owner_id: Id | MISSING | None = Field(default=MISSING, description="null: nobody")


class KeyResultCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    unit: str = Field(default="", max_length=40, description="%, accounts, ms…")
    start_value: Measure
    target_value: Measure
    current_value: Measure | None = Field(
        default=None, description="null: the start value; kept as the first check-in"
    )


class KeyResultUpdate(Input):
    """Only the fields sent change; the current value changes only by a check-in."""

    title: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    unit: str | MISSING = Field(default=MISSING, max_length=40)
    start_value: Measure | MISSING = MISSING
    target_value: Measure | MISSING = MISSING


class CheckInCreate(Input):
    value: Measure
    note: str = Field(default="", max_length=2_000)


class CheckInRead(BaseModel):
    value: float
    at: datetime
    by_id: int | None
    note: str


class KeyResultRead(BaseModel):
    id: int
    objective_id: int
    title: str
    unit: str
    start_value: float
    target_value: float
    current_value: float
    progress: float = Field(description="0 to 1: how far from start to target")
    solution_ids: list[int]
    check_ins: list[CheckInRead] = Field(description="oldest first")


class ObjectiveRead(BaseModel):
    id: int
    title: str
    description: str
    period: str
    status: ObjectiveStatus
    owner_id: int | None
    progress: float = Field(description="the mean of its key results' progress; 0 without any")
    key_results: list[KeyResultRead]
    created_at: datetime
    updated_at: datetime


class ObjectiveList(BaseModel):
    items: list[ObjectiveRead]
    total: int


# -- the roadmap ----------------------------------------------------------------------------


class PublicRoadmapItem(BaseModel):
    """What anyone may read: no dates, no figures."""

    id: int
    title: str
    description: str
    product_area: str | None
    horizon: str = Field(description="now, next or later")
    commitment: str = Field(description="exploring, planned, committed or shipped")


class SalesRoadmapItem(PublicRoadmapItem):
    """What sales leadership approved, as approved."""

    quarter: str | None = Field(description="only where the approver shared it")


class InternalRoadmapItem(SalesRoadmapItem):
    position: float
    public: bool
    sales_approval: str = Field(description="approved, changed (since approval) or awaiting")
    sales_approved_by: str | None
    sales_approved_at: datetime | None
    owner: str | None
    rank: int | None
    score: float | None = Field(description="by the framework asked for")
    accounts: int | None
    arr_minor: int | None
    mentions: int | None
    value: str | None
    internal_notes: str | None = Field(description="null for readers below the PM role")


class PublicRoadmap(BaseModel):
    audience: str
    items: list[PublicRoadmapItem]


class SalesRoadmap(BaseModel):
    audience: str
    items: list[SalesRoadmapItem]


class InternalRoadmap(BaseModel):
    audience: str
    framework: str
    items: list[InternalRoadmapItem]
    unplanned: list[InternalRoadmapItem] = Field(description="solutions not on the roadmap")


class RoadmapMove(Input):
    solution_id: Id
    horizon: Horizon | None = Field(description="now, next, later; null: off the roadmap")
    before_id: Id | None = Field(default=None, description="null: at the end of the column")


class SalesApprovalIn(Input):
    share_quarter: Flag = Field(
        default=False, description="sales may name the quarter; without it, no date is shown"
    )


class SalesApprovalRead(BaseModel):
    solution_id: int
    sales_approval: str
    approved_by_id: int | None
    approved_at: datetime | None
    shared_quarter: str | None


class PublicRoadmapSetting(Input):
    enabled: Flag
