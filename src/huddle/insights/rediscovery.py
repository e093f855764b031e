"""Rediscovery: regroup the free evidence, keeping what people decided.

Runs after every import (the `insights.discover` job) and on demand. What survives it is
described in docs/theme-discovery.md ("What survives rediscovery"); in short:

- a suggestion a person shaped (`curated_at` set: renamed, merged into, split out, items
  taken out) is kept as it is; members linked to a problem or merged as duplicates since
  leave it, and it is closed if that empties it. New evidence that clearly belongs to it
  (`themes.adopt`) joins it; its label stays the person's;
- rejected groupings are not suggested again, and an item taken out of a suggestion never
  goes back into it;
- every other open suggestion is recomputed. A new group that is clearly the same
  suggestion (`themes.carry_over`) carries on under its id; the rest are marked
  "replaced", pointing at the group that took most of their items, and kept
  `REPLACED_KEPT_DAYS` days so that old links explain themselves. Ids are never reused.

The slow part (clustering) reads what is committed and holds no lock; the result is then
reconciled with what people did meanwhile while the open suggestions are held.
"""

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_triage, require
from huddle.errors import NotFound
from huddle.insights import themes as engine
from huddle.insights.embedding import FloatMatrix, get_default_embedder, pack_vector, unpack_vector
from huddle.insights.repository import InsightRepository, Vectors
from huddle.kit.time import utcnow
from huddle.models.theme import Theme, ThemeRun
from huddle.models.user import User

REPRESENTATIVES = 4
# Beyond this many free items a run clusters a uniform sample of them (seeded: the same free
# evidence gives the same sample) and places each of the others in the group whose centre
# it clearly belongs to (`themes.match_to_centroids`, at `PLACE_CONFIDENCE`), else leaves it
# unthemed: clustering 100,000 items takes under a minute and a gigabyte here
# (bench/discovery_scale.py), and both grow faster than the items.
CLUSTER_AT_MOST = 100_000
PLACE_CONFIDENCE = engine.ADOPT_CONFIDENCE
SAMPLE_SEED = 0
# Replaced and closed suggestions are kept this long, so that a link to one says where its
# evidence went; then they are deleted (their ids are still never handed out again).
REPLACED_KEPT_DAYS = 30


@dataclass(frozen=True)
class Group:
    """One group found by a run, by feedback id, most central first."""

    ids: list[int]
    confidence: list[float]
    label: str
    terms: list[str]
    representatives: frozenset[int]

    def without(self, gone: Collection[int]) -> "Group":
        kept = [(i, c) for i, c in zip(self.ids, self.confidence, strict=True) if i not in gone]
        return replace(self, ids=[i for i, _ in kept], confidence=[c for _, c in kept])


@dataclass(frozen=True)
class DiscoveryOutcome:
    run: ThemeRun
    themes: list[Theme]  # every open suggestion after the run, oldest first
    kept: int = 0  # suggestions a person shaped, kept as they were
    adopted: int = 0  # new items added to those
    carried: int = 0  # recomputed suggestions that carried on under their id
    created: int = 0
    replaced: int = 0
    closed: int = 0  # emptied: all their items were linked or merged as duplicates
    pruned: int = 0


def system_reader(session: Session) -> Actor:
    user = session.scalar(select(User).where(User.role == "admin").order_by(User.id).limit(1))
    if user is None:
        raise NotFound("no admin to act for the background job")
    return Actor(user=user)


def discover(session: Session, *, actor: Actor | None) -> DiscoveryOutcome:
    """Group the free evidence into suggested problems, keeping what people decided."""
    if actor is not None:
        require(may_triage(actor))
    reader = actor or system_reader(session)
    repo = InsightRepository(session)
    started = time.perf_counter()

    vectors = repo.unlinked_vectors(reader)
    free = _without(vectors, repo.curated_member_ids())
    sample = clustered_sample(free)
    groups = place_the_rest(free, sample, _group(repo, sample))  # the slow part, holding no lock

    run = ThemeRun(
        items=len(vectors),
        model=get_default_embedder().name,
        clustered=len(sample) if len(sample) < len(free) else None,
    )
    session.add(run)
    session.flush()  # on SQLite this takes the write lock: nobody changes suggestions now
    current = repo.lock_open_themes()
    members = repo.member_ids([t.id for t in current])
    settled = repo.settled({i for ids in members.values() for i in ids} | _ids(groups))

    kept, closed = _keep_curated(repo, [t for t in current if t.curated_at], members, settled)
    taken = {i for ids in kept.values() for i in ids}
    groups = _usable(groups, settled | taken)
    curated = [t for t in current if t.id in kept]
    adopted = _adopt(repo, free, curated, groups, gone=settled | taken)
    for theme in curated:
        additions = adopted.get(theme.id, [])
        repo.add_members(
            [
                {"theme_id": theme.id, "feedback_id": i, "confidence": round(c, 4)}
                for i, c in additions
            ]
        )
        if additions or len(kept[theme.id]) != len(members[theme.id]):
            _recentre(repo, theme, kept[theme.id] + [i for i, _ in additions])
    placed = {i for ids in adopted.values() for i, _ in ids}
    groups = _usable(groups, placed)

    uncurated = [t for t in current if t.curated_at is None]
    carried, replaced, emptied = _regroup(repo, run, free, uncurated, members, settled, groups)
    closed |= emptied
    closed.update(repo.release_settled())  # evidence linked while this ran
    pruned = repo.prune(before=utcnow() - timedelta(days=REPLACED_KEPT_DAYS))

    open_now = list(repo.open_themes(reader))
    in_open = set().union(*repo.member_ids([t.id for t in open_now]).values())
    run.themes = len(open_now)
    run.unthemed = len(set(vectors.ids.tolist()) - in_open)
    run.seconds = round(time.perf_counter() - started, 3)
    session.flush()
    return DiscoveryOutcome(
        run=run,
        themes=open_now,
        kept=len(curated),
        adopted=len(placed),
        carried=carried,
        created=len(groups) - carried,
        replaced=replaced,
        closed=len(closed),
        pruned=pruned,
    )


def _keep_curated(
    repo: InsightRepository,
    curated: Sequence[Theme],
    members: dict[int, list[int]],
    settled: set[int],
) -> tuple[dict[int, list[int]], set[int]]:
    """Suggestions a person shaped stay, minus settled members; emptied ones are closed.

    Returns the members of those still open, by id, and the ids closed."""
    for theme in curated:
        repo.remove_members(theme.id, [i for i in members[theme.id] if i in settled])
    closed = set(repo.close_empty([t.id for t in curated]))
    kept = {
        t.id: [i for i in members[t.id] if i not in settled] for t in curated if t.id not in closed
    }
    return kept, closed


def _regroup(
    repo: InsightRepository,
    run: ThemeRun,
    free: Vectors,
    uncurated: Sequence[Theme],
    members: dict[int, list[int]],
    settled: set[int],
    groups: Sequence[Group],
) -> tuple[int, int, set[int]]:
    """Write the new groups over the suggestions nobody shaped: carried on under their id,
    or new. The others are marked replaced (or closed, when nothing of them is left).

    Returns how many were carried on and replaced, and the ids closed."""
    previous = {t.id: [i for i in members[t.id] if i not in settled] for t in uncurated}
    continues, heirs = engine.carry_over(previous, [g.ids for g in groups])
    by_id = {t.id: t for t in uncurated}
    written: dict[int, Theme] = {}
    for index, group in enumerate(groups):
        theme = by_id.get(continues.get(index, -1))
        if theme is not None:
            repo.remove_members(theme.id, members[theme.id])
        written[index] = _write(repo, group, free, run, theme)
    now = utcnow()
    replaced, closed = 0, set()
    for theme in uncurated:
        if theme.id in continues.values():
            continue
        theme.decided_at = now
        heir = heirs[theme.id]
        if previous[theme.id]:
            theme.status = "replaced"
            theme.details = {
                **(theme.details or {}),
                "replaced_by": written[heir].id if heir is not None else None,
                "run_id": run.id,
            }
            replaced += 1
        else:
            theme.status = "closed"
            theme.details = {**(theme.details or {}), "reason": "settled"}
            closed.add(theme.id)
    repo.session.flush()
    return len(continues), replaced, closed


def _usable(groups: Sequence[Group], gone: Collection[int]) -> list[Group]:
    """Groups without the items that went elsewhere, as long as enough is left of them."""
    trimmed = [g.without(gone) for g in groups]
    return [g for g in trimmed if len(g.ids) >= engine.MIN_ITEMS]


def _ids(groups: Sequence[Group]) -> set[int]:
    return {i for g in groups for i in g.ids}


def _without(vectors: Vectors, gone: Collection[int]) -> Vectors:
    if not gone or not len(vectors):
        return vectors
    keep = ~np.isin(vectors.ids, np.fromiter(gone, dtype=np.int64, count=len(gone)))
    return Vectors(vectors.ids[keep], vectors.matrix[keep])


def clustered_sample(free: Vectors) -> Vectors:
    """The free items a run clusters: all of them up to `CLUSTER_AT_MOST`, else a seeded
    uniform sample, in id order."""
    if len(free) <= CLUSTER_AT_MOST:
        return free
    rows = np.sort(
        np.random.default_rng(SAMPLE_SEED).choice(len(free), CLUSTER_AT_MOST, replace=False)
    )
    return Vectors(free.ids[rows], free.matrix[rows])


def place_the_rest(free: Vectors, sample: Vectors, groups: list[Group]) -> list[Group]:
    """The groups of a sample with each free item left out of it that clearly belongs to one
    of them added after its members (most confident first), by its centre; the others stay
    unthemed."""
    if len(sample) == len(free) or not groups:
        return groups
    left = ~np.isin(free.ids, sample.ids)
    ids, matrix = free.ids[left], free.matrix[left]
    centres = np.vstack([_centroid(sample, g.ids) for g in groups])
    best, confidence = engine.match_to_centroids(matrix, centres)
    joining: dict[int, list[tuple[int, float]]] = {}
    for row in np.nonzero((best >= 0) & (confidence >= PLACE_CONFIDENCE))[0].tolist():
        joining.setdefault(int(best[row]), []).append((int(ids[row]), float(confidence[row])))
    placed = []
    for index, group in enumerate(groups):
        extra = sorted(joining.get(index, []), key=lambda pair: -pair[1])
        placed.append(
            replace(
                group,
                ids=group.ids + [i for i, _ in extra],
                confidence=group.confidence + [round(c, 4) for _, c in extra],
            )
        )
    return placed


def _group(repo: InsightRepository, free: Vectors) -> list[Group]:
    if len(free) < engine.MIN_ITEMS:
        return []
    ids = free.ids.tolist()
    texts = repo.texts(ids)
    position = {feedback_id: n for n, feedback_id in enumerate(ids)}
    constraints = engine.Constraints(
        rejected_themes=repo.rejected_centroids(),
        excluded=[
            (position[i], unpack_vector(blob)) for i, blob in repo.rejections() if i in position
        ],
        rejected_groups=[[position.get(i, -1) for i in group] for group in repo.rejected_groups()],
    )
    result = engine.discover_themes(free.matrix, [texts[i] for i in ids], constraints=constraints)
    return [
        Group(
            ids=[ids[m] for m in found.members.tolist()],
            confidence=[float(c) for c in found.confidence.tolist()],
            label=found.label,
            terms=list(found.terms),
            representatives=frozenset(ids[r] for r in found.representatives[:REPRESENTATIVES]),
        )
        for found in result.themes
    ]


def _centroid(free: Vectors, ids: Sequence[int]) -> FloatMatrix:
    rows = np.searchsorted(free.ids, np.asarray(ids, dtype=np.int64))
    return np.asarray(free.matrix[rows].mean(axis=0), dtype=np.float32)


def _adopt(
    repo: InsightRepository,
    free: Vectors,
    curated: Sequence[Theme],
    groups: Sequence[Group],
    *,
    gone: Collection[int],
) -> dict[int, list[tuple[int, float]]]:
    """New evidence that clearly belongs to a suggestion a person shaped, by suggestion id.

    Only evidence that arrived after the person last shaped it, and never an item they
    took out of it."""
    homes = [t for t in curated if t.centroid and t.curated_at is not None]
    if not homes or not len(free):
        return {}
    arrived = repo.arrived_since(min(_curated_at(t) for t in homes))
    unseen = [i for i in free.ids.tolist() if i in arrived and i not in gone]
    # Linked while the clustering ran, and in no group (settled was checked on groups).
    settled = repo.settled(unseen)
    candidates = [i for i in unseen if i not in settled]
    if not candidates:
        return {}
    rows = np.searchsorted(free.ids, np.asarray(candidates, dtype=np.int64))
    kept = np.vstack([unpack_vector(t.centroid or b"") for t in homes])
    rivals = [_centroid(free, g.ids) for g in groups]
    _, problems = repo.problem_centroids()
    best, confidence = engine.adopt(
        free.matrix[rows],
        kept,
        np.vstack(rivals) if rivals else np.zeros((0, kept.shape[1]), dtype=np.float32),
        problems,
    )
    found: dict[int, list[tuple[int, float]]] = {}
    for n, feedback_id in enumerate(candidates):
        if best[n] < 0:
            continue
        home = homes[int(best[n])]
        if arrived[feedback_id] <= _curated_at(home) or feedback_id in _taken_out(home):
            continue
        found.setdefault(home.id, []).append((feedback_id, float(confidence[n])))
    return found


def _curated_at(theme: Theme) -> datetime:
    assert theme.curated_at is not None
    return theme.curated_at


def _taken_out(theme: Theme) -> set[int]:
    return {int(i) for i in (theme.details or {}).get("taken_out", [])}


def _recentre(repo: InsightRepository, theme: Theme, ids: Sequence[int]) -> None:
    vectors = repo.vectors_for(ids)
    if len(vectors):
        theme.centroid = pack_vector(vectors.matrix.mean(axis=0))


def _write(
    repo: InsightRepository, group: Group, free: Vectors, run: ThemeRun, theme: Theme | None
) -> Theme:
    """Store a group as a new suggestion, or as the new state of one it carries on."""
    if theme is None:
        theme = Theme(status="open")
        repo.session.add(theme)
    theme.run_id = run.id
    theme.label = group.label
    theme.terms = list(group.terms)
    theme.centroid = pack_vector(_centroid(free, group.ids))
    repo.session.flush()
    repo.add_members(
        [
            {
                "theme_id": theme.id,
                "feedback_id": i,
                "confidence": round(c, 4),
                "representative": i in group.representatives,
            }
            for i, c in zip(group.ids, group.confidence, strict=True)
        ]
    )
    repo.session.expire(theme, ["members"])
    return theme
