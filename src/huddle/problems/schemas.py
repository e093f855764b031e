from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from huddle.models.enums import ProblemStatus


class ProblemCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    product_area: str | None = Field(default=None, max_length=100)
    status: ProblemStatus = ProblemStatus.new
    parent_id: int | None = None


class ProblemUpdate(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=20_000)
    product_area: str | None = None
    status: ProblemStatus | None = None
    parent_id: int | None = None


class ReasonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    label: str
    value: str
    points: float


class SeverityRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    score: float
    mentions: int
    accounts: int
    arr_minor: int
    arr_at_risk_minor: int
    segments: list[str]
    recent: int
    previous: int
    trend: float
    sentiment: float | None
    reasons: list[ReasonRead]


class ProblemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    description: str
    product_area: str | None
    status: ProblemStatus
    parent_id: int | None
    created_at: datetime
    updated_at: datetime


class RankedProblem(ProblemRead):
    rank: int
    severity: SeverityRead


class ProblemList(BaseModel):
    items: list[RankedProblem]
    total: int
    sort: str


class LinkCreate(BaseModel):
    feedback_ids: list[int] = Field(min_length=1, max_length=5000)
    quote: str | None = Field(default=None, max_length=5000)


class NewProblemFromFeedback(ProblemCreate):
    feedback_ids: list[int] = Field(min_length=1, max_length=5000)


class LinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    feedback_id: int
    problem_id: int
    quote: str | None
    linked_by_id: int | None
    confidence: float | None
    created_at: datetime
