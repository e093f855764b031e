"""Import throughput: `huddle import feedback` on a generated CSV, against a floor measured in
the same run (csv.reader plus one bulk INSERT of the same rows, no checks).

    python bench/imports.py [--rows 100000] [--repeat 3] [--postgres URL]

Prints a table of medians; the ratio says how much the checks, reference resolution, PII
masking and sentiment cost over the bare minimum on this machine, today.
"""

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from huddle.db import dispose_engine, session_scope
from huddle.imports.service import import_file
from huddle.migrate import upgrade
from huddle.models import Account, Feedback

WORDS = [
    "export",
    "dashboard",
    "slow",
    "invoice",
    "approval",
    "sync",
    "netsuite",
    "salesforce",
    "sso",
    "okta",
    "permission",
    "report",
    "mobile",
    "crash",
    "login",
    "filter",
    "csv",
    "excel",
    "duplicate",
    "currency",
    "tax",
    "webhook",
    "api",
    "timeout",
    "search",
]


def make_files(folder: Path, rows: int, accounts: int, seed: int = 1) -> tuple[Path, Path]:
    rng = random.Random(seed)
    account_file = folder / "accounts.csv"
    with account_file.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["external_id", "name", "domain", "segment", "arr"])
        for i in range(accounts):
            writer.writerow(
                [
                    f"A{i}",
                    f"Company {i}",
                    f"company{i}.com",
                    rng.choice(["SMB", "Mid-market", "Enterprise"]),
                    rng.randint(3_000, 900_000),
                ]
            )
    feedback_file = folder / "feedback.csv"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    with feedback_file.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "source", "account", "contact_email", "date", "tags"])
        for i in range(rows):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
            account = rng.randrange(accounts)
            email = f"user{rng.randrange(5)}@company{account}.com" if rng.random() < 0.3 else ""
            when = (start + timedelta(minutes=rng.randrange(500_000))).isoformat()
            writer.writerow(
                [
                    f"T{i}",
                    f"Customer says the {words}.",
                    rng.choice(["ticket", "call", "chat"]),
                    f"A{account}",
                    email,
                    when,
                    "bench",
                ]
            )
    return account_file, feedback_file


def fresh_database(kind: str, folder: Path, postgres: str | None) -> tuple[str, Callable[[], None]]:
    if kind == "sqlite":
        path = folder / f"{uuid.uuid4().hex}.db"
        url = f"sqlite:///{path}"
        upgrade(url)
        return url, lambda: (dispose_engine(url), path.unlink())  # type: ignore[func-returns-value]
    assert postgres
    name = f"huddle_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres).set(database=name).render_as_string(hide_password=False)
    upgrade(url)

    def drop() -> None:
        dispose_engine(url)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))

    return url, drop


def huddle_import(url: str, accounts: Path, feedback: Path) -> float:
    with session_scope(url) as session:
        import_file(session, kind="accounts", path=accounts, actor=None)
    started = time.perf_counter()
    with session_scope(url) as session:
        report = import_file(session, kind="feedback", path=feedback, actor=None)
    elapsed = time.perf_counter() - started
    assert report.created > 0 and not report.errors
    return elapsed


def floor_import(url: str, accounts: Path, feedback: Path) -> float:
    with session_scope(url) as session:
        import_file(session, kind="accounts", path=accounts, actor=None)
    started = time.perf_counter()
    with session_scope(url) as session, feedback.open(newline="") as handle:
        reader = csv.DictReader(handle)
        ids = dict(session.execute(text("SELECT external_id, id FROM accounts")).all())
        rows = [
            {
                "text": r["text"],
                "source": r["source"],
                "origin": "floor",
                "external_id": r["id"],
                "account_id": ids.get(r["account"]),
                "occurred_at": datetime.fromisoformat(r["date"]),
                "tags": [],
            }
            for r in reader
        ]
        for start in range(0, len(rows), 2000):
            session.execute(insert(Feedback), rows[start : start + 2000])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--postgres", default=None, help="a PostgreSQL URL whose server may create databases"
    )
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgres"] if args.postgres else [])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        accounts, feedback = make_files(folder, args.rows, args.accounts)
        size_mb = feedback.stat().st_size / 1e6
        print(
            f"data: {args.rows:,} feedback rows ({size_mb:.1f} MB CSV), {args.accounts:,} accounts; median of {args.repeat}"
        )
        print(f"{'database':<10} {'huddle import':>14} {'rows/s':>10} {'floor':>8} {'ratio':>7}")
        for kind in kinds:
            ours, floor = [], []
            for _ in range(args.repeat):
                for measure, into in ((huddle_import, ours), (floor_import, floor)):
                    url, drop = fresh_database(kind, folder, args.postgres)
                    try:
                        into.append(measure(url, accounts, feedback))
                    finally:
                        drop()
            m, f = statistics.median(ours), statistics.median(floor)
            print(f"{kind:<10} {m:>13.2f}s {args.rows / m:>10,.0f} {f:>7.2f}s {m / f:>6.2f}x")
    _ = Account  # the accounts table is filled by the import itself
    sys.stdout.flush()


if __name__ == "__main__":
    main()
