"""How often new evidence that rediscovery adds to a person's suggestion belongs there.

    python bench/adoption.py --set train        # where ADOPT_CONFIDENCE was chosen
    python bench/adoption.py --set test         # where it is reported

Replays what `insights.rediscovery.discover` does with `themes.adopt`: 80% of a Banking77
split is clustered; 30% of the themes found count as curated (a person shaped them); the
other themes' items and the remaining 20% ("arrived later") are clustered again, as
rediscovery clusters the free evidence; each later item is offered to the curated themes
against the new groups as rivals. An adoption is right when the item's intent is the
curated theme's majority intent. Three seeds, summed. Reads
`../shared/data/banking77/{train,test}.csv` relative to the project root.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from huddle.insights.embedding import get_default_embedder  # noqa: E402
from huddle.insights.themes import ADOPT_CONFIDENCE, adopt, discover_themes  # noqa: E402


def load(path: Path) -> tuple[list[str], np.ndarray]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], np.asarray([row["label"] for row in rows])


def replay(
    texts: list[str],
    truth: np.ndarray,
    vectors: np.ndarray,
    thresholds: list[float],
    seeds: tuple[int, ...] = (1, 2, 3),
) -> dict[float, tuple[int, int, int, float]]:
    """threshold -> (adopted, right, could have been adopted, purity of the curated themes)."""
    totals = {t: [0, 0, 0] for t in thresholds}
    purity: list[float] = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        later = rng.random(len(texts)) < 0.2
        earlier = np.nonzero(~later)[0]
        first = discover_themes(vectors[earlier], [texts[i] for i in earlier])
        curated = [t for t in first.themes if rng.random() < 0.3]
        majority = []
        for theme in curated:
            values, counts = np.unique(truth[earlier[theme.members]], return_counts=True)
            majority.append(values[counts.argmax()])
            purity.append(counts.max() / counts.sum())
        taken = {int(earlier[i]) for theme in curated for i in theme.members}
        free = np.asarray([i for i in range(len(texts)) if i not in taken])
        rivals = discover_themes(vectors[free], [texts[i] for i in free]).centroids
        kept = np.vstack([theme.centroid for theme in curated])
        fresh = np.nonzero(later)[0]
        possible = int(np.isin(truth[fresh], majority).sum())
        for threshold in thresholds:
            best, _ = adopt(vectors[fresh], kept, rivals, threshold=threshold)
            chosen = best >= 0
            right = np.asarray(majority)[best[chosen]] == truth[fresh][chosen]
            totals[threshold][0] += int(chosen.sum())
            totals[threshold][1] += int(right.sum())
            totals[threshold][2] += possible
    mean_purity = float(np.mean(purity)) if purity else 0.0
    return {t: (a, r, p, mean_purity) for t, (a, r, p) in totals.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "banking77")
    parser.add_argument("--set", choices=["train", "test"], default="test")
    parser.add_argument("--thresholds", default=None, help="comma-separated; default: current")
    args = parser.parse_args()
    texts, truth = load(args.data / f"{args.set}.csv")
    thresholds = (
        [float(t) for t in args.thresholds.split(",")] if args.thresholds else [ADOPT_CONFIDENCE]
    )
    vectors = get_default_embedder().encode(texts)
    print(f"Banking77 {args.set}, {len(texts)} items")
    for threshold, (adopted, right, possible, purity) in replay(
        texts, truth, vectors, thresholds
    ).items():
        print(
            f"  threshold {threshold:.2f}: {adopted} adopted, precision "
            f"{right / max(adopted, 1):.3f}, recall {right / max(possible, 1):.3f} "
            f"(curated themes' own purity {purity:.3f})"
        )


if __name__ == "__main__":
    main()
