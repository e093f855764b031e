from datetime import datetime

from pydantic import BaseModel


class TaskCounts(BaseModel):
    task: str
    queued: int = 0
    running: int = 0
    done: int = 0
    failed: int = 0


class ScheduleRead(BaseModel):
    name: str
    task: str | None  # None: stored, but no longer registered in code
    every_seconds: float | None
    next_run_at: datetime
    last_enqueued_at: datetime | None


class FailedJobRead(BaseModel):
    id: int
    task: str
    attempts: int
    finished_at: datetime | None
    error: str


class QueueStatus(BaseModel):
    tasks: list[TaskCounts]
    waiting_to_retry: int
    expired_leases: int
    schedules: list[ScheduleRead]
    failed: list[FailedJobRead]
