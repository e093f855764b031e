"""Writes a generated demo workspace into the database, replacing whatever was there."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from huddle.auth.passwords import hash_password
from huddle.config import get_settings
from huddle.demo.generator import DEMO_PASSWORD, DemoWorkspace
from huddle.feedback.enrich import enrich_text
from huddle.jobs import defer
from huddle.kit.time import utcnow
from huddle.models import Base
from huddle.models.account import Account, Contact
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.user import User


@dataclass(frozen=True)
class DemoSummary:
    company: str
    users: list[tuple[str, str, str]]
    accounts: int
    feedback: int
    problems: int
    links: int
    password: str


def wipe(session: Session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name != "alembic_version":
            session.execute(delete(table))


def load(session: Session, workspace: DemoWorkspace) -> DemoSummary:
    wipe(session)
    now = utcnow()
    # One hash for every demo login: Argon2 is slow by design, and the password is shared.
    password_hash = hash_password(DEMO_PASSWORD)
    session.execute(
        insert(User),
        [
            {
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "team": u.team,
                "password_hash": password_hash,
                "is_active": True,
                "created_at": now,
            }
            for u in workspace.users
        ],
    )
    users = {u.email: u.id for u in session.scalars(select(User))}
    session.execute(
        insert(Account),
        [
            {
                "name": a.name,
                "domain": a.domain,
                "segment": a.segment,
                "plan": a.plan,
                "arr_minor": a.arr_minor,
                "currency": a.currency,
                "owner_id": users.get(a.owner_email or ""),
                "status": a.status,
                "renewal_date": a.renewal_date,
                "at_risk": a.at_risk,
                "external_id": a.key,
                "created_at": now,
                "updated_at": now,
            }
            for a in workspace.accounts
        ],
    )
    accounts = {a.external_id: a.id for a in session.scalars(select(Account))}
    session.execute(
        insert(Contact),
        [
            {
                "account_id": accounts[a.key],
                "name": c.name,
                "email": c.email,
                "title": c.title,
                "created_at": now,
            }
            for a in workspace.accounts
            for c in a.contacts
        ],
    )
    contacts = {c.email: c.id for c in session.scalars(select(Contact))}
    problem_ids: dict[str, int] = {}
    pending = list(workspace.problems)
    # Parents first, so a child can point at its parent's id.
    while pending:
        ready = [p for p in pending if p.parent_key is None or p.parent_key in problem_ids]
        if not ready:
            raise ValueError("demo problems have a cycle of parents")
        for p in ready:
            problem = Problem(
                title=p.title,
                description=p.description,
                product_area=p.product_area,
                status=p.status,
                parent_id=problem_ids.get(p.parent_key or ""),
                created_by_id=_first_pm(workspace, users),
            )
            session.add(problem)
            session.flush()
            problem_ids[p.key] = problem.id
        pending = [p for p in pending if p.key not in problem_ids]
    mask = get_settings().mask_pii
    rows = []
    for f in workspace.feedback:
        enriched = enrich_text(f.text, mask=mask)
        rows.append(
            {
                "text": enriched.text,
                "title": f.title,
                "source": f.source,
                "origin": "demo",
                "external_id": f.key,
                "account_id": accounts.get(f.account_key or ""),
                "contact_id": contacts.get(f.contact_email or ""),
                "submitter_id": users.get(f.submitter_email),
                "team": f.team,
                "occurred_at": f.occurred_at,
                "tags": list(f.tags),
                "sentiment": enriched.sentiment,
                "urgency": enriched.urgency,
                "pii_masked": enriched.masked,
                "created_at": f.occurred_at,
            }
        )
    session.execute(insert(Feedback), rows)
    feedback_ids = {
        key: fid for key, fid in session.execute(select(Feedback.external_id, Feedback.id))
    }
    pm = _first_pm(workspace, users)
    links = [
        {
            "feedback_id": feedback_ids[f.key],
            "problem_id": problem_ids[link.problem_key],
            "quote": link.quote,
            "linked_by_id": pm,
            "created_at": _after(f.occurred_at, now),
        }
        for f in workspace.feedback
        for link in f.links
    ]
    if links:
        session.execute(insert(FeedbackLink), links)
    defer(session, "insights.embed_feedback", ids=sorted(feedback_ids.values()))
    session.flush()
    return DemoSummary(
        company=workspace.company,
        users=[(u.email, u.role, u.team) for u in workspace.users],
        accounts=len(workspace.accounts),
        feedback=len(rows),
        problems=len(problem_ids),
        links=len(links),
        password=DEMO_PASSWORD,
    )


def _first_pm(workspace: DemoWorkspace, users: dict[str, int]) -> int | None:
    return next((users[u.email] for u in workspace.users if u.role == "pm"), None)


def _after(moment: datetime, now: datetime) -> datetime:
    return min(moment, now)
