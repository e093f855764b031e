from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import MISSING, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.config import JsonDict

from huddle.params import Flag, Id, Input, Quarter, _a_json_number

# The lengths are the columns' (models/solution.py).


class ValueTag(StrEnum):
    """What a solution is for: value delivered to users, or value derived from them."""

    pain = "pain"
    usability = "usability"
    reliability = "reliability"
    speed = "speed"
    privacy = "privacy"
    cross_platform = "cross_platform"
    revenue = "revenue"
    pricing = "pricing"
    monetisation = "monetisation"
    engagement = "engagement"


DELIVERED = frozenset(
    {
        ValueTag.pain,
        ValueTag.usability,
        ValueTag.reliability,
        ValueTag.speed,
        ValueTag.privacy,
        ValueTag.cross_platform,
    }
)
DERIVED = frozenset(set(ValueTag) - DELIVERED)
TAG_LABELS = {
    ValueTag.pain: "Pain removed",
    ValueTag.usability: "Usability",
    ValueTag.reliability: "Reliability",
    ValueTag.speed: "Speed",
    ValueTag.privacy: "Privacy",
    ValueTag.cross_platform: "Cross-platform",
    ValueTag.revenue: "Revenue",
    ValueTag.pricing: "Pricing",
    ValueTag.monetisation: "Monetisation",
    ValueTag.engagement: "Engagement",
}


class Horizon(StrEnum):
    """A column of the roadmap board."""

    now = "now"
    next = "next"
    later = "later"


HORIZON_LABELS = {
    Horizon.now.value: "Now",
    Horizon.next.value: "Next",
    Horizon.later.value: "Later",
}


class Commitment(StrEnum):
    """How firmly an item on the roadmap is promised."""

    exploring = "exploring"
    planned = "planned"
    committed = "committed"
    shipped = "shipped"


# A PM's estimate: a number as JSON writes one, or null for "not estimated".
Estimate = Annotated[float | None, Field(ge=0, le=1e9), BeforeValidator(_a_json_number)]
CriterionName = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[a-z_][a-z0-9_]*$")]
CriterionValue = Annotated[float, Field(ge=-1e9, le=1e9), BeforeValidator(_a_json_number)]
# Only criterion names as keys: the document says so too (pydantic writes the pattern as
# patternProperties, which alone would let any other key through).
CLOSED: JsonDict = {"additionalProperties": False}


class SolutionCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=20_000)
    internal_notes: str = Field(default="", max_length=20_000)
    product_area: str | None = Field(default=None, max_length=100)
    problem_ids: list[Id] = Field(default_factory=list, max_length=500)
    reach: Estimate = Field(
        default=None, description="null: the accounts behind the problems it addresses"
    )
    impact: Estimate = None
    confidence: Estimate = Field(default=None, description="a fraction: 0.8 for 80%")
    effort: Estimate = Field(default=None, description="person-months (job size for WSJF)")
    business_value: Estimate = None
    time_criticality: Estimate = None
    risk_reduction: Estimate = None
    ease: Estimate = None
    criteria: dict[CriterionName, CriterionValue] = Field(
        default_factory=dict, max_length=50, json_schema_extra=CLOSED
    )
    value_tags: list[ValueTag] = Field(default_factory=list, max_length=10)
    horizon: Horizon | None = Field(default=None, description="null: not on the roadmap")
    commitment: Commitment = Commitment.exploring
    quarter: Quarter | None = Field(default=None, description="the quarter it is planned for")
    public: Flag = Field(default=False, description="shown on the public roadmap")


class SolutionUpdate(Input):
    """Only the fields sent change; `null` clears an estimate or the product area."""

    title: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    description: str | MISSING = Field(default=MISSING, max_length=20_000)
    internal_notes: str | MISSING = Field(default=MISSING, max_length=20_000)
    product_area: str | MISSING | None = Field(default=MISSING, max_length=100)
    problem_ids: list[Id] | MISSING = Field(default=MISSING, max_length=500)
    reach: Estimate | MISSING = MISSING
    impact: Estimate | MISSING = MISSING
    confidence: Estimate | MISSING = MISSING
    effort: Estimate | MISSING = MISSING
    business_value: Estimate | MISSING = MISSING
    time_criticality: Estimate | MISSING = MISSING
    risk_reduction: Estimate | MISSING = MISSING
    ease: Estimate | MISSING = MISSING
    criteria: dict[CriterionName, CriterionValue] | MISSING = Field(
        default=MISSING, max_length=50, json_schema_extra=CLOSED
    )
    value_tags: list[ValueTag] | MISSING = Field(default=MISSING, max_length=10)
    horizon: Horizon | MISSING | None = MISSING
    commitment: Commitment | MISSING = MISSING
    quarter: Quarter | MISSING | None = MISSING
    public: Flag | MISSING = MISSING
    reason: str | MISSING = Field(
        default=MISSING,
        max_length=1000,
        description="why the commitment changes: told to the solution's followers",
    )


class ScoreRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    framework: str
    value: float | None
    missing: list[str]
    explanation: str
    inputs: dict[str, float]


class SolutionRead(BaseModel):
    id: int
    title: str
    description: str
    internal_notes: str | None = Field(description="null for readers below the PM role")
    product_area: str | None
    owner_id: int | None
    problem_ids: list[int]
    accounts: int = Field(description="distinct accounts behind the problems it addresses")
    arr_minor: int = Field(description="their ARR, in minor units")
    mentions: int = Field(description="distinct pieces of evidence behind those problems")
    reach_from_problems: bool = Field(description="reach is the accounts count, not estimated")
    estimates: dict[str, float | None]
    criteria: dict[str, float]
    value_tags: list[str]
    value: str | None = Field(description="delivers, derives, both, or null when untagged")
    horizon: str | None = Field(description="now, next, later; null: not on the roadmap")
    commitment: str
    quarter: str | None
    public: bool
    sales_approval: str = Field(
        description="approved, changed (since it was approved), awaiting, or off_roadmap"
    )
    rank: int
    score: ScoreRead
    scores: dict[str, ScoreRead]
    created_at: datetime
    updated_at: datetime


class SolutionList(BaseModel):
    items: list[SolutionRead]
    total: int
    framework: str


Number = Annotated[float, BeforeValidator(_a_json_number)]


class CriterionIn(Input):
    name: CriterionName
    label: str = Field(min_length=1, max_length=80)
    weight: Number = Field(gt=0, le=1000)
    low: Number = Field(default=1, ge=-1e6, le=1e6)
    high: Number = Field(default=5, ge=-1e6, le=1e6)
    higher_is_better: Flag = True


class CustomFrameworkIn(Input):
    criteria: list[CriterionIn] = Field(min_length=1, max_length=20)
    formula: str | None = Field(
        default=None,
        max_length=500,
        description="over the criteria's names; null: the weighted sum, 0-100",
    )


class CustomFrameworkRead(BaseModel):
    criteria: list[CriterionIn]
    formula: str | None
