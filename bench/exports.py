"""How the connectors fare on realistic exports: the labelled corpus, tuning and held-back halves.

    PYTHONPATH=src python bench/exports.py [--db URL] [--failures]

Every labelled file of `tests/connectors/exports/` is imported through
`import_with_connector` (what `huddle import SOURCE FILE` runs) into a fresh migrated
database holding the corpus's workspace, each inside a rolled-back savepoint, and scored
against its labels (`tests/connectors/exports/scoring.py` says how). Prints, per half: the
files handled as labelled, precision and recall of the items kept and of the noise left out,
and of the customer statements of transcripts, with the targets for the held-back half.
Rules are tuned on the `tune` half only; the `held` half is measured, never read to tune.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.connectors.exports.scoring import (  # noqa: E402
    TARGETS,
    Tally,
    build_workspace,
    evaluate,
)

from huddle.db import dispose_engine, session_scope  # noqa: E402
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a database URL (default: a fresh SQLite file)")
    parser.add_argument("--failures", action="store_true", help="list what each file missed")
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='huddle-exports-')}/bench.db"
    upgrade(url)
    with session_scope(url) as session:
        admin = build_workspace(session)
        tallies = evaluate(session, admin)
        session.rollback()
    dispose_engine(url)
    print(table(tallies))
    if args.failures:
        for half, tally in tallies.items():
            for failure in tally.failures:
                print(f"{half}: {failure}")


if __name__ == "__main__":
    main()
