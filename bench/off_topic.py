"""The account's business left out of suggestions (`insights/off_topic.py`), measured.

    python bench/off_topic.py [--demo-seeds 7,11]      # ~1 minute

1. Precision and recall of `off_topic_by_rules` on `tests/insights/fixtures/off_topic_cases.tsv`,
   its tune half (the patterns were written looking at it) and its report half apart.
2. Banking77 (`../shared/data/banking77`, read at run time): customers asking about the
   product itself, none of it the account's business; every item flagged is a false alarm.
3. Demo workspaces: theme discovery on the free evidence with and without the filter; per
   theme left out, its size, the share of its items that carry a true product topic (a
   problem hidden if high) and the share flagged. The first seed is the one the patterns
   were checked against; the others were not.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from labels import DEMO_NOW  # noqa: E402  (bench/labels.py: the demo at a fixed time)

from huddle.insights import themes  # noqa: E402
from huddle.insights.embedding import get_default_embedder  # noqa: E402
from huddle.insights.off_topic import is_off_topic, product_part  # noqa: E402

FIXTURE = ROOT / "tests" / "insights" / "fixtures" / "off_topic_cases.tsv"
BANKING = ROOT.parent / "shared" / "data" / "banking77"


def table(rows: list[list[object]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def fixture_rows() -> list[list[object]]:
    halves: dict[str, list[tuple[str, str]]] = {}
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            half, kind, text = line.split("\t")
            halves.setdefault(half, []).append((kind, text))
    rows: list[list[object]] = []
    for half, cases in halves.items():
        found = is_off_topic([text for _, text in cases])
        truth = np.asarray([kind == "off_topic" for kind, _ in cases])
        hits = int((found & truth).sum())
        rows.append(
            [
                f"off_topic_cases.tsv {half} (n={len(cases)}, {int(truth.sum())} off-topic)",
                f"{hits / max(int(found.sum()), 1):.3f}",
                f"{hits / max(int(truth.sum()), 1):.3f}",
            ]
        )
    return rows


def banking_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for name in ("train", "test"):
        path = BANKING / f"{name}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8") as handle:
            texts = [row["text"] for row in csv.DictReader(handle)]
        flagged = int(is_off_topic(texts).sum())
        rows.append([f"Banking77 {name}", len(texts), f"{flagged} ({flagged / len(texts):.2%})"])
    return rows


def demo_rows(seeds: list[int]) -> tuple[list[list[object]], list[list[object]]]:
    from huddle.demo.generator import generate

    embedder = get_default_embedder()
    summary: list[list[object]] = []
    removed: list[list[object]] = []
    for role, seed in zip(("checked against", *["not seen"] * 9), seeds, strict=False):
        items = [f for f in generate(seed, now=DEMO_NOW).feedback if not f.links]
        texts = [f.text for f in items]
        topical = np.asarray([bool(f.latent_topic) for f in items])
        vectors = embedder.encode([product_part(t) for t in texts])
        kept = themes.discover_themes(vectors, texts, embedder=embedder)
        share, themes.OFF_TOPIC_SHARE = themes.OFF_TOPIC_SHARE, 2.0
        try:
            before = themes.discover_themes(vectors, texts, embedder=embedder)
        finally:
            themes.OFF_TOPIC_SHARE = share
        flagged = is_off_topic(texts)
        groups = {frozenset(t.members.tolist()) for t in kept.themes}
        gone = [t for t in before.themes if frozenset(t.members.tolist()) not in groups]
        hidden = sum(1 for t in gone if topical[t.members].mean() >= 0.5)
        summary.append(
            [
                f"demo seed {seed} ({role})",
                len(texts),
                f"{len(before.themes)} → {len(kept.themes)}",
                kept.off_topic,
                hidden,
            ]
        )
        for theme in gone:
            removed.append(
                [
                    seed,
                    theme.label,
                    theme.size,
                    f"{topical[theme.members].mean():.0%}",
                    f"{flagged[theme.members].mean():.0%}",
                ]
            )
    return summary, removed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--demo-seeds", default="7,11")
    args = parser.parse_args()
    print("## Off-topic detection (rules)\n")
    print(table(fixture_rows(), ["set", "precision", "recall"]))
    print("\n## Banking77: the product's own questions (every flag is a false alarm)\n")
    print(table(banking_rows(), ["set", "n", "flagged"]))
    seeds = [int(s) for s in args.demo_seeds.split(",") if s]
    summary, removed = demo_rows(seeds)
    print("\n## Demo: suggestions before and after leaving the account's business out\n")
    print(
        table(
            summary,
            ["set", "items", "themes", "items left out", "themes left out with ≥ 50% topical"],
        )
    )
    print("\nThemes left out:\n")
    print(table(removed, ["seed", "label", "size", "topical", "flagged"]))


if __name__ == "__main__":
    main()
