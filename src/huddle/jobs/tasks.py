"""The queue's own upkeep, as periodic tasks."""

from datetime import timedelta

from sqlalchemy.orm import Session

from huddle.config import get_settings
from huddle.jobs import periodic, service
from huddle.kit.time import utcnow


@periodic("jobs.prune", every=timedelta(hours=1))
def prune(session: Session) -> None:
    settings = get_settings()
    service.prune(
        session,
        now=utcnow(),
        keep_done=timedelta(days=settings.job_keep_days),
        keep_failed=timedelta(days=settings.job_keep_failed_days),
    )
