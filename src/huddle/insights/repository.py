"""The SQL of the intelligence layer: stored vectors, themes, rejections."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.insights.embedding import FloatMatrix, unpack_vector
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.theme import Theme, ThemeMember, ThemeRejection, ThemeRun

CHUNK = 5000


@dataclass
class Vectors:
    ids: np.ndarray
    matrix: FloatMatrix

    def __len__(self) -> int:
        return len(self.ids)


def _stack(rows: Sequence[tuple[int, bytes | None]]) -> Vectors:
    if not rows:
        return Vectors(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32))
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    matrix = np.vstack([unpack_vector(r[1] or b"") for r in rows]).astype(np.float32)
    return Vectors(ids, matrix)


class InsightRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _unlinked(self) -> Select[int, bytes | None]:
        return select(Feedback.id, Feedback.embedding).where(
            Feedback.embedding.is_not(None),
            Feedback.duplicate_of_id.is_(None),
            ~exists().where(FeedbackLink.feedback_id == Feedback.id),
        )

    def unlinked_vectors(self, actor: Actor) -> Vectors:
        require(may_read(actor))
        rows = self.session.execute(self._unlinked().order_by(Feedback.id)).all()
        return _stack([(r[0], r[1]) for r in rows])

    def unlinked_items(self, actor: Actor) -> list[tuple[int, str | None]]:
        require(may_read(actor))
        statement = select(Feedback.id, Feedback.external_id).where(
            Feedback.duplicate_of_id.is_(None),
            ~exists().where(FeedbackLink.feedback_id == Feedback.id),
        )
        return [(r[0], r[1]) for r in self.session.execute(statement.order_by(Feedback.id))]

    def vectors_for(self, ids: Sequence[int]) -> Vectors:
        found: list[tuple[int, bytes | None]] = []
        ordered = sorted(set(ids))
        for start in range(0, len(ordered), CHUNK):
            statement = select(Feedback.id, Feedback.embedding).where(
                Feedback.id.in_(ordered[start : start + CHUNK]), Feedback.embedding.is_not(None)
            )
            found.extend((r[0], r[1]) for r in self.session.execute(statement))
        found.sort()
        return _stack(found)

    def all_vectors(self) -> Vectors:
        statement = select(Feedback.id, Feedback.embedding).where(Feedback.embedding.is_not(None))
        return _stack([(r[0], r[1]) for r in self.session.execute(statement.order_by(Feedback.id))])

    def vector_version(self) -> tuple[int, int]:
        """Changes whenever vectors are added or removed: how a cache knows it is stale."""
        statement = select(func.count(Feedback.id), func.max(Feedback.id)).where(
            Feedback.embedding.is_not(None)
        )
        count, top = self.session.execute(statement).one()
        return int(count or 0), int(top or 0)

    def texts(self, ids: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        ordered = sorted(set(ids))
        for start in range(0, len(ordered), CHUNK):
            statement = select(Feedback.id, Feedback.text).where(
                Feedback.id.in_(ordered[start : start + CHUNK])
            )
            found.update({r[0]: r[1] for r in self.session.execute(statement)})
        return found

    def origin_facts(self, ids: set[int]) -> dict[int, tuple[int | None, datetime]]:
        """Account and time of each item: what tells a duplicate from corroboration."""
        found: dict[int, tuple[int | None, datetime]] = {}
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            statement = select(Feedback.id, Feedback.account_id, Feedback.occurred_at).where(
                Feedback.id.in_(ordered[start : start + CHUNK])
            )
            found.update({r[0]: (r[1], r[2]) for r in self.session.execute(statement)})
        return found

    def problem_centroids(self) -> tuple[list[int], FloatMatrix]:
        """The mean vector of each problem's evidence (problems without vectors are left out)."""
        statement = (
            select(FeedbackLink.problem_id, Feedback.embedding)
            .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
            .join(Problem, Problem.id == FeedbackLink.problem_id)
            .where(Feedback.embedding.is_not(None), Problem.status != "wont_fix")
        )
        sums: dict[int, np.ndarray] = {}
        for problem_id, blob in self.session.execute(statement):
            if blob is None:
                continue
            vector = unpack_vector(blob)
            sums[problem_id] = sums[problem_id] + vector if problem_id in sums else vector.copy()
        if not sums:
            return [], np.zeros((0, 0), dtype=np.float32)
        ids = sorted(sums)
        matrix = np.vstack([sums[i] for i in ids]).astype(np.float32)
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
        return ids, matrix

    def open_themes(self, actor: Actor) -> Sequence[Theme]:
        require(may_read(actor))
        statement = select(Theme).where(Theme.status == "open").order_by(Theme.id)
        return self.session.scalars(statement).unique().all()

    def theme(self, actor: Actor, theme_id: int) -> Theme | None:
        require(may_read(actor))
        return self.session.get(Theme, theme_id)

    def rejected_centroids(self) -> list[FloatMatrix]:
        statement = select(Theme.centroid).where(
            Theme.status == "rejected", Theme.centroid.is_not(None)
        )
        return [unpack_vector(blob) for blob in self.session.scalars(statement) if blob]

    def rejections(self) -> list[tuple[int, bytes]]:
        return [(r.feedback_id, r.centroid) for r in self.session.scalars(select(ThemeRejection))]

    def latest_run(self) -> ThemeRun | None:
        return self.session.scalar(select(ThemeRun).order_by(ThemeRun.id.desc()).limit(1))

    def discovery_inputs(self) -> str:
        """A digest of what discovery reads (the unlinked vectors, every suggestion with its
        state and members, the items people took out): equal digests, equal discoveries."""
        digest = hashlib.sha256()
        for feedback_id, blob in self.session.execute(self._unlinked().order_by(Feedback.id)):
            digest.update(b"%d:" % feedback_id + (blob or b""))
        themes = select(Theme.id, Theme.status, Theme.label, Theme.curated_at).order_by(Theme.id)
        members = select(ThemeMember.theme_id, ThemeMember.feedback_id).order_by(
            ThemeMember.theme_id, ThemeMember.feedback_id
        )
        rejections = select(ThemeRejection.id).order_by(ThemeRejection.id)
        for statement in (themes, members, rejections):
            for row in self.session.execute(statement):
                digest.update(repr(tuple(row)).encode())
        return digest.hexdigest()
