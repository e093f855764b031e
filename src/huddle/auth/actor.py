from dataclasses import dataclass

from huddle.models.enums import Role, TokenScope
from huddle.models.user import User


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, and how far the credential they used reaches."""

    user: User
    scope: TokenScope = TokenScope.full

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def role(self) -> Role:
        return Role(self.user.role)

    def at_least(self, role: Role) -> bool:
        return self.role.rank >= role.rank

    @property
    def can_read(self) -> bool:
        # An ingest-only token pushes evidence in and reads nothing back.
        return self.scope == TokenScope.full
