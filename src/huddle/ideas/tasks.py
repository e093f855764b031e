"""Background work of solutions: keeping their evidence figures (see huddle.ideas.figures)."""

from datetime import timedelta

from sqlalchemy.orm import Session

from huddle.ideas import figures
from huddle.jobs import periodic


# Queued by the commits that leave solutions' figures behind; hourly as well, for writes of
# processes that never imported this module.
@periodic(figures.REFRESH_TASK, every=timedelta(hours=1))
def refresh_figures(session: Session) -> None:
    figures.refresh(session)
