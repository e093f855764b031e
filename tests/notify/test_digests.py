"""Weekly digests: each sales rep reads about their own accounts (what shipped that they
asked for, what sales leadership committed, what they said this week); support reads the
known problems behind this week's tickets. In the app, as Markdown, and by email, once a
week however often it is sent."""

import re
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionCreate, SolutionUpdate
from huddle.jobs.runner import run_until_idle
from huddle.kit.time import utcnow
from huddle.launch.decisions import record_decision
from huddle.models.message import Message
from huddle.models.solution import Solution
from huddle.notify import digests
from huddle.plans import roadmap
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login
from tests.notify.conftest import Inbox


def _workspace(session: Session) -> dict[str, object]:
    pm = create_user(session, role="pm", name="Pat PM")
    leader = create_user(
        session, role="contributor", team="sales", name="Lee Leader", approves_for_sales=True
    )
    olga = create_user(session, role="contributor", team="sales", name="Olga Rep")
    sam = create_user(session, role="contributor", team="sales", name="Sam Rep")
    rosa = create_user(session, role="contributor", team="support", name="Rosa Support")
    acme = create_account(
        session, name="Acme", arr=120_000_00, at_risk=True, renewal=date.today() + timedelta(30)
    )
    globex = create_account(session, name="Globex", renewal=date.today() + timedelta(300))
    initech = create_account(session, name="Initech")
    acme.owner_id, globex.owner_id, initech.owner_id = olga.id, olga.id, sam.id
    sso = create_problem(session, title="No single sign-on")
    recent = utcnow() - timedelta(days=2)
    link(
        session,
        create_feedback(
            session, text="Acme needs Okta SSO before renewal", account=acme, occurred_at=recent
        ),
        sso,
    )
    link(session, create_feedback(session, text="Initech wants SSO too", account=initech), sso)
    create_feedback(
        session,
        text="Old note from Globex about invoices",
        account=globex,
        occurred_at=utcnow() - timedelta(days=20),
    )
    link(
        session,
        create_feedback(session, text="Login loop with Okta", source="ticket", occurred_at=recent),
        sso,
    )
    create_feedback(session, text="Printer driver question", source="ticket", occurred_at=recent)
    session.commit()
    as_pm = Actor(pm)
    made = {}
    for key, title in (("shipped", "SAML SSO"), ("committed", "SCIM"), ("unapproved", "MFA")):
        made[key] = ideas.create_solution(
            session, data=SolutionCreate(title=title, problem_ids=[sso.id]), actor=as_pm
        ).id
    ideas.update_solution(
        session, solution_id=made["shipped"], data=SolutionUpdate(commitment="shipped"), actor=as_pm
    )
    for key in ("committed", "unapproved"):
        ideas.update_solution(
            session,
            solution_id=made[key],
            data=SolutionUpdate(horizon="next", commitment="committed", quarter="2031-Q2"),
            actor=as_pm,
        )
    roadmap.approve_for_sales(
        session, solution_id=made["committed"], share_quarter=True, actor=Actor(leader)
    )
    session.commit()
    return {"olga": olga, "sam": sam, "rosa": rosa, "leader": leader, "pm": pm}


def test_a_reps_digest_is_about_their_own_accounts(database_url: str, session: Session) -> None:
    made = _workspace(session)
    olga = digests.digest(session, audience="sales", actor=Actor(made["olga"]))  # type: ignore[arg-type]
    text = olga.text()
    shipped, committed, said, watch = olga.sections
    assert shipped.lines == ["SAML SSO: asked for by Acme"]
    assert committed.lines == ["SCIM (2031-Q2): asked for by Acme"]  # MFA was never approved
    assert [line.split(" (")[0] for line in said.lines] == ["Acme"]  # Globex's note is old
    assert "Acme" in watch.lines[0] and "marked at risk" in watch.lines[0]
    assert "Initech" not in text and "MFA" not in text
    sam = digests.digest(session, audience="sales", actor=Actor(made["sam"])).text()  # type: ignore[arg-type]
    assert "Initech" in sam and "Acme" not in sam
    assert olga.markdown().startswith("# Your sales digest")


def test_the_support_digest_names_the_problems_behind_this_weeks_tickets(
    database_url: str, session: Session
) -> None:
    made = _workspace(session)
    found = digests.digest(session, audience="support", actor=Actor(made["rosa"]))  # type: ignore[arg-type]
    known, unexplained = found.sections
    assert known.lines[0].startswith("No single sign-on — 1 ticket, new")
    assert "SAML SSO (shipped)" in known.lines[0] and "SCIM (committed)" in known.lines[0]
    assert unexplained.lines == ["“Printer driver question”"]


def test_digests_are_sent_once_a_week_in_the_app_and_by_email(
    database_url: str, session: Session, smtp: Inbox
) -> None:
    made = _workspace(session)
    create_user(session, role="admin", team="product")  # the CLI acts as the first admin
    session.commit()
    runner = CliRunner()
    args = ["--db", database_url, "digests", "send", "--audience", "sales"]
    dry = runner.invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would send 3 sales digests" in dry.output and "SAML SSO" in dry.output
    assert session.scalar(select(Message.id)) is None
    for _ in range(2):
        sent = runner.invoke(cli, args)
        assert sent.exit_code == 0, sent.output
    run_until_idle(database_url)
    # Three in the sales team, one each, however often it was sent this week.
    sent_digests = [m for m in smtp.received if "sales digest" in m["Subject"]]
    assert sorted(m["To"] for m in sent_digests) == sorted(
        u.email  # type: ignore[attr-defined]
        for u in (made["olga"], made["sam"], made["leader"])
    )
    to_olga = next(m for m in sent_digests if m["To"] == made["olga"].email)  # type: ignore[attr-defined]
    # Plain text and HTML, the HTML's charts attached as images it names by Content-ID.
    assert to_olga.get_content_type() == "multipart/alternative"
    parts = {p.get_content_type(): p for p in to_olga.walk()}
    plain = parts["text/plain"].get_payload(decode=True).decode()
    html = parts["text/html"].get_payload(decode=True).decode()
    assert "SAML SSO: asked for by Acme" in plain and "SAML SSO: asked for by Acme" in html
    images = [p for p in to_olga.walk() if p.get_content_type() == "image/png"]
    assert images and all(p.get_payload(decode=True).startswith(b"\x89PNG") for p in images)
    named = {p["Content-ID"].strip("<>") for p in images}
    assert {f"cid:{cid}" for cid in named} <= set(re.findall(r"cid:[\w-]+", html))
    assert "Items from your accounts a week" in html  # the chart's figures, as its alt text
    assert "Stop these emails" in plain and "Stop these emails" in html

    browser = client(database_url)
    login(browser, made["olga"].email)  # type: ignore[attr-defined]
    page = browser.get("/digests")
    assert page.status_code == 200 and "SAML SSO: asked for by Acme" in page.text
    markdown = browser.get("/digests?audience=sales&format=md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "## Shipped this week for your accounts" in markdown.text
    # Sending is an admin's (or the schedule's) job.
    refused = runner.invoke(cli, ["--as", made["olga"].email, *args])  # type: ignore[attr-defined]
    assert refused.exit_code != 0


def test_the_leadership_digest(database_url: str, session: Session) -> None:
    made = _workspace(session)
    grace = create_user(session, role="viewer", team="leadership", name="Grace Exec")
    shipped_id = session.scalar(select(Solution.id).where(Solution.title == "SAML SSO"))
    record_decision(
        session,
        solution_id=shipped_id,
        outcome="go",
        reasons="customers asked for it and QA passed",
        actor=Actor(made["pm"]),  # type: ignore[arg-type]
    )
    session.commit()
    found = digests.digest(session, audience="leadership", actor=Actor(grace))
    rising, leaving, decided, shipped, planned, balance = found.sections
    assert rising.lines[0].startswith("No single sign-on: 3 mentions in 30 days (the 30 before: 0)")
    assert len(rising.bars) == len(rising.lines) == 1  # each line with its bars
    assert leaving.lines == []  # nobody said they may leave
    assert decided.lines == ["SAML SSO: Go (Pat PM): customers asked for it and QA passed"]
    assert shipped.lines == ["SAML SSO"]
    assert planned.lines == ["2 committed: SCIM, MFA"]
    assert "3 untagged" in balance.lines[0]
    # It goes to the leadership team only.
    made_digests, _ = digests.send_digests(session, audience="leadership", dry_run=True)
    assert [d.reader.id for d in made_digests] == [grace.id]
    assert made
