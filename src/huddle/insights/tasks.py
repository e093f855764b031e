"""Background work of the intelligence layer: embed what arrives, match it, rediscover themes."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.insights import search, service
from huddle.insights.embedding import get_default_embedder, pack_vectors
from huddle.jobs import defer, task
from huddle.models.feedback import Feedback
from huddle.models.job import Job


@task("insights.embed_feedback")
def embed_feedback(session: Session, *, ids: list[int]) -> None:
    embedder = get_default_embedder()
    rows = session.execute(select(Feedback.id, Feedback.text).where(Feedback.id.in_(ids))).all()
    if not rows:
        return
    vectors = embedder.encode([text for _, text in rows])
    session.execute(
        update(Feedback),
        [
            {"id": feedback_id, "embedding": blob, "embedding_model": embedder.name}
            for (feedback_id, _), blob in zip(rows, pack_vectors(vectors), strict=True)
        ],
    )
    session.flush()
    search.invalidate()
    embedded = [feedback_id for feedback_id, _ in rows]
    service.match_new_evidence(session, embedded)
    service.flag_duplicates(session, embedded)
    _discover_once_embedding_is_done(session)


def _discover_once_embedding_is_done(session: Session) -> None:
    """One rediscovery after a burst of imports, not one per batch."""
    pending = session.scalar(
        select(Job.id)
        .where(
            Job.task.in_(["insights.embed_feedback", "insights.discover"]), Job.status == "queued"
        )
        .limit(1)
    )
    if pending is None:
        defer(session, "insights.discover")


@task("insights.discover")
def discover(session: Session) -> None:
    service.discover(session, actor=None)
