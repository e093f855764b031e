"""Import throughput: `huddle import feedback` on a generated CSV, in a process of its own,
against a floor measured in the same run (csv.reader plus one bulk INSERT of the same rows, no
checks) and, with --baseline, the same command run from another checkout.

    python bench/imports.py [--rows 100000] [--repeat 3] [--postgres URL]
        [--baseline /path/to/other/src] [--no-floor]

Prints medians of wall seconds, rows/s, the importing process's CPU seconds and peak RSS; the
ratio says how much the checks, reference resolution and PII masking cost over the floor, or
how much slower the baseline is, on this machine, today. Runs alternate between the two
checkouts, so that both see the same load.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
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


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float


def huddle_import(url: str, accounts: Path, feedback: Path, src: Path) -> Run:
    """`huddle import` of the accounts, then timed of the feedback, each in its own process
    running the code under `src`."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    huddle = [sys.executable, "-m", "huddle.cli.main", "--db", url]
    command = [*huddle, "import"]
    for step in (
        ["init", "--admin-password", "bench-password"],
        ["import", "accounts", str(accounts)],
    ):
        subprocess.run([*huddle, *step], env=env, check=True, capture_output=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [*command, "feedback", str(feedback), "--json"], env=env, stdout=out, stderr=err
        )
        # wait4: the child's own CPU time and peak RSS, not every child's so far.
        _pid, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        report, problems = out.read().decode(), err.read().decode()
    if child.returncode != 0 or '"created"' not in report:
        raise SystemExit(f"huddle import failed ({src}):\n{problems}{report[:2000]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


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
    parser.add_argument(
        "--baseline", type=Path, default=None, help="another checkout's src folder to compare"
    )
    parser.add_argument("--no-floor", action="store_true", help="skip the bare INSERT floor")
    parser.add_argument("--only", choices=["sqlite", "postgres"], default=None)
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgres"] if args.postgres else [])
    if args.only:
        kinds = [args.only]
    here = Path(__file__).resolve().parent.parent / "src"
    checkouts = [("this", here)] + (
        [("baseline", args.baseline.resolve())] if args.baseline else []
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        accounts, feedback = make_files(folder, args.rows, args.accounts)
        size_mb = feedback.stat().st_size / 1e6
        print(
            f"data: {args.rows:,} feedback rows ({size_mb:.1f} MB CSV), {args.accounts:,} "
            f"accounts; median of {args.repeat}; load average at start "
            f"{os.getloadavg()[0]:.1f}"
        )
        print(
            f"{'database':<10} {'code':<9} {'seconds':>8} {'rows/s':>8} {'CPU s':>7} "
            f"{'peak MB':>8} {'vs this':>8}"
        )
        for kind in kinds:
            runs: dict[str, list[Run]] = {name: [] for name, _src in checkouts}
            floor: list[float] = []
            for _ in range(args.repeat):
                for name, src in checkouts:
                    url, drop = fresh_database(kind, folder, args.postgres)
                    try:
                        runs[name].append(huddle_import(url, accounts, feedback, src))
                    finally:
                        drop()
                if not args.no_floor:
                    url, drop = fresh_database(kind, folder, args.postgres)
                    try:
                        floor.append(floor_import(url, accounts, feedback))
                    finally:
                        drop()
            ours = statistics.median(r.seconds for r in runs["this"])
            for name, _src in checkouts:
                m = statistics.median(r.seconds for r in runs[name])
                cpu = statistics.median(r.cpu_seconds for r in runs[name])
                peak = max(r.peak_mb for r in runs[name])
                print(
                    f"{kind:<10} {name:<9} {m:>8.1f} {args.rows / m:>8,.0f} {cpu:>7.1f} "
                    f"{peak:>8.0f} {m / ours:>7.2f}x"
                )
            if floor:
                f = statistics.median(floor)
                print(
                    f"{kind:<10} {'floor':<9} {f:>8.1f} {args.rows / f:>8,.0f} {'':>7} {'':>8} {f / ours:>7.2f}x"
                )
    _ = Account  # the accounts table is filled by the import itself
    sys.stdout.flush()


if __name__ == "__main__":
    main()
