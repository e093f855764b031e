from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from huddle.models.enums import AccountStatus


class AccountCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    domain: str | None = Field(default=None, max_length=253)
    segment: str | None = Field(default=None, max_length=50)
    plan: str | None = Field(default=None, max_length=50)
    arr_minor: int = Field(default=0, ge=0, description="Annual recurring revenue in minor units")
    currency: str = Field(default="USD", min_length=3, max_length=3)
    owner_email: str | None = None
    status: AccountStatus = AccountStatus.customer
    renewal_date: date | None = None
    at_risk: bool = False
    external_id: str | None = Field(default=None, max_length=200)

    @field_validator("domain")
    @classmethod
    def _clean_domain(cls, value: str | None) -> str | None:
        if not value:
            return None
        value = value.strip().lower().removeprefix("https://").removeprefix("http://")
        return value.removeprefix("www.").split("/")[0] or None

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class AccountUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    domain: str | None = None
    segment: str | None = None
    plan: str | None = None
    arr_minor: int | None = Field(default=None, ge=0)
    owner_email: str | None = None
    status: AccountStatus | None = None
    renewal_date: date | None = None
    at_risk: bool | None = None


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
