"""Following a solution or an account: its followers (and an account's owner) hear when its
commitment, status or risk changes, with the reason; the person who changed it does not."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.accounts import service as accounts
from huddle.accounts.schemas import AccountUpdate
from huddle.auth.actor import Actor
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionCreate, SolutionUpdate
from huddle.jobs.runner import run_until_idle
from huddle.models.message import Message
from tests.factories import create_account, create_user
from tests.helpers import bearer, client, login


def _messages(session: Session) -> list[tuple[int | None, str, str]]:
    session.expire_all()
    rows = session.scalars(select(Message).where(Message.channel == "app").order_by(Message.id))
    return [(m.recipient_id, m.subject, m.body) for m in rows]


def test_a_solutions_followers_hear_its_commitment_change(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    fan = create_user(session, role="contributor", team="sales")
    other = create_user(session, role="viewer")
    session.commit()
    solution = ideas.create_solution(
        session, data=SolutionCreate(title="Dark mode"), actor=Actor(pm)
    )
    session.commit()
    browser = client(database_url)
    csrf = login(browser, fan.email)
    followed = browser.post(
        f"/solutions/{solution.id}/follow",
        data={"csrf_token": csrf, "on": "1"},
        follow_redirects=False,
    )
    assert followed.status_code == 303
    assert "Following ✓" in browser.get(f"/solutions/{solution.id}/following").text
    api = client(database_url)
    answer = api.put(f"/api/v1/solutions/{solution.id}/following", headers=bearer(session, pm))
    assert answer.json() == {"following": True}
    ideas.update_solution(
        session,
        solution_id=solution.id,
        data=SolutionUpdate(commitment="committed", reason="three renewals depend on it"),
        actor=Actor(pm),
    )
    session.commit()
    run_until_idle(database_url)
    [(to, subject, body)] = _messages(session)
    assert to == fan.id  # the PM followed too, but made the change
    assert "exploring → committed" in subject and "three renewals depend on it" in body
    assert other.id not in {m[0] for m in _messages(session)}
    # Unfollowed, they hear nothing more.
    assert api.delete(
        f"/api/v1/solutions/{solution.id}/following", headers=bearer(session, fan)
    ).json() == {"following": False}
    ideas.update_solution(
        session, solution_id=solution.id, data=SolutionUpdate(commitment="planned"), actor=Actor(pm)
    )
    session.commit()
    run_until_idle(database_url)
    assert len(_messages(session)) == 1
    assert (
        api.put("/api/v1/solutions/999999/following", headers=bearer(session, fan)).status_code
        == 404
    )


def test_an_accounts_owner_and_followers_hear_when_it_turns_at_risk(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    owner = create_user(session, role="contributor", team="sales")
    fan = create_user(session, role="contributor", team="support")
    account = create_account(session, name="Acme")
    account.owner_id = owner.id
    session.commit()
    browser = client(database_url)
    csrf = login(browser, fan.email)
    browser.post(f"/accounts/{account.id}/follow", data={"csrf_token": csrf, "on": "1"})
    accounts.update_account(
        session, account_id=account.id, data=AccountUpdate(at_risk=True), actor=Actor(pm)
    )
    session.commit()
    run_until_idle(database_url)
    found = _messages(session)
    assert sorted(m[0] for m in found) == sorted([owner.id, fan.id])
    assert all("marked at risk" in m[1] for m in found)
    # A change to something else (the plan) tells nobody.
    accounts.update_account(
        session, account_id=account.id, data=AccountUpdate(plan="Enterprise"), actor=Actor(pm)
    )
    session.commit()
    run_until_idle(database_url)
    assert len(_messages(session)) == 2
