"""Which stored account a record means, and what importing accounts and contacts changes.

One rule for every path that names an account (account files, CRM exports, evidence that
refers to its account, contacts): its external id — the account's own or another system's
id kept as an account key — then its domain, then its name. An account found by domain or
name keeps its own id; the new system's id is remembered as a key, so that both systems'
references resolve to the same account.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from huddle.accounts.repository import AccountRepository, ContactRepository
from huddle.auth.repository import UserRepository
from huddle.config import get_settings
from huddle.imports.records import AccountRecord, ContactRecord, RowError
from huddle.insights.pii import mask_pii
from huddle.kit.bulk import bulk_insert, bulk_update
from huddle.kit.text import printable
from huddle.kit.time import utcnow
from huddle.models.account import Account, AccountKey, Contact

# The columns an account import may set, and that its undo puts back.
ACCOUNT_COLUMNS = (
    "name",
    "domain",
    "segment",
    "plan",
    "arr_minor",
    "currency",
    "owner_id",
    "status",
    "renewal_date",
    "at_risk",
    "external_id",
)
CONTACT_COLUMNS = ("name", "title", "account_id")
# The longest text each column holds: a longer value is its row's error, not a crash.
ACCOUNT_LIMITS = {"name": 200, "domain": 253, "segment": 50, "plan": 50, "external_id": 200}
CONTACT_LIMITS = {"email": 254, "name": 200, "title": 200, "external_id": 200}


def too_long(line: int, record: object, limits: dict[str, int]) -> RowError | None:
    for name, limit in limits.items():
        value = getattr(record, name, None)
        if isinstance(value, str) and len(value) > limit:
            return RowError(line, name, f"longer than {limit} characters ({len(value)})")
    return None


def _printable_fields(record: object, names: Sequence[str]) -> None:
    for name in names:
        value = getattr(record, name, None)
        if isinstance(value, str):
            setattr(record, name, printable(value).strip())


def normal_name(name: str) -> str:
    return " ".join(name.split()).lower()


# A company's legal form at the end of its name, as help desks and CRMs write it and people
# leave it out ("Hooli Cloud, Inc.", "Vandelay Imports LLC", "Kestrel GmbH").
_LEGAL_FORM = re.compile(
    r",?\s+(inc|incorporated|llc|l\.l\.c|llp|lp|ltd|limited|corp|corporation|co|company|"
    r"gmbh|ag|sa|s\.a|sas|sarl|srl|s\.r\.l|bv|b\.v|nv|n\.v|plc|pty(\s+ltd)?|pte(\s+ltd)?|"
    r"oy|ab|as|a/s|kk|k\.k)\.?$",
    re.IGNORECASE,
)


def plain_name(name: str) -> str:
    """A name without its legal form, normalised: "hooli cloud" for "Hooli Cloud, Inc."."""
    normal = normal_name(name)
    plain = _LEGAL_FORM.sub("", normal).strip(" ,")
    return plain or normal


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


class AccountMatcher:
    """Resolves references against stored accounts, loaded once for a whole batch."""

    def __init__(
        self,
        session: Session,
        *,
        external_ids: set[str],
        domains: set[str],
        names: set[str],
    ) -> None:
        self.repo = AccountRepository(session)
        self.by_external: dict[str, Account] = {}
        self.by_domain: dict[str, Account] = {}
        self.by_name: dict[str, Account] = {}
        self._asked: tuple[set[str], set[str], set[str]] = (set(), set(), set())
        self.cover(external_ids=external_ids, domains=domains, names=names)

    def cover(self, *, external_ids: set[str], domains: set[str], names: set[str]) -> None:
        """Look up what was not asked before (a long file is matched chunk by chunk)."""
        asked_ids, asked_domains, asked_names = self._asked
        new_ids = {e for e in external_ids if e} - asked_ids
        new_domains = {d.lower() for d in domains if d} - asked_domains
        new_names = {f(n) for n in names if n for f in (normal_name, plain_name)} - asked_names
        self.by_external.update(self.repo.by_external_ids(new_ids))
        self.by_domain.update(self.repo.by_domains(new_domains))
        self.by_name.update(self.repo.by_names(new_names))
        asked_ids |= new_ids
        asked_domains |= new_domains
        asked_names |= new_names

    @classmethod
    def for_refs(cls, session: Session, refs: set[str]) -> "AccountMatcher":
        """A reference may be any of the three; emails contribute their domain."""
        domains = {email_domain(r) if "@" in r else r.lower() for r in refs}
        return cls(session, external_ids=refs, domains=domains, names=refs)

    def match(
        self, *, external_id: str | None, domain: str | None, name: str | None
    ) -> Account | None:
        if external_id and external_id in self.by_external:
            return self.by_external[external_id]
        if domain and domain.lower() in self.by_domain:
            return self.by_domain[domain.lower()]
        if name and normal_name(name) in self.by_name:
            return self.by_name[normal_name(name)]
        # "Hooli Cloud, Inc." is the account Huddle knows as "Hooli Cloud".
        if name and plain_name(name) in self.by_name:
            return self.by_name[plain_name(name)]
        return None

    def resolve(self, ref: str) -> Account | None:
        """An account's external id, domain (or an email at it) or name."""
        ref = ref.strip()
        domain = email_domain(ref) if "@" in ref else ref
        return self.match(external_id=ref, domain=domain, name=ref)


@dataclass
class AccountPlan:
    """What an accounts import would do; nothing is written until it is applied."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    # (account id, the changed columns' new values, their old values)
    updates: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    # (account id, another system's id for it)
    new_keys: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def duplicate_ids(lines_and_ids: Sequence[tuple[int, str | None]], column: str) -> list[RowError]:
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


def plan_accounts(session: Session, records: Sequence[AccountRecord]) -> AccountPlan:
    plan = AccountPlan(
        errors=duplicate_ids([(r.line, r.external_id) for r in records], "external_id")
    )
    owners = UserRepository(session).by_emails({r.owner_email for r in records if r.owner_email})
    matcher = AccountMatcher(
        session,
        external_ids={r.external_id for r in records if r.external_id},
        domains={r.domain for r in records if r.domain},
        names={r.name for r in records},
    )
    default_currency = get_settings().default_currency
    # Two rows of one file that mean the same stored or new account would overwrite each
    # other in an order nobody chose; they are refused instead.
    claimed: dict[object, int] = {}
    for record in records:
        _printable_fields(record, list(ACCOUNT_LIMITS))
        error = too_long(record.line, record, ACCOUNT_LIMITS)
        if error is not None or not record.name:
            plan.errors.append(error or RowError(record.line, "name", "name is required"))
            continue
        values: dict[str, Any] = {"name": " ".join(record.name.split())}
        for name in ACCOUNT_COLUMNS:
            value = getattr(record, name, None)
            if name != "name" and value is not None:
                values[name] = value
        if record.owner_email:
            owner = owners.get(record.owner_email)
            if owner is None and record.owner_optional:
                plan.warnings.append(
                    RowError(
                        record.line,
                        "owner_email",
                        f"no user with the email {record.owner_email}: left without an owner",
                    )
                )
            elif owner is None:
                plan.errors.append(
                    RowError(
                        record.line, "owner_email", f"no user with the email {record.owner_email}"
                    )
                )
                continue
            if owner is not None:
                values["owner_id"] = owner.id
        existing = matcher.match(
            external_id=record.external_id, domain=record.domain, name=record.name
        )
        identity: object = existing.id if existing else (record.domain or normal_name(record.name))
        if identity in claimed:
            plan.errors.append(
                RowError(
                    record.line,
                    None,
                    f"the same account as line {claimed[identity]} (by id, domain or name)",
                )
            )
            continue
        claimed[identity] = record.line
        if existing is None:
            values.setdefault("currency", default_currency)
            values.setdefault("status", "customer")
            values.setdefault("arr_minor", 0)
            values.setdefault("at_risk", False)
            plan.creates.append(values)
            continue
        if normal_name(values["name"]) == normal_name(existing.name):
            del values["name"]  # "globex" from a CRM does not rename "Globex"
        new_id = values.pop("external_id", None)
        if new_id and existing.external_id is None:
            values["external_id"] = new_id
        elif new_id and new_id != existing.external_id and new_id not in matcher.by_external:
            plan.new_keys.append((existing.id, new_id))
        before, after = changed_columns(existing, values)
        if after:
            # Put back with the rest, or undo would leave the time of the undone change.
            before["updated_at"] = existing.updated_at
            plan.updates.append((existing.id, after, before))
        elif not (new_id and (existing.id, new_id) in plan.new_keys):
            plan.unchanged += 1
    return plan


def changed_columns(row: object, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The old and new values of the columns that `values` would really change."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        old = getattr(row, name)
        if old != value:
            before[name], after[name] = old, value
    return before, after


@dataclass
class ContactPlan:
    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def plan_contacts(session: Session, records: Sequence[ContactRecord]) -> ContactPlan:
    """Contacts by email: new ones are created, known ones only get what they lack."""
    plan = ContactPlan()
    if not records:
        return plan
    refs = {r.account_ref for r in records if r.account_ref} | {
        email_domain(r.email) for r in records
    }
    matcher = AccountMatcher.for_refs(session, refs)
    known = ContactRepository(session).by_emails({r.email for r in records})
    mask = get_settings().mask_pii
    seen: set[str] = set()
    for record in records:
        _printable_fields(record, list(CONTACT_LIMITS))
        error = too_long(record.line, record, CONTACT_LIMITS)
        if error is not None:
            plan.errors.append(error)
            continue
        if record.account_ref:
            account = matcher.resolve(record.account_ref)
            if account is None:
                plan.errors.append(
                    RowError(record.line, "account", f"no account {record.account_ref!r}")
                )
                continue
        else:
            account = matcher.by_domain.get(email_domain(record.email))
        email = record.email.lower()
        if email in seen:
            continue
        seen.add(email)
        name = free_text(record.name, mask=mask)
        existing = known.get(email)
        if existing is None:
            plan.creates.append(
                {
                    "email": email,
                    "name": name,
                    "title": free_text(record.title, mask=mask),
                    "account_id": account.id if account else None,
                    "external_id": record.external_id,
                }
            )
            continue
        fill = {
            "name": existing.name or name,
            "title": existing.title or free_text(record.title, mask=mask),
            "account_id": existing.account_id or (account.id if account else None),
        }
        before, after = changed_columns(existing, fill)
        if after:
            plan.updates.append((existing.id, after, before))
    return plan


def free_text(value: str | None, *, mask: bool) -> str | None:
    """A name or title typed by a person may hold an email or a phone number."""
    if not value:
        return value
    return mask_pii(value)[0] if mask else value


def apply_accounts(session: Session, plan: AccountPlan, import_id: int | None) -> None:
    now = utcnow()
    bulk_insert(
        session,
        Account,
        [
            {**values, "import_id": import_id, "created_at": now, "updated_at": now}
            for values in plan.creates
        ],
    )
    bulk_update(
        session,
        Account,
        [{"id": account_id, **after, "updated_at": now} for account_id, after, _ in plan.updates],
    )
    bulk_insert(
        session,
        AccountKey,
        [
            {
                "account_id": account_id,
                "external_id": key,
                "import_id": import_id,
                "created_at": now,
            }
            for account_id, key in plan.new_keys
        ],
    )
    session.flush()


def apply_contacts(session: Session, plan: ContactPlan, import_id: int | None) -> None:
    now = utcnow()
    bulk_insert(
        session,
        Contact,
        [{**values, "import_id": import_id, "created_at": now} for values in plan.creates],
    )
    bulk_update(session, Contact, [{"id": cid, **after} for cid, after, _ in plan.updates])
    session.flush()
