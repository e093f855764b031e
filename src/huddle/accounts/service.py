import uuid

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.accounts.repository import AccountRepository
from huddle.accounts.schemas import AccountCreate, AccountUpdate
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_manage_accounts, require
from huddle.auth.repository import UserRepository
from huddle.errors import Conflict, Invalid, NotFound
from huddle.models.account import Account

# notify/tasks.py, named here: how people are told is not the accounts' business.
ACCOUNT_TASK = "notify.account_changed"


def _owner_id(session: Session, owner_email: str | None) -> int | None:
    if not owner_email:
        return None
    owner = UserRepository(session).by_email(owner_email)
    if owner is None:
        raise Invalid(
            f"no user with the email {owner_email} to own the account", field="owner_email"
        )
    return owner.id


def create_account(session: Session, *, data: AccountCreate, actor: Actor) -> Account:
    require(may_manage_accounts(actor))
    accounts = AccountRepository(session)
    if data.external_id and accounts.by_external_ids({data.external_id}):
        raise Conflict(
            f"an account with the external id {data.external_id} already exists",
            field="external_id",
        )
    account = accounts.add(
        Account(
            name=data.name.strip(),
            domain=data.domain,
            segment=data.segment,
            plan=data.plan,
            arr_minor=data.arr_minor,
            currency=data.currency,
            owner_id=_owner_id(session, data.owner_email),
            status=data.status.value,
            renewal_date=data.renewal_date,
            at_risk=data.at_risk,
            external_id=data.external_id,
        )
    )
    record(session, actor, "created", account, f"added account {account.name}")
    return account


def get_account(session: Session, *, account_id: int, actor: Actor) -> Account:
    account = AccountRepository(session).get(actor, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    return account


def update_account(
    session: Session, *, account_id: int, data: AccountUpdate, actor: Actor
) -> Account:
    require(may_manage_accounts(actor))
    account = get_account(session, account_id=account_id, actor=actor)
    changes = data.model_dump(exclude_unset=True)
    if "owner_email" in changes:
        account.owner_id = _owner_id(session, changes.pop("owner_email"))
    watched = {
        name: [getattr(account, name), value.value if hasattr(value, "value") else value]
        for name, value in changes.items()
        if name in ("status", "at_risk")
    }
    for name, value in changes.items():
        setattr(account, name, value.value if hasattr(value, "value") else value)
    session.flush()
    record(session, actor, "updated", account, f"changed {', '.join(data.model_fields_set)}")
    watched = {name: pair for name, pair in watched.items() if pair[0] != pair[1]}
    if watched:
        # Its owner and followers are told (notify/), once per change.
        jobs.defer(
            session,
            ACCOUNT_TASK,
            ids=[account.id],
            event=uuid.uuid4().hex,
            changes=watched,
            actor_id=actor.id,
        )
    return account
