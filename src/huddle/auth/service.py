from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.passwords import (
    MIN_PASSWORD_LENGTH,
    generate_password,
    hash_password,
    hash_token,
    needs_rehash,
    new_token,
    verify_password,
)
from huddle.auth.policies import may_administer, require
from huddle.auth.repository import SessionRepository, TokenRepository, UserRepository
from huddle.auth.schemas import UserCreate, UserUpdate
from huddle.auth.token_use import TokenUse
from huddle.config import get_settings
from huddle.errors import Conflict, Invalid, NotAuthenticated, NotFound, TooManyRequests
from huddle.kit.time import utcnow
from huddle.kit.writes import take_turn
from huddle.models.enums import Role, TokenScope
from huddle.models.user import ApiToken, LoginSession, User


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str
    generated: bool


def create_user(session: Session, *, data: UserCreate, actor: Actor | None = None) -> NewUser:
    """Create a user; `actor` is None only for the system itself (init, demo)."""
    if actor is not None:
        require(may_administer(actor))
    users = UserRepository(session)
    if users.by_email(data.email) is not None:
        raise Conflict(f"a user with the email {data.email} already exists", field="email")
    password = data.password or generate_password()
    user = users.add(
        User(
            email=data.email.lower(),
            name=data.name,
            role=data.role.value,
            team=data.team.value,
            password_hash=hash_password(password),
            is_active=True,
            approves_for_sales=data.approves_for_sales,
        )
    )
    record(session, actor, "created", user, f"added {user.name} as {user.role}")
    return NewUser(user=user, password=password, generated=data.password is None)


def update_user(session: Session, *, user_id: int, data: UserUpdate, actor: Actor) -> User:
    require(may_administer(actor))
    user = UserRepository(session).get(user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if user.id == actor.id and (
        changes.get("is_active") is False or changes.get("role", Role.admin) != Role.admin
    ):
        raise Invalid("you cannot demote or deactivate yourself", field="role")
    for name, value in changes.items():
        setattr(user, name, value.value if hasattr(value, "value") else value)
    if user.is_active is False:
        SessionRepository(session).delete_for_user(user.id)
    session.flush()
    record(session, actor, "updated", user, f"changed {user.name}: {', '.join(changes)}")
    return user


def set_password(session: Session, *, user_id: int, password: str, actor: Actor | None) -> None:
    if actor is not None and actor.id != user_id:
        require(may_administer(actor))
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )
    user = UserRepository(session).get(user_id)
    if user is None:
        raise NotFound(f"no user {user_id}")
    user.password_hash = hash_password(password)
    SessionRepository(session).delete_for_user(user.id)


def login(session: Session, *, email: str, password: str, ip: str) -> tuple[User, str]:
    """Check the credentials; returns the user and a new session token for the cookie.

    Each attempt is counted before its password is checked, and counted as failed until it
    succeeds: the count and the claim are one short transaction, committed at once, so
    attempts sent in parallel each see the ones before them, and the fifth wrong guess in
    the window is the last however many are sent at the same moment. Failures are limited
    per email and per client address (many emails tried from one place)."""
    settings = get_settings()
    sessions = SessionRepository(session)
    now = utcnow()
    window = now - timedelta(minutes=settings.login_window_minutes)
    take_turn(session, "sign-in")
    if sessions.recent_failures(email, window) >= settings.login_max_failures:
        raise TooManyRequests(
            f"too many failed sign-ins for this email; try again in "
            f"{settings.login_window_minutes} minutes"
        )
    if sessions.recent_failures_from(ip, window) >= settings.login_max_failures_per_address:
        raise TooManyRequests(
            f"too many failed sign-ins from your address; try again in "
            f"{settings.login_window_minutes} minutes"
        )
    attempt = sessions.record_attempt(email, ip, succeeded=False, at=now)
    session.commit()  # the claim is seen by parallel attempts before the slow check below
    user = UserRepository(session).by_email(email)
    valid = verify_password(user.password_hash if user else None, password)
    if user is None or not valid or not user.is_active:
        raise NotAuthenticated("wrong email or password")
    attempt.succeeded = True
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    token = new_token("hs")
    sessions.add(
        LoginSession(
            user_id=user.id,
            token_hash=hash_token(token),
            csrf_token=new_token("csrf"),
            expires_at=now + timedelta(days=settings.session_days),
        )
    )
    user.last_login_at = now
    return user, token


def resolve_session(session: Session, token: str) -> LoginSession | None:
    login_session = SessionRepository(session).by_token_hash(hash_token(token))
    if login_session is None:
        return None
    if login_session.expires_at < utcnow() or not login_session.user.is_active:
        return None
    return login_session


def logout(session: Session, token: str) -> None:
    sessions = SessionRepository(session)
    login_session = sessions.by_token_hash(hash_token(token))
    if login_session is not None:
        sessions.delete(login_session)


def issue_token(
    session: Session, *, user: User, name: str, scope: TokenScope, actor: Actor | None
) -> tuple[ApiToken, str]:
    if actor is not None and actor.id != user.id:
        require(may_administer(actor))
    secret = new_token("hud")
    token = ApiToken(
        user_id=user.id, name=name, token_hash=hash_token(secret), prefix=secret[:8], scope=scope
    )
    TokenRepository(session).add(token)
    record(session, actor, "issued token", user, f"API token '{name}' ({scope.value})")
    return token, secret


def revoke_token(session: Session, *, token_id: int, actor: Actor) -> None:
    token = TokenRepository(session).get(token_id)
    if token is None or (token.user_id != actor.id and may_administer(actor) is not None):
        raise NotFound(f"no token {token_id}")
    token.revoked_at = utcnow()


def resolve_api_token(session: Session, secret: str, uses: TokenUse) -> Actor | None:
    """The actor a token stands for. Reading with a token writes nothing: its use is noted
    in `uses` and written later (huddle.auth.token_use)."""
    token = TokenRepository(session).by_hash(hash_token(secret))
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    uses.note(token.id, utcnow())
    return Actor(user=token.user, scope=TokenScope(token.scope))
