"""How the connectors fare on realistic exports: the labelled corpus, tuning and held-back halves.

    PYTHONPATH=src python bench/exports.py [--db URL] [--failures]

Every labelled file of `tests/connectors/exports/` is imported through
`import_with_connector` (what `huddle import SOURCE FILE` runs) into a fresh migrated
database holding the corpus's workspace, each inside a rolled-back savepoint, and scored
against its labels (`tests/connectors/exports/scoring.py` says how). Prints, per half: the
files handled as labelled, precision and recall of the items kept and of the noise left out,
and of the customer statements of transcripts, with the targets for the held-back half.
Rules are tuned on the `tune` half only; the `held` half is measured, never read to tune.

`--timing` also says what the statement classifier adds to a transcript import: loading the
encoder and the model once per process, and per file the import of every labelled transcript
with the classifier against the lexicon alone, median of `--repeat` runs, in the same run.
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.connectors.exports.scoring import (  # noqa: E402
    TARGETS,
    Labelled,
    Tally,
    build_workspace,
    corpus,
    evaluate,
    run_file,
)

from huddle.auth.actor import Actor  # noqa: E402
from huddle.connectors import statements, transcript  # noqa: E402
from huddle.connectors.base import ConnectorOutput  # noqa: E402
from huddle.db import dispose_engine, session_scope  # noqa: E402
from huddle.insights.embedding import get_default_embedder  # noqa: E402
from huddle.migrate import upgrade  # noqa: E402

ROWS = (
    ("files_as_labelled", "files handled as labelled"),
    ("items_precision", "items kept: precision"),
    ("items_recall", "items kept: recall"),
    ("noise_precision", "noise left out: precision"),
    ("noise_recall", "noise left out: recall"),
    ("statements_precision", "customer statements: precision"),
    ("statements_recall", "customer statements: recall"),
)


def table(tallies: dict[str, Tally]) -> str:
    tune, held = tallies["tune"], tallies["held"]
    lines = [
        f"{'':34} {'tuning half':>12} {'held-back half':>15} {'target (held)':>14}",
        f"{'files':34} {tune.files:>12} {held.files:>15}",
    ]
    for key, label in ROWS:
        a, b = tune.figures()[key], held.figures()[key]
        target = TARGETS.get(key)
        if key.startswith("statements") and not held.statements:
            # No held-back transcript (between rounds): 1.00 would claim what was not measured.
            lines.append(f"{label:34} {a:>12.2f} {'-':>15} {'no transcript':>14}")
            continue
        mark = "" if target is None else (" ok" if b >= target else " MISSED")
        lines.append(
            f"{label:34} {a:>12.2f} {b:>15.2f} "
            f"{'' if target is None else f'>= {target:.2f}':>14}{mark}"
        )
    lines.append(
        f"{'(counts: as labelled, statements)':34} "
        f"{f'{tune.as_labelled}/{tune.files}, {tune.statements_found}/{tune.statements}':>12} "
        f"{f'{held.as_labelled}/{held.files}, {held.statements_found}/{held.statements}':>15}"
    )
    return "\n".join(lines)


def _lexicon_alone() -> AbstractContextManager[Any]:
    return mock.patch.object(transcript, "_classifier", lambda _output: None)


def _encoded(session: Session, admin: Actor, item: Labelled) -> int:
    """How many sentences of a file the import sends to the encoder."""
    counted: list[int] = []
    real = transcript._classifier

    class Counting:
        def __init__(self, inner: Any) -> None:
            self.inner, self.name, self.dim = inner, inner.name, inner.dim

        def encode(self, texts: Sequence[str]) -> Any:
            counted.append(len(texts))
            return self.inner.encode(texts)

    def counting(output: ConnectorOutput) -> Any:
        found = real(output)
        return None if found is None else (Counting(found[0]), found[1])

    with mock.patch.object(transcript, "_classifier", counting):
        run_file(session, admin, item)
    return sum(counted)


def timing(session: Session, admin: Actor, repeat: int) -> str:
    """Every labelled transcript imported with the classifier and with the lexicon alone."""
    lines = [
        "",
        f"{'transcript import (median of ' + str(repeat) + ')':32} {'lexicon':>9} "
        f"{'+ classifier':>13} {'added':>8} {'sentences encoded':>18}",
    ]
    added = []
    for item in corpus():
        if item.connector != "transcript":
            continue
        runs: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(repeat):
            for alone, times in runs.items():
                with _lexicon_alone() if alone else nullcontext():
                    start = time.perf_counter()
                    run_file(session, admin, item)
                    times.append(time.perf_counter() - start)
        lexicon, both = (statistics.median(runs[alone]) * 1000 for alone in (True, False))
        added.append(both - lexicon)
        lines.append(
            f"{item.path.name:32} {lexicon:>7.1f}ms {both:>11.1f}ms {both - lexicon:>6.1f}ms "
            f"{_encoded(session, admin, item):>18}"
        )
    lines.append(
        f"{'median added per file':32} {'':>9} {'':>13} {statistics.median(added):>6.1f}ms"
    )
    # The labelled calls are short (0 to 5 sentences left to the classifier); a long call's cost
    # is its open sentences times the encoder's rate in a batch, measured on more of them here.
    sample = ROOT / "tests" / "connectors" / "samples" / "feedback_statements_written.tsv"
    texts = [line.split("\t")[-1] for line in sample.read_text().splitlines() if line[:1] in "01"]
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        get_default_embedder().encode(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    lines.append(
        f"encoder, {len(texts)} call sentences in one batch: "
        f"{statistics.median(rates):,.0f} sentences/s (median of {repeat})"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--failures", action="store_true", help="list what each file missed")
    parser.add_argument("--timing", action="store_true", help="time the statement classifier")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='huddle-exports-')}/bench.db"
    upgrade(url)
    loaded = ""
    if args.timing:
        start = time.perf_counter()
        statements.shipped_model()
        get_default_embedder().encode(["a first sentence"])
        loaded = f"\nloading the encoder and the statement model, once per process: {time.perf_counter() - start:.2f} s"
    with session_scope(url) as session:
        admin = build_workspace(session)
        tallies = evaluate(session, admin)
        timings = timing(session, admin, args.repeat) if args.timing else ""
        session.rollback()
    dispose_engine(url)
    print(table(tallies) + loaded + timings)
    if args.failures:
        for half, tally in tallies.items():
            for failure in tally.failures:
                print(f"{half}: {failure}")
            for sentence in tally.not_statements:
                print(f"{half}: kept, not a statement: {sentence}")


if __name__ == "__main__":
    main()
