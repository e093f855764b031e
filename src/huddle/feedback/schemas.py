from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from pydantic import MISSING, BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from huddle.models.enums import DismissReason, SourceKind, Team
from huddle.params import ExternalId, Id, Input, Moment

# The lengths are the columns' (models/feedback.py, models/account.py for the contact).
MAX_TEXT = 100_000
# Documented, so that the schema says what _not_blank checks (with a message a person reads).
NOT_BLANK: JsonDict = {"pattern": r"\S"}
Tag = Field(max_length=100)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("the text is empty")
    return value.strip()


def _tidy_tags(value: list[str]) -> list[str]:
    return sorted({tag.strip().lower() for tag in value if tag.strip()})


class FeedbackCreate(Input):
    text: str = Field(min_length=1, max_length=MAX_TEXT, json_schema_extra=NOT_BLANK)
    title: str | None = Field(default=None, max_length=300)
    source: SourceKind = SourceKind.call
    account_id: Id | None = None
    contact_email: str | None = Field(default=None, max_length=254)
    team: Team | None = None
    occurred_at: Moment | None = None
    tags: list[Annotated[str, Tag]] = Field(default_factory=list, max_length=50)
    link_url: str | None = Field(default=None, max_length=2000)
    external_id: ExternalId = None
    origin: str = Field(default="web", max_length=50)

    _text = field_validator("text")(_not_blank)
    _tags = field_validator("tags")(_tidy_tags)


class FeedbackUpdate(Input):
    """Only the fields sent change; `null` clears the title or the account, and is refused for
    the text, source and tags."""

    text: str | MISSING = Field(
        default=MISSING, min_length=1, max_length=MAX_TEXT, json_schema_extra=NOT_BLANK
    )
    title: str | MISSING | None = Field(default=MISSING, max_length=300)
    source: SourceKind | MISSING = MISSING
    account_id: Id | MISSING | None = MISSING
    tags: list[Annotated[str, Tag]] | MISSING = Field(default=MISSING, max_length=50)

    _text = field_validator("text")(_not_blank)
    _tags = field_validator("tags")(_tidy_tags)


class FeedbackRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    text: str
    title: str | None
    source: SourceKind
    origin: str
    external_id: str | None
    link_url: str | None
    account_id: int | None
    account_name: str | None = None
    contact_id: int | None
    submitter_id: int | None
    submitter_name: str | None = None
    team: Team | None
    occurred_at: datetime
    dated: bool = Field(
        default=True,
        description="false: the source gave no date, so occurred_at is when it was imported; "
        "the severity trend leaves it out until an import gives its date",
    )
    tags: list[str]
    sentiment: float | None
    urgency: float | None
    problem_ids: list[int] = Field(default_factory=list)
    suggested_problem_id: int | None = None
    suggestion_confidence: float | None = None
    duplicate_candidate_id: int | None = None
    duplicate_of_id: int | None = None
    dismissed_reason: str | None = None
    dismissed_at: datetime | None = None
    snoozed_until: datetime | None = None
    created_at: datetime


class DismissRequest(Input):
    feedback_ids: list[Id] = Field(min_length=1, max_length=500)
    reason: DismissReason


class SnoozeRequest(Input):
    feedback_ids: list[Id] = Field(min_length=1, max_length=500)
    until: date = Field(description="back in the inbox at the start of this day (UTC)")


class RestoreRequest(Input):
    feedback_ids: list[Id] = Field(min_length=1, max_length=500)


class TriageResult(BaseModel):
    changed: int


class FeedbackList(BaseModel):
    items: list[FeedbackRead]
    total: int = Field(description="matches, counted up to 1,000 unless exact_total=true")
    total_capped: bool = Field(
        default=False, description="true: there are more than `total` matches"
    )
    limit: int
    offset: int


@dataclass
class FeedbackFilter:
    """What the inbox and `feedback list` narrow evidence down by."""

    source: str | None = None
    team: str | None = None
    account_id: int | None = None
    segment: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None
    unlinked: bool = False
    # open: in the inbox (neither dismissed nor snoozed past now); dismissed; snoozed; None:
    # all of them.
    triage: str | None = None
    problem_id: int | None = None
    submitter_id: int | None = None
    # Evidence found by meaning (semantic search), in the order to show it.
    ranked_ids: list[int] | None = None


class IngestItem(Input):
    """One piece of evidence pushed by an integration to `POST /api/v1/ingest`.

    Idempotent by (`origin`, `external_id`): sending the same pair again updates the item. An
    item without an `external_id` gets one from its text, date and account, so a retried
    request does not duplicate it.
    """

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_TEXT, json_schema_extra=NOT_BLANK)
    occurred_at: Moment | None = None
    source: SourceKind = SourceKind.internal
    origin: str = Field(default="api", min_length=1, max_length=50, pattern=r"^[a-z0-9_.-]+$")
    external_id: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=300)
    link_url: str | None = Field(default=None, max_length=2000)
    account: str | None = Field(
        default=None, max_length=200, description="an account's external id, domain or name"
    )
    contact_email: str | None = Field(default=None, max_length=254)
    contact_name: str | None = Field(default=None, max_length=200)
    team: Team | None = None
    tags: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("text")
    @classmethod
    def _text_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the text is empty")
        return value.strip()

    @field_validator("contact_email")
    @classmethod
    def _an_email(cls, value: str | None) -> str | None:
        if value is None:
            return None
        email = value.strip().lower()
        local, at, domain = email.partition("@")
        if not at or not local or "." not in domain or " " in email:
            raise ValueError(f"not an email address: {value!r}")
        return email

    @field_validator("tags")
    @classmethod
    def _tidy_tags(cls, value: list[str]) -> list[str]:
        return sorted({tag.strip().lower()[:100] for tag in value if tag.strip()})


class IngestBatch(BaseModel):
    items: list[IngestItem] = Field(min_length=1, max_length=1000)


class IngestOutcome(BaseModel):
    index: int
    id: int
    status: str = Field(description="created, updated, or unchanged (sent before)")


class IngestResult(BaseModel):
    created: int
    updated: int
    unchanged: int = 0
    items: list[IngestOutcome]
