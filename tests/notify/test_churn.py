"""Churn warnings: customers whose own recent evidence says they may leave are on the watch
list with the evidence that raised it; their owner and followers are told once; the
webhook hears `churn.alert`. The at-risk flag a person sets is never a signal."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.insights.signals import sentiment
from huddle.jobs.runner import run_until_idle
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.message import Message
from huddle.models.problem import Problem
from huddle.notify import churn, follows
from huddle.notify.tasks import churn_check
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login
from tests.notify.conftest import Inbox, Receiver

PHRASES = Path(__file__).parent / "fixtures" / "churn_phrases.tsv"


def _phrases() -> list[tuple[bool, str]]:
    rows = [line.split("\t", 1) for line in PHRASES.read_text().splitlines()[1:] if line]
    return [(kind == "leaving", text) for kind, text in rows]


@pytest.mark.parametrize(("leaving", "text"), _phrases())
def test_talk_of_leaving_is_told_from_everyday_words(leaving: bool, text: str) -> None:
    """Written apart from the demo's own lines: the phrasings are families, not a list of
    the demo's sentences; cancelling a card or moving to a settings page is not leaving."""
    assert (churn.talk_of_leaving(text) is not None) == leaving, text


def _said(
    session: Session, account: Account, text: str, *, days: float = 3, source: str = "call"
) -> Feedback:
    item = create_feedback(
        session,
        text=text,
        account=account,
        source=source,
        occurred_at=utcnow() - timedelta(days=days),
    )
    item.sentiment = sentiment(text)
    return item


ANGRY = (
    "This is unacceptable, the sync broke again and we lost a day of work!",
    "Terrible experience, the export failed and nobody replied. Really disappointed.",
    "Awful: the approvals are stuck again and our team is furious.",
    "The app is broken and useless this week, worst month we've had with it!",
    "Horrible week again: invoices duplicated and support was useless!",
)


def _workspace(session: Session) -> dict[str, Account]:
    owner = create_user(session, role="contributor", team="sales", name="Olga Rep")
    create_user(session, role="admin", team="product")  # the daily job reads as an admin
    made = {
        "leaving": create_account(session, name="Leaving Co", arr=90_000_00),
        "sour": create_account(session, name="Sour Co", arr=50_000_00),
        "renewing": create_account(
            session, name="Renewing Co", renewal=date.today() + timedelta(days=30)
        ),
        "calm": create_account(session, name="Calm Co", renewal=date.today() + timedelta(days=30)),
        "one": create_account(session, name="One Co", renewal=date.today() + timedelta(days=30)),
        "flagged": create_account(session, name="Flagged Co", at_risk=True),
        "prospect": create_account(session, name="Prospect Co", status="prospect"),
    }
    for account in made.values():
        account.owner_id = owner.id
    _said(session, made["leaving"], "We're seriously evaluating other vendors before renewal.")
    _said(session, made["leaving"], "Thanks, the new report is handy.", days=60)
    for text in ANGRY:  # five negative items where it used to say little
        _said(session, made["sour"], text)
    _said(session, made["sour"], "Quick question about the invoice layout.", days=200)
    severe = [create_problem(session, title=f"Severe {n}") for n in range(2)]
    mild = create_problem(session, title="Mild")
    for problem in severe:  # the most severe problems: many accounts behind them
        for n in range(6):
            link(session, _said(session, create_account(session), f"Problem {n}", days=90), problem)
    for n, text in enumerate(ANGRY[:2]):
        link(session, _said(session, made["renewing"], text, days=10), severe[n])
    # The same two complaints, long ago: renewal is near, but nothing recent says so.
    for text in ANGRY[:2]:
        link(session, _said(session, made["calm"], text, days=120), severe[0])
    link(session, _said(session, made["calm"], "Could the mild thing be better?"), mild)
    # Recent complaints before renewal, but about one severe problem: not yet a warning.
    for text in ANGRY[2:4]:
        link(session, _said(session, made["one"], text, days=10), severe[0])
    _said(session, made["prospect"], "We might go with Brex instead, honestly.")
    _said(session, made["prospect"], "We are looking at other tools too.")
    spam = _said(session, made["calm"], "We will cancel our contract unless you buy SEO now")
    spam.dismissed_reason, spam.dismissed_at = "spam", utcnow()
    session.commit()
    return made


def test_the_watch_list_names_who_may_leave_and_why(database_url: str, session: Session) -> None:
    made = _workspace(session)
    reader = Actor(create_user(session, role="viewer"))
    found = {w.account.name: w for w in churn.watch_list(session, actor=reader)}
    assert set(found) == {"Leaving Co", "Sour Co", "Renewing Co"}
    leaving = found["Leaving Co"]
    assert [s.kind for s in leaving.signals] == ["leaving"]
    assert "evaluating other vendors" in leaving.signals[0].words
    assert [f.text for f in leaving.evidence] == [
        "We're seriously evaluating other vendors before renewal."
    ]
    sour = found["Sour Co"]
    assert [s.kind for s in sour.signals] == ["negative"]
    assert "5 of its 5 items in six weeks are negative" in sour.signals[0].words
    renewing = found["Renewing Co"]
    assert [s.kind for s in renewing.signals] == ["renewal"]
    assert "renews in 30 days with 2 of the most severe open problems" in renewing.signals[0].words
    assert renewing.level == "watch" and len(renewing.evidence) == 2
    # The flag alone raises nothing: it is listed apart, to compare.
    quiet = churn.marked_but_quiet(session, list(found.values()), actor=reader)
    assert [a.name for a in quiet] == ["Flagged Co"]
    assert made["flagged"].id not in {w.account.id for w in found.values()}
    # One account alone, as its page asks.
    (one,) = churn.watch_list(session, actor=reader, account_id=made["sour"].id)
    assert one.account.name == "Sour Co"
    assert churn.watch_list(session, actor=reader, account_id=made["calm"].id) == []


def test_spam_set_aside_counts_neither_now_nor_in_the_usual_pace(
    database_url: str, session: Session
) -> None:
    """A bot that flooded the account's inbox last spring, set aside as spam, does not make
    five angry items this month look like the account's usual pace."""
    made = _workspace(session)
    for n in range(40):
        spam = _said(session, made["sour"], f"Awful offer {n}: buy links now!", days=100 + n)
        spam.dismissed_reason, spam.dismissed_at = "spam", utcnow()
    session.commit()
    reader = Actor(create_user(session, role="viewer"))
    (sour,) = churn.watch_list(session, actor=reader, account_id=made["sour"].id)
    assert [s.kind for s in sour.signals] == ["negative"]


def test_a_solved_problem_is_no_longer_severe(database_url: str, session: Session) -> None:
    made = _workspace(session)
    for problem in session.scalars(select(Problem).where(Problem.title.like("Severe%"))):
        problem.status = "solved"
    session.commit()
    reader = Actor(create_user(session, role="viewer"))
    assert churn.watch_list(session, actor=reader, account_id=made["renewing"].id) == []


def test_owners_and_followers_are_told_once_and_the_webhook_hears_it(
    database_url: str, session: Session, smtp: Inbox, receiver: Receiver
) -> None:
    made = _workspace(session)
    follower = create_user(session, role="contributor", team="support", name="Fay Follower")
    follows.follow(
        session, subject="account", subject_id=made["sour"].id, actor=Actor(follower), on=True
    )
    session.commit()
    for _ in range(2):  # the daily job, run twice: one message each
        churn_check(session)
        session.commit()
    run_until_idle(database_url)
    owner_mail = [m for m in smtp.received if "Churn warning" in m["Subject"]]
    olga = made["sour"].owner.email  # type: ignore[union-attr]
    assert sorted(m["Subject"] for m in owner_mail if m["To"] == olga) == [
        "Churn warning: Leaving Co (watch)",
        "Churn warning: Renewing Co (watch)",
        "Churn warning: Sour Co (watch)",
    ]
    to_fay = [m for m in owner_mail if m["To"] == follower.email]
    assert [m["Subject"] for m in to_fay] == ["Churn warning: Sour Co (watch)"]
    body = to_fay[0].get_payload(decode=True).decode()
    assert "may be about to leave" in body and "What they said:" in body
    assert sum(text[:20] in body for text in ANGRY) == 3  # the latest three, quoted
    alerts = receiver.events("churn.alert")
    assert sorted(str(p["data"]["name"]) for _, p in alerts) == [  # type: ignore[index]
        "Leaving Co",
        "Renewing Co",
        "Sour Co",
    ]
    (_, leaving) = next((h, p) for h, p in alerts if p["data"]["name"] == "Leaving Co")  # type: ignore[index]
    assert leaving["data"]["signals"] == ["leaving"]  # type: ignore[index]
    in_app = session.scalars(
        select(Message).where(Message.channel == "app", Message.event == "churn")
    ).all()
    assert len(in_app) == 4  # three to the owner, one to the follower


def test_the_watch_list_page_api_and_cli(database_url: str, session: Session) -> None:
    made = _workspace(session)
    owner = made["sour"].owner
    assert owner is not None
    browser = client(database_url)
    login(browser, owner.email)
    page = browser.get("/watch-list")
    assert page.status_code == 200
    assert "Leaving Co" in page.text and "evaluating other vendors" in page.text
    assert "Marked at risk, but the evidence does not show it" in page.text
    assert "Flagged Co" in page.text
    part = browser.get(f"/accounts/{made['sour'].id}/churn-warning")
    assert "Churn warning (watch)" in part.text and "Terrible experience" in part.text
    calm = browser.get(f"/accounts/{made['calm'].id}/churn-warning")
    assert "Churn warning" not in calm.text
    assert browser.get("/accounts/999999/churn-warning").status_code == 404
    brief = browser.get(f"/accounts/{made['leaving'].id}/brief")
    assert "Churn warning" in brief.text
    api = browser.get("/api/v1/watch-list", headers={"accept": "application/json"})
    assert api.status_code == 200
    by_name = {w["account"]: w for w in api.json()}
    assert by_name["Sour Co"]["signals"][0]["kind"] == "negative"
    assert by_name["Leaving Co"]["evidence"][0]["leaving_words"] == "evaluating other vendors"
    result = CliRunner().invoke(cli, ["--db", database_url, "alerts", "churn", "--json"])
    assert result.exit_code == 0, result.output
    assert {w["account"] for w in json.loads(result.output)} == set(by_name)
    text = CliRunner().invoke(cli, ["--db", database_url, "alerts", "churn"])
    assert "3 accounts on the watch list" in text.output


MOMENT = datetime(2026, 12, 3, 9, tzinfo=UTC)


@pytest.mark.parametrize("seed", [5, 13])
def test_warnings_fire_on_the_demos_accounts_at_risk_and_not_on_healthy_ones(
    database_url: str, session: Session, seed: int
) -> None:
    """From their evidence alone: the demo's accounts at risk complain more, and lately, and
    most say they may leave. Seeds the rules were not tuned on (7, then 11 and 3), at a fixed
    moment (the demo's dates follow it): 21 and 23 of 24 at risk are warned, and of the 146
    healthy customers one (seed 5) and none (seed 13). The few at risk that are missed said
    one to three unremarkable things in six weeks."""
    from huddle.demo import generator, loader

    loader.load(session, generator.generate(seed, now=MOMENT))
    session.commit()
    reader = Actor(create_user(session, role="viewer"))
    found = churn.watch_list(session, actor=reader, now=MOMENT)
    customers = session.execute(
        select(Account.id, Account.at_risk).where(Account.status == "customer")
    ).all()
    risky = {i for i, at_risk in customers if at_risk}
    warned = {w.account.id for w in found}
    assert len(risky) == 24 and len(customers) == 170
    assert len(warned & risky) >= 21
    assert len(warned - risky) <= (1 if seed == 5 else 0)
    assert all(w.evidence and w.signals for w in found)
