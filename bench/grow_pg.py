"""Ten million items on PostgreSQL: a workspace `bench/scale.py --postgres … --keep` grew to a
million, copied in SQL until it holds `--items`, then measured by `bench/scale.py --grown`.

    python bench/grow_pg.py URL [--items 10000000] [--workers 2]
    python bench/scale.py --grown URL --postgres ADMIN_URL      # reindex, then measure

Each copy of an item keeps its text, account, source, team, tags and link to its problem (a
second customer saying the same thing), with its own id and external id, its date moved back
by up to a year, and its vector changed in 16 of its 384 numbers (the low byte of each
float16): near, but not equal to, the item it copies, as the same complaint written again is.
Copies go in 200,000 items a statement, by `--workers` connections at once; the database's own
triggers keep the figures' marks and the links' dates, as for any other write. What is
derived (the kept figures, the words' statistics, the search index) is rebuilt afterwards by
`huddle reindex`, which `bench/scale.py --grown` runs and times.

Prints the time each stage took and the database's size. Run once: it takes about an hour on
a 2-core machine, most of it the server writing rows and indexes.
"""

import argparse
import threading
import time
from queue import Empty, Queue

from sqlalchemy import create_engine, text

STEP = 200_000
PERTURBED = 16

# Every column but the id, the generated `words`, and those rewritten below.
_KEPT = (
    "text, title, source, origin, link_url, account_id, contact_id, submitter_id, team, tags, "
    "import_id, sentiment, urgency, pii_masked, embedding_model, created_at, namespace, "
    "channel, account_ref, embedded_at, dismissed_reason, dismissed_at, snoozed_until, dated"
)


def _perturbed(column: str) -> str:
    """SQL of a stored float16 vector (a tag byte, then 2 bytes a number) with the low byte
    of 16 of its numbers replaced at random."""
    expression = column
    for n in range(PERTURBED):
        # Spread over the vector, different for each copy and each item.
        at = f"(1 + 2 * ((f.id * 7 + :copy * 131 + {n * 23}) % 384))::int"
        expression = f"set_byte({expression}, {at}, (random() * 255)::int)"
    return f"CASE WHEN f.embedding IS NULL THEN NULL ELSE {expression} END"


COPY_ITEMS = f"""
INSERT INTO feedback (id, external_id, occurred_at, embedding, {_KEPT})
SELECT f.id + :shift, f.external_id || '~' || :copy,
       f.occurred_at - make_interval(days => ((f.id * 31 + :copy * 17) % 365)::int),
       {_perturbed("f.embedding")}, {", ".join(f"f.{c.strip()}" for c in _KEPT.split(","))}
FROM feedback AS f
WHERE f.id BETWEEN :low AND :high
"""

COPY_LINKS = """
INSERT INTO feedback_links (feedback_id, problem_id, quote, linked_by_id, confidence, created_at)
SELECT l.feedback_id + :shift, l.problem_id, l.quote, l.linked_by_id, l.confidence, l.created_at
FROM feedback_links AS l
WHERE l.feedback_id BETWEEN :low AND :high
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the grown workspace (PostgreSQL)")
    parser.add_argument("--items", type=int, default=10_000_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    engine = create_engine(args.url, pool_size=args.workers + 1)
    with engine.connect() as connection:
        have, low, high = connection.execute(
            text("SELECT count(*), min(id), max(id) FROM feedback")
        ).one()
    copies = -(-args.items // have) - 1
    if copies <= 0:
        raise SystemExit(f"the workspace already holds {have:,} items")
    # Each copy's ids are the originals' shifted past every id there is.
    span = high + 1
    work: Queue[tuple[int, int, int]] = Queue()
    for copy in range(1, copies + 1):
        for start in range(low, high + 1, STEP):
            work.put((copy, start, min(start + STEP - 1, high)))
    total = work.qsize()
    done: list[float] = []
    failures: list[BaseException] = []
    started = time.perf_counter()

    def worker() -> None:
        while not failures:
            try:
                copy, start, end = work.get_nowait()
            except Empty:
                return
            try:
                with engine.begin() as connection:
                    bounds = {"copy": copy, "shift": copy * span, "low": start, "high": end}
                    connection.execute(text(COPY_ITEMS), bounds)
                    connection.execute(text(COPY_LINKS), bounds)
            except BaseException as error:
                failures.append(error)
                return
            done.append(time.perf_counter() - started)
            print(
                f"{len(done)}/{total} steps, copy {copy}, ids {start:,}-{end:,}: {done[-1]:.0f} s",
                flush=True,
            )

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
    copied = time.perf_counter() - started
    with engine.begin() as connection:
        connection.execute(
            text("SELECT setval(pg_get_serial_sequence('feedback', 'id'), max(id)) FROM feedback")
        )
        items, links = connection.execute(
            text("SELECT (SELECT count(*) FROM feedback), (SELECT count(*) FROM feedback_links)")
        ).one()
        size = connection.execute(text("SELECT pg_database_size(current_database())")).scalar()
    print(
        f"{items:,} items, {links:,} links, database {size / 2**30:.1f} GiB; "
        f"copied in {copied:.0f} s ({(items - have) / copied:,.0f} items/s, "
        f"{args.workers} connections)"
    )


if __name__ == "__main__":
    main()
