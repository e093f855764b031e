"""Background work of problems: keeping their severity figures (see huddle.problems.figures)."""

from datetime import timedelta

from sqlalchemy.orm import Session

from huddle.jobs import periodic
from huddle.kit.time import utcnow
from huddle.problems import figures


# Queued by commits that leave figures stale; hourly (so at midnight UTC too) for the change
# of day and for writes of processes that queued nothing.
@periodic(figures.REFRESH_TASK, every=timedelta(hours=1))
def refresh_figures(session: Session) -> None:
    figures.refresh(session, today=utcnow().date())
