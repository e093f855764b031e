from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.models.user import ApiToken, LoginAttempt, LoginSession, SavedView, User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(func.lower(User.email) == email.lower()))

    def by_emails(self, emails: set[str]) -> dict[str, User]:
        if not emails:
            return {}
        lowered = {email.lower() for email in emails}
        users = self.session.scalars(select(User).where(func.lower(User.email).in_(lowered)))
        return {user.email.lower(): user for user in users}

    def all(self) -> Sequence[User]:
        return self.session.scalars(select(User).order_by(User.team, User.name)).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count(User.id))) or 0

    def add(self, user: User) -> User:
        self.session.add(user)
        self.session.flush()
        return user


class SessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_token_hash(self, token_hash: str) -> LoginSession | None:
        return self.session.scalar(
            select(LoginSession).where(LoginSession.token_hash == token_hash)
        )

    def add(self, login: LoginSession) -> None:
        self.session.add(login)
        self.session.flush()

    def delete(self, login: LoginSession) -> None:
        self.session.delete(login)
        self.session.flush()

    def delete_for_user(self, user_id: int) -> None:
        for login in self.session.scalars(
            select(LoginSession).where(LoginSession.user_id == user_id)
        ):
            self.session.delete(login)
        self.session.flush()

    def recent_failures(self, email: str, since: datetime) -> int:
        statement = select(func.count(LoginAttempt.id)).where(
            LoginAttempt.email == email.lower(),
            LoginAttempt.at >= since,
            LoginAttempt.succeeded.is_(False),
        )
        return self.session.scalar(statement) or 0

    def recent_failures_from(self, ip: str, since: datetime) -> int:
        statement = select(func.count(LoginAttempt.id)).where(
            LoginAttempt.ip == ip,
            LoginAttempt.at >= since,
            LoginAttempt.succeeded.is_(False),
        )
        return self.session.scalar(statement) or 0

    def record_attempt(self, email: str, ip: str, *, succeeded: bool, at: datetime) -> LoginAttempt:
        attempt = LoginAttempt(email=email.lower()[:254], ip=ip[:64], succeeded=succeeded, at=at)
        self.session.add(attempt)
        self.session.flush()
        return attempt


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return self.session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash))

    def for_user(self, user_id: int) -> Sequence[ApiToken]:
        statement = (
            select(ApiToken)
            .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
            .order_by(ApiToken.created_at)
        )
        return self.session.scalars(statement).all()

    def get(self, token_id: int) -> ApiToken | None:
        return self.session.get(ApiToken, token_id)

    def add(self, token: ApiToken) -> None:
        self.session.add(token)
        self.session.flush()


class SavedViewRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def mine(self, user_id: int, page: str) -> Sequence[SavedView]:
        statement = (
            select(SavedView)
            .where(SavedView.user_id == user_id, SavedView.page == page)
            .order_by(SavedView.name, SavedView.id)
        )
        return self.session.scalars(statement).all()

    def count(self, user_id: int) -> int:
        statement = select(func.count()).where(SavedView.user_id == user_id)
        return self.session.scalar(statement) or 0

    def get(self, view_id: int) -> SavedView | None:
        return self.session.get(SavedView, view_id)

    def add(self, view: SavedView) -> None:
        self.session.add(view)
        self.session.flush()

    def delete(self, view: SavedView) -> None:
        self.session.delete(view)
        self.session.flush()
