"""The account a person named on the add-evidence form, so that evidence is never filed
under the wrong account, or under none, by accident."""

from sqlalchemy.orm import Session

from huddle.accounts import service as accounts
from huddle.accounts.repository import AccountRepository
from huddle.accounts.schemas import AccountCreate
from huddle.auth.actor import Actor
from huddle.errors import Invalid
from huddle.models.enums import AccountStatus


class UnknownAccount(Invalid):
    """A typed name no account has (the form offers to create it, to PMs and admins)."""


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).lower() == " ".join(b.split()).lower()


def resolve_account(
    session: Session, *, actor: Actor, chosen_id: int | None, typed: str | None, create: bool
) -> int | None:
    """The account id to file under: the one picked from the list if the field still shows
    its name; else the one whose name or domain is exactly what was typed; else a new
    prospect of that name when asked (and allowed); an empty field means no account. A
    request without the field at all (a script) is taken at its `account_id`."""
    repo = AccountRepository(session)
    if typed is None:
        if chosen_id is not None and repo.get(actor, chosen_id) is None:
            raise Invalid(f"no account {chosen_id}", field="account_id")
        return chosen_id
    name = " ".join(typed.split())
    if not name:
        # The field shows no account: none, whatever was picked before it was cleared.
        return None
    if chosen_id is not None:
        picked = repo.get(actor, chosen_id)
        # Picked, then the text was changed: the pick no longer holds.
        if picked is not None and _same(picked.name, name):
            return picked.id
    found = repo.by_names({name.lower()}).get(name.lower()) or repo.by_domains({name}).get(
        name.lower()
    )
    if found is not None:
        return found.id
    if create:
        made = accounts.create_account(
            session,
            data=AccountCreate(name=name, status=AccountStatus.prospect),
            actor=actor,
        )
        return made.id
    raise UnknownAccount(
        f"No account is called “{name}”. Pick one from the list, or clear the field to add "
        "the evidence without an account.",
        field="account_query",
    )
