"""What the launch API reads and writes."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field

from huddle.params import Day, Flag, Id, Input, _a_json_number

STAGE_PATTERN = "^(discovery|planning|implementation|ready|launched|learning|parked|stopped)$"
GATE_PATTERN = "^(discovery|planning|implementation|ready|launched)$"


class GateLineRead(BaseModel):
    id: int = Field(description="the gate item's id")
    label: str
    done: bool
    checked_by: str | None
    checked_at: datetime | None


class StageMoveRead(BaseModel):
    at: datetime
    before: str
    after: str
    reason: str
    open_items: list[str] = Field(description="gate items still open when it moved on")
    by: str | None


class StageRead(BaseModel):
    solution_id: int
    stage: str
    next_stage: str | None
    launch_on: date | None
    learned: str = Field(description="what its launch taught the team (launched or learning)")
    gate: list[GateLineRead] = Field(description="the checklist to leave the current stage")
    history: list[StageMoveRead] = Field(description="newest first")


class StageMove(Input):
    stage: str = Field(pattern=STAGE_PATTERN)
    reason: str = Field(
        default="",
        max_length=2_000,
        description="required when gate items are open, or to park or stop it",
    )


class GateCheckIn(Input):
    done: Flag = True


class GateItemCreate(Input):
    stage: str = Field(pattern=GATE_PATTERN, description="the stage this item guards the exit of")
    label: str = Field(min_length=1, max_length=200)


class GateItemRead(BaseModel):
    id: int
    stage: str
    label: str
    position: float


class GateItemList(BaseModel):
    items: list[GateItemRead]


# -- experiments -----------------------------------------------------------------------------

Count = Annotated[int, Field(ge=0, le=10**12), BeforeValidator(_a_json_number)]


class VariantIn(Input):
    name: str = Field(min_length=1, max_length=100)
    exposures: Count = 0
    conversions: Count = 0
    expected_share: float | None = Field(
        default=None, gt=0, le=1e6, description="the planned share of exposures; null: equal"
    )


class ExperimentCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    hypothesis: str = Field(default="", max_length=20_000)
    primary_metric: str = Field(default="", max_length=200)
    variants: list[VariantIn] = Field(
        min_length=2, max_length=20, description="the control first; counts may come later"
    )


class ExperimentResults(Input):
    variants: list[VariantIn] = Field(min_length=2, max_length=20, description="the control first")


class ComparisonRead(BaseModel):
    variant: str
    exposures: int
    conversions: int
    rate: float
    effect: float = Field(description="variant rate - control rate")
    relative_effect: float | None = Field(description="effect / control rate; null at 0")
    ci_low: float = Field(description="95% Wald interval of the effect")
    ci_high: float
    p_value: float = Field(description="two-sided, pooled two-proportion z-test")
    prob_better: float = Field(description="P(variant better), Beta(1,1) priors, exact")
    srm_p_value: float = Field(description="chi-square of exposures against the planned split")
    verdict: str


class ControlRead(BaseModel):
    variant: str
    exposures: int
    conversions: int
    expected_share: float | None
    rate: float


class ExperimentRead(BaseModel):
    id: int
    solution_id: int
    name: str
    hypothesis: str
    primary_metric: str
    control: ControlRead | None = Field(description="null until every arm has exposures")
    variants: list[ComparisonRead]
    srm_p_value: float | None
    verdict: str = Field(description="in words; or why there is no result yet")
    created_at: datetime
    updated_at: datetime


class ExperimentList(BaseModel):
    items: list[ExperimentRead]


# -- decisions -------------------------------------------------------------------------------


class DecisionCreate(Input):
    decision: str = Field(pattern="^(go|no_go|wait)$")
    reasons: str = Field(min_length=1, max_length=20_000)
    risks: str = Field(default="", max_length=20_000)
    signed_off_ids: list[Id] = Field(default_factory=list, max_length=50)
    consulted_ids: list[Id] = Field(default_factory=list, max_length=50)
    review_on: Day | None = None


class PersonRead(BaseModel):
    id: int
    name: str


class DecisionRead(BaseModel):
    id: int
    solution_id: int
    solution_title: str
    decision: str
    reasons: str
    risks: str
    evidence: dict[str, Any] = Field(description="stage, gate, experiments as they stood")
    decided_by: str | None
    signed_off: list[PersonRead]
    consulted: list[PersonRead]
    review_on: date | None
    created_at: datetime


class DecisionList(BaseModel):
    items: list[DecisionRead]


# -- go-to-market plans ----------------------------------------------------------------------

TEAM_PATTERN = "^(product|sales|support|engineering|marketing|finance|leadership|legal)$"


class LaunchTaskCreate(Input):
    title: str = Field(min_length=1, max_length=200)
    team: str = Field(pattern=TEAM_PATTERN)
    owner_id: Id | None = None
    due_on: Day | None = None


class LaunchTaskUpdate(Input):
    """Only the fields sent change; null clears an owner or a due day."""

    title: str | None = Field(default=None, min_length=1, max_length=200)
    team: str | None = Field(default=None, pattern=TEAM_PATTERN)
    owner_id: Id | None = None
    due_on: Day | None = None
    done: Flag | None = None


class LaunchTaskRead(BaseModel):
    id: int
    solution_id: int
    title: str
    team: str
    owner_id: int | None
    owner: str | None
    due_on: date | None
    done: bool
    done_at: datetime | None


class ReadinessRead(BaseModel):
    done: int
    total: int
    late: int = Field(description="open tasks past their due day")
    by_team: dict[str, list[int]] = Field(description="team: [done, total]")


class PlanRead(BaseModel):
    solution_id: int
    stage: str
    launch_on: date | None
    readiness: ReadinessRead
    tasks: list[LaunchTaskRead]


class CalendarEntryRead(BaseModel):
    day: date
    kind: str = Field(description="launch or task")
    solution_id: int
    solution_title: str
    title: str
    team: str | None
    owner: str | None
    done: bool
    stage: str | None


class CalendarRead(BaseModel):
    items: list[CalendarEntryRead]


# -- responsibilities and effort -------------------------------------------------------------


class RaciRead(BaseModel):
    id: int
    phase: str
    activity: str
    responsible: str
    accountable: str
    consulted: str
    informed: str


class RaciList(BaseModel):
    items: list[RaciRead]


class RaciUpdate(Input):
    activity: str | None = Field(default=None, min_length=1, max_length=200)
    responsible: str | None = Field(default=None, max_length=200)
    accountable: str | None = Field(default=None, min_length=1, max_length=200)
    consulted: str | None = Field(default=None, max_length=200)
    informed: str | None = Field(default=None, max_length=200)


PHASE_PATTERN = "^(discovery|implementation|launch)$"


class EffortCreate(Input):
    phase: str = Field(pattern=PHASE_PATTERN)
    days: float = Field(gt=0, le=7, description="days in this phase (at most a week per entry)")
    week_of: Day | None = Field(default=None, description="any day of the week; null: this week")
    solution_id: Id | None = None
    user_id: Id | None = Field(default=None, description="admins log for others; null: yourself")
    estimated: Flag = False
    note: str = Field(default="", max_length=500)


class EffortEntryRead(BaseModel):
    id: int
    user_id: int
    solution_id: int | None
    phase: str
    days: float
    week_of: date
    estimated: bool
    note: str


class SpreadRead(BaseModel):
    name: str
    days: dict[str, float]
    shares: dict[str, float]


class EffortRead(BaseModel):
    people: list[SpreadRead]
    overall: SpreadRead
    intended: dict[str, float] = Field(description="intended share per phase, summing to 1")


class SplitIn(Input):
    discovery: float = Field(ge=0, le=100)
    implementation: float = Field(ge=0, le=100)
    launch: float = Field(ge=0, le=100)


# -- delivery links --------------------------------------------------------------------------


class DeliveryLinkCreate(Input):
    url: str = Field(min_length=1, max_length=500, description="a Jira, Linear or GitHub ticket")


class DeliveryLinkRead(BaseModel):
    id: int
    solution_id: int
    tool: str
    url: str
    key: str
    status: str
    done: bool
    status_at: datetime | None


class DeliveryLinks(BaseModel):
    items: list[DeliveryLinkRead]
    all_done: bool = Field(description="every ticket done: ready for the launch gate")


class HookReceipt(BaseModel):
    outcome: str = Field(description="applied, or replay (a delivery taken before: ignored)")
    links_changed: int
