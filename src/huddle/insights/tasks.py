"""Background work of the intelligence layer: embedding evidence after it arrives."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.jobs import task
from huddle.models.feedback import Feedback


@task("insights.embed_feedback")
def embed_feedback(session: Session, *, ids: list[int]) -> None:
    from huddle.insights.embedding import get_default_embedder, pack_vectors

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
