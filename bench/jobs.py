"""Job queue throughput and pick-up latency, against a floor measured in the same run.

    python bench/jobs.py [--jobs 2000] [--postgres URL] [--repeat 3]

Each job of the benchmark task writes one row. The floor does the same writes without a
queue, one transaction per row, from one process. Huddle's figure is the real path: worker
processes claim each job on a lease (one transaction), run it with a heartbeat thread and
commit it with its completion (a second transaction). Latency: an idle worker polling every
second is handed one job at a time; the time from the commit that queued it to its end.
"""

import argparse
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from serving import drop_database as drop_scratch_database
from serving import scratch_database
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from huddle.db import dispose_engine, get_engine, session_scope
from huddle.jobs import defer, task
from huddle.jobs.runner import InlineWorker, Worker, load_tasks
from huddle.migrate import upgrade
from huddle.models import Job

NOTES = "CREATE TABLE bench_notes (n INTEGER NOT NULL)"


@task("bench.note")
def note(session: Session, *, n: int) -> None:
    session.execute(text("INSERT INTO bench_notes (n) VALUES (:n)"), {"n": n})


def fresh_database(kind: str, postgres: str | None, folder: Path) -> str:
    url = scratch_database(folder, postgres if kind != "sqlite" else None, uuid.uuid4().hex[:8])
    upgrade(url)
    with get_engine(url).begin() as connection:
        connection.execute(text(NOTES))
    return url


def drop_database(url: str, postgres: str | None) -> None:
    dispose_engine(url)
    drop_scratch_database(url, postgres)


def floor(url: str, jobs: int) -> float:
    started = time.perf_counter()
    for n in range(jobs):
        with session_scope(url) as session:
            note(session, n=n)
    return time.perf_counter() - started


def work(url: str, ready: Any, go: Any) -> None:
    worker = Worker.from_settings(url)
    load_tasks()
    with session_scope(url) as session:  # connect before the clock starts
        session.execute(text("SELECT 1"))
    ready.release()
    go.wait()
    worker.run_until_idle(limit=10**9)


def queue(url: str, jobs: int, workers: int) -> float:
    """Seconds from the start signal to the last worker finding the queue empty; the workers'
    start-up (imports, first connection) is not counted."""
    with session_scope(url) as session:
        for n in range(jobs):
            defer(session, "bench.note", n=n)
    dispose_engine(url)
    spawn = multiprocessing.get_context("spawn")
    ready, go = spawn.Semaphore(0), spawn.Event()
    processes = [spawn.Process(target=work, args=(url, ready, go)) for _ in range(workers)]
    for process in processes:
        process.start()
    for _ in processes:
        ready.acquire()
    started = time.perf_counter()
    go.set()
    for process in processes:
        process.join()
    elapsed = time.perf_counter() - started
    with session_scope(url) as session:
        done = session.scalars(select(Job.status)).all()
        written = session.scalar(text("SELECT count(DISTINCT n) FROM bench_notes"))
        total = session.scalar(text("SELECT count(*) FROM bench_notes"))
    assert done == ["done"] * jobs and written == total == jobs, (done[:3], written, total)
    return elapsed


def latency(url: str, samples: int) -> list[float]:
    runner = InlineWorker(url, interval=1.0)
    runner.start()
    found = []
    try:
        for n in range(samples):
            with session_scope(url) as session:
                defer(session, "bench.note", n=n)
            queued = time.perf_counter()
            while True:
                with session_scope(url) as session:
                    if session.scalar(select(Job.id).where(Job.status != "done")) is None:
                        break
                time.sleep(0.005)
            found.append(time.perf_counter() - queued)
            time.sleep(0.37)  # land at different points of the poll interval
    finally:
        runner.stop()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--latency-samples", type=int, default=20)
    parser.add_argument("--postgres", help="an admin URL; a scratch database is made there")
    args = parser.parse_args()
    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print("| database | what | median s | jobs/s | time ratio to floor |")
    print("|---|---|---|---|---|")
    latencies: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            runs: dict[str, list[float]] = {"floor": [], "1 worker": [], "2 workers": []}
            for _ in range(args.repeat):
                for what in runs:
                    url = fresh_database(kind, args.postgres, Path(folder))
                    if what == "floor":
                        runs[what].append(floor(url, args.jobs))
                    else:
                        runs[what].append(queue(url, args.jobs, int(what[0])))
                    drop_database(url, args.postgres)
            base = statistics.median(runs["floor"])
            for what, seconds in runs.items():
                median = statistics.median(seconds)
                print(
                    f"| {kind} | {what} | {median:.2f} | {args.jobs / median:,.0f} "
                    f"| {median / base:.2f} |"
                )
            url = fresh_database(kind, args.postgres, Path(folder))
            latencies[kind] = latency(url, args.latency_samples)
            drop_database(url, args.postgres)
    print("\n| database | pick-up latency, idle worker polling every 1 s | median s | max s |")
    print("|---|---|---|---|")
    for kind, found in latencies.items():
        print(f"| {kind} | {len(found)} jobs | {statistics.median(found):.2f} | {max(found):.2f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
