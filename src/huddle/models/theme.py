from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from huddle.models.base import NEVER_REUSE_IDS, Base, CreatedMixin, Id, IdMixin, UTCDateTime
from huddle.models.feedback import Feedback


class ThemeRun(IdMixin, CreatedMixin, Base):
    """One pass of theme discovery over the evidence that was unlinked at the time."""

    __tablename__ = "theme_runs"
    __table_args__ = NEVER_REUSE_IDS

    items: Mapped[int] = mapped_column(Integer, default=0)
    themes: Mapped[int] = mapped_column(Integer, default=0)
    unthemed: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    model: Mapped[str] = mapped_column(String(100), default="")
    # How many items it clustered when they were a sample of more free evidence (the rest
    # placed in the groups found, or left unthemed); None when it clustered them all.
    clustered: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)


class Theme(IdMixin, CreatedMixin, Base):
    """A suggested problem: similar evidence grouped by discovery, waiting for a person."""

    __tablename__ = "themes"
    __table_args__ = NEVER_REUSE_IDS

    run_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("theme_runs.id", ondelete="SET NULL"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    # open, accepted, rejected, merged (into another theme)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    centroid: Mapped[bytes | None] = mapped_column(LargeBinary)
    problem_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("problems.id", ondelete="SET NULL")
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Members at the time a person rejected the theme: the grouping not to suggest again.
    rejected_members: Mapped[list[int]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set when a person shaped this suggestion (renamed it, merged into it, split it out,
    # took items out): rediscovery keeps it as it is instead of recomputing it.
    curated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    members: Mapped[list["ThemeMember"]] = relationship(
        back_populates="theme",
        cascade="all, delete-orphan",
        order_by="ThemeMember.confidence.desc()",
    )


class ThemeMember(IdMixin, Base):
    __tablename__ = "theme_members"
    __table_args__ = (
        UniqueConstraint("theme_id", "feedback_id", name="uq_theme_members_pair"),
        NEVER_REUSE_IDS,
    )

    theme_id: Mapped[int] = mapped_column(
        Id, ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    feedback_id: Mapped[int] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    confidence: Mapped[float] = mapped_column(Float, default=0.0)
    representative: Mapped[bool] = mapped_column(default=False)

    theme: Mapped[Theme] = relationship(back_populates="members")
    feedback: Mapped[Feedback] = relationship(lazy="joined")


class ThemeRejection(IdMixin, CreatedMixin, Base):
    """A person took this item out of a grouping: do not put it near that centroid again."""

    __tablename__ = "theme_rejections"
    __table_args__ = NEVER_REUSE_IDS

    feedback_id: Mapped[int] = mapped_column(
        Id, ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    rejected_by_id: Mapped[int | None] = mapped_column(
        Id, ForeignKey("users.id", ondelete="SET NULL")
    )
