"""Search by meaning on a grown workspace: recall@10 of the search index against exact search
over every vector the workspace stores, and the index's own latency.

    python bench/recall.py URL [--queries 40] [--seed 4242] [--verbose]

URL is a workspace `bench/scale.py --keep` or `bench/grow_pg.py` grew, after `huddle reindex`
(the index must be built). The queries are texts of the demo generator at a seed the grown
workspace was not made from, embedded by the default model. Exact search reads every stored
vector once, a batch at a time, and keeps each query's ten best; the index is asked through
`search.nearest`, as a search request asks it (graph search, exact re-scoring of its
candidates against the stored vectors, the check that the index follows the database).
"""

import argparse
import statistics
import time

import numpy as np

from huddle.db import session_scope
from huddle.demo.generator import generate
from huddle.insights import search
from huddle.insights.embedding import get_default_embedder
from huddle.insights.repository import InsightRepository

TOP = 10


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--verbose", action="store_true", help="each query's figures")
    parser.add_argument(
        "--seed", type=int, default=4242, help="the demo generator's seed for the queries"
    )
    args = parser.parse_args()
    texts = [item.text for item in generate(args.seed, feedback=args.queries, accounts=20).feedback]
    queries = get_default_embedder().encode(texts[: args.queries])
    with session_scope(args.url) as session:
        started = time.perf_counter()
        best_scores = np.full((len(queries), TOP), -2.0, dtype=np.float32)
        best_ids = np.zeros((len(queries), TOP), dtype=np.int64)
        stored = 0
        for ids, matrix, _at in InsightRepository(session).vector_batches(50_000):
            scores = queries @ matrix.T
            merged_scores = np.concatenate([best_scores, scores], axis=1)
            merged_ids = np.concatenate([best_ids, np.broadcast_to(ids, scores.shape)], axis=1)
            top = np.argpartition(-merged_scores, TOP - 1, axis=1)[:, :TOP]
            best_scores = np.take_along_axis(merged_scores, top, axis=1)
            best_ids = np.take_along_axis(merged_ids, top, axis=1)
            stored += len(ids)
        exact_seconds = time.perf_counter() - started
        search.nearest(session, queries[:1], limit=TOP)  # opens the index
        took, recalls, near = [], [], []
        for row, query in enumerate(queries):
            started = time.perf_counter()
            (found,) = search.nearest(session, query[None, :], limit=TOP)
            took.append(time.perf_counter() - started)
            recalls.append(len({i for i, _ in found} & set(best_ids[row].tolist())) / TOP)
            # Ties: a workspace of near-copies has many items as close as the tenth; one
            # found within 0.005 of the exact tenth's cosine is as good an answer.
            tenth = float(np.sort(best_scores[row])[::-1][TOP - 1])
            near.append(sum(score >= tenth - 0.005 for _i, score in found) / TOP)
            if args.verbose:
                print(
                    f"query {row}: recall {recalls[-1]:.1f}, exact cosines "
                    f"{float(best_scores[row].max()):.4f}..{tenth:.4f}, found "
                    f"{found[0][1] if found else 0:.4f}..{found[-1][1] if found else 0:.4f}"
                )
    took.sort()
    print(f"{stored:,} stored vectors, {len(queries)} queries")
    print(f"exact search, every vector read from the database: {exact_seconds:.1f} s in all")
    print(
        f"index (search.nearest): p50 {statistics.median(took) * 1000:.1f} ms, "
        f"p95 {took[round(0.95 * (len(took) - 1))] * 1000:.1f} ms; "
        f"recall@{TOP} mean {statistics.mean(recalls):.3f}, min {min(recalls):.2f}; "
        f"within 0.005 of the exact tenth: mean {statistics.mean(near):.3f}, min {min(near):.2f}"
    )


if __name__ == "__main__":
    main()
