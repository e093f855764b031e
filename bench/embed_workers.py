"""Embedding a backlog spread over `huddle worker` processes: items/s with 1 and 2 workers,
against one worker measured in the same run.

    python bench/embed_workers.py [--items 40000] [--postgres URL] [--configs 1x1,2x1,1x2]

A config `WxT` is W worker processes, each embedding with T threads (HUDDLE_EMBED_THREADS).
The backlog: the demo workspace (`huddle demo`: its problems, accounts and 3,000 embedded
items) and then `--items` texts from the demo generator imported by `huddle import
feedback`, which queues their embedding jobs (one per 5,000 rows) and runs none. Each config
starts from a copy of that database (PostgreSQL: `CREATE DATABASE … TEMPLATE`; SQLite: the
file), starts its workers, and is timed from their start (model loading included, as a real
deployment pays it) until every imported item has its vector. The embedding job does all it
does in production: the vectors, sentiment and urgency, matching to known problems and the
duplicate check. The rediscovery it asks for at the end is not timed.
"""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scale import import_csv, write_csv
from serving import HUDDLE, drop_database, run, scratch_database
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

DEMO_SEED = 7


def copy_database(url: str, postgres: str | None, folder: Path) -> str:
    """A copy of the database at `url` (nothing may be connected to it)."""
    if postgres is None:
        source = Path(make_url(url).database or "")
        target = folder / f"copy-{uuid.uuid4().hex[:8]}.db"
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    name = f"huddle_copy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(url).database}"'))
    admin.dispose()
    return make_url(postgres).set(database=name).render_as_string(hide_password=False)


def checkpoint(url: str) -> None:
    """Fold SQLite's write-ahead log into the file, so a copy of the file is the database."""
    if url.startswith("sqlite"):
        engine = create_engine(url)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()


def embedded(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        done, total = connection.execute(
            text("SELECT count(embedded_at), count(*) FROM feedback")
        ).one()
    engine.dispose()
    return int(done), int(total)


def work_off(url: str, workers: int, threads: int, folder: Path) -> float:
    """Seconds from starting the workers until every item has its vector."""
    env = {
        **os.environ,
        "HUDDLE_EMBED_THREADS": str(threads),
        "HUDDLE_INDEX_DIR": str(folder / f"index-{uuid.uuid4().hex[:8]}"),
        "HUDDLE_JOB_POLL_SECONDS": "0.2",
    }
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [*HUDDLE, "--db", url, "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(workers)
    ]
    engine = create_engine(url)
    try:
        while True:
            with engine.connect() as connection:
                left = connection.execute(
                    text("SELECT count(*) FROM feedback WHERE embedded_at IS NULL")
                ).scalar_one()
            if not left:
                return time.perf_counter() - started
            for process in processes:
                if process.poll() is not None:
                    raise SystemExit(
                        f"a worker stopped:\n{process.stderr.read() if process.stderr else ''}"
                    )
            time.sleep(0.25)
    finally:
        engine.dispose()
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=40_000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to create dbs on")
    parser.add_argument("--configs", default="1x1,2x1,1x2")
    args = parser.parse_args()
    configs = [tuple(int(part) for part in c.split("x")) for c in args.configs.split(",")]
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="huddle-embed-"))
    made: list[str] = []
    try:
        base = scratch_database(folder, args.postgres, "embed")
        made.append(base)
        run(base, "demo", "--no-serve", "--seed", str(DEMO_SEED))
        path = folder / "backlog.csv"
        write_csv(path, args.items)
        seconds, peak = import_csv(base, path)
        done, total = embedded(base)
        print(f"backlog: {total - done:,} items to embed ({total:,} in all); "
              f"imported in {seconds:.0f} s, peak {peak:.0f} MB", file=sys.stderr)  # fmt: skip
        checkpoint(base)
        rows = []
        for workers, threads in configs:
            copy = copy_database(base, args.postgres, folder)
            made.append(copy)
            elapsed = work_off(copy, workers, threads, folder)
            rows.append((workers, threads, elapsed))
            print(f"{workers}x{threads}: {elapsed:.1f} s", file=sys.stderr)
        kind = "PostgreSQL" if args.postgres else "SQLite"
        first = rows[0][2]
        print(f"\nEmbedding a backlog of {args.items:,} items, {kind}, {os.cpu_count()} cores")
        print("| worker processes | threads each | seconds | items/s | against the first row |")
        print("|---|---|---|---|---|")
        for workers, threads, elapsed in rows:
            print(
                f"| {workers} | {threads} | {elapsed:.1f} | {args.items / elapsed:.0f} "
                f"| {first / elapsed:.2f}x |"
            )
        print(f"\n(total {time.perf_counter() - began:.0f} s)")
    finally:
        for url in made:
            drop_database(url, args.postgres)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
