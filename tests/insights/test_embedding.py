import numpy as np
import pytest

from huddle.insights.embedding import (
    Embedder,
    get_default_embedder,
    normalize_rows,
    pack_vector,
    pack_vectors,
    unpack_vector,
    unpack_vectors,
)
from huddle.insights.similarity import semantic_search


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_default_embedder()


def test_default_embedder_gives_unit_float32_rows(embedder: Embedder) -> None:
    vectors = embedder.encode(["users can't log in", "Export to CSV is slow", ""])
    assert isinstance(embedder, Embedder)
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, embedder.dim) == (3, 384)
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 384)


def test_default_embedder_is_cached_and_deterministic(embedder: Embedder) -> None:
    assert get_default_embedder() is embedder
    texts = ["same text twice", "another one", "same text twice"]
    first = embedder.encode(texts)
    assert np.allclose(first[0], first[2])
    # Dynamic int8 quantisation scales activations per batch, so a text's vector moves a
    # little with its batch companions; it must stay well within paraphrase distance.
    alone = embedder.encode(["another one"])
    assert float(alone[0] @ first[1]) > 0.95
    assert np.allclose(embedder.encode(texts), first)


def test_search_finds_a_paraphrase_among_unrelated_texts(embedder: Embedder) -> None:
    texts = [
        "The invoice PDF shows the wrong VAT number",
        "Please add dark mode to the mobile app",
        "the sign-on page keeps bouncing me",
        "Exporting a report to CSV takes ages",
        "Can we get a Slack notification when a problem is linked?",
        "Pricing page is confusing for annual plans",
    ]
    matrix = embedder.encode(texts)
    indices, scores = semantic_search(embedder.encode(["users can't log in"])[0], matrix, k=3)
    assert texts[int(indices[0])] == "the sign-on page keeps bouncing me"
    assert scores[0] >= scores[1] >= scores[2]


def test_similar_texts_are_closer_than_unrelated_ones(embedder: Embedder) -> None:
    a, b, c = embedder.encode(
        [
            "The app crashes when I upload a photo",
            "Uploading an image makes the app crash",
            "I love the new colours",
        ]
    )
    assert float(a @ b) > float(a @ c) + 0.3


def test_pack_and_unpack_round_trip() -> None:
    rng = np.random.default_rng(0)
    vectors = normalize_rows(rng.standard_normal((5, 384)))
    half = pack_vectors(vectors)
    assert all(len(blob) == 1 + 384 * 2 for blob in half)
    assert np.allclose(unpack_vectors(half), vectors, atol=1e-3)
    small = pack_vectors(vectors, kind="int8")
    assert all(len(blob) == 1 + 4 + 384 for blob in small)
    restored = unpack_vectors(small)
    assert np.all((normalize_rows(restored) * vectors).sum(axis=1) > 0.999)
    assert unpack_vector(pack_vector(vectors[0])).dtype == np.float32
    assert unpack_vectors([]).shape == (0, 0)


def test_unknown_formats_are_refused() -> None:
    with pytest.raises(ValueError, match="float16"):
        pack_vector(np.ones(3), kind="bfloat")
    with pytest.raises(ValueError, match="not a packed vector"):
        unpack_vector(b"\x09abc")


def test_a_web_process_lets_the_encoders_threads_sleep_between_runs(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spinning threads wait for the next batch on the cores a web process's requests need;
    a worker or an import keeps them spinning (docs/search-index.md)."""
    from huddle.insights import embedding
    from tests.helpers import client

    monkeypatch.setattr(embedding, "_threads_spin", True)
    assert embedding.OnnxEmbedder().threads_spin
    with client(database_url):
        assert not embedding.OnnxEmbedder().threads_spin
