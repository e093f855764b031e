from collections.abc import Sequence

from sqlalchemy.orm import Session

from huddle.accounts.repository import AccountRepository, ContactRepository
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_add_evidence, may_edit_evidence, require
from huddle.config import get_settings
from huddle.errors import Conflict, Invalid, NotFound
from huddle.feedback.enrich import enrich_text
from huddle.feedback.repository import FeedbackRepository
from huddle.feedback.schemas import FeedbackCreate, FeedbackFilter, FeedbackRead, FeedbackUpdate
from huddle.kit.time import utcnow
from huddle.models.account import Contact
from huddle.models.feedback import Feedback


def add_feedback(session: Session, *, data: FeedbackCreate, actor: Actor) -> Feedback:
    require(may_add_evidence(actor))
    feedback_repo = FeedbackRepository(session)
    if data.external_id and feedback_repo.existing_external_ids(data.origin, {data.external_id}):
        raise Conflict(
            f"evidence with external id {data.external_id} from {data.origin} already exists",
            field="external_id",
        )
    account = None
    if data.account_id is not None:
        account = AccountRepository(session).get(actor_for_lookup(actor), data.account_id)
        if account is None:
            raise Invalid(f"no account {data.account_id}", field="account_id")
    contact = _contact(session, data.contact_email, account.id if account else None)
    enriched = enrich_text(data.text, mask=get_settings().mask_pii)
    feedback = feedback_repo.add(
        Feedback(
            text=enriched.text,
            title=data.title,
            source=data.source.value,
            origin=data.origin,
            external_id=data.external_id,
            link_url=data.link_url,
            account_id=account.id if account else None,
            contact_id=contact.id if contact else None,
            submitter_id=actor.id,
            team=(data.team.value if data.team else actor.user.team),
            occurred_at=data.occurred_at or utcnow(),
            tags=data.tags,
            sentiment=enriched.sentiment,
            urgency=enriched.urgency,
            pii_masked=enriched.masked,
        )
    )
    record(session, actor, "added", feedback, f"added {feedback.source} evidence")
    return feedback


def actor_for_lookup(actor: Actor) -> Actor:
    """Ingest tokens read nothing back, but still resolve the account an item names."""
    return Actor(user=actor.user)


def _contact(session: Session, email: str | None, account_id: int | None) -> Contact | None:
    if not email:
        return None
    email = email.strip().lower()
    known = ContactRepository(session).by_emails({email}).get(email)
    if known is not None:
        return known
    contact = Contact(email=email, account_id=account_id)
    session.add(contact)
    session.flush()
    return contact


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
    if "text" in changes:
        enriched = enrich_text(changes.pop("text"), mask=get_settings().mask_pii)
        feedback.text = enriched.text
        feedback.sentiment, feedback.urgency = enriched.sentiment, enriched.urgency
        feedback.pii_masked = enriched.masked
        feedback.embedding = None
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
    session: Session, *, where: FeedbackFilter, actor: Actor, limit: int = 50, offset: int = 0
) -> tuple[list[FeedbackRead], int]:
    repo = FeedbackRepository(session)
    items, total = repo.search(actor, where, limit=limit, offset=offset)
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
