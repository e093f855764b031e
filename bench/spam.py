"""What looking for spam costs a ticket import, with and without the signals' words first.

    PYTHONPATH=src python bench/spam.py [--rows 10000] [--repeat 3]

Reads one generated tickets CSV (bench/workbooks.py's table) through the `tickets`
connector, once with `noise.spam` as it ships (a signal is searched for only in a text
holding one of its words, `_SPAM_HINTS`) and once with every signal searched one by one (as
before the hints), alternating so both see the same load. Prints the medians of wall
seconds, rows per second and the ratio, and how many rows each left out as spam (the same,
or the hints changed a verdict).
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from workbooks import rows, write

from huddle.connectors import noise
from huddle.connectors.base import ConnectorOptions, get_connector


def one_by_one(text: str, title: str | None = None) -> bool:
    whole = f"{title or ''}\n{text}"
    return sum(1 for signal in noise._SPAM_SIGNALS if signal.search(whole)) >= 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path, _ = write(Path(tempfile.mkdtemp(prefix="huddle-spam-")), rows(args.rows))
    connector = get_connector("tickets")
    shipped = noise.spam
    runs: dict[str, list[float]] = {"with hints": [], "one by one": []}
    spam_rows: dict[str, int] = {}
    try:
        for _ in range(args.repeat):
            for name, judge in (("with hints", shipped), ("one by one", one_by_one)):
                noise.spam = judge  # what noise_reason calls
                start = time.perf_counter()
                output = connector.read(path, ConnectorOptions())
                runs[name].append(time.perf_counter() - start)
                spam_rows[name] = sum(1 for out in output.left_out if out.reason == "spam")
    finally:
        noise.spam = shipped
    print(f"{args.rows:,} tickets, median of {args.repeat} runs each, alternating")
    print(f"{'spam check':12} {'seconds':>8} {'rows/s':>9} {'left out as spam':>17}")
    for name, times in runs.items():
        median = statistics.median(times)
        print(f"{name:12} {median:>8.2f} {args.rows / median:>9,.0f} {spam_rows[name]:>17}")
    ratio = statistics.median(runs["one by one"]) / statistics.median(runs["with hints"])
    print(f"one by one / with hints: {ratio:.2f}x")


if __name__ == "__main__":
    main()
