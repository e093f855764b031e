"""One `huddle serve` under many concurrent users: errors, latency, recovery, shutdown.

    python bench/load.py [--users 200] [--seconds 60] [--postgres URL] [--baseline-users 10]
                         [--think 1,5] [--ramp 10] [--workers 1] [--paths] [--env NAME=VALUE …]

Needs the load extra (`pip install -e ".[load]"`, locust). Loopback only, bounded by
`--seconds`. For each database: `huddle demo` in a scratch database, tokens for an API
reader and an ingest integration, then `huddle serve` (jobs not run in-process, so the
figures are the web server's own) driven by locust in a process of its own (bench/load_users.py:
people reading pages after signing in through the form, API readers, integrations pushing
evidence). Two runs on the same server: `--baseline-users` first (the baseline of the
ratios), then `--users`. After the load:

- recovery: seconds from the end of the load until a page and the health check answer
  within 1 s again (the stall of the trust issue took minutes);
- shutdown: seconds from SIGTERM until the process is gone;
- stored: evidence the integrations were told was stored (2xx) and is in the database.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from serving import Server, drop_database, run, scratch_database
from sqlalchemy import create_engine, text

HERE = Path(__file__).parent
PASSWORD = "huddle-demo"
LOCUST = [sys.executable, "-m", "locust"]


@dataclass
class Figures:
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    worst: float
    errors: list[str]
    # (name, requests, failures, p50, p99) of each kind of request
    paths: list[tuple[str, int, int, float, float]]


def prepare(url: str) -> dict[str, str]:
    """The demo, two tokens, and what locust's users need to know about the workspace."""
    run(url, "demo", "--no-serve")
    engine = create_engine(url)
    with engine.connect() as connection:
        people = connection.execute(text("SELECT email, role FROM users ORDER BY id")).all()
        problems = connection.execute(text("SELECT id FROM problems ORDER BY id")).scalars()
        problem_ids = ",".join(str(i) for i in problems)
        accounts = connection.execute(text("SELECT id FROM accounts ORDER BY id LIMIT 50"))
        account_ids = ",".join(str(i) for i in accounts.scalars())
        solutions = connection.execute(text("SELECT id FROM solutions ORDER BY id")).scalars()
        solution_ids = ",".join(str(i) for i in solutions)
    engine.dispose()
    admin = next(email for email, role in people if role == "admin")
    read = run(url, "token", "create", "--email", admin, "--name", "load-read")
    ingest = run(url, "token", "create", "--email", admin, "--name", "load-in", "--scope", "ingest")
    return {
        "HUDDLE_LOAD_EMAILS": ",".join(email for email, _ in people),
        "HUDDLE_LOAD_PASSWORD": PASSWORD,
        "HUDDLE_LOAD_READ_TOKEN": read.strip().split()[-1],
        "HUDDLE_LOAD_INGEST_TOKEN": ingest.strip().split()[-1],
        "HUDDLE_LOAD_PROBLEMS": problem_ids,
        "HUDDLE_LOAD_ACCOUNTS": account_ids,
        "HUDDLE_LOAD_SOLUTIONS": solution_ids,
    }


def drive(
    base: str, users: int, seconds: int, ramp: int, env: dict[str, str], folder: Path
) -> Figures:
    prefix = folder / f"locust-{users}"
    command = [
        *LOCUST,
        "-f",
        str(HERE / "load_users.py"),
        "--headless",
        "--host",
        base,
        "-u",
        str(users),
        "-r",
        str(max(1, users // ramp)),  # everyone in (and signed in) within `ramp` seconds
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "30",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "ERROR",
    ]
    subprocess.run(
        command,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,  # locust exits 1 when any request failed; the figures say so
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    paths = [
        (
            f"{row['Type']} {row['Name']}",
            int(row["Request Count"]),
            int(row["Failure Count"]),
            float(row["50%"]),
            float(row["99%"]),
        )
        for row in rows
        if row["Name"] != "Aggregated"
    ]
    errors = []
    with open(f"{prefix}_failures.csv") as handle:
        for row in csv.DictReader(handle):
            errors.append(
                f"{row['Occurrences']} x {row['Method']} {row['Name']}: {row['Error']}"[:240]
            )
    return Figures(
        users=users,
        requests=int(total["Request Count"]),
        failures=int(total["Failure Count"]),
        rps=float(total["Requests/s"]),
        p50=float(total["50%"]),
        p95=float(total["95%"]),
        p99=float(total["99%"]),
        worst=float(total["Max Response Time"]),
        errors=errors,
        paths=paths,
    )


def recovery(base: str, token: str) -> float:
    """Seconds until the health check and an API read both answer within 1 s."""
    started = time.perf_counter()
    client = httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"})
    while time.perf_counter() - started < 600:
        try:
            t = time.perf_counter()
            healthy = client.get("/healthz").status_code == 200
            read = client.get("/api/v1/problems?limit=5").status_code == 200
            if healthy and read and time.perf_counter() - t < 1:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    return float("inf")


def stored_loadtest_items(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT count(*) FROM feedback WHERE origin = 'loadtest'")
        ).scalar_one()
    engine.dispose()
    return int(found)


def bench(
    kind: str, args: argparse.Namespace, folder: Path
) -> tuple[list[Figures], dict[str, float]]:
    postgres = args.postgres if kind == "postgresql" else None
    url = scratch_database(folder, postgres, "load")
    try:
        env = prepare(url)
        env["HUDDLE_LOAD_THINK"] = args.think
        extra = dict(item.split("=", 1) for item in args.env)
        workers = ("--workers", str(args.workers)) if args.workers > 1 else ()
        server = Server(url, env=extra, args=workers)
        facts: dict[str, float] = {"start_s": server.start()}
        try:
            runs = []
            for users in (args.baseline_users, args.users):
                runs.append(drive(server.base, users, args.seconds, args.ramp, env, folder))
                facts[f"recovery_s_{users}"] = recovery(server.base, env["HUDDLE_LOAD_READ_TOKEN"])
            facts["rss_mb"], facts["peak_rss_mb"] = server.rss_mb()
        finally:
            facts["shutdown_s"] = server.stop()
        facts["stored"] = stored_loadtest_items(url)
        return runs, facts
    finally:
        drop_database(url, postgres)


def report(
    kind: str, runs: list[Figures], facts: dict[str, float], args: argparse.Namespace
) -> None:
    base = runs[0]
    print(
        f"\n{kind}: demo workspace, {args.workers} server process(es), think time {args.think} s, "
        f"users in within {args.ramp} s, {args.seconds} s per run"
    )
    print(
        f"{'users':>6} {'requests':>9} {'failed':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} {'p99 ratio':>9} {'recovery s':>10}"
    )
    for figures in runs:
        print(
            f"{figures.users:>6} {figures.requests:>9} {figures.failures:>7} {figures.rps:>7.1f} "
            f"{figures.p50:>7.0f} {figures.p95:>7.0f} {figures.p99:>7.0f} {figures.worst:>7.0f} "
            f"{figures.p99 / max(base.p99, 1):>8.1f}x {facts[f'recovery_s_{figures.users}']:>10.2f}"
        )
        for error in figures.errors[:8]:
            print(f"       {error}")
        if args.paths:
            for name, count, failed, p50, p99 in sorted(figures.paths, key=lambda p: -p[4]):
                print(f"       {name:<40} {count:>6} {failed:>4} p50 {p50:>6.0f} p99 {p99:>6.0f}")
    print(
        f"server start {facts['start_s']:.1f} s, RSS {facts['rss_mb']:.0f} MB (peak "
        f"{facts['peak_rss_mb']:.0f} MB), SIGTERM to exit {facts['shutdown_s']:.2f} s, "
        f"integration items stored {facts['stored']:.0f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--baseline-users", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--ramp", type=int, default=10, help="seconds until every user is in")
    parser.add_argument("--think", default="1,5", help="seconds between a user's actions: low,high")
    parser.add_argument("--postgres", help="an admin URL; a scratch database is made there")
    parser.add_argument("--workers", type=int, default=1, help="`huddle serve --workers`")
    parser.add_argument("--paths", action="store_true", help="figures of each kind of request")
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for the server")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            runs, facts = bench(kind, args, Path(folder))
            report(kind, runs, facts, args)


if __name__ == "__main__":
    main()
