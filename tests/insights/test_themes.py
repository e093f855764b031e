import numpy as np
import pytest

from huddle.insights.embedding import Embedder, get_default_embedder
from huddle.insights.similarity import MATCH_THRESHOLD, nearest_neighbours
from huddle.insights.themes import (
    Constraints,
    ThemeResult,
    carry_over,
    discover_themes,
    find_near_duplicates,
    match_to_centroids,
    split_theme,
)

LOGIN = [
    "I can't log in to my account",
    "Login fails with an invalid password error even though it is correct",
    "The sign-in page keeps redirecting me back to the start",
    "Password reset email never arrives so I cannot sign in",
    "Two-factor code is rejected every time I try to log in",
    "SSO login is broken for our whole team since this morning",
    "I get logged out every few minutes and have to sign in again",
    "Can't access my account after changing my password",
    "The login button does nothing on Safari",
    "Locked out of my account after one failed login attempt",
    "Sign in with Google gives an error",
    "My session expires immediately after logging in",
]
EXPORT = [
    "Exporting a report to CSV takes forever",
    "The CSV export times out for large reports",
    "Excel export is missing the date columns",
    "Downloaded spreadsheet has broken characters in names",
    "Please let us export the roadmap as a PDF",
    "Export to CSV only includes the first 1000 rows",
    "The exported file has the wrong delimiter for Excel",
    "Report download fails with a server error",
    "Scheduled CSV exports stopped arriving by email",
    "Exported numbers are formatted as text in the spreadsheet",
    "I need to export all feedback with account names",
    "The export button is greyed out for viewers",
]
TEXTS = LOGIN + EXPORT
TRUTH = np.array([0] * len(LOGIN) + [1] * len(EXPORT))


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_default_embedder()


@pytest.fixture(scope="module")
def vectors(embedder: Embedder) -> np.ndarray:
    return embedder.encode(TEXTS)


@pytest.fixture(scope="module")
def result(vectors: np.ndarray) -> ThemeResult:
    return discover_themes(vectors, TEXTS)


def test_two_separate_topics_come_out_as_two_themes(result: ThemeResult) -> None:
    assert len(result.themes) == 2
    assert result.unthemed_share <= 0.1
    for theme in result.themes:
        truth = TRUTH[theme.members]
        # Each theme is (almost) pure: at most one stray item.
        assert max((truth == 0).sum(), (truth == 1).sum()) >= theme.size - 1
    assert {int(np.bincount(TRUTH[t.members]).argmax()) for t in result.themes} == {0, 1}


def test_themes_have_labels_quotes_and_confidence(result: ThemeResult) -> None:
    labels = " ".join(theme.label for theme in result.themes).lower()
    assert "export" in labels or "csv" in labels
    assert "log" in labels or "sign" in labels or "login" in labels
    for theme in result.themes:
        assert 3 <= len(theme.quotes) <= 5
        assert theme.quotes == [TEXTS[i] for i in theme.representatives]
        assert set(theme.representatives) <= set(theme.members.tolist())
        assert theme.size == len(theme.members) == len(theme.confidence)
        assert np.all((theme.confidence >= 0) & (theme.confidence <= 1))
        assert np.isclose(np.linalg.norm(theme.centroid), 1.0, atol=1e-5)
    themed = result.labels >= 0
    assert np.all(result.confidence[~themed] == 0)
    assert sorted(t.size for t in result.themes) == sorted(
        np.bincount(result.labels[themed]).tolist()
    )


def test_discovery_is_deterministic(vectors: np.ndarray, result: ThemeResult) -> None:
    again = discover_themes(vectors, TEXTS)
    assert np.array_equal(again.labels, result.labels)


def test_rejected_suggestion_is_not_suggested_again(
    vectors: np.ndarray, result: ThemeResult
) -> None:
    rejected = result.themes[0]
    rerun = discover_themes(
        vectors, TEXTS, constraints=Constraints(rejected_themes=[rejected.centroid])
    )
    assert len(rerun.themes) == 1
    assert rerun.suppressed == rejected.size
    assert np.all(rerun.labels[rejected.members] == -1)


def test_rejected_grouping_is_recognised_by_its_items(
    vectors: np.ndarray, result: ThemeResult
) -> None:
    rejected = result.themes[0]
    # Two thirds of its items, as if the rest had been linked since: the centroid moved.
    group = rejected.members[: 2 * rejected.size // 3].tolist()
    rerun = discover_themes(vectors, TEXTS, constraints=Constraints(rejected_groups=[group]))
    assert len(rerun.themes) == 1
    assert np.all(rerun.labels[group] == -1)
    # A few of a much larger rejected group (the rest linked since, -1) are not that group.
    few = [*rejected.members[:3].tolist(), *[-1] * 30]
    again = discover_themes(vectors, TEXTS, constraints=Constraints(rejected_groups=[few]))
    assert np.array_equal(again.labels, result.labels)


def test_carry_over_keeps_an_id_only_for_the_same_grouping() -> None:
    previous = {10: [1, 2, 3, 4], 11: [5, 6, 7, 8], 12: [9, 10, 11]}
    groups = [[1, 2, 3, 4, 20, 21], [5, 6, 9, 10, 11], [7, 8, 30, 31]]
    continues, heirs = carry_over(previous, groups)
    # 10 grew by new items; 12 took two of 11's; 11 split in halves, so neither half is it.
    assert continues == {0: 10, 1: 12}
    assert heirs == {10: 0, 11: 1, 12: 1}


def test_item_taken_out_of_a_theme_stays_out(vectors: np.ndarray, result: ThemeResult) -> None:
    theme = result.themes[0]
    item = int(theme.members[0])
    rerun = discover_themes(
        vectors, TEXTS, constraints=Constraints(excluded=[(item, theme.centroid)])
    )
    same = next(t for t in rerun.themes if float(t.centroid @ theme.centroid) > 0.9)
    assert item not in same.members.tolist()
    assert rerun.confidence[item] == 0


def test_cannot_link_pair_is_separated(vectors: np.ndarray, result: ThemeResult) -> None:
    a, b = (int(i) for i in result.themes[0].members[:2])
    rerun = discover_themes(vectors, TEXTS, constraints=Constraints(cannot_link=[(a, b)]))
    assert rerun.labels[a] == -1 or rerun.labels[a] != rerun.labels[b]


def test_discovery_leaves_the_callers_vectors_as_they_were(
    monkeypatch: pytest.MonkeyPatch, vectors: np.ndarray, result: ThemeResult
) -> None:
    """Many unit rows are read where they are, not copied: nothing in discovery, the
    person's decisions included, may write into them."""
    from huddle.insights import themes as module

    monkeypatch.setattr(module, "APPROXIMATE_GRAPH_ABOVE", 10)
    given = np.ascontiguousarray(vectors, dtype=np.float32)
    before = given.copy()
    theme = result.themes[0]
    a, b = (int(i) for i in theme.members[:2])
    rerun = discover_themes(
        given,
        TEXTS,
        constraints=Constraints(
            cannot_link=[(a, b)],
            excluded=[(int(theme.members[2]), theme.centroid)],
            rejected_themes=[result.themes[-1].centroid],
        ),
    )
    assert np.array_equal(given, before)
    assert len(rerun.themes) == len(result.themes) - 1


def test_too_few_items_give_no_themes() -> None:
    empty = discover_themes(np.zeros((0, 4), dtype=np.float32), [])
    assert empty.themes == [] and len(empty.labels) == 0
    two = discover_themes(np.eye(2, 4, dtype=np.float32), ["a", "b"])
    assert two.themes == [] and two.labels.tolist() == [-1, -1]
    with pytest.raises(ValueError, match="one vector per text"):
        discover_themes(np.eye(3, 4, dtype=np.float32), ["a", "b"])


def test_many_synthetic_topics_keep_count_and_quality() -> None:
    # Gaussian topics on the sphere: the count found must follow the truth, not n.
    rng = np.random.default_rng(1)
    for n_topics, per_topic in ((8, 40), (20, 150)):
        centres = rng.standard_normal((n_topics, 64))
        truth = np.repeat(np.arange(n_topics), per_topic)
        points = (
            centres[truth]
            + 0.35 * rng.standard_normal((len(truth), 64)) * np.linalg.norm(centres[0]) / 8
        )
        texts = [f"topic {t} item" for t in truth]
        found = discover_themes(points, texts)
        assert n_topics <= len(found.themes) <= 2 * n_topics
        assert found.unthemed_share <= 0.1
        purity = sum(np.bincount(truth[t.members]).max() for t in found.themes) / len(truth)
        assert purity >= 0.95


def test_new_evidence_matches_its_problem(embedder: Embedder, result: ThemeResult) -> None:
    new = embedder.encode(["I am unable to sign in since the update", "The CSV download is empty"])
    best, confidence = match_to_centroids(new, result.centroids)
    login_theme = int(
        np.bincount(result.labels[: len(LOGIN)][result.labels[: len(LOGIN)] >= 0]).argmax()
    )
    assert best[0] == login_theme and best[1] != login_theme
    assert np.all(confidence >= MATCH_THRESHOLD)
    unrelated = embedder.encode(["What a lovely sunny afternoon for a picnic"])
    assert match_to_centroids(unrelated, result.centroids)[1][0] < MATCH_THRESHOLD
    none, zero = match_to_centroids(new, np.zeros((0, 384), dtype=np.float32))
    assert none.tolist() == [-1, -1] and zero.tolist() == [0.0, 0.0]


def test_near_duplicates_are_found(embedder: Embedder) -> None:
    texts = [
        "The CSV export times out for large reports",
        "Dark mode would be great",
        "the csv export times out for large reports ",
        "Re: The CSV export times out for large reports!",
        "Login fails on Safari",
        "Exports are slow",
    ]
    pairs = find_near_duplicates(embedder.encode(texts), texts)
    found = {(i, j) for i, j, _ in pairs}
    assert {(0, 2), (0, 3), (2, 3)} <= found
    assert not any(1 in pair or 4 in pair for pair in found)
    assert all(i < j and 0 < s <= 1.0 for i, j, s in pairs)
    assert pairs[0][2] == 1.0


def test_near_duplicates_blocked_search_agrees_with_exact() -> None:
    rng = np.random.default_rng(5)
    base = rng.standard_normal((3000, 32)).astype(np.float32)
    copies = base[:50] + 0.05 * rng.standard_normal((50, 32)).astype(np.float32)
    vectors = np.vstack([base, copies])
    exact = {(i, j) for i, j, _ in find_near_duplicates(vectors, threshold=0.95)}
    blocked = {(i, j) for i, j, _ in find_near_duplicates(vectors, threshold=0.95, exact_below=100)}
    assert len(exact) >= 50
    assert len(blocked & exact) >= 0.95 * len(exact) and blocked <= exact


def test_split_theme_separates_two_subtopics(vectors: np.ndarray) -> None:
    groups = split_theme(vectors, k=2)
    assert sorted(np.bincount(groups).tolist()) == [12, 12]
    assert len(set(groups[: len(LOGIN)].tolist())) == 1 and groups[0] != groups[-1]
    assert split_theme(vectors[:1]).tolist() == [0]


def test_nearest_neighbours_are_exact() -> None:
    rng = np.random.default_rng(2)
    points = rng.standard_normal((2500, 16)).astype(np.float32)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    _, similarity = nearest_neighbours(points, 7)
    scores = points @ points.T
    np.fill_diagonal(scores, -np.inf)
    assert np.allclose(np.sort(similarity, axis=1), np.sort(scores, axis=1)[:, -7:], atol=1e-6)


def test_nearest_neighbours_of_many_rows_come_from_an_approximate_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beyond the threshold the graph is approximate: nearly every exact neighbour is found,
    no row is its own neighbour, and each similarity is the rows' exact cosine."""
    from huddle.insights import similarity as module

    monkeypatch.setattr(module, "APPROXIMATE_GRAPH_ABOVE", 500)
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((40, 64)).astype(np.float32)
    points = centres[rng.integers(0, 40, 3000)] + 0.3 * rng.standard_normal((3000, 64))
    points = (points / np.linalg.norm(points, axis=1, keepdims=True)).astype(np.float32)
    neighbours, similarity = nearest_neighbours(points, 10)
    scores = points @ points.T
    np.fill_diagonal(scores, -np.inf)
    truth = np.argsort(-scores, axis=1)[:, :10]
    found = np.mean(
        [
            len(set(a.tolist()) & set(b.tolist())) / 10
            for a, b in zip(neighbours, truth, strict=True)
        ]
    )
    assert found >= 0.95
    assert not (neighbours == np.arange(3000)[:, None]).any()
    assert np.allclose(
        similarity, np.take_along_axis(scores, neighbours.astype(np.int64), axis=1), atol=1e-5
    )
