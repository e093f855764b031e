"""Resolving imported records against what is stored, then writing them in bulk."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from huddle.accounts.repository import AccountRepository, ContactRepository
from huddle.auth.repository import UserRepository
from huddle.config import get_settings
from huddle.feedback.enrich import enrich_text
from huddle.feedback.repository import FeedbackRepository
from huddle.imports.records import AccountRecord, ContactRecord, FeedbackRecord, RowError
from huddle.kit.time import utcnow
from huddle.models.account import Account, Contact
from huddle.models.feedback import Feedback
from huddle.models.imports import ImportRun
from huddle.models.user import User

CHUNK = 2000


@dataclass
class Plan:
    """What an import would do; nothing is written until `apply`."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    new_contacts: dict[str, dict[str, Any]] = field(default_factory=dict)


def _duplicate_ids(lines_and_ids: Sequence[tuple[int, str | None]], column: str) -> list[RowError]:
    first_seen: dict[str, int] = {}
    errors = []
    for line, key in lines_and_ids:
        if key is None:
            continue
        if key in first_seen:
            errors.append(RowError(line, column, f"the same id {key!r} as line {first_seen[key]}"))
        else:
            first_seen[key] = line
    return errors


def _users_by_email(session: Session, emails: set[str]) -> dict[str, User]:
    return UserRepository(session).by_emails(emails)


def plan_accounts(session: Session, records: Sequence[AccountRecord]) -> Plan:
    plan = Plan(errors=_duplicate_ids([(r.line, r.external_id) for r in records], "external_id"))
    owners = _users_by_email(session, {r.owner_email for r in records if r.owner_email})
    repo = AccountRepository(session)
    by_external = repo.by_external_ids({r.external_id for r in records if r.external_id})
    by_domain = repo.by_domains({r.domain for r in records if r.domain})
    by_name = repo.by_names({r.name for r in records})
    default_currency = get_settings().default_currency
    for record in records:
        owner_id = None
        if record.owner_email:
            owner = owners.get(record.owner_email)
            if owner is None:
                plan.errors.append(
                    RowError(
                        record.line, "owner_email", f"no user with the email {record.owner_email}"
                    )
                )
                continue
            owner_id = owner.id
        values: dict[str, Any] = {"name": record.name}
        for name in (
            "domain",
            "segment",
            "plan",
            "arr_minor",
            "currency",
            "status",
            "renewal_date",
            "at_risk",
            "external_id",
        ):
            value = getattr(record, name)
            if value is not None:
                values[name] = value
        if record.owner_email:
            values["owner_id"] = owner_id
        existing = (
            (by_external.get(record.external_id) if record.external_id else None)
            or (by_domain.get(record.domain) if record.domain and not record.external_id else None)
            or (by_name.get(record.name.lower()) if not record.external_id else None)
        )
        if existing is not None:
            plan.updates.append({"id": existing.id, **values})
        else:
            values.setdefault("currency", default_currency)
            values.setdefault("status", "customer")
            values.setdefault("arr_minor", 0)
            values.setdefault("at_risk", False)
            plan.creates.append(values)
    return plan


def plan_feedback(
    session: Session,
    records: Sequence[FeedbackRecord],
    *,
    origin: str,
    default_submitter: User | None,
) -> Plan:
    plan = Plan(errors=_duplicate_ids([(r.line, r.external_id) for r in records], "external_id"))
    accounts = AccountRepository(session)
    refs = {r.account_ref for r in records if r.account_ref}
    by_external = accounts.by_external_ids(refs)
    by_domain = accounts.by_domains(
        refs | {r.contact_email.split("@")[1] for r in records if r.contact_email}
    )
    by_name = accounts.by_names(refs)
    submitters = _users_by_email(session, {r.submitter_email for r in records if r.submitter_email})
    contacts = ContactRepository(session).by_emails(
        {r.contact_email for r in records if r.contact_email}
    )
    existing = FeedbackRepository(session).existing_external_ids(
        origin, {r.external_id for r in records if r.external_id}
    )
    mask = get_settings().mask_pii
    for record in records:
        account = None
        if record.account_ref:
            ref = record.account_ref
            account = resolve_account(ref, by_external, by_domain, by_name)
            if account is None:
                plan.errors.append(
                    RowError(
                        record.line,
                        "account",
                        f"no account {ref!r} (by id, domain or name); import accounts first",
                    )
                )
                continue
        elif record.contact_email:
            account = by_domain.get(record.contact_email.split("@")[1])
        submitter = default_submitter
        if record.submitter_email:
            submitter = submitters.get(record.submitter_email)
            if submitter is None:
                plan.errors.append(
                    RowError(
                        record.line,
                        "submitter_email",
                        f"no user with the email {record.submitter_email}",
                    )
                )
                continue
        contact_id = None
        if record.contact_email:
            known = contacts.get(record.contact_email)
            if known is not None:
                contact_id = known.id
            else:
                plan.new_contacts.setdefault(
                    record.contact_email,
                    {
                        "email": record.contact_email,
                        "name": record.contact_name,
                        "account_id": account.id if account else None,
                    },
                )
        enriched = enrich_text(record.text, mask=mask, score=False)
        values: dict[str, Any] = {
            "text": enriched.text,
            "title": record.title,
            "source": record.source,
            "origin": origin,
            "external_id": record.external_id,
            "link_url": record.link_url,
            "account_id": account.id if account else None,
            "contact_id": contact_id,
            "contact_email": record.contact_email,
            "submitter_id": submitter.id if submitter else None,
            "team": record.team or (submitter.team if submitter else None),
            "occurred_at": record.occurred_at,
            "tags": record.tags,
            "sentiment": enriched.sentiment,
            "urgency": enriched.urgency,
            "pii_masked": enriched.masked,
        }
        known_id = existing.get(record.external_id) if record.external_id else None
        if known_id is not None:
            plan.updates.append({"id": known_id, **values})
        else:
            plan.creates.append(values)
    return plan


def _bulk_insert(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Core executemany: one statement for many rows (the ORM's bulk path groups rows apart)."""
    if not rows:
        return
    keys = {key for row in rows for key in row}
    table = model.__table__
    for start in range(0, len(rows), CHUNK):
        chunk = [{key: row.get(key) for key in keys} for row in rows[start : start + CHUNK]]
        session.execute(insert(table), chunk)


def _bulk_update(session: Session, model: Any, rows: list[dict[str, Any]]) -> None:
    """Updates by id; rows naming the same columns share one executemany."""
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(k for k in row if k != "id")), []).append(row)
    for columns, members in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({column: bindparam(column) for column in columns})
        )
        for start in range(0, len(members), CHUNK):
            chunk = [
                {"row_id": row["id"], **{c: row[c] for c in columns}}
                for row in members[start : start + CHUNK]
            ]
            session.execute(statement, chunk)


def apply_accounts(session: Session, plan: Plan, import_id: int | None) -> None:
    now = utcnow()
    _bulk_insert(
        session,
        Account,
        [
            {**values, "import_id": import_id, "created_at": now, "updated_at": now}
            for values in plan.creates
        ],
    )
    _bulk_update(session, Account, [{**values, "updated_at": now} for values in plan.updates])
    session.flush()


def resolve_account(
    ref: str,
    by_external: dict[str, Account],
    by_domain: dict[str, Account],
    by_name: dict[str, Account],
) -> Account | None:
    return by_external.get(ref) or by_domain.get(ref.lower()) or by_name.get(ref.lower())


def apply_contacts(
    session: Session, records: Sequence[ContactRecord], import_id: int | None
) -> list[RowError]:
    """Creates contacts by email, or fills in what a known contact lacks."""
    if not records:
        return []
    accounts = AccountRepository(session)
    refs = {r.account_ref for r in records if r.account_ref} | {
        r.email.split("@")[-1] for r in records
    }
    by_external, by_domain, by_name = (
        accounts.by_external_ids(refs),
        accounts.by_domains(refs),
        accounts.by_names(refs),
    )
    known = ContactRepository(session).by_emails({r.email for r in records})
    errors: list[RowError] = []
    creates: dict[str, dict[str, Any]] = {}
    for record in records:
        account = None
        if record.account_ref:
            account = resolve_account(record.account_ref, by_external, by_domain, by_name)
            if account is None:
                errors.append(
                    RowError(record.line, "account", f"no account {record.account_ref!r}")
                )
                continue
        else:
            account = by_domain.get(record.email.split("@")[-1].lower())
        email = record.email.lower()
        existing = known.get(email)
        if existing is not None:
            existing.name = existing.name or record.name
            existing.title = existing.title or record.title
            existing.account_id = existing.account_id or (account.id if account else None)
        elif email not in creates:
            creates[email] = {
                "email": email,
                "name": record.name,
                "title": record.title,
                "account_id": account.id if account else None,
                "external_id": record.external_id,
                "import_id": import_id,
                "created_at": utcnow(),
            }
    _bulk_insert(session, Contact, list(creates.values()))
    session.flush()
    return errors


def apply_feedback(session: Session, plan: Plan, import_id: int | None) -> list[int]:
    """Writes the plan; returns the ids of evidence created or changed (to embed again)."""
    now = utcnow()
    _bulk_insert(
        session,
        Contact,
        [
            {**values, "import_id": import_id, "created_at": now}
            for values in plan.new_contacts.values()
        ],
    )
    contact_ids = (
        ContactRepository(session).by_emails(set(plan.new_contacts)) if plan.new_contacts else {}
    )

    def finish(values: dict[str, Any]) -> dict[str, Any]:
        email = values.pop("contact_email")
        if values["contact_id"] is None and email in contact_ids:
            values["contact_id"] = contact_ids[email].id
        return values

    _bulk_insert(
        session,
        Feedback,
        [
            {**finish(dict(values)), "import_id": import_id, "created_at": now}
            for values in plan.creates
        ],
    )
    _bulk_update(
        session, Feedback, [{**finish(dict(values)), "embedding": None} for values in plan.updates]
    )
    session.flush()
    changed = [values["id"] for values in plan.updates]
    if import_id is not None:
        changed += list(session.scalars(select(Feedback.id).where(Feedback.import_id == import_id)))
    return changed


def remove_import(session: Session, import_id: int) -> dict[str, int]:
    removed = {}
    tables = (("feedback", Feedback), ("contacts", Contact), ("accounts", Account))
    for label, model in tables:
        result = session.execute(delete(model).where(model.import_id == import_id))
        removed[label] = int(result.rowcount)  # type: ignore[attr-defined]
    session.flush()
    return removed


def recent_imports(session: Session, limit: int = 100) -> Sequence[ImportRun]:
    return session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)).all()
