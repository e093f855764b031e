"""Finding evidence by meaning.

Beyond `index_exact_below` stored vectors, through the approximate nearest-neighbour index
kept beside the database (insights/vector_index.py, docs/search-index.md); below it, or while
that index is being built, by comparing the query with every stored vector.
"""

import heapq
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from huddle.config import get_settings
from huddle.db import session_scope
from huddle.insights import vector_index
from huddle.insights.embedding import FloatMatrix, get_default_embedder
from huddle.insights.repository import InsightRepository

Hits = list[tuple[int, float]]

log = logging.getLogger(__name__)


@dataclass
class _Cached:
    version: tuple[int, int]
    ids: np.ndarray
    matrix: FloatMatrix


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def stored_vectors(session: Session) -> _Cached:
    """Every stored vector, as one matrix shared by searches in this process (small
    workspaces only: the index serves the large ones)."""
    repo = InsightRepository(session)
    key = str(session.get_bind().engine.url)
    version = repo.vector_version()
    with _lock:
        cached = _cache.get(key)
        if cached is not None and cached.version == version:
            return cached
    vectors = repo.all_vectors()
    fresh = _Cached(version, vectors.ids, vectors.matrix)
    with _lock:
        _cache[key] = fresh
    return fresh


def invalidate() -> None:
    """Forget the small workspace's matrix (re-embedded items change no count); the index
    follows the database by itself."""
    with _lock:
        _cache.clear()


def _exact(session: Session, queries: FloatMatrix, limit: int, floor: float) -> list[Hits]:
    repo = InsightRepository(session)
    batches: Iterable[tuple[np.ndarray, FloatMatrix]]
    if repo.embedded_count() < max(get_settings().index_exact_below, 1):
        cached = stored_vectors(session)
        batches = [(cached.ids, cached.matrix)] if len(cached.ids) else []
    else:
        # A large workspace whose index is being built: one pass over the stored vectors,
        # a batch at a time, so memory stays flat (slow, but only until the index is there).
        batches = ((ids, matrix) for ids, matrix, _at in repo.vector_batches())
    best: list[list[tuple[float, int]]] = [[] for _ in queries]
    for ids, matrix in batches:
        scores = queries @ matrix.T
        take = min(limit, len(ids))
        top = np.argpartition(-scores, take - 1, axis=1)[:, :take]
        for row in range(len(queries)):
            for column in top[row].tolist():
                score = float(scores[row, column])
                if score < floor:
                    continue
                entry = (score, -int(ids[column]))
                if len(best[row]) < limit:
                    heapq.heappush(best[row], entry)
                elif entry > best[row][0]:
                    heapq.heapreplace(best[row], entry)
    return [[(-item, score) for score, item in sorted(row, reverse=True)] for row in best]


def nearest(
    session: Session, vectors: npt.ArrayLike, *, limit: int, floor: float = -1.0
) -> list[Hits]:
    """For each vector (unit length), the stored items closest to it, best first, with their
    cosine (at least `floor`). Only items stored now come back, scored by the vector stored
    for them now."""
    queries = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    if not len(queries) or limit <= 0:
        return [[] for _ in queries]
    found = vector_index.index_for(session).search(session, queries, limit, floor=floor)
    if found is None:
        found = _exact(session, queries, limit, floor)
    return found


def warm_up(database_url: str) -> threading.Thread:
    """Load the model and open (or start building) the search index in a background thread
    of a starting server: the first search after a restart then finds both ready."""

    def run() -> None:
        try:
            get_default_embedder().encode(["warm up"])
            with session_scope(database_url) as session:
                vector_index.index_for(session).prepare(session)
        except Exception:
            log.exception("warming up search failed; the first search will do it")

    thread = threading.Thread(target=run, name="huddle-search-warm-up", daemon=True)
    thread.start()
    return thread


def similar_ids(session: Session, query: str, *, limit: int = 200, floor: float = 0.25) -> Hits:
    """Ids of the stored evidence closest in meaning to `query`, best first, with cosines."""
    if not query.strip():
        return []
    vector = get_default_embedder().encode([query])[0]
    return nearest(session, vector, limit=limit, floor=floor)[0]
