"""A problem's page: one page of its evidence at a time (filtered by account, segment or
source) read in index order, and the chart and accounts counted over the problem and those
below it, each piece of evidence once: kept with the figures, or counted by the database
while they are stale."""

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.db import get_engine
from huddle.jobs.runner import run_until_idle
from huddle.kit.time import utcnow
from huddle.models import Account, Feedback, Problem
from huddle.models.problem import FeedbackLink
from huddle.problems import figures, repository, service
from huddle.problems.repository import ProblemRepository, QuoteFilter
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login


@dataclass
class Family:
    parent: Problem
    child: Problem
    big: Account
    small: Account
    items: list[Feedback]


@pytest.fixture
def family(session: Session) -> Family:
    """A problem with one below it; evidence over several months, accounts and sources,
    one piece linked to both."""
    # The one below is made first: its links come first in id and index order, so the page
    # must choose this problem's own link on purpose.
    child = create_problem(session, title="CSV exports time out")
    parent = create_problem(session, title="Exports fail")
    child.parent_id = parent.id
    big = create_account(session, name="Big Co", arr=900_000_00, segment="Enterprise")
    small = create_account(session, name="Small Co", arr=20_000_00, segment="SMB")
    now = utcnow()
    items = []
    for n in range(9):
        item = create_feedback(
            session,
            text=f"Export broke, report {n}",
            account=[big, small, None][n % 3],
            source=["call", "ticket", "email"][n % 3],
            occurred_at=now - timedelta(days=35 * n),
        )
        link(session, item, parent if n % 2 == 0 else child)
        items.append(item)
    link(session, items[1], parent)  # linked to both: counted and listed once
    session.commit()
    return Family(parent, child, big, small, items)


def _counted(database_url: str, session: Session, reader: Actor, how: str) -> None:
    """ "kept": the refresh job runs, and the page must read the counts it kept; "live":
    the figures stay stale, and the page must count from the evidence."""
    parents = ProblemRepository(session).parents(reader)
    if how == "kept":
        session.commit()
        run_until_idle(database_url)
    for problem_id in parents:
        kept = figures.mentions_of(session, actor=reader, problem_id=problem_id, parents=parents)
        assert (kept is not None) == (how == "kept")


@pytest.mark.parametrize("merged", [repository.MERGED_MEMBERS, 1])
def test_pages_hold_every_piece_once_newest_first(
    session: Session, family: Family, merged: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1: as for a family too large to merge in one statement, the whole family sorted.
    monkeypatch.setattr(repository, "MERGED_MEMBERS", merged)
    pm = Actor(create_user(session, role="pm"))
    parent, items = family.parent, family.items
    seen: list[int] = []
    for offset in (0, 4, 8):
        detail = service.problem_detail(
            session, problem_id=parent.id, actor=pm, limit=4, offset=offset
        )
        assert detail.total == 9
        seen += [link.feedback_id for link in detail.links]
    assert seen == [item.id for item in items]
    # The piece linked to both shows through this problem's own link (it can be unlinked here).
    first_page = service.problem_detail(session, problem_id=parent.id, actor=pm, limit=4)
    shared = next(link for link in first_page.links if link.feedback_id == items[1].id)
    assert shared.problem_id == parent.id


@pytest.mark.parametrize("how", ["live", "kept"])
def test_filters_narrow_the_list_not_the_figures(
    database_url: str, session: Session, family: Family, how: str
) -> None:
    pm = Actor(create_user(session, role="pm"))
    _counted(database_url, session, pm, how)
    parent, big, items = family.parent, family.big, family.items
    whole = service.problem_detail(session, problem_id=parent.id, actor=pm)

    def listed(where: QuoteFilter) -> list[int]:
        detail = service.problem_detail(session, problem_id=parent.id, actor=pm, where=where)
        assert detail.accounts == whole.accounts and detail.monthly == whole.monthly
        assert detail.total == len(detail.links)
        return [link.feedback_id for link in detail.links]

    ids = [item.id for item in items]
    assert listed(QuoteFilter(source="ticket")) == ids[1::3]
    assert listed(QuoteFilter(account_id=big.id)) == ids[0::3]
    assert listed(QuoteFilter(segment="SMB")) == ids[1::3]
    assert listed(QuoteFilter(segment="SMB", source="call")) == []
    assert listed(QuoteFilter(segment="SMB", account_id=big.id)) == []
    assert listed(QuoteFilter(segment="Enterprise", account_id=big.id)) == ids[0::3]


@pytest.mark.parametrize("how", ["live", "kept"])
def test_chart_and_accounts_count_each_piece_once(
    database_url: str, session: Session, family: Family, how: str
) -> None:
    pm = Actor(create_user(session, role="pm"))
    _counted(database_url, session, pm, how)
    parent, child, items = family.parent, family.child, family.items
    detail = service.problem_detail(session, problem_id=parent.id, actor=pm)
    expected = Counter(item.occurred_at.astimezone(UTC).strftime("%Y-%m") for item in items)
    charted = dict(detail.monthly)
    assert {m: charted[m] for m in expected} == dict(expected)
    assert sum(charted.values()) == 9
    assert [(a.name, n) for a, n in detail.accounts] == [("Big Co", 3), ("Small Co", 3)]
    below = service.problem_detail(session, problem_id=child.id, actor=pm)
    assert below.total == 4 and sum(dict(below.monthly).values()) == 4


@pytest.mark.parametrize("how", ["live", "kept"])
def test_a_month_is_the_utc_month(database_url: str, session: Session, how: str) -> None:
    pm = Actor(create_user(session, role="pm"))
    problem = create_problem(session)
    # Late on the last day of last month in UTC: it belongs to that month, whatever the zone.
    this_month = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    late = this_month - timedelta(minutes=30)
    link(session, create_feedback(session, occurred_at=late), problem)
    session.commit()
    _counted(database_url, session, pm, how)
    if session.get_bind().dialect.name == "postgresql":
        # A session in another zone must not move it into the next month.
        session.execute(text("SET TIME ZONE 'Asia/Tokyo'"))
    detail = service.problem_detail(session, problem_id=problem.id, actor=pm)
    assert dict(detail.monthly)[f"{late:%Y-%m}"] == 1
    assert dict(detail.monthly)[f"{this_month:%Y-%m}"] == 0


def test_the_page_is_paged_and_filtered(
    database_url: str, session: Session, family: Family, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "QUOTES_PAGE", 4)
    viewer = create_user(session, role="viewer")
    session.commit()
    parent = family.parent
    browser = client(database_url)
    login(browser, viewer.email)
    first = browser.get(f"/problems/{parent.id}").text
    assert "Evidence (9)" in first and "page 1 of 3" in first
    assert first.count("<blockquote>") == 4
    last = browser.get(f"/problems/{parent.id}?page=3").text
    assert last.count("<blockquote>") == 1 and "Export broke, report 8" in last
    tickets = browser.get(f"/problems/{parent.id}?source=ticket").text
    assert "Evidence (3 under this filter)" in tickets and "page 1 of 1" not in tickets
    odd = browser.get(f"/problems/{parent.id}?page=99999999999999999999&account=x&source=fax")
    assert odd.status_code in (200, 422)


def _plans(database_url: str, session: Session, read: Any) -> list[str]:
    """The query plans of the statements that read a page of evidence in date order while
    `read()` runs; PostgreSQL is asked for the plan it would choose were sorting or reading
    a whole table never worth it (on a table this small it always is)."""
    statements: list[tuple[str, Any]] = []

    def note(_c: Any, _cursor: Any, statement: str, parameters: Any, *_a: Any) -> None:
        if "ORDER BY feedback_links.occurred_at DESC" in statement:
            statements.append((statement, parameters))

    engine = get_engine(database_url)
    event.listen(engine, "before_cursor_execute", note)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    plans = []
    for statement, parameters in statements:
        if database_url.startswith("sqlite"):
            cursor.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.append("\n".join(row[3] for row in cursor.fetchall()))
        else:
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {statement}", parameters)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    return plans


@pytest.mark.parametrize("where", [QuoteFilter(), QuoteFilter(source="call")])
def test_a_page_of_evidence_is_read_in_index_order(
    database_url: str, session: Session, family: Family, where: QuoteFilter
) -> None:
    """Each problem's links are read newest first from the index on (problem, date, item),
    not all sorted: a problem with 60,000 links shows its first page as fast as one with 60."""
    pm = Actor(create_user(session, role="pm"))
    index = "ix_feedback_links_problem_occurred_at"
    for problem, members in ((family.child, 1), (family.parent, 2)):
        plans = _plans(
            database_url,
            session,
            lambda problem=problem: service.problem_detail(
                session, problem_id=problem.id, actor=pm, where=where
            ),
        )
        assert len(plans) == 1
        assert plans[0].count(index) == members, plans[0]
        if members == 1:
            # Nothing sorted: the index's order is the page's.
            assert "TEMP B-TREE" not in plans[0] and "Sort" not in plans[0], plans[0]


def test_links_carry_their_items_date_however_they_are_made(
    session: Session, family: Family
) -> None:
    """Links written by plain SQL (a bulk load, psql) or re-pointed at another item get the
    item's date from the database, so the page's order holds for them too."""
    pm = Actor(create_user(session, role="pm"))
    child, items = family.child, family.items
    newest = create_feedback(session, text="Newest of all", occurred_at=utcnow())
    session.commit()
    session.execute(
        text(
            "INSERT INTO feedback_links (feedback_id, problem_id, created_at) "
            "VALUES (:item, :problem, CURRENT_TIMESTAMP)"
        ),
        {"item": newest.id, "problem": child.id},
    )
    first = service.problem_detail(session, problem_id=child.id, actor=pm, limit=1)
    assert [link.feedback_id for link in first.links] == [newest.id]
    # Re-pointed at the oldest item: it goes to the end.
    session.execute(
        text("UPDATE feedback_links SET feedback_id = :oldest WHERE feedback_id = :item"),
        {"oldest": items[8].id, "item": newest.id},
    )
    session.expire_all()  # the link as loaded above names the item it had
    page = service.problem_detail(session, problem_id=child.id, actor=pm)
    assert [link.feedback_id for link in page.links] == [
        item.id for item in (items[1], items[3], items[5], items[7], items[8])
    ]
    dates = session.execute(
        select(FeedbackLink.occurred_at, Feedback.occurred_at).join(
            Feedback, Feedback.id == FeedbackLink.feedback_id
        )
    ).all()
    assert all(copied == own for copied, own in dates)
