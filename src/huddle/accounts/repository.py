from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, UnaryExpression, func, or_, select
from sqlalchemy.orm import Session, lazyload

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.kit.bulk import in_lists
from huddle.models.account import Account, AccountKey, Contact

ACCOUNT_SORTS: dict[str, UnaryExpression[Any]] = {
    "arr": Account.arr_minor.desc(),
    "name": Account.name.asc(),
    "renewal": Account.renewal_date.asc(),
}


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, actor: Actor) -> Select[Account]:
        require(may_read(actor))
        return select(Account)

    def get(self, actor: Actor, account_id: int) -> Account | None:
        return self.session.scalar(self.readable(actor).where(Account.id == account_id))

    def search(
        self,
        actor: Actor,
        *,
        text: str | None = None,
        segment: str | None = None,
        owner_id: int | None = None,
        at_risk: bool | None = None,
        sort: str = "arr",
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[Sequence[Account], int]:
        statement = self.readable(actor)
        if text:
            # autoescape: a % or _ in the search is a character to find, not a wildcard.
            words = text.lower()
            statement = statement.where(
                or_(
                    func.lower(Account.name).contains(words, autoescape=True),
                    func.lower(Account.domain).contains(words, autoescape=True),
                )
            )
        if segment:
            statement = statement.where(Account.segment == segment)
        if owner_id is not None:
            statement = statement.where(Account.owner_id == owner_id)
        if at_risk is not None:
            statement = statement.where(Account.at_risk.is_(at_risk))
        total = self.session.scalar(select(func.count()).select_from(statement.subquery())) or 0
        ordered = statement.order_by(ACCOUNT_SORTS.get(sort, ACCOUNT_SORTS["arr"]), Account.id)
        return self.session.scalars(ordered.limit(limit).offset(offset)).all(), total

    def segments(self, actor: Actor) -> list[str]:
        require(may_read(actor))
        statement = select(Account.segment).where(Account.segment.is_not(None)).distinct()
        return sorted(segment for segment in self.session.scalars(statement) if segment)

    # Lookups used by importers and ingestion, which resolve references before writing.
    def by_external_ids(self, ids: set[str]) -> dict[str, Account]:
        """By the account's own external id or another system's id kept as a key."""
        found = self._index(Account.external_id, ids)
        statement = select(AccountKey.external_id, Account).join(
            Account, Account.id == AccountKey.account_id
        )
        for chunk in in_lists(i for i in ids if i and i not in found):
            for key, account in self.session.execute(
                statement.where(AccountKey.external_id.in_(chunk))
            ):
                found[key] = account
        return found

    def by_domains(self, domains: set[str]) -> dict[str, Account]:
        return self._index(Account.domain, {d.lower() for d in domains})

    def by_names(self, names: set[str]) -> dict[str, Account]:
        """By name, ignoring case (names are compared lowered; pass them lowered)."""
        found: dict[str, Account] = {}
        for chunk in in_lists(name.lower() for name in names if name):
            statement = select(Account).where(func.lower(Account.name).in_(chunk))
            for account in self.session.scalars(statement.order_by(Account.id)):
                found.setdefault(" ".join(account.name.split()).lower(), account)
        return found

    def by_ids(self, account_ids: set[int]) -> dict[int, Account]:
        """Accounts by id; the owner is read only if asked for (callers list many accounts
        and rarely show who owns them)."""
        found: dict[int, Account] = {}
        for chunk in in_lists(account_ids):
            statement = (
                select(Account).where(Account.id.in_(chunk)).options(lazyload(Account.owner))
            )
            found.update((account.id, account) for account in self.session.scalars(statement))
        return found

    def keys_of(self, account_ids: set[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = {}
        if not account_ids:
            return found
        statement = select(AccountKey.account_id, AccountKey.external_id).where(
            AccountKey.account_id.in_(sorted(account_ids))
        )
        for account_id, key in self.session.execute(statement):
            found.setdefault(account_id, []).append(key)
        return found

    def _index(self, column: object, keys: set[str]) -> dict[str, Account]:
        found: dict[str, Account] = {}
        for chunk in in_lists(k for k in keys if k):
            for account in self.session.scalars(select(Account).where(column.in_(chunk))):  # type: ignore[attr-defined]
                found[str(getattr(account, column.key))] = account  # type: ignore[attr-defined]
        return found

    def add(self, account: Account) -> Account:
        self.session.add(account)
        self.session.flush()
        return account


class ContactRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_emails(self, emails: set[str]) -> dict[str, Contact]:
        found: dict[str, Contact] = {}
        for chunk in in_lists(email.lower() for email in emails):
            statement = select(Contact).where(Contact.email.in_(chunk))
            for contact in self.session.scalars(statement):
                found[(contact.email or "").lower()] = contact
        return found

    def for_account(self, account_id: int) -> Sequence[Contact]:
        return self.session.scalars(
            select(Contact).where(Contact.account_id == account_id).order_by(Contact.name)
        ).all()
