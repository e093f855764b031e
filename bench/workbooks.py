"""What reading an Excel workbook costs over reading the same rows as CSV.

    PYTHONPATH=src python bench/workbooks.py [--rows 50000] [--repeat 3]

Writes one generated tickets table twice, as a CSV and as an .xlsx (openpyxl), and reads
each through the `tickets` connector as an import does (`unwrap.readable`: the workbook
turned into CSV text first), alternating the two so both see the same load. Prints the
medians of wall seconds, the rows per second, and the ratio workbook / CSV; the conversion's
own share is timed apart. Nothing is written to a database: this is the reading alone.
"""

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.imports import unwrap

HEADER = ["Ticket ID", "Subject", "Description", "Requester Email", "Company", "Created"]
WORDS = [
    "export",
    "slow",
    "dashboard",
    "sync",
    "mobile",
    "invoice",
    "search",
    "filter",
    "report",
    "login",
    "map",
]


def rows(count: int, seed: int = 1) -> list[list[object]]:
    pick = random.Random(seed)
    start = datetime(2026, 1, 1)
    made: list[list[object]] = []
    for number in range(count):
        words = " ".join(pick.choice(WORDS) for _ in range(24))
        made.append(
            [
                str(10_000 + number),
                f"{pick.choice(WORDS)} {pick.choice(WORDS)}",
                f"The {words}.\nSecond line of the ticket.",
                f"user{number % 500}@company{number % 90}.example",
                f"Company {number % 90}",
                start + timedelta(minutes=7 * number),
            ]
        )
    return made


def write(folder: Path, table: list[list[object]]) -> tuple[Path, Path]:
    text = folder / "tickets.csv"
    with text.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for row in table:
            writer.writerow([*row[:5], row[5].isoformat(sep=" ")])  # type: ignore[attr-defined]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Tickets")
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    sheet_path = folder / "tickets.xlsx"
    book.save(sheet_path)
    return text, sheet_path


def read(path: Path) -> tuple[float, float, int]:
    """Seconds in all, seconds turning a workbook into CSV, and the items read."""
    connector = get_connector("tickets")
    began = time.perf_counter()
    with unwrap.readable(path) as readable:
        converted = time.perf_counter()
        output = connector.read(readable.path, ConnectorOptions())
    ended = time.perf_counter()
    if output.errors:
        sys.exit(f"{path.name}: {output.errors[0]}")
    return ended - began, converted - began, len(output.feedback)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huddle-bench-workbooks-") as folder:
        text, book = write(Path(folder), rows(args.rows))
        runs: dict[str, list[tuple[float, float, int]]] = {"csv": [], "xlsx": []}
        for _ in range(args.repeat):
            runs["csv"].append(read(text))
            runs["xlsx"].append(read(book))
        sizes = {"csv": text.stat().st_size, "xlsx": book.stat().st_size}
    print(f"{args.rows:,} tickets, median of {args.repeat} runs each, alternating")
    print(f"{'file':<6} {'MB':>6} {'items':>7} {'seconds':>8} {'rows/s':>9} {'to CSV s':>9}")
    medians = {}
    for kind, measured in runs.items():
        seconds = statistics.median(m[0] for m in measured)
        converting = statistics.median(m[1] for m in measured)
        medians[kind] = seconds
        print(
            f"{kind:<6} {sizes[kind] / 1e6:>6.1f} {measured[0][2]:>7,} {seconds:>8.2f} "
            f"{args.rows / seconds:>9,.0f} {converting:>9.2f}"
        )
    print(f"workbook / CSV: {medians['xlsx'] / medians['csv']:.2f}x")


if __name__ == "__main__":
    main()
