from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime


class User(IdMixin, CreatedMixin, Base):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    team: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sales leadership: approves what the sales-safe roadmap shows (plans/roadmap.py).
    approves_for_sales: Mapped[bool] = mapped_column(Boolean, default=False)
    # Notifications (notify/): emails at all, and "quiet": by email only the weekly digest.
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True)
    quiet: Mapped[bool] = mapped_column(Boolean, default=False)
    # A chat channel's incoming webhook (Slack's format, which Mattermost, Rocket.Chat and
    # others take too): messages are posted there as well.
    chat_webhook_url: Mapped[str | None] = mapped_column(String(500))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(IdMixin, CreatedMixin, Base):
    __tablename__ = "api_tokens"
    __table_args__ = NEVER_REUSE_IDS

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(20), default="full")
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class LoginSession(IdMixin, CreatedMixin, Base):
    __tablename__ = "login_sessions"
    __table_args__ = NEVER_REUSE_IDS

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(lazy="joined")


class LoginAttempt(IdMixin, Base):
    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_ip_at", "ip", "at"), NEVER_REUSE_IDS)

    email: Mapped[str] = mapped_column(String(254), index=True)
    ip: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class SavedView(IdMixin, CreatedMixin, Base):
    """A person's named filters and sort of a list page, to come back to in one click."""

    __tablename__ = "saved_views"
    __table_args__ = NEVER_REUSE_IDS

    user_id: Mapped[int] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The page it belongs to: "problems" or "inbox".
    page: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    # The page's query string, as it was when saved (only the page's own parameters).
    query: Mapped[str] = mapped_column(String(2000))
