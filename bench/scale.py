"""Huddle at a million pieces of evidence: every path of the scale issue, against the same paths
on the demo workspace measured in the same run.

    python bench/scale.py [--items 1000000] [--postgres URL] [--requests 30] [--keep DIR]
    python bench/scale.py --items 0      # the demo workspace's figures only, with page sizes

1. The baseline: `huddle demo` (3,000 items), served by `huddle serve`; each path measured.
2. The same workspace grown to `--items` through the product's own import path: a CSV of
   texts from the demo generator (other seeds: the same accounts and problems, new words)
   imported by `huddle import feedback` in a separate process (wall time, peak memory).
3. What a real workspace would hold after its embedding jobs ran, written in bulk (the
   embedder needs ~15 minutes a million on this machine; that throughput is measured by
   bench/search.py and docs/jobs.md, not here): links to the problem each text is about
   until ~75% are linked, and vectors — real embeddings of a sample of the texts, each item
   given a sampled vector of its own topic with a little noise.
4. `huddle reindex` rebuilds the kept figures and the search index.
5. The same paths measured again; server memory; the first search after a restart.

Times are p50/p95 over `--requests` requests after two warm-up requests, from a client in
this process over loopback (its own cost included). The machine is noisy: read the ratios.
"""

import argparse
import csv
import random
import re
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np
from serving import Server, run, scratch_database
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from huddle.demo.generator import generate
from huddle.insights.embedding import get_default_embedder, pack_vectors

DEMO_SEED = 7
ADMIN = "admin@ledgerline.io"
PASSWORD = "huddle-demo"
LINKED_SHARE = 0.75
CHUNK = 50_000
TARGETS_MS = {
    "ranked list (API)": 100,
    "ranked list (page)": 100,
    "a problem (API)": 150,
    "a problem's page": 150,
    "inbox first page": 150,
    "search by meaning, warm": 50,
}


@dataclass
class Measured:
    label: str
    samples: list[float] = field(default_factory=list)
    # Largest answer of this kind, in bytes (the inbox must stay a page, not a download).
    largest: int = 0
    # The same, each path of the kind apart ("page /inbox?q=export&match=words").
    paths: dict[str, "Measured"] = field(default_factory=dict)

    def p(self, q: float) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


# --- growing the workspace --------------------------------------------------------------


@dataclass
class Grown:
    rows: int = 0
    # Per generated row, by its external id's number: its topic and the problems it is about.
    topics: list[str] = field(default_factory=list)
    problems: list[tuple[str, ...]] = field(default_factory=list)


def write_csv(path: Path, items: int) -> Grown:
    grown = Grown()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "title", "source", "date", "account", "tags"])
        seed = 1000
        while grown.rows < items:
            batch = generate(seed, feedback=min(CHUNK, items - grown.rows), accounts=200)
            seed += 1
            for item in batch.feedback:
                writer.writerow(
                    [
                        f"scale-{grown.rows}",
                        item.text,
                        item.title or "",
                        item.source,
                        item.occurred_at.isoformat(),
                        item.account_key or "",
                        ",".join(item.tags),
                    ]
                )
                grown.topics.append(item.latent_topic or "")
                grown.problems.append(tuple(link.problem_key for link in item.links))
                grown.rows += 1
    return grown


def import_csv(url: str, path: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB) of `huddle import feedback` in its own process."""
    started = time.perf_counter()
    run(url, "import", "feedback", str(path), "--json")
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kb / 1024


def problem_ids(url: str) -> dict[str, int]:
    """Demo problem keys to ids, by title (the demo generator's problems at seed 7)."""
    titles = {p.title: p.key for p in generate(DEMO_SEED).problems}
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, title FROM problems")).all()
    engine.dispose()
    return {titles[title]: pid for pid, title in rows if title in titles}


def link_and_embed(url: str, grown: Grown, rng: random.Random) -> tuple[int, float]:
    """Write the links and vectors the jobs would have made; returns (links, seconds)."""
    started = time.perf_counter()
    by_key = problem_ids(url)
    topic_problem = {}
    for problem in generate(DEMO_SEED).problems:
        topic_problem.setdefault(problem.key, by_key.get(problem.key))
    pools = _vector_pools(grown, rng)
    engine = create_engine(url)
    links = 0
    with engine.begin() as connection:
        ids = dict(
            connection.execute(
                text("SELECT external_id, id FROM feedback WHERE external_id LIKE 'scale-%'")
            ).all()
        )
        link_rows = []
        vector_rows = []
        for n in range(grown.rows):
            feedback_id = ids[f"scale-{n}"]
            chosen = [by_key[k] for k in grown.problems[n] if k in by_key]
            if not chosen and rng.random() < LINKED_SHARE and by_key:
                fallback = topic_problem.get(grown.topics[n]) or rng.choice(list(by_key.values()))
                chosen = [fallback]
            link_rows.extend(
                {"feedback_id": feedback_id, "problem_id": pid} for pid in dict.fromkeys(chosen)
            )
            pool = pools.get(grown.topics[n])
            if pool is None:
                pool = pools[""]
            vector_rows.append((feedback_id, pool[rng.randrange(len(pool))]))
            if len(link_rows) >= 20_000:
                links += _insert_links(connection, link_rows)
                link_rows = []
            if len(vector_rows) >= 20_000:
                _store_vectors(connection, vector_rows, rng)
                vector_rows = []
        links += _insert_links(connection, link_rows)
        _store_vectors(connection, vector_rows, rng)
    engine.dispose()
    return links, time.perf_counter() - started


def _vector_pools(grown: Grown, rng: random.Random, per_topic: int = 60) -> dict[str, np.ndarray]:
    """Real embeddings of up to `per_topic` texts of each topic (regenerated from the seeds)."""
    wanted: dict[str, list[str]] = {}
    for seed in range(1000, 1000 + max(1, grown.rows // CHUNK + 1)):
        for item in generate(seed, feedback=min(CHUNK, 5_000), accounts=200).feedback:
            bucket = wanted.setdefault(item.latent_topic or "", [])
            if len(bucket) < per_topic:
                bucket.append(item.text)
        if all(len(b) >= per_topic for b in wanted.values()) and len(wanted) > 10:
            break
    embedder = get_default_embedder()
    pools = {}
    for topic, texts in wanted.items():
        pools[topic] = embedder.encode(texts)
    pools.setdefault("", np.vstack(list(pools.values())))
    return pools


def _insert_links(connection: object, rows: list[dict[str, int]]) -> int:
    """One statement for all the rows: PostgreSQL marks a problem's figures once per
    statement (migration 20261204_0027), and an executemany sends one statement per row
    (each of which rewrote the same few `problem_figures` rows)."""
    if not rows:
        return 0
    if connection.dialect.name == "postgresql":  # type: ignore[attr-defined]
        connection.execute(  # type: ignore[attr-defined]
            text(
                "INSERT INTO feedback_links (feedback_id, problem_id, created_at) "
                "SELECT f, p, CURRENT_TIMESTAMP "
                "FROM unnest(CAST(:f AS bigint[]), CAST(:p AS bigint[])) AS rows (f, p)"
            ),
            {"f": [r["feedback_id"] for r in rows], "p": [r["problem_id"] for r in rows]},
        )
        return len(rows)
    connection.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO feedback_links (feedback_id, problem_id, created_at) "
            "VALUES (:feedback_id, :problem_id, CURRENT_TIMESTAMP)"
        ),
        rows,
    )
    return len(rows)


def _store_vectors(
    connection: object, rows: list[tuple[int, np.ndarray]], rng: random.Random
) -> None:
    if not rows:
        return
    matrix = np.vstack([vector for _id, vector in rows]).astype(np.float32)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(scale=0.03, size=matrix.shape)
    matrix = matrix + noise.astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    blobs = pack_vectors(matrix)
    model = get_default_embedder().name
    if connection.dialect.name == "postgresql":  # type: ignore[attr-defined]
        # One statement, as the links: setting a linked item's sentiment marks its figures.
        connection.execute(  # type: ignore[attr-defined]
            text(
                "UPDATE feedback SET embedding = v.blob, embedding_model = :model, "
                "embedded_at = CURRENT_TIMESTAMP, sentiment = COALESCE(sentiment, 0), "
                "urgency = COALESCE(urgency, 0) "
                "FROM unnest(CAST(:ids AS bigint[]), CAST(:blobs AS bytea[])) AS v (id, blob) "
                "WHERE feedback.id = v.id"
            ),
            {
                "ids": [feedback_id for feedback_id, _v in rows],
                "blobs": list(blobs),
                "model": model,
            },
        )
        return
    connection.execute(  # type: ignore[attr-defined]
        text(
            "UPDATE feedback SET embedding = :blob, embedding_model = :model, "
            "embedded_at = CURRENT_TIMESTAMP, sentiment = COALESCE(sentiment, 0), "
            "urgency = COALESCE(urgency, 0) WHERE id = :id"
        ),
        [
            {"id": feedback_id, "blob": blob, "model": model}
            for (feedback_id, _v), blob in zip(rows, blobs, strict=True)
        ],
    )


# --- measuring --------------------------------------------------------------------------


def signed_in(base: str, token: str) -> tuple[httpx.Client, httpx.Client]:
    page = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
    form = page.get("/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert csrf, "no sign-in form"
    page.post("/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": csrf[1]})
    api = httpx.Client(base_url=base, timeout=120, headers={"Authorization": f"Bearer {token}"})
    return page, api


def paths(api: httpx.Client) -> list[tuple[str, str, str]]:
    """(label, client, path) of everything measured, on whatever this workspace holds."""
    ranked = api.get("/api/v1/problems").json()
    items = ranked["items"] if isinstance(ranked, dict) else ranked
    top = items[0]["id"]
    account = api.get("/api/v1/accounts", params={"limit": 1}).json()["items"][0]["id"]
    return [
        ("ranked list (API)", "api", "/api/v1/problems"),
        ("ranked list (API)", "api", "/api/v1/problems?sort=arr_at_risk"),
        ("ranked list (API)", "api", "/api/v1/problems?sort=trend"),
        ("ranked list (page)", "page", "/problems"),
        ("ranked list (page)", "page", "/problems?sort=mentions"),
        ("a problem (API)", "api", f"/api/v1/problems/{top}"),
        ("a problem's page", "page", f"/problems/{top}"),
        ("inbox first page", "page", "/inbox"),
        ("inbox first page", "page", "/inbox?source=ticket"),
        ("inbox first page", "page", "/inbox?segment=Enterprise"),
        ("inbox first page", "page", f"/inbox?account_id={account}"),
        ("inbox first page", "page", "/inbox?q=export&match=words"),
        ("inbox first page", "api", "/api/v1/feedback?limit=50&unlinked=true"),
        ("inbox first page", "api", "/api/v1/feedback?limit=50&q=export"),
        ("inbox first page", "api", "/api/v1/feedback?limit=50&source=call&team=sales"),
        # A team alone, and with an account: no index led by the account serves the team.
        ("inbox first page", "page", "/inbox?team=product"),
        ("inbox first page", "page", f"/inbox?team=sales&account_id={account}"),
        ("inbox first page", "api", "/api/v1/feedback?limit=50&team=support"),
        ("search by meaning, warm", "api", "/api/v1/search?q=exports+time+out+on+big+reports"),
        ("search by meaning, warm", "api", "/api/v1/search?q=cannot+log+in+with+okta"),
        ("search by meaning, warm", "page", "/inbox?q=approvals+are+stuck&match=meaning"),
    ]


def measure(url: str, requests: int) -> tuple[dict[str, Measured], dict[str, float]]:
    token = run(url, "token", "create", "--email", ADMIN, "--name", "bench").strip().split()[-1]
    server = Server(url)
    facts: dict[str, float] = {}
    server.start()
    try:
        page, api = signed_in(server.base, token)
        clients = {"page": page, "api": api}
        results: dict[str, Measured] = {}
        for label, which, path in paths(api):
            client = clients[which]
            for _ in range(2):
                client.get(path).raise_for_status()
            found = results.setdefault(label, Measured(label))
            alone = found.paths.setdefault(f"{which} {path}", Measured(path))
            for _ in range(requests):
                started = time.perf_counter()
                answer = client.get(path)
                took = time.perf_counter() - started
                found.samples.append(took)
                alone.samples.append(took)
                answer.raise_for_status()
                found.largest = max(found.largest, len(answer.content))
        facts["rss_mb"], facts["peak_rss_mb"] = server.rss_mb()
    finally:
        server.stop()
    # The first search after a restart: a fresh process, nothing warmed but its start.
    server = Server(url)
    facts["start_s"] = server.start()
    try:
        _page, api = signed_in(server.base, token)
        started = time.perf_counter()
        api.get("/api/v1/search", params={"q": "the mobile app crashes on upload"})
        facts["first_search_s"] = time.perf_counter() - started
    finally:
        server.stop()
    return results, facts


# --- the table --------------------------------------------------------------------------


def report(
    database: str,
    items: int,
    small: dict[str, Measured],
    large: dict[str, Measured],
    facts_small: dict[str, float],
    facts_large: dict[str, float],
    build: dict[str, float],
) -> None:
    print(f"\n{database}: demo (3,000 items) against {items:,} items")
    print(
        f"{'path':<26} {'demo p50':>9} {'demo p95':>9} {'big p50':>9} {'big p95':>9} "
        f"{'p95 ratio':>9} {'target':>8}"
    )
    for label, measured in large.items():
        base = small[label]
        target = TARGETS_MS.get(label)
        verdict = "" if target is None else ("ok" if measured.p(0.95) < target else "MISSED")
        print(
            f"{label:<26} {base.p(0.5):>8.1f}ms {base.p(0.95):>8.1f}ms {measured.p(0.5):>8.1f}ms "
            f"{measured.p(0.95):>8.1f}ms {measured.p(0.95) / base.p(0.95):>8.1f}x "
            f"{f'<{target}ms' if target else '':>8} {verdict}"
        )
        if len(measured.paths) > 1:
            for name, alone in measured.paths.items():
                # The demo's own account id differs from the grown workspace's: by position.
                demo = list(base.paths.values())[list(measured.paths).index(name)]
                print(
                    f"  {name[:60]:<60} {demo.p(0.5):>7.1f}ms {demo.p(0.95):>7.1f}ms "
                    f"{alone.p(0.5):>7.1f}ms {alone.p(0.95):>7.1f}ms "
                    f"{alone.p(0.95) / demo.p(0.95):>7.1f}x"
                )
    print(
        f"{'first search after start':<26} {facts_small['first_search_s']:>8.2f}s {'':>9} "
        f"{facts_large['first_search_s']:>8.2f}s {'':>9} {'':>9} {'<2s':>8}"
    )
    print(
        f"{'server RSS (peak)':<26} {facts_small['peak_rss_mb']:>7.0f}MB {'':>9} "
        f"{facts_large['peak_rss_mb']:>7.0f}MB {'':>9} {'':>9} {'<1GB':>8}"
    )
    for name, value in build.items():
        print(f"  {name}: {value:,.1f}")


def report_demo(database: str, small: dict[str, Measured], facts: dict[str, float]) -> None:
    print(f"\n{database}: the demo workspace (3,000 items), this machine")
    print(f"{'path':<26} {'p50':>9} {'p95':>9} {'largest':>9}")
    for label, measured in small.items():
        print(
            f"{label:<26} {measured.p(0.5):>7.1f}ms {measured.p(0.95):>7.1f}ms "
            f"{measured.largest / 1024:>7.0f}KB"
        )
    print(f"{'first search after start':<26} {facts['first_search_s']:>8.2f}s")
    print(f"{'server RSS (peak)':<26} {facts['peak_rss_mb']:>7.0f}MB")


def remeasure(args: argparse.Namespace, folder: Path) -> None:
    """Measure a workspace grown by an earlier run (`--keep`): migrate it to this version,
    rebuild what is derived, measure; the baseline is a new demo measured in this run."""
    from huddle.migrate import upgrade

    database = "PostgreSQL" if args.grown.startswith("postgresql") else "SQLite"
    baseline = scratch_database(folder, args.postgres, "baseline")
    run(baseline, "demo", "--no-serve", "--seed", str(DEMO_SEED))
    small, facts_small = measure(baseline, args.requests)
    print("demo measured", flush=True)
    upgrade(args.grown)
    engine = create_engine(args.grown)
    with engine.connect() as connection:
        items = connection.execute(text("SELECT count(*) FROM feedback")).scalar_one()
    engine.dispose()
    build: dict[str, float] = {}
    if not args.no_reindex:
        started = time.perf_counter()
        run(args.grown, "reindex")
        build["reindex seconds"] = time.perf_counter() - started
        print("reindexed", flush=True)
    large, facts_large = measure(args.grown, args.requests)
    report(database, items, small, large, facts_small, facts_large, build)
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to create a db on")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases here")
    parser.add_argument(
        "--grown",
        default=None,
        help="a database a run with --keep grew: measure it again (a new demo is the baseline)",
    )
    parser.add_argument(
        "--no-reindex", action="store_true", help="with --grown: its figures and index are current"
    )
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="huddle-scale-", dir=args.keep))
    rng = random.Random(42)
    if args.grown:
        remeasure(args, folder)
        return
    url = scratch_database(folder, args.postgres, "scale")
    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{database} at {make_url(url).render_as_string(hide_password=True)}", flush=True)
    run(url, "demo", "--no-serve", "--seed", str(DEMO_SEED))
    small, facts_small = measure(url, args.requests)
    print("demo measured", flush=True)
    if args.items <= 3_000:
        # --items 0: the demo's own figures only (the inbox's size and speed, issue 9).
        report_demo(database, small, facts_small)
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
        return
    build: dict[str, float] = {}
    grown = write_csv(folder / "grow.csv", args.items - 3_000)
    build["import seconds"], build["import peak MB"] = import_csv(url, folder / "grow.csv")
    build["import rows/s"] = grown.rows / build["import seconds"]
    print(f"imported {grown.rows:,} rows in {build['import seconds']:.0f} s", flush=True)
    build["links written"], build["links+vectors seconds"] = link_and_embed(url, grown, rng)
    started = time.perf_counter()
    run(url, "reindex")
    build["reindex seconds"] = time.perf_counter() - started
    print("grown and reindexed", flush=True)
    large, facts_large = measure(url, args.requests)
    report(database, args.items, small, large, facts_small, facts_large, build)
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
