"""Suggestion labels, praise detection and the merge of near-identical suggestions, measured.

    python bench/labels.py                  # tune on Banking77 train, report on test (~2 min)
    python bench/labels.py --grid           # also print the tuning grid on train
    python bench/labels.py --data DIR       # another folder with train.csv/test.csv

Reads `../shared/data/banking77/{train,test}.csv` (text,label) at run time; the data is never
copied into the project. Themes are discovered by `discover_themes` (the code path the
product runs); every theme is then named twice in the same run: by the phrase labels the
product uses now (`label_themes`) and by the class-based TF-IDF keyword triples it used
before (`distinctive_terms`). The gold name of a theme is its majority intent written as
words (`card_arrival` -> "card arrival"). Per label:

- intent@1: the gold name is the closest of the 77 intent names to the label (MiniLM cosine);
- cosine: the label's cosine to its gold name;
- keywords: the share of the gold name's words found in the label (5-letter prefixes, so
  "arrive" matches "arrival");
- shape: words per label, and the share that are comma lists.

Praise: precision and recall of `is_praise` on `tests/insights/fixtures/praise_cases.tsv`,
its tune half (rules and prototypes were written looking at it) and report half apart.

Merge: for theme pairs whose centres are at least a cosine apart, the share that have the
same majority intent (a right merge), on train (where `MERGE_SIMILARITY` was chosen) and
test, and NMI/ARI with and without the merge.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from huddle.insights.embedding import OnnxEmbedder  # noqa: E402
from huddle.insights.labels import (  # noqa: E402
    COVERAGE_WEIGHT,
    DISTINCT_WEIGHT,
    distinctive_terms,
    label_from_terms,
    label_themes,
)
from huddle.insights.off_topic import product_part  # noqa: E402
from huddle.insights.praise import is_praise, praise_by_rules  # noqa: E402
from huddle.insights.themes import MERGE_SIMILARITY, ThemeResult, discover_themes  # noqa: E402

# The demo follows the clock (its evidence is dated back from `now`, and a date near `now`
# draws once more from its generator): a fixed `now` keeps the demo's figures comparable
# from run to run.
DEMO_NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def load(path: Path) -> tuple[list[str], list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["label"] for row in rows]


def stem(word: str) -> str:
    return word.lower()[:5]


def label_scores(
    labels: Sequence[str],
    gold: Sequence[str],
    names: list[str],
    name_vectors: np.ndarray,
    embedder: OnnxEmbedder,
) -> dict[str, float]:
    vectors = embedder.encode(list(labels))
    similarity = vectors @ name_vectors.T
    index = {name: i for i, name in enumerate(names)}
    gold_rows = np.asarray([index[g] for g in gold])
    top1 = similarity.argmax(axis=1) == gold_rows
    cosine = similarity[np.arange(len(labels)), gold_rows]
    keywords = []
    for label, name in zip(labels, gold, strict=True):
        words = {stem(w) for w in label.replace(",", " ").split()}
        wanted = [stem(w) for w in name.split()]
        keywords.append(sum(w in words for w in wanted) / len(wanted))
    return {
        "intent@1": float(top1.mean()),
        "cosine": float(cosine.mean()),
        "keywords": float(np.mean(keywords)),
        "words": float(np.mean([len(label.split()) for label in labels])),
        "lists": float(np.mean([", " in label for label in labels])),
    }


def majority(truth: np.ndarray, members: np.ndarray) -> str:
    values, counts = np.unique(truth[members], return_counts=True)
    return str(values[counts.argmax()])


def theme_labels(
    result: ThemeResult,
    texts: list[str],
    embedder: OnnxEmbedder,
    **weights: float,
) -> tuple[list[str], list[str]]:
    """(new, old) labels of every theme of `result`."""
    members = [[texts[i] for i in theme.members] for theme in result.themes]
    new = [
        found.label
        for found in label_themes(members, result.centroids, embedder, **weights)  # type: ignore[arg-type]
    ]
    old_terms = distinctive_terms(texts, result.labels, len(result.themes))
    return new, [label_from_terms(terms) for terms in old_terms]


def table(rows: list[list[object]], header: list[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


MERGE_GRID = (0.75, 0.8, 0.85, 0.88, 0.9, 0.92)


def merge_pairs(result: ThemeResult, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cosine of every pair of theme centres, and whether the pair shares its majority
    label (never for two groups of demo chatter, which are different things)."""
    centres = result.centroids
    if len(centres) < 2:
        return np.zeros(0), np.zeros(0, dtype=bool)
    first, second = np.triu_indices(len(centres), 1)
    major = [majority(truth, t.members) for t in result.themes]
    same = np.asarray(
        [major[a] == major[b] and major[a] != "chatter" for a, b in zip(first, second, strict=True)]
    )
    return (centres @ centres.T)[first, second], same


def demo_set(seed: int) -> tuple[list[str], list[str], list[bool]]:
    """The free evidence of demo workspace `seed`: texts, true topic, praise or not."""
    from huddle.demo.generator import generate

    items = [f for f in generate(seed, now=DEMO_NOW).feedback if not f.links]
    topics = [(f.latent_topic or "chatter").split("+")[0] for f in items]
    return [f.text for f in items], topics, ["praise" in f.tags for f in items]


def praise_corpus() -> dict[str, tuple[list[str], np.ndarray]]:
    path = ROOT / "tests" / "insights" / "fixtures" / "praise_cases.tsv"
    halves: dict[str, tuple[list[str], list[bool]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            half, kind, text = line.split("\t")
            texts, truth = halves.setdefault(half, ([], []))
            texts.append(text)
            truth.append(kind == "praise")
    return {half: (texts, np.asarray(truth)) for half, (texts, truth) in halves.items()}


def precision_recall(found: np.ndarray, truth: np.ndarray) -> str:
    hits = int((found & truth).sum())
    precision = hits / max(int(found.sum()), 1)
    return f"{precision:.3f} / {hits / max(int(truth.sum()), 1):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "banking77")
    parser.add_argument("--grid", action="store_true", help="print the tuning grid on train")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--examples", type=int, default=12)
    parser.add_argument("--demo-seeds", default="1,2", help="tune seed, report seed")
    args = parser.parse_args()

    embedder = OnnxEmbedder(threads=args.threads)
    sets = {name: load(args.data / f"{name}.csv") for name in ("train", "test")}
    names = sorted({label.replace("_", " ") for _, truth in sets.values() for label in truth})
    name_vectors = embedder.encode(names)

    rows: list[list[object]] = []
    merge_rows: list[list[object]] = []
    banking_rows: list[list[object]] = []
    samples: list[tuple[str, str, str]] = []
    for name, (texts, truth) in sets.items():
        started = time.perf_counter()
        vectors = embedder.encode(texts)
        result = discover_themes(vectors, texts, embedder=embedder)
        seconds = time.perf_counter() - started
        truth_array = np.asarray(truth)
        gold = [majority(truth_array, t.members).replace("_", " ") for t in result.themes]
        if args.grid and name == "train":
            grid = []
            for distinct in (0.0, 0.25, 0.5, 0.75, 1.0):
                for coverage in (0.0, 0.1, 0.2):
                    new, _ = theme_labels(
                        result, texts, embedder, distinct_weight=distinct, coverage_weight=coverage
                    )
                    s = label_scores(new, gold, names, name_vectors, embedder)
                    grid.append(
                        [distinct, coverage, *(f"{s[k]:.3f}" for k in ("intent@1", "cosine"))]
                    )
            print("\n## Tuning grid (train)\n")
            print(table(grid, ["distinct weight", "coverage weight", "intent@1", "cosine"]))
        new = [t.label for t in result.themes]
        old = [
            label_from_terms(terms)
            for terms in distinctive_terms(texts, result.labels, len(result.themes))
        ]
        for system, labels in (("phrases (now)", new), ("TF-IDF triples (before)", old)):
            s = label_scores(labels, gold, names, name_vectors, embedder)
            rows.append(
                [
                    system,
                    name,
                    len(texts),
                    len(result.themes),
                    f"{s['intent@1']:.3f}",
                    f"{s['cosine']:.3f}",
                    f"{s['keywords']:.3f}",
                    f"{s['words']:.1f}",
                    f"{s['lists']:.0%}",
                ]
            )
        if name == "test":
            samples = list(zip(gold, old, new, strict=True))[: args.examples]
        unmerged = discover_themes(vectors, texts, embedder=embedder, merge_similarity=1.01)
        merge_rows.append(merge_row(f"Banking77 {name}", unmerged, truth_array))
        # Banking77 holds no praise: every item flagged is a problem hidden.
        flagged = is_praise(texts, vectors, embedder)
        rules = sum(praise_by_rules(t) is True for t in texts)
        banking_rows.append(
            [
                f"Banking77 {name} (n={len(texts)}, no praise): items flagged as praise",
                str(rules),
                f"{int(flagged.sum())} ({result.praise} left out of themes)",
            ]
        )
        print(f"  {name}: embedding + discovery incl. labels {seconds:.1f} s", file=sys.stderr)

    praise_rows: list[list[object]] = list(banking_rows)
    seeds = [int(s) for s in args.demo_seeds.split(",") if s]
    for role, seed in zip(("tune", "report"), seeds, strict=False):
        texts, topics, glad = demo_set(seed)
        vectors = embedder.encode([product_part(t) for t in texts])
        unmerged = discover_themes(vectors, texts, embedder=embedder, merge_similarity=1.01)
        merge_rows.append(merge_row(f"demo seed {seed} ({role})", unmerged, np.asarray(topics)))
        truth = np.asarray(glad)
        praise_rows.append(
            [
                f"demo seed {seed}, free evidence (n={len(texts)}, {int(truth.sum())} praise)",
                precision_recall(np.asarray([praise_by_rules(t) is True for t in texts]), truth),
                precision_recall(is_praise(texts, vectors, embedder), truth),
            ]
        )
        shown = discover_themes(vectors, texts, embedder=embedder)
        praise_rows.append(
            [
                f"demo seed {seed}: themes / left out as praise / praise items in shown themes",
                "",
                f"{len(shown.themes)} / {shown.praise} items / {praise_in_themes(shown, truth)}",
            ]
        )
    for half, (texts, truth) in praise_corpus().items():
        vectors = embedder.encode(texts)
        praise_rows.insert(
            0,
            [
                f"praise_cases.tsv {half} half (n={len(texts)}, {int(truth.sum())} praise)",
                precision_recall(np.asarray([praise_by_rules(t) is True for t in texts]), truth),
                precision_recall(is_praise(texts, vectors, embedder), truth),
            ],
        )

    print(
        f"\n## Labels (Banking77; weights distinct {DISTINCT_WEIGHT}, coverage {COVERAGE_WEIGHT})\n"
    )
    print(
        table(
            rows,
            [
                "labels",
                "set",
                "n",
                "themes",
                "intent@1",
                "cosine",
                "keywords",
                "words",
                "comma lists",
            ],
        )
    )
    print("\nFirst test themes (gold intent | before | now):\n")
    print(table([list(s) for s in samples], ["gold intent", "before", "now"]))
    print(f"\n## Merging near-identical suggestions (MERGE_SIMILARITY = {MERGE_SIMILARITY})\n")
    print("Theme pairs with centres at least this close: pairs, and the share with the same")
    print("majority intent/topic (a right merge).\n")
    print(table(merge_rows, ["set", "themes", *(f"cos >= {t}" for t in MERGE_GRID)]))
    print("\n## Praise (precision / recall of 'is praise')\n")
    print(table(praise_rows, ["set", "rules only", "rules + embedding (product)"]))


def merge_row(label: str, result: ThemeResult, truth: np.ndarray) -> list[object]:
    similarity, same = merge_pairs(result, truth)
    cells: list[object] = [label, len(result.themes)]
    for threshold in MERGE_GRID:
        chosen = similarity >= threshold
        count = int(chosen.sum())
        cells.append(f"{count} ({same[chosen].mean():.2f})" if count else "0")
    return cells


def praise_in_themes(result: ThemeResult, truth: np.ndarray) -> str:
    themed = result.labels >= 0
    return f"{int((truth & themed).sum())} of {int(truth.sum())}"


if __name__ == "__main__":
    main()
