"""Finding evidence by meaning: a per-process matrix of stored vectors, refreshed when stale."""

import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy.orm import Session

from huddle.insights.embedding import FloatMatrix, get_default_embedder
from huddle.insights.repository import InsightRepository


@dataclass
class _Cached:
    version: tuple[int, int]
    ids: np.ndarray
    matrix: FloatMatrix


_cache: dict[str, _Cached] = {}
_lock = threading.Lock()


def stored_vectors(session: Session) -> _Cached:
    """Every stored vector, as one matrix shared by searches in this process."""
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
    with _lock:
        _cache.clear()


def similar_ids(
    session: Session, query: str, *, limit: int = 200, floor: float = 0.25
) -> list[tuple[int, float]]:
    """Ids of the stored evidence closest in meaning to `query`, best first, with cosines."""
    if not query.strip():
        return []
    cached = stored_vectors(session)
    if len(cached.ids) == 0:
        return []
    vector = get_default_embedder().encode([query])[0]
    scores = cached.matrix @ vector
    k = min(limit, len(scores))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top])]
    return [(int(cached.ids[i]), float(scores[i])) for i in top if scores[i] >= floor]
