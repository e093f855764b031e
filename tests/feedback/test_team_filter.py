"""The inbox and the API filtered by the team that brought the evidence in, alone and with
every other filter: the same pages, newest first, and totals as filtering every item in
Python, whichever index the database reads them by (the team's, the source and team's, or
the account's when an account is asked for)."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from huddle.feedback import triage
from huddle.feedback.schemas import FeedbackFilter
from huddle.kit.time import utcnow
from huddle.models import Feedback
from tests.factories import actor, create_account, create_feedback, create_problem, link
from tests.feedback.pages import assert_pages_match
from tests.helpers import bearer, client

START = datetime(2026, 11, 1, tzinfo=UTC)
TEAMS = ("sales", "support", None)
SOURCES = ("call", "ticket", "email")


def _world(session: Session) -> None:
    acme = create_account(session, name="Acme", segment="Enterprise")
    small = create_account(session, name="Small", segment="SMB")
    problem = create_problem(session)
    for n in range(60):
        item = create_feedback(
            session,
            text="Exports time out" if n % 2 else "Approvals are stuck",
            team=TEAMS[n % 3],
            # Calls come from sales only: a team and a source with nothing in common.
            source="call" if n % 3 == 0 else SOURCES[1 + n % 2],
            account=acme if n % 4 == 0 else small if n % 4 == 1 else None,
            # Not in the order of the ids: the page is in the order of the dates.
            occurred_at=START + timedelta(hours=(n * 7) % 60),
        )
        if n % 5 == 0:
            link(session, item, problem)


def test_team_alone_and_with_every_other_filter(database_url: str, session: Session) -> None:
    pm = actor(session, "pm")
    _world(session)
    every = list(session.scalars(select(Feedback)))
    snoozed = [i for i in every if i.team == "sales" and i.source == "call"][:3]
    triage.snooze(
        session, ids=[i.id for i in snoozed], until=utcnow().date() + timedelta(2), actor=pm
    )
    session.commit()
    linked = {f for (f,) in session.execute(text("SELECT feedback_id FROM feedback_links"))}
    names = {i.id: (i.account.name if i.account else None) for i in every}
    segments = {i.id: (i.account.segment if i.account else None) for i in every}
    acme = next(i.account_id for i in every if names[i.id] == "Acme")
    sales, support = "sales", "support"
    cases: list[tuple[FeedbackFilter, Callable[[Feedback], bool]]] = [
        (FeedbackFilter(team=sales), lambda i: i.team == sales),
        (FeedbackFilter(team=support), lambda i: i.team == support),
        (
            FeedbackFilter(team=sales, source="call"),
            lambda i: i.team == sales and i.source == "call",
        ),
        (
            FeedbackFilter(team=support, source="email"),
            lambda i: i.team == support and i.source == "email",
        ),
        (
            FeedbackFilter(team=sales, account_id=acme),
            lambda i: i.team == sales and names[i.id] == "Acme",
        ),
        (
            FeedbackFilter(team=sales, source="call", account_id=acme),
            lambda i: i.team == sales and i.source == "call" and names[i.id] == "Acme",
        ),
        (
            FeedbackFilter(source="ticket", account_id=acme),
            lambda i: i.source == "ticket" and names[i.id] == "Acme",
        ),
        (
            FeedbackFilter(team=support, segment="SMB"),
            lambda i: i.team == support and segments[i.id] == "SMB",
        ),
        (
            FeedbackFilter(segment="Enterprise", unlinked=True, triage="open"),
            lambda i: segments[i.id] == "Enterprise" and i.id not in linked and i not in snoozed,
        ),
        (
            FeedbackFilter(
                team=sales, since=START + timedelta(hours=10), until=START + timedelta(hours=40)
            ),
            lambda i: (
                i.team == sales
                and START + timedelta(hours=10)
                <= i.occurred_at.replace(tzinfo=UTC)
                < START + timedelta(hours=40)
            ),
        ),
        (
            FeedbackFilter(team=sales, unlinked=True, triage="open"),
            lambda i: i.team == sales and i.id not in linked and i not in snoozed,
        ),
        (
            FeedbackFilter(team=support, source="ticket", unlinked=True, triage="open"),
            lambda i: i.team == support and i.source == "ticket" and i.id not in linked,
        ),
        (
            FeedbackFilter(team=support, text="exports"),
            lambda i: i.team == support and "Exports" in i.text,
        ),
    ]
    for where, keeps in cases:
        assert_pages_match(session, pm, where, every, keeps, first_page=4)


def test_a_team_and_a_source_with_nothing_in_common_find_nothing(
    database_url: str, session: Session
) -> None:
    pm = actor(session, "pm").user
    _world(session)
    session.commit()
    api, headers = client(database_url), bearer(session, pm)
    none = api.get("/api/v1/feedback?source=call&team=support", headers=headers).json()
    assert (none["items"], none["total"]) == ([], 0)
    calls = api.get("/api/v1/feedback?source=call&team=sales&limit=500", headers=headers).json()
    assert calls["total"] == 20
    assert {(i["source"], i["team"]) for i in calls["items"]} == {("call", "sales")}
