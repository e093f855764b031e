from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from huddle.models.enums import Role, Team, TokenScope


class UserCreate(BaseModel):
    email: EmailStr
    name: str = Field(min_length=1, max_length=200)
    role: Role = Role.contributor
    team: Team = Team.product
    password: str | None = Field(default=None, min_length=8, max_length=200)


class UserUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    role: Role | None = None
    team: Team | None = None
    is_active: bool | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    role: Role
    team: Team
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class TokenCreate(BaseModel):
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
