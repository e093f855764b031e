"""Severity figures kept in `problem_figures` instead of recomputed from every link per page.

How they stay equal to a from-scratch `severity.compute`:

1. **Marking, in the database.** Triggers (migration 20261202_0005) mark a problem's row
   stale in the transaction that changes its inputs: a link added, removed or moved; a
   linked item's date, account or sentiment; an account's ARR, segment, risk, renewal or
   status; a problem created, moved under another parent or deleted. Triggers rather than
   hooks in every write path because those paths are many (pages, API, theme suggestions,
   matching jobs, imports and their undo, the demo loader, bulk Core statements that skip
   ORM events, cascades) and the next one would be forgotten; a trigger cannot be.
2. **A mark names the problem whose own inputs changed.** Children count toward their
   parents, so whoever computes extends the marks to every ancestor (under the tree as it
   is when computing); a parent change marks the problem and its old parent, a deletion
   the old parent.
3. **Reads never write.** A read takes the kept rows in one query; problems that are stale,
   have no row, or are for another day (the 30-day trend and the 90-day renewal window move
   with the date) are computed in memory from their own evidence and their descendants'
   (with their ancestors), and used.
4. **The refresh job writes.** A commit that wrote a severity input and left stale rows
   queues one `problems.refresh_figures` (a unique job, queued from the session's
   `before_commit`); the job also runs hourly, which covers the change of day and writes
   of processes that queued nothing. It writes a row only if the row's `marks` count is
   the one it read before computing: a mark made meanwhile keeps the row stale for the
   next run. Running it again changes nothing.
5. `huddle reindex` recomputes every row from scratch (`reindex`).
6. **A problem's page's counts** (items per month for its chart, per account for its
   accounts table; `severity.Mentions`) are kept in the same rows, computed from the same
   evidence and written by the same guarded statement. The page reads them when no problem
   in the family is stale or without a row (`mentions_of`), and counts from the evidence
   otherwise, as the ranked list does with figures. The accounts' own facts (ARR, segment,
   risk, renewal) are read live beside the kept counts. Rows kept before the counts
   existed hold NULL, which the refresh job fills.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from datetime import date

from sqlalchemy import event
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.config import get_settings
from huddle.db import tables_written
from huddle.jobs import defer
from huddle.kit.time import utcnow
from huddle.problems import severity as sev
from huddle.problems.repository import FiguresRepository, severity_of

REFRESH_TASK = "problems.refresh_figures"
# A write to one of these may leave figures stale ("+": rows added).
SEVERITY_TABLES = frozenset(
    {"problems", "problems+", "feedback_links", "feedback_links+", "feedback", "accounts"}
)


def ancestors(ids: Collection[int], parents: Mapping[int, int | None]) -> set[int]:
    """`ids` with every problem above them; cycles are cut."""
    found = set(ids)
    for start in ids:
        current = parents.get(start)
        while current is not None and current not in found:
            found.add(current)
            current = parents.get(current)
    return found


def descendants_and_self(ids: Collection[int], parents: Mapping[int, int | None]) -> set[int]:
    """`ids` with every problem below them."""
    children: dict[int, list[int]] = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)
    found = set(ids)
    stack = list(ids)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def compute_for(
    figures: FiguresRepository,
    parents: Mapping[int, int | None],
    ids: Collection[int],
    *,
    today: date,
) -> dict[int, sev.Severity]:
    """From scratch, the figures of `ids` only: reads the evidence of them and their
    descendants, and the facts of the accounts that evidence names."""
    return _compute(figures, parents, ids, today=today, with_mentions=False)[0]


def _compute(
    figures: FiguresRepository,
    parents: Mapping[int, int | None],
    ids: Collection[int],
    *,
    today: date,
    with_mentions: bool,
) -> tuple[dict[int, sev.Severity], dict[int, sev.Mentions]]:
    """The figures of `ids` and, if asked, their page's counts, from one read of the
    evidence."""
    needed = descendants_and_self(ids, parents)
    family = {p: (parents[p] if parents[p] in needed else None) for p in needed if p in parents}
    evidence = figures.evidence(needed)
    accounts = figures.account_facts({e.account_id for e in evidence if e.account_id is not None})
    computed = sev.compute(family, evidence, accounts, get_settings().severity, today=today)
    counted = sev.mentions(family, evidence) if with_mentions else {}
    return (
        {p: computed[p] for p in ids if p in computed},
        {p: counted[p] for p in ids if p in counted},
    )


def severities(session: Session, *, actor: Actor, today: date) -> dict[int, sev.Severity]:
    """Every problem's figures: the kept ones where they hold, the others computed in memory."""
    figures = FiguresRepository(session)
    rows = {row.problem_id: row for row in figures.readable(actor)}
    parents = figures.parents()
    dirty = [p for p in parents if p not in rows or rows[p].stale or rows[p].as_of != today]
    recompute = ancestors(dirty, parents)
    result = {p: severity_of(rows[p]) for p in parents if p not in recompute}
    if recompute:
        result.update(compute_for(figures, parents, recompute, today=today))
    return result


def mentions_of(
    session: Session, *, actor: Actor, problem_id: int, parents: Mapping[int, int | None]
) -> sev.Mentions | None:
    """A problem's page's counts as kept, if they hold (no problem in its family is stale
    or without a row); None when they must be counted from the evidence. Unlike the
    figures, they hold on any day: no count is bound to today's date."""
    family = descendants_and_self([problem_id], parents)
    return FiguresRepository(session).mentions(actor, problem_id, family)


def refresh(session: Session, *, today: date) -> int:
    """Write the figures of every problem that is stale, has no row, is for another day, or
    has no page's counts yet (and of their ancestors); returns how many rows were written."""
    figures = FiguresRepository(session)
    marks = figures.marks()
    parents = figures.parents()
    dirty = [
        p
        for p in parents
        if p not in marks or marks[p].stale or marks[p].as_of != today or not marks[p].has_mentions
    ]
    if not dirty:
        return 0
    recompute = ancestors(dirty, parents)
    computed, counted = _compute(figures, parents, recompute, today=today, with_mentions=True)
    return figures.store(
        computed.values(),
        counted,
        as_of=today,
        read_marks={p: marks[p].times for p in recompute if p in marks},
        computed_at=utcnow(),
    )


def reindex(
    session: Session,
    *,
    today: date,
    chunk: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute every problem's figures from scratch and write them, a chunk of top-level
    problems (with everything below them) at a time; returns how many were written."""
    figures = FiguresRepository(session)
    marks = figures.marks()
    parents = figures.parents()
    roots = sorted(p for p in parents if parents[p] is None or parents[p] not in parents)
    # A cycle has no root; its members are computed with the last chunk.
    orphans = sorted(set(parents) - descendants_and_self(roots, parents))
    groups = [roots[start : start + chunk] for start in range(0, len(roots), chunk)] or [[]]
    groups[-1] = groups[-1] + orphans
    written = done = 0
    for group in groups:
        family = descendants_and_self(group, parents)
        computed, counted = _compute(figures, parents, family, today=today, with_mentions=True)
        written += figures.store(
            computed.values(),
            counted,
            as_of=today,
            read_marks={p: marks[p].times for p in family if p in marks},
            computed_at=utcnow(),
        )
        done += len(family)
        if progress is not None:
            progress(done, len(parents))
    return written


@event.listens_for(Session, "before_commit")
def _queue_refresh(session: Session) -> None:
    """The one place refreshes are queued: a commit that wrote a severity input (through any
    path: the ORM, bulk statements) and left stale figures asks for one refresh job."""
    if not session.in_transaction():
        return
    session.flush()
    connection = session.connection()
    if not tables_written(connection) & SEVERITY_TABLES:
        return
    if FiguresRepository(session).any_stale():
        defer(session, REFRESH_TASK, unique_key=REFRESH_TASK)
