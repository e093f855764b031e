"""What the inbox's "likely part of X (N% sure)" means, measured on held-out data.

    python bench/calibrate.py            # tune on Banking77 train, report on test

Matching gives each new item its best known problem and a confidence (the margin of the best
problem's cosine over the runner-up's, huddle.insights.similarity.match_to_centroids). Here
the known problems are 80% of Banking77's intents, each a centroid of 20 of its train texts;
the other 20% are problems nobody has named yet, so their texts can only be matched wrongly,
as in a real inbox. A suggestion is right when its problem is the text's intent.

1. On the train texts not used for centroids (five seeds): the share right in each
   confidence band, made to rise with the confidence (pool-adjacent-violators), and the
   lowest confidence whose share is at least HINT_PRECISION: the hint's threshold.
2. On the test texts: the share right in each band against what the table promised.

The table printed under "steps" is what huddle/insights/calibration.py holds. Reads
`../shared/data/banking77/{train,test}.csv` relative to the project root; the vectors are
cached in the system's temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from huddle.insights.calibration import HINT_PRECISION, precision_at  # noqa: E402
from huddle.insights.embedding import get_default_embedder  # noqa: E402
from huddle.insights.similarity import as_unit_rows, match_to_centroids  # noqa: E402

BANDS = np.round(np.arange(0.0, 1.0001, 0.05), 2)
KNOWN_SHARE = 0.8
PER_PROBLEM = 20


def load(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], np.asarray([row["label"] for row in rows])


def vectors_of(path: Path, texts: list[str]) -> np.ndarray:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"huddle-calibrate-{digest}.npy"
    if cache.exists():
        return np.load(cache)
    vectors = as_unit_rows(get_default_embedder().encode(texts))
    np.save(cache, vectors)
    return vectors


def scored(
    train: tuple[np.ndarray, np.ndarray], other: tuple[np.ndarray, np.ndarray], seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(confidence, right) of every `other` text against problems made from `train`, and
    which train texts made the centroids (to leave them out when `other` is train)."""
    vectors, truth = train
    rng = np.random.default_rng(seed)
    intents = np.unique(truth)
    known = rng.choice(intents, size=round(KNOWN_SHARE * len(intents)), replace=False)
    used = np.zeros(len(truth), dtype=bool)
    centroids = []
    for intent in known:
        members = rng.choice(np.nonzero(truth == intent)[0], size=PER_PROBLEM, replace=False)
        used[members] = True
        centroids.append(vectors[members].mean(axis=0))
    best, confidence = match_to_centroids(other[0], np.vstack(centroids))
    right = known[best] == other[1]
    return confidence, right, used


def bands(confidence: np.ndarray, right: np.ndarray) -> list[tuple[float, int, int]]:
    """(band start, items, right) per confidence band."""
    rows = []
    for low, high in itertools.pairwise(BANDS):
        inside = (confidence >= low) & ((confidence < high) | (high >= 1.0))
        rows.append((float(low), int(inside.sum()), int(right[inside].sum())))
    return rows


def rising(rows: list[tuple[float, int, int]]) -> list[tuple[float, float]]:
    """Pool adjacent violators: shares that never fall as the confidence rises."""
    blocks: list[list[float]] = []  # [start, items, right]
    for start, items, right in rows:
        if items == 0:
            continue
        blocks.append([start, items, right])
        while len(blocks) > 1 and blocks[-2][2] / blocks[-2][1] > blocks[-1][2] / blocks[-1][1]:
            last = blocks.pop()
            blocks[-1][1] += last[1]
            blocks[-1][2] += last[2]
    return [(start, right / items) for start, items, right in blocks]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "banking77")
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    train_texts, train_truth = load(args.data / "train.csv")
    test_texts, test_truth = load(args.data / "test.csv")
    train = (vectors_of(args.data / "train.csv", train_texts), train_truth)
    test = (vectors_of(args.data / "test.csv", test_texts), test_truth)

    tune_conf, tune_right, report_conf, report_right = [], [], [], []
    for seed in range(args.seeds):
        confidence, right, used = scored(train, train, seed)
        tune_conf.append(confidence[~used])
        tune_right.append(right[~used])
        confidence, right, _ = scored(train, test, seed)
        report_conf.append(confidence)
        report_right.append(right)
    tune = bands(np.concatenate(tune_conf), np.concatenate(tune_right))
    steps = rising(tune)
    threshold = next((start for start, share in steps if share >= HINT_PRECISION), 1.0)
    print(f"tuned on train ({sum(n for _, n, _ in tune):,} suggestions over {args.seeds} seeds)")
    print("steps = (" + ", ".join(f"({s:.2f}, {p:.3f})" for s, p in steps) + ")")
    print(f"hint threshold (share right >= {HINT_PRECISION:.0%}): {threshold:.2f}\n")

    confidence, right = np.concatenate(report_conf), np.concatenate(report_right)
    print(f"reported on test ({len(confidence):,} suggestions), with the table in calibration.py")
    print(f"{'band':>10} {'items':>7} {'right':>7} {'measured':>9} {'promised':>9}")
    for start, items, hits in bands(confidence, right):
        if items:
            print(
                f"{start:>5.2f}-{start + 0.05:<4.2f} {items:>7} {hits:>7} {hits / items:>8.1%} "
                f"{precision_at(start):>8.1%}"
            )
    shown = confidence >= threshold
    gap = [
        abs(hits / items - precision_at(start)) * items
        for start, items, hits in bands(confidence, right)
        if items and start >= threshold
    ]
    print(
        f"\nhints shown on test: {shown.mean():.1%} of items, {right[shown].mean():.1%} right; "
        f"mean |measured - promised| over shown bands, weighted: {sum(gap) / max(1, shown.sum()):.3f}"
    )


if __name__ == "__main__":
    main()
