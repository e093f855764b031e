"""Background work of the intelligence layer: embed what arrives, match it, rediscover themes."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.feedback.enrich import signals
from huddle.insights import search, service
from huddle.insights.embedding import get_default_embedder, pack_vectors
from huddle.jobs import defer, task
from huddle.models.feedback import Feedback
from huddle.models.job import Job


@task("insights.embed_feedback")
def embed_feedback(session: Session, *, ids: list[int]) -> None:
    embedder = get_default_embedder()
    rows = session.execute(
        select(Feedback.id, Feedback.text, Feedback.sentiment).where(Feedback.id.in_(ids))
    ).all()
    if not rows:
        return
    vectors = embedder.encode([row.text for row in rows])
    changes = []
    for row, blob in zip(rows, pack_vectors(vectors), strict=True):
        change = {"id": row.id, "embedding": blob, "embedding_model": embedder.name}
        if row.sentiment is None:
            # Bulk imports leave sentiment and urgency to this job.
            change["sentiment"], change["urgency"] = signals(row.text)
        changes.append(change)
    session.execute(update(Feedback), changes)
    session.flush()
    search.invalidate()
    embedded = [row.id for row in rows]
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
