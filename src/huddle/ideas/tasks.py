"""Background work of solutions: keeping their evidence figures (see huddle.ideas.figures)."""

from datetime import timedelta

from sqlalchemy.orm import Session

from huddle.ideas import figures
from huddle.jobs import periodic


@periodic(figures.REFRESH_TASK, every=timedelta(minutes=1))
def refresh_figures(session: Session) -> None:
    figures.refresh(session)
