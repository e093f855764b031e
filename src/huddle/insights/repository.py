"""The SQL of the intelligence layer: stored vectors, themes, rejections."""

import hashlib
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, Select, and_, case, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.util import identity_key

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.insights.embedding import FloatMatrix, unpack_vector, unpack_vectors
from huddle.kit.bulk import bulk_insert, in_lists
from huddle.kit.sql import among
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.theme import Theme, ThemeMember, ThemeRejection, ThemeRun

# Ids a statement when reading vectors: one parameter whatever their number (`among`); the
# limit bounds one answer's size (a vector is ~0.8 KB).
VECTORS_AT_ONCE = 5_000


@dataclass(frozen=True)
class Whereabouts:
    """Where one item of a suggestion is now."""

    suggestions: list[tuple[int, str]]
    problems: list[tuple[int, str]]
    duplicate_of: int | None


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
    matrix = unpack_vectors([r[1] or b"" for r in rows])
    return Vectors(ids, matrix)


@dataclass(frozen=True)
class ThemeHead:
    id: int
    label: str
    terms: list[str]
    created_at: datetime
    curated_at: datetime | None


@dataclass(frozen=True)
class ThemeReach:
    size: int
    accounts: int
    arr_minor: int


@dataclass(frozen=True)
class ThemeQuote:
    theme_id: int
    feedback_id: int
    confidence: float
    text: str
    account_name: str | None


def _open(only: Collection[int] | None) -> ColumnElement[bool]:
    """Open suggestions, or those of them `only` names."""
    if only is None:
        return Theme.status == "open"
    return and_(Theme.status == "open", Theme.id.in_(sorted(only)))


class InsightRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _unlinked(self) -> Select[int, bytes | None]:
        return select(Feedback.id, Feedback.embedding).where(
            Feedback.embedding.is_not(None),
            Feedback.duplicate_of_id.is_(None),
            # Dismissed as not a problem (praise, spam…): never grouped into a suggestion.
            Feedback.dismissed_reason.is_(None),
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
        for chunk in in_lists(ids, VECTORS_AT_ONCE):
            statement = select(Feedback.id, Feedback.embedding).where(
                among(Feedback.id, chunk), Feedback.embedding.is_not(None)
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

    # The search index (insights/vector_index.py) follows the vectors by `embedded_at`, which
    # is set exactly when `embedding` is (writers that clear one clear the other), so these
    # counts and ranges are answered from the column's index, without reading any vector.

    def newest_embedding(self) -> datetime | None:
        return self.session.scalar(select(func.max(Feedback.embedded_at)))

    def embedded_count(self, *, until: datetime | None = None) -> int:
        statement = select(func.count(Feedback.embedded_at))
        if until is not None:
            statement = statement.where(Feedback.embedded_at <= until)
        return int(self.session.scalar(statement) or 0)

    def embedded_since(self, moment: datetime) -> list[tuple[int, datetime]]:
        statement = select(Feedback.id, Feedback.embedded_at).where(Feedback.embedded_at > moment)
        return [(r[0], r[1]) for r in self.session.execute(statement) if r[1] is not None]

    def vector_batches(
        self, size: int = 20_000
    ) -> Iterator[tuple[np.ndarray, FloatMatrix, list[datetime]]]:
        """Every stored vector in id order, `size` at a time (memory stays flat at any count)."""
        after = 0
        while True:
            statement = (
                select(Feedback.id, Feedback.embedding, Feedback.embedded_at)
                .where(Feedback.id > after, Feedback.embedded_at.is_not(None))
                .order_by(Feedback.id)
                .limit(size)
            )
            fetched = self.session.execute(statement).all()
            if not fetched:
                return
            kept = [(r[0], r[1], r[2]) for r in fetched if r[1] is not None and r[2] is not None]
            if kept:
                stacked = _stack([(r[0], r[1]) for r in kept])
                yield stacked.ids, stacked.matrix, [r[2] for r in kept]
            after = fetched[-1][0]

    def repair_embedded_at(self) -> int:
        """Make `embedded_at` say whether a vector is stored again (a bulk load or a restore
        done outside Huddle may have written one without the other)."""
        missing = self.session.execute(
            update(Feedback)
            .where(Feedback.embedding.is_not(None), Feedback.embedded_at.is_(None))
            .values(embedded_at=Feedback.created_at)
            .execution_options(synchronize_session=False)
        )
        orphaned = self.session.execute(
            update(Feedback)
            .where(Feedback.embedding.is_(None), Feedback.embedded_at.is_not(None))
            .values(embedded_at=None)
            .execution_options(synchronize_session=False)
        )
        return int(missing.rowcount) + int(orphaned.rowcount)  # type: ignore[attr-defined]

    def texts(self, ids: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        for chunk in in_lists(ids):
            statement = select(Feedback.id, Feedback.text).where(Feedback.id.in_(chunk))
            found.update({r[0]: r[1] for r in self.session.execute(statement)})
        return found

    def origin_facts(self, ids: set[int]) -> dict[int, tuple[int | None, int | None, datetime]]:
        """Account, contact and time of each item: what tells a duplicate from corroboration."""
        found: dict[int, tuple[int | None, int | None, datetime]] = {}
        for chunk in in_lists(ids):
            statement = select(
                Feedback.id, Feedback.account_id, Feedback.contact_id, Feedback.occurred_at
            ).where(Feedback.id.in_(chunk))
            found.update({r[0]: (r[1], r[2], r[3]) for r in self.session.execute(statement)})
        return found

    def arrived_since(self, moment: datetime) -> dict[int, datetime]:
        """When each item stored after `moment` arrived."""
        statement = select(Feedback.id, Feedback.created_at).where(Feedback.created_at > moment)
        return {r[0]: r[1] for r in self.session.execute(statement)}

    def settled(self, ids: Collection[int]) -> set[int]:
        """Items that are linked to a problem or were merged as a duplicate: no longer free."""
        found: set[int] = set()
        for chunk in in_lists(ids):
            statement = select(Feedback.id).where(
                Feedback.id.in_(chunk),
                or_(
                    Feedback.duplicate_of_id.is_not(None),
                    exists().where(FeedbackLink.feedback_id == Feedback.id),
                ),
            )
            found.update(self.session.scalars(statement))
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
        statement = (
            select(Theme)
            .where(Theme.status == "open")
            .order_by(Theme.id)
            # Every member and its evidence in one more query, not one per suggestion.
            .options(selectinload(Theme.members))
        )
        return self.session.scalars(statement).unique().all()

    def open_theme_heads(
        self, actor: Actor, only: Collection[int] | None = None
    ) -> list[ThemeHead]:
        """What the inbox shows of each open suggestion, read as plain columns (the ORM
        objects carry centroids, details and rejected members nobody reads there)."""
        require(may_read(actor))
        rows = self.session.execute(
            select(Theme.id, Theme.label, Theme.terms, Theme.created_at, Theme.curated_at)
            .where(_open(only))
            .order_by(Theme.id)
        ).all()
        return [ThemeHead(*row) for row in rows]

    def open_theme_ids_labelled(self, actor: Actor, label: str) -> list[int]:
        require(may_read(actor))
        statement = select(Theme.id).where(
            Theme.status == "open", func.lower(Theme.label) == label.strip().lower()
        )
        return list(self.session.scalars(statement.limit(2)))

    def open_theme_reach(self, only: Collection[int] | None = None) -> dict[int, ThemeReach]:
        """Per open suggestion: its members, the distinct accounts behind them and the ARR
        of those that have not churned, counted by the database."""
        sizes = dict(
            self.session.execute(
                select(ThemeMember.theme_id, func.count())
                .join(Theme, Theme.id == ThemeMember.theme_id)
                .where(_open(only))
                .group_by(ThemeMember.theme_id)
            ).all()
        )
        reached = (
            select(ThemeMember.theme_id, Feedback.account_id)
            .join(Feedback, Feedback.id == ThemeMember.feedback_id)
            .join(Theme, Theme.id == ThemeMember.theme_id)
            .where(_open(only), Feedback.account_id.is_not(None))
            .distinct()
            .subquery()
        )
        live_arr = case((Account.status != "churned", Account.arr_minor), else_=0)
        behind = {
            theme_id: (accounts, int(arr or 0))
            for theme_id, accounts, arr in self.session.execute(
                select(reached.c.theme_id, func.count(), func.sum(live_arr))
                .join(Account, Account.id == reached.c.account_id)
                .group_by(reached.c.theme_id)
            ).all()
        }
        return {
            theme_id: ThemeReach(size, *behind.get(theme_id, (0, 0)))
            for theme_id, size in sizes.items()
        }

    def open_theme_quotes(
        self, per_theme: int, only: Collection[int] | None = None
    ) -> list[ThemeQuote]:
        """The best `per_theme` members of each open suggestion (representatives first, then
        by confidence) with their text and account name; the ranking is done by the database
        so only the quoted rows are read."""
        place = (
            func.row_number()
            .over(
                partition_by=ThemeMember.theme_id,
                order_by=(
                    ThemeMember.representative.desc(),
                    ThemeMember.confidence.desc(),
                    ThemeMember.feedback_id,
                ),
            )
            .label("place")
        )
        ranked = (
            select(ThemeMember.theme_id, ThemeMember.feedback_id, ThemeMember.confidence, place)
            .join(Theme, Theme.id == ThemeMember.theme_id)
            .where(_open(only))
            .subquery()
        )
        rows = self.session.execute(
            select(
                ranked.c.theme_id,
                ranked.c.feedback_id,
                ranked.c.confidence,
                Feedback.text,
                Account.name,
            )
            .join(Feedback, Feedback.id == ranked.c.feedback_id)
            .outerjoin(Account, Account.id == Feedback.account_id)
            .where(ranked.c.place <= per_theme)
            .order_by(ranked.c.theme_id, ranked.c.place)
        ).all()
        return [ThemeQuote(*row) for row in rows]

    def lock_open_themes(self) -> Sequence[Theme]:
        """The open suggestions as committed now, locked until the transaction ends.

        PostgreSQL locks the rows (a person's action on one waits, then sees what discovery
        made of it). SQLite has no row locks: the caller has written already, which holds
        the database's write lock, so nobody can change them under it either.
        """
        statement = (
            select(Theme)
            .where(Theme.status == "open")
            .order_by(Theme.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self.session.scalars(statement).unique().all()

    def claim_open(self, theme_ids: Sequence[int], *, curate: bool) -> bool:
        """Check that the suggestions are still open and hold them for this transaction.

        An UPDATE rather than a SELECT because it waits for a running rediscovery (a row
        lock on PostgreSQL, the write lock on SQLite) and then checks the status as it is
        after that, in one step. Only when all are open, and `curate` is set, is it recorded
        that a person shaped them; a refused claim changes nothing.
        """
        self.session.flush()
        wanted = sorted(set(theme_ids))
        claimed = 0
        for theme_id in wanted:
            result = self.session.execute(
                update(Theme)
                .where(Theme.id == theme_id, Theme.status == "open")
                .values(status=Theme.status)
                .execution_options(synchronize_session=False)
            )
            claimed += int(result.rowcount)  # type: ignore[attr-defined]
        if claimed == len(wanted) and curate:
            self.session.execute(
                update(Theme)
                .where(Theme.id.in_(wanted))
                .values(curated_at=utcnow())
                .execution_options(synchronize_session=False)
            )
        for theme_id in wanted:
            self.session.get(Theme, theme_id, populate_existing=True)
        return claimed == len(wanted)

    def theme(self, actor: Actor, theme_id: int) -> Theme | None:
        require(may_read(actor))
        return self.session.get(Theme, theme_id)

    def newest_theme_id(self) -> int:
        return int(self.session.scalar(select(func.max(Theme.id))) or 0)

    def member_ids(self, theme_ids: Collection[int]) -> dict[int, list[int]]:
        found: dict[int, list[int]] = {theme_id: [] for theme_id in theme_ids}
        for chunk in in_lists(theme_ids):
            statement = (
                select(ThemeMember.theme_id, ThemeMember.feedback_id)
                .where(ThemeMember.theme_id.in_(chunk))
                .order_by(ThemeMember.theme_id, ThemeMember.confidence.desc(), ThemeMember.id)
            )
            for theme_id, feedback_id in self.session.execute(statement):
                found[theme_id].append(feedback_id)
        return found

    def curated_member_ids(self) -> set[int]:
        statement = (
            select(ThemeMember.feedback_id)
            .join(Theme, Theme.id == ThemeMember.theme_id)
            .where(Theme.status == "open", Theme.curated_at.is_not(None))
        )
        return set(self.session.scalars(statement))

    def add_members(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            bulk_insert(self.session, ThemeMember, list(rows))

    def remove_members(self, theme_id: int, feedback_ids: Collection[int]) -> None:
        for chunk in in_lists(feedback_ids):
            self.session.execute(
                delete(ThemeMember)
                .where(ThemeMember.theme_id == theme_id, ThemeMember.feedback_id.in_(chunk))
                .execution_options(synchronize_session=False)
            )
        self._expire([theme_id], ["members"])

    def release(self, feedback_ids: Collection[int]) -> list[int]:
        """Take items out of every open suggestion (they were linked to a problem, merged
        as duplicates or dismissed); a suggestion left empty is closed. Returns the suggestions touched."""
        self.session.flush()
        touched: set[int] = set()
        for chunk in in_lists(feedback_ids):
            holding = (
                select(ThemeMember.theme_id)
                .join(Theme, Theme.id == ThemeMember.theme_id)
                .where(Theme.status == "open", ThemeMember.feedback_id.in_(chunk))
                .distinct()
            )
            theme_ids = sorted(set(self.session.scalars(holding)))
            if not theme_ids:
                continue
            # Suggestions before their members, in id order, as rediscovery and the actions
            # on suggestions do: two transactions never wait for each other in a circle.
            locked = (
                select(Theme.id)
                .where(Theme.id.in_(theme_ids), Theme.status == "open")
                .order_by(Theme.id)
                .with_for_update()
            )
            theme_ids = list(self.session.scalars(locked))
            leaving = select(ThemeMember.id, ThemeMember.theme_id, ThemeMember.feedback_id).where(
                ThemeMember.theme_id.in_(theme_ids), ThemeMember.feedback_id.in_(chunk)
            )
            rows = self.session.execute(leaving).all()
            released: dict[int, set[int]] = {}
            for _, theme_id, feedback_id in rows:
                released.setdefault(theme_id, set()).add(feedback_id)
            self.session.execute(
                delete(ThemeMember)
                .where(ThemeMember.id.in_([row[0] for row in rows]))
                .execution_options(synchronize_session=False)
            )
            # Remembered, so that the suggestion's page can still say where they went.
            for theme_id, ids in released.items():
                theme = self.session.get(Theme, theme_id, populate_existing=True)
                if theme is not None:
                    before = set((theme.details or {}).get("released", []))
                    theme.details = {**(theme.details or {}), "released": sorted(before | ids)}
            touched.update(released)
        self._expire(touched, ["members"])
        self.close_empty(touched)
        return sorted(touched)

    def release_settled(self) -> list[int]:
        """`release` for every item of an open suggestion that is settled by now."""
        statement = (
            select(ThemeMember.feedback_id)
            .join(Theme, Theme.id == ThemeMember.theme_id)
            .join(Feedback, Feedback.id == ThemeMember.feedback_id)
            .where(
                Theme.status == "open",
                or_(
                    Feedback.duplicate_of_id.is_not(None),
                    Feedback.dismissed_reason.is_not(None),
                    exists().where(FeedbackLink.feedback_id == ThemeMember.feedback_id),
                ),
            )
        )
        return self.release(set(self.session.scalars(statement)))

    def close_empty(self, theme_ids: Collection[int]) -> list[int]:
        """Close the open suggestions among `theme_ids` that have no members left."""
        if not theme_ids:
            return []
        statement = select(Theme.id).where(
            Theme.id.in_(sorted(theme_ids)),
            Theme.status == "open",
            ~exists().where(ThemeMember.theme_id == Theme.id),
        )
        empty = list(self.session.scalars(statement))
        for theme_id in empty:
            theme = self.session.get(Theme, theme_id, populate_existing=True)
            assert theme is not None
            theme.status = "closed"
            theme.decided_at = utcnow()
            theme.details = {**(theme.details or {}), "reason": "settled"}
        self.session.flush()
        return empty

    def _expire(self, theme_ids: Collection[int], names: list[str] | None = None) -> None:
        # Rows changed behind the ORM's back: what it has loaded must be read again.
        for theme_id in theme_ids:
            found = self.session.identity_map.get(identity_key(Theme, theme_id))
            if found is not None:
                self.session.expire(found, names)

    def prune(self, *, before: datetime) -> int:
        """Forget suggestions replaced or closed before `before`, and runs nothing refers to."""
        statement = select(Theme.id).where(
            Theme.status.in_(["replaced", "closed"]), Theme.decided_at < before
        )
        old = list(self.session.scalars(statement))
        for chunk in in_lists(old):
            self.session.execute(
                delete(ThemeMember)
                .where(ThemeMember.theme_id.in_(chunk))
                .execution_options(synchronize_session=False)
            )
            self.session.execute(
                delete(Theme)
                .where(Theme.id.in_(chunk))
                .execution_options(synchronize_session=False)
            )
        latest = select(func.max(ThemeRun.id)).scalar_subquery()
        self.session.execute(
            delete(ThemeRun)
            .where(
                ThemeRun.created_at < before,
                ThemeRun.id != latest,
                ~exists().where(Theme.run_id == ThemeRun.id),
            )
            .execution_options(synchronize_session=False)
        )
        return len(old)

    def whereabouts(self, actor: Actor, feedback_ids: Collection[int]) -> dict[int, Whereabouts]:
        """Where each item is now: open suggestions, problems, or merged into another item."""
        require(may_read(actor))
        suggestions: dict[int, list[tuple[int, str]]] = {i: [] for i in feedback_ids}
        problems: dict[int, list[tuple[int, str]]] = {i: [] for i in feedback_ids}
        duplicates: dict[int, int | None] = {i: None for i in feedback_ids}
        for chunk in in_lists(feedback_ids):
            in_themes = (
                select(ThemeMember.feedback_id, Theme.id, Theme.label)
                .join(Theme, Theme.id == ThemeMember.theme_id)
                .where(Theme.status == "open", ThemeMember.feedback_id.in_(chunk))
                .order_by(Theme.id)
            )
            for feedback_id, theme_id, label in self.session.execute(in_themes):
                suggestions[feedback_id].append((theme_id, label))
            in_problems = (
                select(FeedbackLink.feedback_id, Problem.id, Problem.title)
                .join(Problem, Problem.id == FeedbackLink.problem_id)
                .where(FeedbackLink.feedback_id.in_(chunk))
                .order_by(Problem.id)
            )
            for feedback_id, problem_id, title in self.session.execute(in_problems):
                problems[feedback_id].append((problem_id, title))
            merged = select(Feedback.id, Feedback.duplicate_of_id).where(
                Feedback.id.in_(chunk), Feedback.duplicate_of_id.is_not(None)
            )
            for feedback_id, original in self.session.execute(merged):
                duplicates[feedback_id] = original
        return {i: Whereabouts(suggestions[i], problems[i], duplicates[i]) for i in feedback_ids}

    def rejected_centroids(self) -> list[FloatMatrix]:
        statement = select(Theme.centroid).where(
            Theme.status == "rejected", Theme.centroid.is_not(None)
        )
        return [unpack_vector(blob) for blob in self.session.scalars(statement) if blob]

    def rejected_groups(self) -> list[list[int]]:
        statement = select(Theme.rejected_members).where(Theme.status == "rejected")
        return [list(members) for members in self.session.scalars(statement) if members]

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
