"""Theme discovery: groups of similar evidence, without being told how many there are.

Method (docs/theme-discovery.md has the measurements):

1. k-nearest-neighbour graph over unit vectors (exact up to 20,000 items, approximate
   beyond: `similarity.nearest_neighbours`), k = round(sqrt(n) / 2) clamped to [5, 100].
   k growing with n keeps the theme count and quality steady as a workspace grows
   (Banking77 subsamples: 80-111 themes for 1,000-13,000 items, 77 true); the cap bounds
   the graph at 100,000 items.
2. Edge weight = cosine^4, symmetrised by the larger direction. The power sharpens the
   graph: MiniLM puts most neighbours of a short text at cosine 0.4-0.7, and with raw
   cosines modularity sees a nearly uniform graph and merges topics.
3. Leiden (igraph) on the RB configuration model, resolution 16 from ~3,000 items up
   (smaller below, see `default_resolution`), seeded, so the same vectors give the same
   themes.
4. Groups smaller than `min_size` are not themes: their items join the theme most of
   their neighbours are in when close enough to its centroid, else stay unthemed.
5. Themes whose centres are within `MERGE_SIMILARITY` are one suggestion shown twice and
   are merged.
6. Person's decisions are applied (see `Constraints`).
7. Praise (`insights/praise.py`) is not a problem: themes that are mostly praise are not
   suggested, and praise items leave the other themes. They stay unthemed. Nor is the
   account's business (`insights/off_topic.py`: paperwork, renewals, people's comings and
   goings): themes that are mostly that are not suggested.
8. Each theme is named by a phrase from its own evidence (`insights/labels.py`), its
   boilerplate removed (`insights/boilerplate.py`).

Per item, `confidence` is the share of its neighbour weight that lies inside its own
theme: 1.0 deep inside a theme, below ~0.3 on a border between two.
"""

from __future__ import annotations

import random
import tempfile
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from huddle.insights.embedding import Embedder, get_default_embedder
from huddle.insights.labels import label_themes
from huddle.insights.off_topic import OFF_TOPIC_SHARE, is_off_topic
from huddle.insights.praise import PRAISE_SHARE, is_praise
from huddle.insights.similarity import (
    APPROXIMATE_GRAPH_ABOVE,
    DUPLICATE_THRESHOLD,
    MATCH_THRESHOLD,
    as_unit_rows,
    find_near_duplicates,
    match_to_centroids,
    nearest_neighbours,
    semantic_search,
)

__all__ = [
    "ADOPT_CONFIDENCE",
    "DUPLICATE_THRESHOLD",
    "MATCH_THRESHOLD",
    "MERGE_SIMILARITY",
    "MIN_ITEMS",
    "SAME_GROUPING_OVERLAP",
    "SAME_THEME_SIMILARITY",
    "Constraints",
    "Theme",
    "ThemeResult",
    "adopt",
    "carry_over",
    "discover_themes",
    "find_near_duplicates",
    "match_to_centroids",
    "semantic_search",
    "split_theme",
]

FloatMatrix = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]

# Two theme centroids this close describe the same grouping: used to recognise a
# suggestion a person already rejected when discovery runs again on changed data.
SAME_THEME_SIMILARITY = 0.9
# ...or when it shares at least this share of their combined items (Jaccard): the same
# grouping whose centroid drifted because a few items came or went.
SAME_GROUPING_OVERLAP = 0.5

# New evidence joins a suggestion a person shaped when it matches that suggestion this
# clearly (the margin confidence of `match_to_centroids`) against every other suggestion and
# known problem. Chosen on Banking77 train, reported on test (docs/theme-discovery.md).
ADOPT_CONFIDENCE = 0.7

# Two suggestions whose centres are this close are one suggestion shown twice: they are
# merged before anyone sees them. Chosen on Banking77 train and demo seed 1 as the lowest
# cosine at which nine merges in ten join the same intent or topic; reported on Banking77
# test and demo seed 2 (bench/labels.py, docs/theme-discovery.md).
MERGE_SIMILARITY = 0.9

# Fewer items than this never form a theme (the smallest theme has 3 members).
MIN_ITEMS = 3

DEFAULT_RESOLUTION = 16.0
EDGE_POWER = 4.0
# An unthemed item joins a theme only if it is at least this close to its centroid; far
# items stay in the inbox rather than diluting a theme.
ASSIGN_SIMILARITY = 0.3


@dataclass(frozen=True)
class Constraints:
    """What a person already decided, so discovery does not suggest it again.

    - `rejected_themes`: centroids of whole suggestions a person rejected. A new theme
      whose centroid is within `SAME_THEME_SIMILARITY` of one is not suggested; its items
      stay unthemed (they remain in the inbox, just not as that group again).
    - `excluded`: (item index, centroid) pairs: the person took this item out of the
      suggestion with that centroid. The item is not put into any theme within
      `SAME_THEME_SIMILARITY` of that centroid; it moves to its next-closest allowed theme
      if close enough, else stays unthemed.
    - `rejected_groups`: the items (indices) of each rejected suggestion, -1 for those no
      longer in the input (they still count towards the group's size). A new theme
      sharing `SAME_GROUPING_OVERLAP` of their combined items with one is the same grouping
      and is not suggested either, wherever its centroid drifted.
    - `cannot_link`: pairs of item indices a person separated. Their edge is removed from
      the graph, and if they still land together the less confident one is moved.

    Centroids (not theme ids) carry the decision because ids do not survive a re-run:
    the DB stores the centroid of the suggestion at the time of the decision.
    """

    rejected_themes: Sequence[npt.ArrayLike] = ()
    excluded: Sequence[tuple[int, npt.ArrayLike]] = ()
    cannot_link: Sequence[tuple[int, int]] = ()
    rejected_groups: Sequence[Collection[int]] = ()


@dataclass(frozen=True)
class Theme:
    id: int
    members: IntArray  # indices into the input, most central first
    confidence: FloatMatrix  # per member, same order
    centroid: FloatMatrix
    terms: list[str]
    label: str
    representatives: list[int]  # 3-5 indices nearest the centroid, distinct texts
    quotes: list[str]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(frozen=True)
class ThemeResult:
    themes: list[Theme]
    labels: IntArray  # theme id per input item, -1 when unthemed
    confidence: FloatMatrix  # per input item, 0 when unthemed
    suppressed: int = 0  # items whose group matched a rejected suggestion
    praise: int = 0  # items left out of themes because they are praise, not problems
    off_topic: int = 0  # items of themes left out as the account's business, not the product
    merged: int = 0  # groups merged into a near-identical one before being shown
    parameters: dict[str, float] = field(default_factory=dict)

    @property
    def unthemed_share(self) -> float:
        return float((self.labels < 0).mean()) if len(self.labels) else 0.0

    @property
    def centroids(self) -> FloatMatrix:
        if not self.themes:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([theme.centroid for theme in self.themes])


def default_k(n: int) -> int:
    return int(np.clip(round(0.5 * np.sqrt(n)), 5, 100))


def default_resolution(n: int, k: int) -> float:
    # The configuration model's penalty for joining two items grows like k / n, so a
    # resolution that suits thousands of items shatters a few dozen into singletons;
    # below ~3,000 items it shrinks with n / k (24 items, k = 5: 0.7).
    return float(min(DEFAULT_RESOLUTION, 0.15 * n / max(k, 1)))


def default_min_size(n: int) -> int:
    # 3 at a few hundred items, ~15 at 13,000, 40 at 100,000: a PM cannot review
    # hundreds of five-item themes, but a small workspace still gets small themes.
    return int(max(3, round(np.sqrt(n) / 8)))


def _undirected_edges(
    n: int,
    neighbours: npt.NDArray[np.int32],
    similarity: FloatMatrix,
    cannot_link: Sequence[tuple[int, int]],
) -> tuple[npt.NDArray[np.int64], FloatMatrix]:
    """The kNN graph's edges once each, as sorted keys low * n + high, with the larger of
    their two weights. Built from int32 rows and one int64 key per edge, each temporary
    freed as soon as it is used: at 100,000 items and k = 100 the arrays stay near 0.3 GB."""
    k = neighbours.shape[1]
    source = np.repeat(np.arange(n, dtype=np.int32), k)
    target = neighbours.ravel().astype(np.int32, copy=False)
    key = np.minimum(source, target).astype(np.int64)
    key *= n
    key += np.maximum(source, target)
    del source, target
    weight = np.clip(similarity.ravel(), 0.0, 1.0).astype(np.float32) ** EDGE_POWER
    if cannot_link:
        banned = np.array([min(a, b) * n + max(a, b) for a, b in cannot_link], dtype=np.int64)
        keep = ~np.isin(key, banned)
        key, weight = key[keep], weight[keep]
    order = np.argsort(key, kind="stable")
    key = key[order]
    weight = weight[order]
    del order
    first = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    weight = np.maximum.reduceat(weight, first) if len(first) else weight
    return key[first], weight


def _write_edges(
    path: Path,
    n: int,
    neighbours: npt.NDArray[np.int32],
    similarity: FloatMatrix,
    cannot_link: Sequence[tuple[int, int]],
) -> FloatMatrix:
    """Writes the graph's edges to `path` as an edge list, one "low high" line each, and
    returns their weights in the same order. The edges themselves are not kept: igraph
    reads them back from the file."""
    key, weight = _undirected_edges(n, neighbours, similarity, cannot_link)
    with path.open("w", encoding="ascii") as out:
        for block in range(0, len(key), 1 << 18):
            low, high = np.divmod(key[block : block + (1 << 18)], n)
            out.write(
                "".join(f"{a} {b}\n" for a, b in zip(low.tolist(), high.tolist(), strict=True))
            )
    return weight


def _read_graph(path: Path, n: int) -> Any:
    """An igraph graph read by igraph's own C reader from an edge-list file: handing it a
    NumPy array (or a list) makes one Python object per number first, ~1 GB for the 7
    million edges of 100,000 items. The reader's own peak is ~1.8 times the graph's size
    (~0.4 GB there), so nothing else large should be held while it reads."""
    import igraph as ig  # type: ignore[import-untyped]

    graph = ig.Graph.Read_Edgelist(str(path), directed=False)
    if graph.vcount() < n:  # items with no edge after the largest numbered one
        graph.add_vertices(n - graph.vcount())
    return graph


def _leiden(graph: Any, weight: FloatMatrix, *, resolution: float, seed: int) -> IntArray:
    import igraph as ig

    # igraph's own Leiden (modularity with a resolution = RB configuration model) gives
    # the same partitions as leidenalg here at a tenth of the time. It draws from a
    # process-wide generator: a seeded one for this call keeps results reproducible.
    ig.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(
            objective_function="modularity",
            # igraph copies them into doubles of its own: float32 ones give the same
            # partition and hold half as much beside that copy.
            weights=weight,
            resolution=resolution,
            n_iterations=5,
        )
    finally:
        ig.set_random_number_generator(random)
    return np.asarray(partition.membership, dtype=np.int64)


def _neighbours_and_partition(
    matrix: FloatMatrix,
    k: int,
    *,
    resolution: float,
    seed: int,
    cannot_link: Sequence[tuple[int, int]],
) -> tuple[npt.NDArray[np.int32], FloatMatrix, IntArray]:
    """The kNN graph's rows (neighbours and similarities) and Leiden's partition of it.

    The graph goes to igraph through an edge-list file, and the kNN rows wait in the same
    temporary folder while igraph reads and partitions it: its reader peaks at ~1.8 times
    the graph's size, and the rows are 0.08 GB more at 100,000 items and k = 100."""
    n = len(matrix)
    neighbours, similarity = nearest_neighbours(matrix, k)
    with tempfile.TemporaryDirectory(prefix="huddle-graph-") as name:
        folder = Path(name)
        weight = _write_edges(folder / "edges.txt", n, neighbours, similarity, cannot_link)
        np.save(folder / "neighbours.npy", neighbours)
        np.save(folder / "similarity.npy", similarity)
        del neighbours, similarity
        graph = _read_graph(folder / "edges.txt", n)
        membership = _leiden(graph, weight, resolution=resolution, seed=seed)
        del graph, weight
        neighbours = np.load(folder / "neighbours.npy")
        similarity = np.load(folder / "similarity.npy")
    return neighbours, similarity, membership


# Rows whose squared length is this close to 1 are unit rows already, up to float32
# rounding (an encoder's normalised output is within 5e-7).
_UNIT_TOLERANCE = 1e-5


def _unit_rows(vectors: npt.ArrayLike) -> FloatMatrix:
    """`vectors` as unit rows, read-only.

    Beyond APPROXIMATE_GRAPH_ABOVE items, float32 rows of unit length already are used as
    given rather than copied: the copy held 0.15 GB beside the caller's own through the
    whole run at 100,000 items. Normalising them again moves a third of them by a rounding
    step (on Banking77: the same themes and names, confidences moved by up to 2.4e-7);
    beyond that size the approximate graph varies more than that between runs anyway, and
    below it the copy is small and keeps results exactly as they were."""
    given = np.asarray(vectors)
    if (
        len(given) > APPROXIMATE_GRAPH_ABOVE
        and given.dtype == np.float32
        and given.ndim == 2
        and given.flags.c_contiguous
    ):
        lengths = np.einsum("ij,ij->i", given, given)
        if np.all(np.abs(lengths - 1.0) <= _UNIT_TOLERANCE):
            matrix = given.view()
            matrix.flags.writeable = False
            return matrix
    return as_unit_rows(given)


def _centroids(vectors: FloatMatrix, labels: IntArray, count: int) -> FloatMatrix:
    sums = np.zeros((count, vectors.shape[1]), dtype=np.float32)
    inside = labels >= 0
    np.add.at(sums, labels[inside], vectors[inside])
    return as_unit_rows(sums)


def _neighbour_agreement(
    labels: IntArray, neighbours: npt.NDArray[np.int32], similarity: FloatMatrix
) -> FloatMatrix:
    if neighbours.shape[1] == 0:
        return np.where(labels >= 0, 1.0, 0.0).astype(np.float32)
    weight = np.clip(similarity, 0.0, 1.0) ** EDGE_POWER
    same = (labels[neighbours] == labels[:, None]) & (labels[:, None] >= 0)
    total = np.maximum(weight.sum(axis=1), 1e-12)
    return np.asarray((weight * same).sum(axis=1) / total, dtype=np.float32)


def _neighbour_vote(
    index: int, labels: IntArray, neighbours: npt.NDArray[np.int32], similarity: FloatMatrix
) -> list[int]:
    """Themes of an item's neighbours, most weight first."""
    votes: dict[int, float] = {}
    for neighbour, sim in zip(neighbours[index].tolist(), similarity[index].tolist(), strict=True):
        theme = int(labels[neighbour])
        if theme >= 0:
            votes[theme] = votes.get(theme, 0.0) + max(sim, 0.0) ** EDGE_POWER
    return sorted(votes, key=lambda theme: -votes[theme])


def _renumber(labels: IntArray, min_size: int) -> tuple[IntArray, int]:
    """Largest theme first; groups under min_size become -1."""
    valid = labels[labels >= 0]
    sizes = np.bincount(valid) if len(valid) else np.zeros(0, dtype=np.int64)
    keep = [int(t) for t in np.argsort(-sizes, kind="stable") if sizes[t] >= min_size]
    mapping = np.full(len(sizes) + 1, -1, dtype=np.int64)
    for new, old in enumerate(keep):
        mapping[old] = new
    return np.where(labels >= 0, mapping[np.where(labels >= 0, labels, len(sizes))], -1), len(keep)


def _apply_constraints(
    vectors: FloatMatrix,
    labels: IntArray,
    count: int,
    confidence: FloatMatrix,
    constraints: Constraints,
) -> tuple[IntArray, int]:
    centroids = _centroids(vectors, labels, count)
    banned: set[int] = set()
    if constraints.rejected_themes and count:
        rejected = as_unit_rows(
            np.vstack([np.asarray(c, dtype=np.float32) for c in constraints.rejected_themes])
        )
        near = (centroids @ rejected.T).max(axis=1) >= SAME_THEME_SIMILARITY
        banned.update(np.nonzero(near)[0].tolist())
    banned.update(_same_groupings(labels, constraints.rejected_groups))
    dropped = np.isin(labels, sorted(banned))
    suppressed = int(dropped.sum())
    labels = np.where(dropped, -1, labels)
    forbidden: dict[int, set[int]] = {}
    for item, centroid in constraints.excluded:
        near = centroids @ as_unit_rows(centroid)[0] >= SAME_THEME_SIMILARITY
        forbidden.setdefault(int(item), set()).update(np.nonzero(near)[0].tolist())
    for a, b in constraints.cannot_link:
        if labels[a] >= 0 and labels[a] == labels[b]:
            loser = a if confidence[a] < confidence[b] else b
            forbidden.setdefault(int(loser), set()).add(int(labels[a]))
    for item, themes in forbidden.items():
        if labels[item] in themes:
            scores = centroids @ vectors[item]
            allowed = [
                int(t)
                for t in np.argsort(-scores)
                if int(t) not in themes and scores[t] >= ASSIGN_SIMILARITY
            ]
            labels[item] = allowed[0] if allowed else -1
            confidence[item] = 0.0
    return labels, suppressed


def _merge_near_identical(
    vectors: FloatMatrix, labels: IntArray, count: int, threshold: float
) -> tuple[IntArray, int, int]:
    """Join themes whose centres have a cosine of at least `threshold` (transitively).

    Returns the new labels (largest theme first), their count, and how many themes were
    merged into another."""
    if count < 2:
        return labels, count, 0
    centroids = _centroids(vectors, labels, count)
    similarity = centroids @ centroids.T
    parent = list(range(count))

    def root(theme: int) -> int:
        while parent[theme] != theme:
            parent[theme] = parent[parent[theme]]
            theme = parent[theme]
        return theme

    merged = 0
    for a, b in zip(*np.nonzero(np.triu(similarity >= threshold, k=1)), strict=True):
        ra, rb = root(int(a)), root(int(b))
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
            merged += 1
    if not merged:
        return labels, count, 0
    mapping = np.asarray([root(t) for t in range(count)] + [-1], dtype=np.int64)
    joined = mapping[np.where(labels >= 0, labels, count)]
    labels, count = _renumber(joined, 1)
    return labels, count, merged


def _themes_mostly(
    labels: IntArray, count: int, flagged: npt.NDArray[np.bool_], share: float
) -> list[int]:
    """Themes at least `share` of whose members are flagged (praise, off-topic)."""
    inside = labels >= 0
    sizes = np.bincount(labels[inside], minlength=count)
    hits = np.bincount(labels[inside & flagged], minlength=count)
    return [t for t in range(count) if sizes[t] and hits[t] >= share * sizes[t]]


def _same_groupings(labels: IntArray, groups: Sequence[Collection[int]]) -> set[int]:
    """Themes that overlap one of `groups` by at least SAME_GROUPING_OVERLAP (Jaccard)."""
    found: set[int] = set()
    for group in groups:
        items = np.asarray([i for i in group if i >= 0], dtype=np.int64)
        themed = labels[items][labels[items] >= 0]
        for theme, shared in Counter(themed.tolist()).items():
            union = int((labels == theme).sum()) + len(group) - shared
            if shared >= SAME_GROUPING_OVERLAP * union:
                found.add(int(theme))
    return found


def _build_theme(
    theme_id: int,
    vectors: FloatMatrix,
    texts: Sequence[str],
    members: IntArray,
    confidence: FloatMatrix,
    quotes: int,
) -> Theme:
    """A theme without its label yet (labels are made for all themes at once)."""
    centroid = as_unit_rows(vectors[members].sum(axis=0))[0]
    closeness = vectors[members] @ centroid
    order = np.argsort(-closeness, kind="stable")
    members = members[order]
    representatives: list[int] = []
    seen: set[str] = set()
    for index in members.tolist():
        key = " ".join(texts[index].lower().split())
        if key in seen:
            continue
        seen.add(key)
        representatives.append(index)
        if len(representatives) == quotes:
            break
    return Theme(
        id=theme_id,
        members=members,
        confidence=confidence[members],
        centroid=centroid,
        terms=[],
        label="",
        representatives=representatives,
        quotes=[texts[i] for i in representatives],
    )


# Labels look at the most central members only: beyond these the phrases a theme shares
# are already counted, and a big theme would cost more to read than it adds.
LABEL_MEMBERS = 200


def _labelled(themes: list[Theme], texts: Sequence[str], embedder: Embedder) -> list[Theme]:
    if not themes:
        return themes
    member_texts = [[texts[i] for i in t.members[:LABEL_MEMBERS].tolist()] for t in themes]
    centres = np.vstack([t.centroid for t in themes])
    if centres.shape[1] != embedder.dim:
        # Vectors from another encoder: the centres in the labelling encoder's space.
        centres = np.vstack([embedder.encode(m[:50]).mean(axis=0) for m in member_texts])
    found = label_themes(member_texts, centres, embedder)
    return [
        replace(theme, label=named.label, terms=named.terms)
        for theme, named in zip(themes, found, strict=True)
    ]


def discover_themes(
    vectors: npt.ArrayLike,
    texts: Sequence[str],
    *,
    k: int | None = None,
    resolution: float | None = None,
    min_size: int | None = None,
    constraints: Constraints | None = None,
    quotes: int = 5,
    seed: int = 42,
    embedder: Embedder | None = None,
    merge_similarity: float = MERGE_SIMILARITY,
) -> ThemeResult:
    """Group items into themes; see the module docstring for the method.

    `vectors` are the items' embeddings (one row per text, any scale: rows are
    normalised here), `texts` the matching texts for labels and quotes. `embedder` (the
    default one if not given) embeds the candidate phrases of labels; it should be the
    encoder that made `vectors`.
    """
    matrix = _unit_rows(vectors) if np.size(vectors) else np.zeros((0, 1), dtype=np.float32)
    n = len(texts)
    if len(matrix) != n:
        raise ValueError(f"{len(matrix)} vectors for {n} texts: give one vector per text")
    k = default_k(n) if k is None else k
    min_size = default_min_size(n) if min_size is None else min_size
    resolution = default_resolution(n, k) if resolution is None else resolution
    parameters = {"k": float(k), "resolution": resolution, "min_size": float(min_size)}
    constraints = constraints or Constraints()
    if n < max(MIN_ITEMS, min_size):
        return ThemeResult(
            themes=[],
            labels=np.full(n, -1, dtype=np.int64),
            confidence=np.zeros(n, dtype=np.float32),
            parameters=parameters,
        )

    neighbours, similarity, raw = _neighbours_and_partition(
        matrix, k, resolution=resolution, seed=seed, cannot_link=constraints.cannot_link
    )
    labels, count = _renumber(raw, min_size)

    # Items of dissolved small groups: join the theme their neighbours mostly belong to,
    # if they are close enough to it.
    centroids = _centroids(matrix, labels, count)
    for index in np.nonzero(labels < 0)[0].tolist():
        for theme in _neighbour_vote(index, labels, neighbours, similarity)[:1]:
            if float(centroids[theme] @ matrix[index]) >= ASSIGN_SIMILARITY:
                labels[index] = theme

    labels, count, merged = _merge_near_identical(matrix, labels, count, merge_similarity)
    confidence = _neighbour_agreement(labels, neighbours, similarity)
    labels, suppressed = _apply_constraints(matrix, labels, count, confidence, constraints)
    labels, count = _renumber(labels, 1)
    # Praise is not a problem: a group that is mostly praise is not suggested, nor is praise
    # that landed in a problem's group (accepting it would link the praise to the problem).
    # Such items stay in the inbox.
    embedder = embedder or get_default_embedder()
    praise = is_praise(texts, matrix, embedder)
    glad = np.isin(labels, _themes_mostly(labels, count, praise, PRAISE_SHARE))
    glad |= praise & (labels >= 0)
    praised = int(glad.sum())
    labels, count = _renumber(np.where(glad, -1, labels), MIN_ITEMS)
    # Nor is the account's business (insights/off_topic.py): a group that is mostly
    # paperwork, renewals or people's comings and goings is not suggested. Off-topic lines
    # inside a problem's group stay: a call note mixes both, and its problem is real.
    aside = np.isin(labels, _themes_mostly(labels, count, is_off_topic(texts), OFF_TOPIC_SHARE))
    off_topic = int(aside.sum())
    labels, count = _renumber(np.where(aside, -1, labels), MIN_ITEMS)
    confidence = np.where(labels >= 0, confidence, 0.0).astype(np.float32)

    themes = [
        _build_theme(
            theme_id,
            matrix,
            texts,
            np.nonzero(labels == theme_id)[0].astype(np.int64),
            confidence,
            quotes,
        )
        for theme_id in range(count)
    ]
    themes = _labelled(themes, texts, embedder)
    return ThemeResult(
        themes=themes,
        labels=labels,
        confidence=confidence,
        suppressed=suppressed,
        praise=praised,
        off_topic=off_topic,
        merged=merged,
        parameters=parameters,
    )


def split_theme(vectors: npt.ArrayLike, k: int = 2, *, seed: int = 0) -> IntArray:
    """Split one theme's items into k groups (spherical k-means, k-means++ start).

    Returns a group number 0..k-1 per row, the largest group numbered 0.
    """
    matrix = as_unit_rows(vectors)
    n = len(matrix)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    k = max(1, min(k, n))
    rng = np.random.default_rng(seed)
    centres = [int(rng.integers(n))]
    for _ in range(1, k):
        distance = 1.0 - (matrix @ matrix[centres].T).max(axis=1)
        distance = np.clip(distance, 0.0, None)
        total = distance.sum()
        centres.append(
            int(rng.choice(n, p=distance / total)) if total > 0 else int(rng.integers(n))
        )
    centroids = matrix[centres].copy()
    assigned = np.zeros(n, dtype=np.int64)
    for _ in range(50):
        new = (matrix @ centroids.T).argmax(axis=1).astype(np.int64)
        if _ > 0 and np.array_equal(new, assigned):
            break
        assigned = new
        for group in range(k):
            inside = assigned == group
            if inside.any():
                centroids[group] = as_unit_rows(matrix[inside].sum(axis=0))[0]
    order = np.argsort(-np.bincount(assigned, minlength=k), kind="stable")
    mapping = np.empty(k, dtype=np.int64)
    mapping[order] = np.arange(k)
    return mapping[assigned]


def adopt(
    vectors: npt.ArrayLike,
    kept: npt.ArrayLike,
    themes: npt.ArrayLike,
    problems: npt.ArrayLike = (),
    *,
    threshold: float = ADOPT_CONFIDENCE,
) -> tuple[IntArray, FloatMatrix]:
    """The kept suggestion (index into `kept`) each item clearly belongs to, or -1.

    Kept suggestions are the ones a person shaped. Their rivals are the centroids of the
    run's new themes and of known problems: an item is adopted when its best match is a
    kept suggestion with a margin confidence of at least `threshold`. A new theme within
    `SAME_THEME_SIMILARITY` of a kept suggestion is not a rival: it is the same grouping,
    made of evidence the person has not seen yet.
    """
    items = as_unit_rows(vectors) if np.size(vectors) else np.zeros((0, 1), dtype=np.float32)
    none = np.full(len(items), -1, dtype=np.int64), np.zeros(len(items), dtype=np.float32)
    if not len(items) or not np.size(kept):
        return none
    dim = items.shape[1]
    kept_rows = as_unit_rows(np.asarray(kept, dtype=np.float32).reshape(-1, dim))
    rivals = [np.zeros((0, dim), dtype=np.float32)]
    if np.size(themes):
        theme_rows = as_unit_rows(np.asarray(themes, dtype=np.float32).reshape(-1, dim))
        same = (theme_rows @ kept_rows.T).max(axis=1) >= SAME_THEME_SIMILARITY
        rivals.append(theme_rows[~same])
    if np.size(problems):
        rivals.append(as_unit_rows(np.asarray(problems, dtype=np.float32).reshape(-1, dim)))
    best, confidence = match_to_centroids(items, np.vstack([kept_rows, *rivals]))
    chosen = (best < len(kept_rows)) & (confidence >= threshold)
    return (
        np.where(chosen, best, -1).astype(np.int64),
        np.where(chosen, confidence, 0.0).astype(np.float32),
    )


def carry_over(
    previous: Mapping[int, Collection[int]], groups: Sequence[Collection[int]]
) -> tuple[dict[int, int], dict[int, int | None]]:
    """How the groups of a new run relate to the earlier suggestions they replace.

    `previous` maps an earlier suggestion's id to its items, `groups` are the new run's
    groups (of the same item ids). Returns:

    - continues: group index -> suggestion id, when the group holds more than half of that
      suggestion's items and more than half of the group's earlier-suggested items came
      from it. It is the same suggestion, carried on under its id. At most one group per
      suggestion and one suggestion per group can satisfy both halves.
    - heirs: for every earlier suggestion, the group holding most of its items (None when
      none of its items is in a group any more).
    """
    owner = {item: sid for sid, items in previous.items() for item in items}
    continues: dict[int, int] = {}
    held: dict[int, Counter[int]] = {sid: Counter() for sid in previous}
    for index, group in enumerate(groups):
        origins = Counter(owner[item] for item in group if item in owner)
        for sid, shared in origins.items():
            held[sid][index] = shared
        if not origins:
            continue
        sid, shared = origins.most_common(1)[0]
        if 2 * shared > origins.total() and 2 * shared > len(previous[sid]):
            continues[index] = sid
    heirs: dict[int, int | None] = {
        sid: (counts.most_common(1)[0][0] if counts else None) for sid, counts in held.items()
    }
    return continues, heirs
