"""Background work of the intelligence layer: embed what arrives, match it, rediscover themes.

The queue delivers a job at least once (docs/jobs.md), and the same ids may be queued by two
imports: each task therefore changes nothing when its work is already done."""

from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from huddle.feedback.enrich import signals
from huddle.insights import search, service
from huddle.insights.embedding import get_default_embedder, pack_vectors
from huddle.insights.off_topic import product_part
from huddle.insights.repository import InsightRepository
from huddle.jobs import defer, task
from huddle.jobs.repository import JobRepository
from huddle.kit.time import utcnow
from huddle.models.feedback import Feedback
from huddle.models.meta import WorkspaceMeta

DISCOVERY_STATE = "insights.discover"


@task("insights.embed_feedback")
def embed_feedback(session: Session, *, ids: list[int]) -> None:
    """Embed the items not yet embedded with the current model (changing an item's text clears
    its embedding), fill in missing sentiment and urgency, match the newly embedded items to
    known problems, flag their duplicates, and ask for one rediscovery."""
    embedder = get_default_embedder()
    rows = session.execute(
        select(Feedback.id, Feedback.text, Feedback.sentiment, Feedback.urgency).where(
            Feedback.id.in_(ids),
            or_(
                Feedback.embedding.is_(None),
                Feedback.embedding_model.is_distinct_from(embedder.name),
            ),
        )
    ).all()
    if not rows:
        return
    # Greetings, survey scores, signatures and the account's facts in a call note would
    # make unrelated items look alike.
    vectors = embedder.encode([product_part(row.text) for row in rows])
    changes: list[dict[str, Any]] = []
    for row, blob in zip(rows, pack_vectors(vectors), strict=True):
        # Bulk imports leave sentiment and urgency to this job.
        scored = row.sentiment is None or row.urgency is None
        mood, pressure = signals(row.text) if scored else (None, None)
        changes.append(
            {"row_id": row.id, "read": row.text, "blob": blob, "mood": mood, "pressure": pressure}
        )
    feedback: Table = Feedback.__table__  # type: ignore[assignment]
    # Only where the text is still the one embedded: an edit committed meanwhile cleared the
    # embedding, and a vector of the old text must not fill it in again.
    session.connection().execute(
        update(feedback)
        .where(feedback.c.id == bindparam("row_id"), feedback.c.text == bindparam("read"))
        .values(
            embedding=bindparam("blob"),
            embedding_model=embedder.name,
            embedded_at=utcnow(),
            sentiment=func.coalesce(feedback.c.sentiment, bindparam("mood")),
            urgency=func.coalesce(feedback.c.urgency, bindparam("pressure")),
        ),
        changes,
    )
    current = set(
        session.scalars(
            select(Feedback.id).where(
                Feedback.id.in_([row.id for row in rows]),
                Feedback.embedding_model == embedder.name,
                Feedback.embedding.is_not(None),
            )
        )
    )
    embedded = [row.id for row in rows if row.id in current]
    if not embedded:
        return
    search.invalidate()
    service.match_new_evidence(session, embedded)
    service.flag_duplicates(session, embedded)
    # One rediscovery after a burst of imports, not one per batch: none while batches wait,
    # and never a second copy waiting.
    if not JobRepository(session).has_queued(["insights.embed_feedback"]):
        defer(session, "insights.discover", unique_key="insights.discover")


@task("insights.discover")
def discover(session: Session) -> None:
    """Rediscover themes, unless nothing discovery reads has changed since it last ran: then
    a second run would only replace the suggestions with equal ones under new ids."""
    repo = InsightRepository(session)
    state = session.get(WorkspaceMeta, DISCOVERY_STATE)
    if state is not None and state.value.get("inputs") == repo.discovery_inputs():
        return
    service.discover(session, actor=None)
    session.flush()
    if state is None:
        state = WorkspaceMeta(key=DISCOVERY_STATE, value={})
        session.add(state)
    state.value = {"inputs": repo.discovery_inputs()}
