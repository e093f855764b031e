"""The exact fallback for rows the approximate kNN graph left short works a block at a time
and gives exactly what one product with every vector gives."""

import numpy as np

from huddle.insights import similarity


def test_exact_rows_blockwise_equal_the_whole_product() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((2_500, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    rows = np.arange(0, 2_500, 2, dtype=np.int64)  # more rows than one block
    neighbours, scores = similarity._exact_rows(vectors, rows, 7)
    whole = vectors[rows] @ vectors.T
    whole[np.arange(len(rows)), rows] = -np.inf
    expected = np.argsort(-whole, axis=1, kind="stable")[:, :7]
    assert np.array_equal(neighbours, expected)
    assert np.allclose(scores, np.take_along_axis(whole, expected, axis=1))
    assert not (neighbours == rows[:, None]).any()
