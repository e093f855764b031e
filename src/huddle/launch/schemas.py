"""What the launch API reads and writes."""

from datetime import date, datetime

from pydantic import BaseModel, Field

from huddle.params import Flag, Input

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
