from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.account import Account, Contact
from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime
from huddle.models.user import User


class Feedback(IdMixin, CreatedMixin, Base):
    """One piece of customer evidence, with where it came from and who brought it."""

    __tablename__ = "feedback"
    __table_args__ = (
        # Idempotency: one item per external id within an origin and a namespace. Files imported
        # by an admin share the workspace's namespace (""); what an API client or a person
        # sends lives in that user's own ("user:12"), so one integration can neither overwrite
        # nor probe another's ids.
        UniqueConstraint(
            "namespace", "origin", "external_id", name="uq_feedback_namespace_origin_external_id"
        ),
        Index("ix_feedback_occurred_at", "occurred_at"),
        # The inbox filtered by source or account, newest first, without sorting every match
        # (migration 20261202_0010).
        Index("ix_feedback_source_occurred_at", "source", "occurred_at"),
        Index("ix_feedback_account_occurred_at", "account_id", "occurred_at"),
        # The same by team, and by source and team together: a team's share of a source can
        # be anything from none to all of it, and reading the newest of the source until a
        # page of the team turns up read most of them (migration 20261204_0026).
        Index("ix_feedback_team_occurred_at", "team", "occurred_at"),
        Index("ix_feedback_source_team_occurred_at", "source", "team", "occurred_at"),
        # The few items set aside among a million, for the inbox's counts. Partial: an index
        # over every row would tempt SQLite's planner (which keeps no statistics) to use it
        # for "not set aside", the inbox's own page, instead of the date order.
        Index(
            "ix_feedback_dismissed",
            "dismissed_reason",
            sqlite_where=sql("dismissed_reason IS NOT NULL"),
            postgresql_where=sql("dismissed_reason IS NOT NULL"),
        ),
        Index(
            "ix_feedback_snoozed",
            "snoozed_until",
            sqlite_where=sql("snoozed_until IS NOT NULL"),
            postgresql_where=sql("snoozed_until IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )

    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20), index=True)
    # Which system the item came from (csv, zendesk, api, web…); external ids are unique per origin.
    origin: Mapped[str] = mapped_column(String(50), default="web")
    external_id: Mapped[str | None] = mapped_column(String(200))
    namespace: Mapped[str] = mapped_column(String(64), default="", server_default="")
    # How the item came in: form, api, ingest, import (a file or a connector), demo.
    channel: Mapped[str] = mapped_column(String(20), default="import", server_default="import")
    link_url: Mapped[str | None] = mapped_column(String(2000))
    account_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("accounts.id", ondelete="SET NULL"), index=True
    )
    # The account as the source named it (an id, a domain or a name), kept when it matched
    # no known account so that the reference is not lost.
    account_ref: Mapped[str | None] = mapped_column(String(200))
    contact_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("contacts.id", ondelete="SET NULL")
    )
    submitter_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    team: Mapped[str | None] = mapped_column(String(20))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # False when the source gave no date and the import's moment stands in for it: severity's
    # trend leaves the item out until a date of its own arrives (migration 20261204_0028).
    dated: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    import_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("import_runs.id", ondelete="SET NULL"), index=True
    )
    sentiment: Mapped[float | None] = mapped_column(Float)
    urgency: Mapped[float | None] = mapped_column(Float)
    pii_masked: Mapped[int] = mapped_column(Integer, default=0)
    embedding: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    embedding_model: Mapped[str | None] = mapped_column(String(100))
    # When the vector was stored: search indexes in every process catch up from here.
    embedded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="SET NULL")
    )
    # Set by matching: the known problem this item most likely belongs to, when below the
    # confidence at which Huddle links it by itself.
    suggested_problem_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="SET NULL")
    )
    suggestion_confidence: Mapped[float | None] = mapped_column(Float)
    # Set by duplicate detection: a near-identical item a person may merge this into.
    duplicate_candidate_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="SET NULL")
    )
    # Triage: set aside as not a problem (praise, answered, spam…) with why, or out of the
    # inbox until a day. Both are reversible; who did it is in the activity log.
    dismissed_reason: Mapped[str | None] = mapped_column(String(20))
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account | None] = relationship(lazy="joined")
    contact: Mapped[Contact | None] = relationship(lazy="select")
    submitter: Mapped[User | None] = relationship(lazy="joined")
