from datetime import date, datetime

from pydantic import MISSING, BaseModel, ConfigDict, Field, field_validator

from huddle.models.enums import AccountStatus
from huddle.params import Day, ExternalId, Flag, Input, Minor

# The lengths are the columns' (models/account.py); a longer value is refused by name here
# rather than failing in the database.


def _clean_domain(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().lower().removeprefix("https://").removeprefix("http://")
    return value.removeprefix("www.").split("/")[0] or None


class AccountCreate(Input):
    name: str = Field(min_length=1, max_length=200)
    domain: str | None = Field(default=None, max_length=253)
    segment: str | None = Field(default=None, max_length=50)
    plan: str | None = Field(default=None, max_length=50)
    arr_minor: Minor = Field(default=0, description="Annual recurring revenue in minor units")
    currency: str = Field(default="USD", min_length=3, max_length=3)
    owner_email: str | None = Field(default=None, max_length=254)
    status: AccountStatus = AccountStatus.customer
    renewal_date: Day | None = None
    at_risk: Flag = False
    external_id: ExternalId = None

    _domain = field_validator("domain")(_clean_domain)

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class AccountUpdate(Input):
    """Only the fields sent change; `null` clears a field that may be empty, and is refused
    for one that may not (name, ARR, status, at risk)."""

    name: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    domain: str | MISSING | None = Field(default=MISSING, max_length=253)
    segment: str | MISSING | None = Field(default=MISSING, max_length=50)
    plan: str | MISSING | None = Field(default=MISSING, max_length=50)
    arr_minor: Minor | MISSING = MISSING
    owner_email: str | MISSING | None = Field(default=MISSING, max_length=254)
    status: AccountStatus | MISSING = MISSING
    renewal_date: Day | MISSING | None = MISSING
    at_risk: Flag | MISSING = MISSING

    _domain = field_validator("domain")(_clean_domain)


class AccountRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    domain: str | None
    segment: str | None
    plan: str | None
    arr_minor: int
    currency: str
    owner_id: int | None
    status: AccountStatus
    renewal_date: date | None
    at_risk: bool
    external_id: str | None
    created_at: datetime


class AccountList(BaseModel):
    items: list[AccountRead]
    total: int
