"""When a solution ships, each account owner whose accounts asked for it gets one message
listing them, with their quotes and a note to send; each contributor whose evidence fed it is
told what became of it. By email (a real SMTP server on loopback) and in the app, and never
twice, however often the event is handled."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.config import get_settings
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionCreate, SolutionUpdate
from huddle.jobs.runner import run_until_idle
from huddle.models.message import Message
from huddle.notify import service
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login
from tests.notify.conftest import Inbox, Receiver, free_port


def _workspace(session: Session) -> dict[str, object]:
    """Two owners: Olga owns Acme (two requests) and Globex; Sam owns Initech. Rita (support)
    and Cal (sales) added the evidence; Umbrella, with no owner, asked too. A healthy account
    that asked for nothing stays out of it."""
    pm = create_user(session, role="pm", name="Pat PM")
    olga = create_user(session, role="contributor", team="sales", name="Olga Owner")
    sam = create_user(session, role="contributor", team="sales", name="Sam Owner")
    rita = create_user(session, role="contributor", team="support", name="Rita Support")
    cal = create_user(session, role="contributor", team="sales", name="Cal Sales")
    accounts = {
        name: create_account(session, name=name, arr=arr)
        for name, arr in (
            ("Acme", 120_000_00),
            ("Globex", 40_000_00),
            ("Initech", 75_000_00),
            ("Umbrella", 10_000_00),
            ("Quiet Co", 99_000_00),
        )
    }
    for name, owner in (("Acme", olga), ("Globex", olga), ("Initech", sam), ("Quiet Co", sam)):
        accounts[name].owner_id = owner.id
    sso = create_problem(session, title="No SAML single sign-on")
    for name, text, submitter in (
        ("Acme", "We need SAML SSO through Okta before security signs off", cal),
        ("Acme", "Acme's IT asked again for Okta single sign-on", rita),
        ("Globex", "Without SSO we manage 150 passwords by hand", rita),
        ("Initech", "SSO is a must for our IT team", cal),
        ("Umbrella", "Please support SAML", rita),
    ):
        item = create_feedback(session, text=text, account=accounts[name], submitter=submitter)
        link(session, item, sso)
    other = create_problem(session, title="Dark mode")
    link(
        session,
        create_feedback(session, text="Dark mode please", account=accounts["Quiet Co"]),
        other,
    )
    session.commit()
    solution = ideas.create_solution(
        session,
        data=SolutionCreate(
            title="SAML single sign-on",
            description="Okta and Azure AD",
            problem_ids=[sso.id],
            internal_notes="Legal wanted SCIM first",
        ),
        actor=Actor(pm),
    )
    session.commit()
    return {"pm": pm, "olga": olga, "sam": sam, "rita": rita, "cal": cal, "solution": solution.id}


def _ship(session: Session, made: dict[str, object]) -> None:
    ideas.update_solution(
        session,
        solution_id=made["solution"],  # type: ignore[arg-type]
        data=SolutionUpdate(commitment="shipped"),
        actor=Actor(made["pm"]),  # type: ignore[arg-type]
    )
    session.commit()


def test_shipping_tells_each_owner_once_about_their_accounts(
    database_url: str, session: Session, smtp: Inbox
) -> None:
    made = _workspace(session)
    run_until_idle(database_url)
    assert smtp.received == []  # nothing shipped yet
    _ship(session, made)
    run_until_idle(database_url)
    olga, sam = made["olga"], made["sam"]
    [to_olga] = smtp.to(olga.email)  # type: ignore[attr-defined]
    body = to_olga.get_payload(decode=True).decode()
    assert "2 of your accounts" in to_olga["Subject"]
    assert body.index("Acme") < body.index("Globex")  # largest ARR first
    assert "Okta before security signs off" in body and "150 passwords" in body
    assert "Initech" not in body and "Umbrella" not in body
    assert "A note you could send them" in body
    assert "https://huddle.example/solutions/" in body
    assert "Legal wanted SCIM" not in body  # internal notes stay inside
    [to_sam] = smtp.to(sam.email)  # type: ignore[attr-defined]
    sam_body = to_sam.get_payload(decode=True).decode()
    assert "Initech" in sam_body and "Quiet Co" not in sam_body
    # Contributors hear what became of their evidence: Rita added three items, Cal two.
    [to_rita] = smtp.to(made["rita"].email)  # type: ignore[attr-defined]
    assert "What became of your evidence" in to_rita["Subject"]
    assert "3 pieces of evidence" in to_rita.get_payload(decode=True).decode()
    assert len(smtp.to(made["cal"].email)) == 1  # type: ignore[attr-defined]
    assert len(smtp.to(made["pm"].email)) == 0  # type: ignore[attr-defined]
    assert all(m["Message-ID"] and m["X-Huddle-Key"] for m in smtp.received)

    # Handled again (a job run twice, shipped -> planned -> shipped): nobody hears twice.
    def shipped_mail() -> int:
        return sum(1 for m in smtp.received if m["Subject"].startswith(("Shipped", "What became")))

    count = shipped_mail()
    assert service.solution_shipped(session, made["solution"]) == []  # type: ignore[arg-type]
    ideas.update_solution(
        session,
        solution_id=made["solution"],  # type: ignore[arg-type]
        data=SolutionUpdate(commitment="planned"),
        actor=Actor(made["pm"]),  # type: ignore[arg-type]
    )
    session.commit()
    _ship(session, made)
    run_until_idle(database_url)
    assert shipped_mail() == count
    # Set back to planned, the owners were told that (and not that it shipped again).
    assert sum(1 for m in smtp.received if "is now planned" in m["Subject"]) == 2
    statuses = session.scalars(select(Message.status).where(Message.channel == "email")).all()
    assert statuses and set(statuses) == {"sent"}

    # In the app, each of them sees it; nobody else does.
    browser = client(database_url)
    login(browser, olga.email)  # type: ignore[attr-defined]
    page = browser.get("/notifications")
    assert "Shipped: “SAML single sign-on”" in page.text and "2 unread" in page.text
    stranger = create_user(session, role="viewer")
    session.commit()
    other = client(database_url)
    login(other, stranger.email)
    assert "SAML single sign-on" not in other.get("/notifications").text


def test_without_a_mail_server_messages_stay_in_the_app(
    database_url: str, session: Session
) -> None:
    made = _workspace(session)
    _ship(session, made)
    run_until_idle(database_url)
    channels = session.scalars(select(Message.channel)).all()
    assert channels and set(channels) == {"app"}


def test_a_mail_server_that_refuses_keeps_the_message_queued(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUDDLE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HUDDLE_SMTP_PORT", str(free_port()))  # nobody listens there
    get_settings.cache_clear()
    made = _workspace(session)
    _ship(session, made)
    run_until_idle(database_url)
    session.expire_all()
    emails = session.scalars(select(Message).where(Message.channel == "email")).all()
    assert emails and all(m.status == "queued" and m.sent_at is None for m in emails)
    get_settings.cache_clear()


def test_a_commitment_change_tells_the_owners_whose_accounts_asked(
    database_url: str, session: Session
) -> None:
    made = _workspace(session)
    ideas.update_solution(
        session,
        solution_id=made["solution"],  # type: ignore[arg-type]
        data=SolutionUpdate(commitment="committed", reason="two renewals depend on it"),
        actor=Actor(made["pm"]),  # type: ignore[arg-type]
    )
    session.commit()
    run_until_idle(database_url)
    rows = session.scalars(select(Message).where(Message.channel == "app")).all()
    told = {m.recipient_id: m for m in rows}
    olga, sam = made["olga"], made["sam"]
    assert set(told) == {olga.id, sam.id}  # type: ignore[attr-defined]
    to_olga = told[olga.id]  # type: ignore[attr-defined]
    assert "is now committed: 2 of your accounts asked" in to_olga.subject
    assert "Acme, Globex" in to_olga.body and "two renewals depend on it" in to_olga.body
    # Not approved for sales: the owner is told not to promise it yet.
    assert "do not promise it" in to_olga.body


def test_shipping_a_demo_solution_tells_the_right_people(
    database_url: str, session: Session, smtp: Inbox, receiver: Receiver
) -> None:
    """In the demo workspace: the owners of exactly the accounts whose evidence backs the
    solution's problems get one email each naming those accounts; the people who added that
    evidence are thanked; the webhook hears it once, with those accounts."""
    from huddle.demo import generator, loader
    from huddle.models.account import Account
    from huddle.models.feedback import Feedback
    from huddle.models.problem import FeedbackLink
    from huddle.models.solution import Solution, SolutionProblem
    from huddle.models.user import User

    loader.load(session, generator.generate(3, accounts=60, feedback=500))
    session.commit()
    run_until_idle(database_url)  # the demo's own background work first
    smtp.received.clear()
    open_ones = session.scalars(select(Solution).where(Solution.commitment != "shipped")).all()
    solution = max(open_ones, key=lambda s: (s.accounts, -s.id))
    assert solution.accounts > 0
    backing = (
        select(Feedback.account_id, Feedback.submitter_id)
        .join(FeedbackLink, FeedbackLink.feedback_id == Feedback.id)
        .join(SolutionProblem, SolutionProblem.problem_id == FeedbackLink.problem_id)
        .where(SolutionProblem.solution_id == solution.id)
    )
    rows = session.execute(backing).all()
    asked = {a for a, _ in rows if a}
    owners: dict[str, set[str]] = {}
    for account in session.scalars(select(Account).where(Account.id.in_(asked))):
        if account.owner is not None and account.owner.is_active:
            owners.setdefault(account.owner.email, set()).add(account.name)
    contributors = {
        u.email
        for u in session.scalars(
            select(User).where(User.id.in_({s for _, s in rows if s}), User.is_active)
        )
    }
    pm = session.scalars(select(User).where(User.role == "pm")).first()
    assert pm is not None and owners and contributors
    ideas.update_solution(
        session,
        solution_id=solution.id,
        data=SolutionUpdate(commitment="shipped"),
        actor=Actor(pm),
    )
    session.commit()
    run_until_idle(database_url)
    shipped = [m for m in smtp.received if m["Subject"].startswith("Shipped:")]
    assert sorted(m["To"] for m in shipped) == sorted(owners)  # one each, only them
    for email in shipped:
        body = email.get_payload(decode=True).decode()
        for name in owners[email["To"]]:
            assert f"- {name} (" in body
        others = {n for o, names in owners.items() if o != email["To"] for n in names}
        assert not any(f"- {n} (" in body for n in others - owners[email["To"]])
    thanked = [m for m in smtp.received if m["Subject"].startswith("What became of")]
    assert sorted(m["To"] for m in thanked) == sorted(contributors)
    (event,) = receiver.events("solution.shipped")
    assert event[1]["data"]["account_ids"] == sorted(asked)  # type: ignore[index]
