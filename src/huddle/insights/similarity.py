"""Vector look-ups over unit-length rows: nearest neighbours, search, matching, duplicates.

All functions take float32 rows of unit length (what every `Embedder` returns), so a dot
product is a cosine similarity. Work is done in row blocks so memory stays
O(block x n), never O(n^2), at 100,000 items.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

FloatMatrix = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# How sure a match must be to link new evidence to a known problem without asking.
# Confidence is the margin between the best and second-best problem (see
# match_to_centroids), which separates right from wrong matches far better than the raw
# cosine: on Banking77 held-out items against problems made of the rest (bench/themes.py),
# ~95% of matches at or above this threshold are right and ~65% of items clear it.
# Below it an item waits in the inbox as a candidate.
MATCH_THRESHOLD = 0.4

# Below this cosine to every known problem an item matches nothing (confidence 0).
MIN_MATCH_SIMILARITY = 0.4
# The margin that counts as full confidence.
_FULL_MARGIN = 0.2

# Cosine above which two items are flagged as the same evidence said twice. MiniLM puts
# paraphrases of the same request at 0.8-0.9, so 0.93 keeps to copies with small edits
# (a signature, a re-synced ticket with its prefix) rather than mere agreement.
DUPLICATE_THRESHOLD = 0.93

_BLOCK = 1024
_GATHER_BLOCK = 256
_SEARCH_BLOCK = 8192


def as_unit_rows(vectors: npt.ArrayLike) -> FloatMatrix:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(matrix / norms, dtype=np.float32)


def _top_k_rows(scores: FloatMatrix, k: int) -> npt.NDArray[np.int64]:
    """Column indices of the k largest scores per row (unordered)."""
    n = scores.shape[1]
    stride = 8
    sample = scores[:, ::stride]
    want = 2 * (k // stride) + 2
    if sample.shape[1] <= want * 2:
        return np.argpartition(scores, n - k, axis=1)[:, n - k :]
    # A full argpartition per row costs more than the matrix product. A threshold taken
    # from every 8th column keeps ~2k candidates per row; rows where it keeps too few
    # (rare) fall back to the full partition.
    threshold = np.partition(sample, sample.shape[1] - want, axis=1)[:, sample.shape[1] - want]
    rows, cols = np.nonzero(scores >= threshold[:, None])
    counts = np.bincount(rows, minlength=len(scores))
    values = scores[rows, cols]
    order = np.lexsort((-values, rows))
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    result = np.empty((len(scores), k), dtype=np.int64)
    enough = counts >= k
    picked = starts[enough][:, None] + np.arange(k)[None, :]
    result[enough] = cols[order[picked]]
    short = np.nonzero(~enough)[0]
    if len(short):
        result[short] = np.argpartition(scores[short], n - k, axis=1)[:, n - k :]
    return result


# Above this many rows the kNN graph comes from an HNSW graph built for them (usearch,
# float16) instead of the exact blocked product: at 50,000 rows 1.9x faster with 99.8% of
# the exact neighbours (bench/search.py --knn), and the gap grows with n (n log n against
# n^2). Below it the exact product is as fast and keeps small workspaces exact.
APPROXIMATE_GRAPH_ABOVE = 20_000


def _approximate_neighbours(
    vectors: FloatMatrix, k: int, workers: int
) -> tuple[npt.NDArray[np.int32], FloatMatrix]:
    from usearch.index import Index

    n = len(vectors)
    graph = Index(
        ndim=vectors.shape[1],
        metric="cos",
        dtype="f16",
        connectivity=16,
        expansion_add=64,
        expansion_search=max(64, 2 * k),
    )
    graph.add(np.arange(n, dtype=np.uint64), vectors, threads=workers)
    neighbours = np.zeros((n, k), dtype=np.int32)
    similarity = np.zeros((n, k), dtype=np.float32)
    short: list[npt.NDArray[np.int64]] = []
    # A block of rows at a time: the search's 8-byte keys for every row at once, and their
    # copy, held ~0.16 GB at 100,000 rows and k = 100.
    for start in range(0, n, _SEARCH_BLOCK):
        stop = min(n, start + _SEARCH_BLOCK)
        rows = np.arange(start, stop)
        keys = np.asarray(graph.search(vectors[start:stop], k + 1, threads=workers).keys)
        # A missing result comes back as the largest key; a row is not its own neighbour.
        usable = (keys < n) & (keys != rows[:, None])
        full = usable.sum(axis=1) >= k
        first_usable = np.argsort(~usable, axis=1, kind="stable")[:, :k]
        neighbours[rows[full]] = np.take_along_axis(keys, first_usable, axis=1)[full]
        short.append(rows[~full])
    del graph
    left_short = np.concatenate(short)
    if len(left_short):
        exact_rows, exact_scores = _exact_rows(vectors, left_short, k)
        neighbours[left_short] = exact_rows
        similarity[left_short] = exact_scores
    rows = np.setdiff1d(np.arange(n), left_short)
    # Similarities from the float32 rows, as the exact path gives them; a block of rows at
    # a time, since their neighbours' vectors at once (n x k x dimensions) took 15 GB at
    # 100,000 rows.
    # 256 rows x k neighbours x 384 floats is ~40 MB at k = 100.
    for start in range(0, len(rows), _GATHER_BLOCK):
        block = rows[start : start + _GATHER_BLOCK]
        similarity[block] = np.einsum("ij,ikj->ik", vectors[block], vectors[neighbours[block]])
    return neighbours, similarity


def _exact_rows(
    vectors: FloatMatrix, rows: npt.NDArray[np.int64], k: int
) -> tuple[npt.NDArray[np.int32], FloatMatrix]:
    """The exact k nearest of `rows`, a block of rows at a time: memory stays O(block x n)
    however many rows the graph left short (all of 100,000 near-copies took 15 GB at once)."""
    neighbours = np.zeros((len(rows), k), dtype=np.int32)
    similarity = np.zeros((len(rows), k), dtype=np.float32)
    for start in range(0, len(rows), _BLOCK):
        chunk = rows[start : start + _BLOCK]
        scores = vectors[chunk] @ vectors.T
        scores[np.arange(len(chunk)), chunk] = -np.inf
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.argsort(-np.take_along_axis(scores, top, axis=1), axis=1, kind="stable")
        top = np.take_along_axis(top, order, axis=1)
        neighbours[start : start + len(chunk)] = top
        similarity[start : start + len(chunk)] = np.take_along_axis(scores, top, axis=1)
    return neighbours, similarity


def nearest_neighbours(
    vectors: FloatMatrix, k: int, *, block: int = _BLOCK, workers: int = 2
) -> tuple[npt.NDArray[np.int32], FloatMatrix]:
    """The k nearest neighbours of every row among the other rows (cosine): exact up to
    APPROXIMATE_GRAPH_ABOVE rows, approximate beyond."""
    n = len(vectors)
    k = max(0, min(k, n - 1))
    neighbours = np.zeros((n, k), dtype=np.int32)
    similarity = np.zeros((n, k), dtype=np.float32)
    if k == 0:
        return neighbours, similarity
    if n > APPROXIMATE_GRAPH_ABOVE:
        return _approximate_neighbours(vectors, k, workers)

    def fill(start: int) -> None:
        scores = vectors[start : start + block] @ vectors.T
        rows = np.arange(scores.shape[0])
        scores[rows, start + rows] = -np.inf
        top = _top_k_rows(scores, k)
        neighbours[start : start + block] = top
        similarity[start : start + block] = np.take_along_axis(scores, top, axis=1)

    starts = range(0, n, block)
    if workers > 1 and n > block:
        from concurrent.futures import ThreadPoolExecutor

        # numpy releases the GIL in both the product and the partition.
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(fill, starts))
    else:
        for start in starts:
            fill(start)
    return neighbours, similarity


def semantic_search(
    query: npt.ArrayLike, matrix: FloatMatrix, k: int = 10
) -> tuple[IntArray, FloatMatrix]:
    """The k rows of `matrix` most similar to `query`, best first, with their cosines.

    One query (a vector) gives 1-d arrays; several (a matrix) give one row per query.
    Exact: a matrix-vector product, ~9 ms at 100,000 stored vectors and ~85 ms at
    1,000,000 (bench/themes.py); an approximate index only pays beyond that.
    """
    queries = np.asarray(query, dtype=np.float32)
    single = queries.ndim == 1
    queries = as_unit_rows(queries)
    n = len(matrix)
    k = max(0, min(k, n))
    if k == 0:
        empty_i = np.zeros((len(queries), 0), dtype=np.int64)
        empty_s = np.zeros((len(queries), 0), dtype=np.float32)
        return (empty_i[0], empty_s[0]) if single else (empty_i, empty_s)
    scores = queries @ matrix.T
    top = (
        np.argpartition(scores, n - k, axis=1)[:, n - k :]
        if k < n
        else np.tile(np.arange(n), (len(queries), 1))
    )
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1, kind="stable")
    indices = np.take_along_axis(top, order, axis=1).astype(np.int64)
    similarities = np.take_along_axis(top_scores, order, axis=1).astype(np.float32)
    if single:
        return indices[0], similarities[0]
    return indices, similarities


def match_to_centroids(
    vectors: npt.ArrayLike, centroids: npt.ArrayLike
) -> tuple[IntArray, FloatMatrix]:
    """Best known problem for each new item and a confidence in [0, 1].

    confidence = (best cosine - max(second-best cosine, MIN_MATCH_SIMILARITY)) / 0.2,
    clipped to [0, 1]: an item equally close to two problems is not a confident match
    however close it is, and one far from all of them matches nothing. Link
    automatically when confidence >= MATCH_THRESHOLD. With no centroids every item gets
    index -1 and confidence 0.
    """
    items = as_unit_rows(vectors)
    known = np.asarray(centroids, dtype=np.float32)
    if known.size == 0:
        return np.full(len(items), -1, dtype=np.int64), np.zeros(len(items), dtype=np.float32)
    known = as_unit_rows(known)
    best = np.zeros(len(items), dtype=np.int64)
    confidence = np.zeros(len(items), dtype=np.float32)
    for start in range(0, len(items), _BLOCK):
        scores = items[start : start + _BLOCK] @ known.T
        best[start : start + _BLOCK] = scores.argmax(axis=1)
        if scores.shape[1] > 1:
            top_two = np.partition(scores, scores.shape[1] - 2, axis=1)[:, -2:]
            first, second = top_two[:, 1], top_two[:, 0]
        else:
            first, second = scores[:, 0], np.zeros(len(scores), dtype=np.float32)
        margin = first - np.maximum(second, MIN_MATCH_SIMILARITY)
        confidence[start : start + _BLOCK] = np.clip(margin / _FULL_MARGIN, 0.0, 1.0)
    return best, confidence


def _normalised_text(text: str) -> str:
    return " ".join(text.lower().split())


def _pairs_above(
    vectors: FloatMatrix, members: IntArray, threshold: float, found: dict[tuple[int, int], float]
) -> None:
    block = vectors[members]
    for start in range(0, len(members), _BLOCK):
        scores = block[start : start + _BLOCK] @ block.T
        rows, cols = np.nonzero(scores >= threshold)
        for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = int(members[start + row]), int(members[col])
            if i < j:
                found[(i, j)] = float(scores[row, col])


def _coarse_cells(vectors: FloatMatrix, cells: int, seed: int) -> FloatMatrix:
    # A few rounds of spherical k-means on a sample: only a blocking device, so rough
    # centroids are enough.
    rng = np.random.default_rng(seed)
    sample = vectors[rng.choice(len(vectors), size=min(len(vectors), cells * 40), replace=False)]
    centroids = sample[rng.choice(len(sample), size=cells, replace=False)]
    for _ in range(8):
        assigned = (sample @ centroids.T).argmax(axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, assigned, sample)
        empty = np.bincount(assigned, minlength=cells) == 0
        sums[empty] = centroids[empty]
        centroids = as_unit_rows(sums)
    return centroids


def find_near_duplicates(
    vectors: npt.ArrayLike,
    texts: Sequence[str] | None = None,
    threshold: float = DUPLICATE_THRESHOLD,
    *,
    exact_below: int = 20_000,
    probes: int = 3,
    seed: int = 0,
) -> list[tuple[int, int, float]]:
    """Pairs (i, j, similarity), i < j, that say the same thing, most similar first.

    Identical texts after case and whitespace folding always pair (similarity 1.0), even
    when their vectors are missing or stale. Vector pairs at or above `threshold` are
    found exactly up to `exact_below` items (blocked, memory O(1024 x n)); above that,
    items are blocked into ~sqrt(n) cells of a coarse spherical k-means and each item is
    compared within its `probes` nearest cells, so pairs split across cells are found
    unless they straddle more than `probes` cell borders (at 0.93 cosine, rare: the
    tests require >=95% of the exact pairs).
    """
    matrix = as_unit_rows(vectors) if np.size(vectors) else np.zeros((0, 0), dtype=np.float32)
    found: dict[tuple[int, int], float] = {}
    if texts is not None:
        first_seen: dict[str, int] = {}
        for index, text in enumerate(texts):
            key = _normalised_text(text)
            if not key:
                continue
            if key in first_seen:
                found[(first_seen[key], index)] = 1.0
            else:
                first_seen[key] = index
    n = len(matrix)
    if n > 1:
        if n <= exact_below:
            _pairs_above(matrix, np.arange(n, dtype=np.int64), threshold, found)
        else:
            cells = int(np.sqrt(n))
            centroids = _coarse_cells(matrix, cells, seed)
            membership: list[list[int]] = [[] for _ in range(cells)]
            for start in range(0, n, _BLOCK):
                scores = matrix[start : start + _BLOCK] @ centroids.T
                nearest = np.argpartition(scores, cells - probes, axis=1)[:, cells - probes :]
                for row, cell_ids in enumerate(nearest.tolist()):
                    for cell in cell_ids:
                        membership[cell].append(start + row)
            for members in membership:
                if len(members) > 1:
                    _pairs_above(matrix, np.asarray(members, dtype=np.int64), threshold, found)
    pairs = [(i, j, min(1.0, similarity)) for (i, j), similarity in found.items()]
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return pairs
