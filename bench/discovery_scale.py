"""Theme discovery on many unlinked items whose embeddings are already stored: seconds and
peak memory of `discover_themes`, against the same call on the demo's size in the same run.

    python bench/discovery_scale.py [--items 100000] [--baseline 3000]

Texts come from the demo generator (other seeds: the same topics, new words); each item's
vector is a real embedding of a text of its own topic (60 per topic, embedded once) plus a
little noise, as bench/scale.py makes them — the embedding itself is not timed (a workspace
embeds at ingest; discovery reads stored vectors). Timed: the kNN graph, Leiden, the
clean-up passes, praise detection and labelling (which embeds candidate phrases), i.e. all
of `discover_themes`. Peak memory is the process's peak resident set size during the
discovery (on Linux; elsewhere since the start), the model, texts and vectors included.

Beyond `rediscovery.CLUSTER_AT_MOST` (100,000) items, what a run does is timed: the seeded
sample clustered, then every other item placed in the group it clearly belongs to
(`clustered_sample`, `place_the_rest`); the table says how many items ended in a theme.
"""

import argparse
import gc
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from huddle.demo.generator import generate  # noqa: E402
from huddle.insights.embedding import get_default_embedder  # noqa: E402
from huddle.insights.rediscovery import Group, clustered_sample, place_the_rest  # noqa: E402
from huddle.insights.repository import Vectors  # noqa: E402
from huddle.insights.themes import discover_themes  # noqa: E402

NOISE = 0.35


def workspace(items: int, seed: int) -> tuple[np.ndarray, list[str]]:
    rng = random.Random(seed)
    texts: list[str] = []
    topics: list[str] = []
    batch_seed = 1000 + seed
    while len(texts) < items:
        for item in generate(batch_seed, feedback=min(50_000, items - len(texts))).feedback:
            if not item.links:  # the unlinked evidence discovery works on
                texts.append(item.text)
                topics.append(item.latent_topic or "")
        batch_seed += 1
    texts, topics = texts[:items], topics[:items]
    embedder = get_default_embedder()
    pools: dict[str, np.ndarray] = {}
    for topic in sorted(set(topics)):
        sample = [t for t, k in zip(texts, topics, strict=True) if k == topic][:60]
        pools[topic] = embedder.encode(sample)
    noise = np.random.default_rng(seed)
    rows = np.empty((items, pools[topics[0]].shape[1]), dtype=np.float32)
    for n, topic in enumerate(topics):
        pool = pools[topic]
        rows[n] = pool[rng.randrange(len(pool))]
    rows += noise.standard_normal(rows.shape).astype(np.float32) * (NOISE / np.sqrt(rows.shape[1]))
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows, texts


def timed(vectors: np.ndarray, texts: list[str]) -> tuple[float, int, int, int]:
    """Seconds, themes, items in a theme, and items clustered (a sample beyond
    CLUSTER_AT_MOST), as a run of rediscovery groups free evidence."""
    started = time.perf_counter()
    free = Vectors(np.arange(1, len(texts) + 1, dtype=np.int64), vectors)
    sample = clustered_sample(free)
    rows = (sample.ids - 1).tolist()
    result = discover_themes(sample.matrix, [texts[i] for i in rows])
    groups = [
        Group(
            ids=sample.ids[theme.members].tolist(),
            confidence=theme.confidence.tolist(),
            label=theme.label,
            terms=list(theme.terms),
            representatives=frozenset(),
        )
        for theme in result.themes
    ]
    themed = sum(len(group.ids) for group in place_the_rest(free, sample, groups))
    return time.perf_counter() - started, len(result.themes), themed, len(sample)


def _status(field: str) -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak() -> float:
    """The resident memory now, after resetting the peak where the system allows it."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        pass
    return _status("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak() -> float:
    return _status("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=3_000)
    args = parser.parse_args()
    get_default_embedder().encode(["load the model before the clock starts"])
    small_vectors, small_texts = workspace(args.baseline, seed=1)
    small_s, small_themes, small_themed, _ = timed(small_vectors, small_texts)
    vectors, texts = workspace(args.items, seed=2)
    gc.collect()
    # Peak of the discovery itself: the generator's garbage made while building the
    # workspace is not discovery's (Linux lets the peak be reset; elsewhere it includes it).
    before_mb = _reset_peak()
    seconds, themes, themed, clustered = timed(vectors, texts)
    peak_mb = _peak()
    print(f"\nTheme discovery on stored vectors, {len(texts):,} against {len(small_texts):,} items")
    print("| items | clustered | seconds | themes | in a theme | peak RSS |")
    print("|---|---|---|---|---|---|")
    print(
        f"| {len(small_texts):,} | all | {small_s:.1f} | {small_themes} | "
        f"{small_themed / len(small_texts):.0%} | |"
    )
    print(
        f"| {len(texts):,} | {'all' if clustered == len(texts) else f'{clustered:,}'} | "
        f"{seconds:.1f} | {themes} | {themed / len(texts):.0%} | {peak_mb:.0f} MB "
        f"(resident before the run {before_mb:.0f} MB) |"
    )
    print(f"\nratio {seconds / small_s:.1f}x for {len(texts) / len(small_texts):.0f}x the items")


if __name__ == "__main__":
    main()
