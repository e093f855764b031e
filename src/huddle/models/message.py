from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime, utcnow


class Message(IdMixin, CreatedMixin, Base):
    """One message to one person on one channel (notify/): kept before it is sent, with the
    idempotency key that makes a second attempt the same message, never a second one."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_recipient_channel", "recipient_id", "channel"),
        NEVER_REUSE_IDS,
    )

    # The event and the person it is for: "shipped:12:email:7". Unique: an event that is
    # handled twice (a job run again after a crash) finds its messages already there.
    key: Mapped[str] = mapped_column(String(200), unique=True)
    event: Mapped[str] = mapped_column(String(50))
    channel: Mapped[str] = mapped_column(String(20))  # app | email
    recipient_id: Mapped[int | None] = mapped_column(Id, ForeignKey("users.id", ondelete="CASCADE"))
    address: Mapped[str] = mapped_column(String(500), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    # What the event was about, for links: {"solution_id": 12, "account_ids": [...]}.
    data: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # queued -> sent, or failed after the last attempt (the error kept); app messages are
    # "sent" when written.
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Follow(Base):
    """Someone who hears when a solution or an account changes (notify/follows.py); a
    problem's followers are its people (models/problem.py)."""

    __tablename__ = "follows"
    __table_args__ = (Index("ix_follows_subject", "subject_type", "subject_id"),)

    user_id: Mapped[int] = mapped_column(
        Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    subject_type: Mapped[str] = mapped_column(String(20), primary_key=True)  # solution | account
    subject_id: Mapped[int] = mapped_column(Id, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
