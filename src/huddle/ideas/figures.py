"""The evidence behind each solution — distinct accounts, their ARR, distinct items — kept on
the solution instead of counted on every page (scores read them, lists sort by them).

They are counted from the links of the problems a solution addresses and of the problems
below those (children count toward their parents, as in severity). They are written:

- at once, when a solution's problems change (ideas/service.py);
- by the `ideas.refresh_figures` job for every solution whose problems' kept figures were
  marked stale or written since its own were: queued by a commit that wrote a severity
  input (the same tables as `problems.figures`) or the problems' kept figures themselves (so
  the problems' refresh, whenever it runs, is followed by this one), and hourly;
- from scratch by `huddle reindex`.
"""

from collections.abc import Callable, Collection

from sqlalchemy import event
from sqlalchemy.orm import Session

from huddle.db import tables_written
from huddle.ideas.repository import SolutionRepository
from huddle.jobs import defer
from huddle.kit.time import utcnow
from huddle.problems.figures import SEVERITY_TABLES, descendants_and_self
from huddle.problems.repository import FiguresRepository

REFRESH_TASK = "ideas.refresh_figures"
# A write to one of these may leave solutions' figures behind ("+": rows added).
WATCHED_TABLES = SEVERITY_TABLES | {"problem_figures", "problem_figures+"}


def write(session: Session, solution_ids: Collection[int]) -> int:
    """Count and keep the figures of `solution_ids`; returns how many were written."""
    if not solution_ids:
        return 0
    repo = SolutionRepository(session)
    parents = FiguresRepository(session).parents()
    problems = repo.problem_ids(solution_ids)
    now = utcnow()
    for solution_id in sorted(solution_ids):
        family = descendants_and_self(problems.get(solution_id, []), parents)
        repo.store_figures(solution_id, repo.evidence_figures(family), now)
    session.flush()
    return len(solution_ids)


def refresh(session: Session) -> int:
    """Write the figures of the solutions whose problems' figures moved."""
    return write(session, SolutionRepository(session).stale_ids())


def reindex(session: Session, progress: Callable[[int, int], None] | None = None) -> int:
    ids = SolutionRepository(session).all_ids()
    done = 0
    for start in range(0, len(ids), 200):
        done += write(session, ids[start : start + 200])
        if progress is not None:
            progress(done, len(ids))
    return done


@event.listens_for(Session, "before_commit")
def _queue_refresh(session: Session) -> None:
    if not session.in_transaction():
        return
    session.flush()
    connection = session.connection()
    if not tables_written(connection) & WATCHED_TABLES:
        return
    if SolutionRepository(session).stale_ids():
        defer(session, REFRESH_TASK, unique_key=REFRESH_TASK)
