from collections.abc import Sequence

from sqlalchemy.orm import Session

from huddle.accounts.intake import free_text
from huddle.accounts.repository import AccountRepository
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import (
    may_add_evidence_and_read,
    may_administer,
    may_edit_evidence,
    require,
)
from huddle.config import get_settings
from huddle.errors import Invalid, NotFound
from huddle.feedback import intake
from huddle.feedback.enrich import enrich_text
from huddle.feedback.repository import FeedbackRepository
from huddle.feedback.schemas import FeedbackCreate, FeedbackFilter, FeedbackRead, FeedbackUpdate
from huddle.imports.records import FeedbackRecord
from huddle.jobs import defer
from huddle.models.feedback import Feedback


def add_feedback(
    session: Session, *, data: FeedbackCreate, actor: Actor, channel: str = "api"
) -> tuple[Feedback, str]:
    """One item from a person or an API client, through the same intake as every import.

    Returns the item and whether it was created, updated or unchanged (the same item sent
    again: a retry, or a form submitted twice)."""
    require(may_add_evidence_and_read(actor))
    item = FeedbackRecord(
        line=0,
        text=data.text,
        source=data.source.value,
        occurred_at=data.occurred_at,
        external_id=data.external_id,
        title=data.title,
        link_url=data.link_url,
        account_id=data.account_id,
        contact_email=data.contact_email,
        team=data.team.value if data.team else None,
        tags=data.tags,
    )
    taken = intake.take_in(
        session,
        [item],
        origin=data.origin,
        namespace=intake.user_namespace(actor.id),
        channel=channel,
        submitter=actor.user,
    )
    if taken.errors:
        first = taken.errors[0]
        raise Invalid(first.reason, field=first.column)
    outcome = taken.outcomes[0]
    feedback = get_feedback(session, feedback_id=outcome.id, actor=actor)
    if outcome.status != "unchanged":
        record(session, actor, "added", feedback, f"{outcome.status} {feedback.source} evidence")
    return feedback, outcome.status


def get_feedback(session: Session, *, feedback_id: int, actor: Actor) -> Feedback:
    feedback = FeedbackRepository(session).get(actor, feedback_id)
    if feedback is None:
        raise NotFound(f"no evidence {feedback_id}")
    return feedback


def update_feedback(
    session: Session, *, feedback_id: int, data: FeedbackUpdate, actor: Actor
) -> Feedback:
    feedback = get_feedback(session, feedback_id=feedback_id, actor=actor)
    require(may_edit_evidence(actor, feedback.submitter_id))
    changes = data.model_dump(exclude_unset=True)
    account_id = changes.get("account_id")
    if account_id is not None and AccountRepository(session).get(actor, account_id) is None:
        raise Invalid(f"no account {changes['account_id']}", field="account_id")
    mask = get_settings().mask_pii
    if "title" in changes:
        changes["title"] = free_text(changes["title"], mask=mask)
    if "text" in changes:
        enriched = enrich_text(changes.pop("text"), mask=mask)
        if enriched.text != feedback.text:
            feedback.text = enriched.text
            feedback.sentiment, feedback.urgency = enriched.sentiment, enriched.urgency
            feedback.pii_masked = enriched.masked
            feedback.embedding = None
            feedback.embedding_model = None
            feedback.embedded_at = None
            # Re-worded evidence is embedded again, and matched again, like new evidence.
            defer(session, "insights.embed_feedback", ids=[feedback.id])
    for name, value in changes.items():
        setattr(feedback, name, value.value if hasattr(value, "value") else value)
    session.flush()
    record(session, actor, "updated", feedback, f"changed {', '.join(data.model_fields_set)}")
    return feedback


def delete_feedback(session: Session, *, feedback_id: int, actor: Actor) -> None:
    feedback = get_feedback(session, feedback_id=feedback_id, actor=actor)
    require(may_edit_evidence(actor, feedback.submitter_id))
    record(session, actor, "deleted", feedback, f"deleted evidence: {feedback.text[:80]}")
    session.delete(feedback)
    session.flush()


def list_feedback(
    session: Session,
    *,
    where: FeedbackFilter,
    actor: Actor,
    limit: int = 50,
    offset: int = 0,
    count_up_to: int | None = None,
) -> tuple[list[FeedbackRead], int]:
    """A page of evidence and its total (counted up to `count_up_to` + 1 when given)."""
    repo = FeedbackRepository(session)
    items, total = repo.search(actor, where, limit=limit, offset=offset, count_up_to=count_up_to)
    return to_reads(repo, items), total


def to_reads(repo: FeedbackRepository, items: Sequence[Feedback]) -> list[FeedbackRead]:
    links = repo.problem_ids_for([item.id for item in items])
    reads = []
    for item in items:
        read = FeedbackRead.model_validate(item)
        read.account_name = item.account.name if item.account else None
        read.submitter_name = item.submitter.name if item.submitter else None
        read.problem_ids = sorted(links.get(item.id, []))
        reads.append(read)
    return reads


def reindex_words(session: Session, *, actor: Actor) -> None:
    """Read the words of every text into the index a search by words uses (`huddle
    reindex`): kept by the database as evidence changes, rebuilt after a restore or should
    it ever disagree with the texts."""
    require(may_administer(actor))
    FeedbackRepository(session).rebuild_words_index()
