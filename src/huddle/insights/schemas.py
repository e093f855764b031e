from datetime import datetime

from pydantic import BaseModel, Field

from huddle.params import Id, Input


class Quote(BaseModel):
    feedback_id: int
    text: str
    account_name: str | None
    confidence: float


class ThemeRead(BaseModel):
    id: int
    label: str
    terms: list[str]
    size: int
    accounts: int
    arr_minor: int
    representatives: list[Quote]
    created_at: datetime
    # When a person last shaped it; rediscovery keeps such a suggestion as it is.
    curated_at: datetime | None = None


class ThemeList(BaseModel):
    items: list[ThemeRead]
    unthemed: int
    last_run_at: datetime | None
    clustered: int | None = Field(
        default=None,
        description="the last run clustered a sample of this many of the free items (more "
        "than it clusters at once); the others joined the suggestion they clearly belong "
        "to, or stayed unthemed. null: it clustered them all",
    )


class AcceptTheme(Input):
    title: str | None = Field(default=None, max_length=200)
    product_area: str | None = Field(default=None, max_length=100)


class AcceptedTheme(BaseModel):
    problem_id: int
    linked: int
    skipped: int = Field(
        description="items already linked to another problem or merged as duplicates, "
        "left where they were"
    )


class RenameTheme(Input):
    label: str = Field(min_length=1, max_length=200)


class MergeTheme(Input):
    into_id: Id


class RejectItems(Input):
    feedback_ids: list[Id] = Field(min_length=1, max_length=5000)


class SearchHit(BaseModel):
    feedback_id: int
    similarity: float
    text: str
    account_name: str | None
    problem_ids: list[int]
