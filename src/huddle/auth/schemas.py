from datetime import datetime

from pydantic import MISSING, BaseModel, ConfigDict, EmailStr, Field

from huddle.models.enums import Role, Team, TokenScope
from huddle.params import Flag, Input


class UserCreate(Input):
    email: EmailStr = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.contributor
    team: Team = Team.product
    approves_for_sales: Flag = Field(
        default=False, description="sales leadership: approves the sales-safe roadmap"
    )
    password: str | None = Field(default=None, min_length=8, max_length=200)


class UserUpdate(Input):
    """Only the fields sent change; none of them may be `null`."""

    name: str | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    role: Role | MISSING = MISSING
    team: Team | MISSING = MISSING
    is_active: Flag | MISSING = MISSING
    approves_for_sales: Flag | MISSING = MISSING


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    team: Team
    is_active: bool
    approves_for_sales: bool
    created_at: datetime
    last_login_at: datetime | None


class TokenCreate(Input):
    name: str = Field(min_length=1, max_length=100)
    scope: TokenScope = TokenScope.full


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    last_used_at: datetime | None


class TokenIssued(TokenRead):
    token: str
