from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow
from huddle.models.user import User


class Account(IdMixin, CreatedMixin, Base):
    __tablename__ = "accounts"
    __table_args__ = NEVER_REUSE_IDS

    name: Mapped[str] = mapped_column(String(200), index=True)
    domain: Mapped[str | None] = mapped_column(String(253), index=True)
    segment: Mapped[str | None] = mapped_column(String(50))
    plan: Mapped[str | None] = mapped_column(String(50))
    arr_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    owner_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="customer")
    renewal_date: Mapped[date | None] = mapped_column(Date)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    import_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    owner: Mapped[User | None] = relationship(lazy="joined")


class Contact(IdMixin, CreatedMixin, Base):
    __tablename__ = "contacts"
    __table_args__ = NEVER_REUSE_IDS

    account_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    title: Mapped[str | None] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    import_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )


class AccountKey(IdMixin, CreatedMixin, Base):
    """Another system's id for an account (a CRM's, a billing tool's), beside its own
    `external_id`, so that every system's references resolve to the one account."""

    __tablename__ = "account_keys"
    __table_args__ = NEVER_REUSE_IDS

    account_id: Mapped[int] = mapped_column(
        Id, ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    external_id: Mapped[str] = mapped_column(String(200), unique=True)
    import_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )
