from datetime import datetime

from pydantic import MISSING, BaseModel, ConfigDict, Field

from huddle.models.enums import ProblemStatus
from huddle.params import Id, Input

# The lengths are the columns' (models/problem.py).


class ProblemCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    product_area: str | None = Field(default=None, max_length=100)
    status: ProblemStatus = ProblemStatus.new
    parent_id: Id | None = None


class ProblemUpdate(Input):
    """Only the fields sent change; `null` clears the product area or the parent, and is
    refused for the title, description and status."""

    title: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    description: str | MISSING = Field(default=MISSING, max_length=20_000)
    product_area: str | MISSING | None = Field(default=MISSING, max_length=100)
    status: ProblemStatus | MISSING = MISSING
    parent_id: Id | MISSING | None = MISSING
    reason: str | MISSING = Field(
        default=MISSING,
        max_length=1000,
        description="why the status changed: told to the problem's owner and followers",
    )


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


class LinkCreate(Input):
    feedback_ids: list[Id] = Field(min_length=1, max_length=5000)
    quote: str | None = Field(default=None, max_length=5000)


class NewProblemFromFeedback(ProblemCreate):
    feedback_ids: list[Id] = Field(min_length=1, max_length=5000)


class LinkRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    feedback_id: int
    problem_id: int
    quote: str | None
    linked_by_id: int | None
    confidence: float | None
    created_at: datetime


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str


class PeopleRead(BaseModel):
    """Who answers for a problem and who follows it."""

    model_config = ConfigDict(from_attributes=True)

    owner: PersonRead | None
    followers: list[PersonRead]


class OwnerUpdate(Input):
    """`null` leaves the problem without an owner; the former owner keeps following it."""

    user_id: Id | None = Field(description="an active PM or admin, or null")


class CommentCreate(Input):
    body: str = Field(min_length=1, max_length=10_000)


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    problem_id: int
    author: PersonRead | None
    body: str
    created_at: datetime
