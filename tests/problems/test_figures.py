"""Kept severity figures, the page's counts kept beside them, and the dates copied onto links
equal a from-scratch computation after any sequence of changes made through the product's
own paths, once the queued jobs have run; and before they run, reads see the right figures
and counts without writing."""

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from huddle.accounts.schemas import AccountUpdate
from huddle.accounts.service import update_account
from huddle.auth.actor import Actor
from huddle.config import get_settings
from huddle.db import get_engine, session_scope
from huddle.errors import Invalid
from huddle.feedback.schemas import FeedbackUpdate
from huddle.feedback.service import update_feedback
from huddle.imports.service import import_file
from huddle.jobs import defer
from huddle.jobs.runner import run_until_idle
from huddle.kit.time import utcnow
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.job import Job
from huddle.models.problem import FeedbackLink, Problem, ProblemFigures
from huddle.models.user import User
from huddle.problems import figures
from huddle.problems import service as problems
from huddle.problems import severity as sev
from huddle.problems.repository import (
    FiguresRepository,
    LinkRepository,
    ProblemRepository,
    QuoteFilter,
    severity_of,
)
from huddle.problems.schemas import ProblemUpdate
from tests.factories import create_account, create_feedback, create_problem, create_user, link

TRIGGERS = {
    "link_dated",
    "link_redated",
    "links_follow_item_date",
    "figures_link_added",
    "figures_link_removed",
    "figures_link_moved",
    "figures_evidence_changed",
    "figures_account_changed",
    "figures_account_removed",
    "figures_problem_added",
    "figures_problem_moved",
    "figures_problem_removed",
}
OPERATIONS = (
    "link",
    "unlink",
    "merge",
    "parent",
    "account",
    "item_account",
    "item_date",
    "delete_problem",
    "import_accounts",
    "new_problem",
    "day_passed",
)
ARR = (0, 5_000_00, 80_000_00, 1_200_000_00)
STATUSES = ("customer", "trial", "churned")


def _normal(severity: sev.Severity) -> sev.Severity:
    # Averages of the same sentiments summed in another order differ in the last bits.
    sentiment = None if severity.sentiment is None else round(severity.sentiment, 9)
    return dataclasses.replace(severity, sentiment=sentiment)


def _from_scratch(session: Session, reader: Actor) -> dict[int, sev.Severity]:
    repo = ProblemRepository(session)
    parents = {p.id: p.parent_id for p in repo.all(reader)}
    computed = sev.compute(
        parents,
        repo.evidence(reader),
        repo.account_facts(reader),
        get_settings().severity,
        today=utcnow().date(),
    )
    return {p: _normal(s) for p, s in computed.items()}


def _kept(session: Session) -> dict[int, sev.Severity]:
    rows = session.execute(select(ProblemFigures.__table__)).all()
    assert [r.problem_id for r in rows if r.stale or r.as_of != utcnow().date()] == []
    return {row.problem_id: _normal(severity_of(row)) for row in rows}


def _mentions_from_scratch(session: Session, reader: Actor) -> dict[int, sev.Mentions]:
    """Counted by the database over each problem's family, as the page did before they were
    kept."""
    links = LinkRepository(session)
    family = sev.descendants(ProblemRepository(session).parents(reader))
    return {
        p: sev.Mentions(
            by_month=links.family_months(members), by_account=links.family_accounts(members)
        )
        for p, members in family.items()
    }


def _kept_mentions(session: Session) -> dict[int, sev.Mentions]:
    rows = session.execute(select(ProblemFigures.__table__)).all()
    return {
        row.problem_id: sev.Mentions(
            by_month=row.mentions_by_month,
            by_account={int(a): n for a, n in row.mentions_by_account.items()},
        )
        for row in rows
    }


def _page_counts(session: Session, reader: Actor) -> dict[int, sev.Mentions]:
    """What each problem's page charts and lists, as counts (the world's items are all
    within the chart's twelve months)."""
    found = {}
    for problem_id in ProblemRepository(session).parents(reader):
        detail = problems.problem_detail(session, problem_id=problem_id, actor=reader, limit=1)
        found[problem_id] = sev.Mentions(
            by_month={m: n for m, n in detail.monthly if n},
            by_account={account.id: n for account, n in detail.accounts},
        )
    return found


def _filtered_totals(session: Session, reader: Actor) -> None:
    """How much evidence each problem's page says an account's and a segment's filter keep
    (taken from the kept counts) is what the database counts."""
    links = LinkRepository(session)
    account = session.scalars(select(Account.id).order_by(Account.id)).first()
    filters = [QuoteFilter(account_id=account), QuoteFilter(segment="SMB")]
    for problem_id, members in sev.descendants(ProblemRepository(session).parents(reader)).items():
        for where in filters:
            shown = problems.problem_detail(
                session, problem_id=problem_id, actor=reader, where=where, limit=1
            ).total
            _, counted = links.family_page(
                reader, problem_id, members, where=where, limit=1, offset=0
            )
            assert shown == counted, where


def _dates_copied(session: Session) -> None:
    """Every link carries its item's date."""
    wrong = session.execute(
        select(FeedbackLink.id, FeedbackLink.occurred_at, Feedback.occurred_at)
        .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
        .where(FeedbackLink.occurred_at.is_distinct_from(Feedback.occurred_at))
    ).all()
    assert wrong == []


def _world(url: str) -> None:
    """Three accounts, seven items over three months, five problems two levels deep."""
    now = datetime.now(UTC)
    with session_scope(url) as session:
        for table in (Problem, Feedback, Account, Job):
            session.execute(delete(table))
        accounts = [
            create_account(session, arr=80_000_00, segment="Enterprise", external_id="A-0"),
            create_account(
                session,
                arr=5_000_00,
                segment="SMB",
                renewal=utcnow().date() + timedelta(days=30),
                external_id="A-1",
            ),
            create_account(session, arr=0, segment=None, at_risk=True, external_id="A-2"),
        ]
        items = []
        for n, days in enumerate((1, 5, 20, 35, 50, 70, 200)):
            item = create_feedback(
                session,
                account=accounts[n % 3] if n != 6 else None,
                occurred_at=now - timedelta(days=days),
            )
            item.sentiment = None if n % 4 == 3 else (n - 3) / 4
            items.append(item)
        top = create_problem(session)
        middle = create_problem(session, parent=top)
        others = [
            create_problem(session, parent=middle),
            create_problem(session),
            create_problem(session),
        ]
        for problem, n in ((middle, 0), (others[0], 0), (others[0], 1), (top, 2), (others[1], 3)):
            link(session, items[n], problem)
    run_until_idle(url)


def _apply(url: str, admin_id: int, step: tuple[str, int, int, int], tmp: Path) -> None:
    kind, a, b, c = step
    with session_scope(url) as session:
        admin = Actor(user=session.get_one(User, admin_id))
        problem_ids = sorted(session.scalars(select(Problem.id)))
        item_ids = sorted(session.scalars(select(Feedback.id)))
        account_ids = sorted(session.scalars(select(Account.id)))
        if not problem_ids:
            problems.create_problem(session, data=_new(), actor=admin)
            return
        p, q = problem_ids[a % len(problem_ids)], problem_ids[b % len(problem_ids)]
        item = item_ids[b % len(item_ids)]
        account = account_ids[c % len(account_ids)]
        if kind == "link":
            problems.link_feedback(session, problem_id=p, feedback_ids=[item], actor=admin)
        elif kind == "unlink":
            links = session.execute(
                select(FeedbackLink.problem_id, FeedbackLink.feedback_id).order_by(FeedbackLink.id)
            ).all()
            if links:
                linked, item = links[a % len(links)]
                problems.unlink_feedback(
                    session, problem_id=linked, feedback_ids=[item], actor=admin
                )
        elif kind == "merge" and p != q:
            problems.merge_problems(session, source_id=p, target_id=q, actor=admin)
        elif kind == "parent":
            data = ProblemUpdate(parent_id=None if c % 3 == 0 else q)
            try:
                with session.begin_nested():
                    problems.update_problem(session, problem_id=p, data=data, actor=admin)
            except Invalid:
                pass  # a cycle, refused
        elif kind == "account":
            change = AccountUpdate.model_validate(
                [
                    {"arr_minor": ARR[a % len(ARR)]},
                    {"status": STATUSES[a % len(STATUSES)]},
                    {"at_risk": bool(a % 2)},
                    {"segment": ("SMB", "Enterprise", None)[a % 3]},
                    {"renewal_date": (utcnow().date() + timedelta(days=a * 7)).isoformat()},
                ][b % 5]
            )
            update_account(session, account_id=account, data=change, actor=admin)
        elif kind == "item_account":
            data = FeedbackUpdate(account_id=None if a % 4 == 0 else account)
            update_feedback(session, feedback_id=item, data=data, actor=admin)
        elif kind == "item_date":
            # No page changes a date; an import updating an item does, through bulk_update.
            moved = datetime.now(UTC) - timedelta(days=(a * 7) % 100)
            session.execute(
                text("UPDATE feedback SET occurred_at = :at WHERE id = :id"),
                {
                    "at": moved.replace(tzinfo=None) if url.startswith("sqlite") else moved,
                    "id": item,
                },
            )
        elif kind == "delete_problem":
            session.delete(session.get_one(Problem, p))
        elif kind == "import_accounts":
            path = tmp / f"accounts-{a}-{b}.csv"
            arr, status = ARR[a % len(ARR)] // 100, STATUSES[b % len(STATUSES)]
            path.write_text(
                f"external_id,name,arr,status\nA-{c % 3},Account {c % 3},{arr},{status}\n"
            )
            report = import_file(session, kind="accounts", path=path, actor=admin)
            assert report.errors == []
        elif kind == "new_problem":
            problems.create_problem(session, data=_new(parent_id=p if a % 2 else None), actor=admin)
        elif kind == "day_passed":
            row = session.get(ProblemFigures, p)
            if row is not None:
                row.as_of = row.as_of - timedelta(days=1 + a % 40)
            # What the hourly schedule queues.
            defer(session, figures.REFRESH_TASK, unique_key=figures.REFRESH_TASK)


def _new(parent_id: int | None = None) -> Any:
    from huddle.problems.schemas import ProblemCreate

    return ProblemCreate(title="New problem", parent_id=parent_id)


steps = st.lists(
    st.tuples(
        st.sampled_from(OPERATIONS),
        st.integers(0, 11),
        st.integers(0, 11),
        st.integers(0, 11),
    ),
    min_size=1,
    max_size=10,
)


def test_kept_figures_equal_a_computation_from_scratch(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin_id = create_user(session, role="admin").id
    session.commit()

    @settings(
        max_examples=60,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(changes=steps)
    def check(changes: list[tuple[str, int, int, int]]) -> None:
        _world(database_url)
        for step in changes:
            _apply(database_url, admin_id, step, tmp_path)
        # Before the jobs run: reads compute what is stale, and write nothing.
        with session_scope(database_url) as reader:
            admin = Actor(user=reader.get_one(User, admin_id))
            read = {p: _normal(s) for p, s in problems.severities(reader, actor=admin).items()}
            assert read == _from_scratch(reader, admin)
            scratch = _mentions_from_scratch(reader, admin)
            assert _page_counts(reader, admin) == scratch
            _dates_copied(reader)
        run_until_idle(database_url)
        with session_scope(database_url) as reader:
            admin = Actor(user=reader.get_one(User, admin_id))
            assert _kept(reader) == _from_scratch(reader, admin)
            scratch = _mentions_from_scratch(reader, admin)
            assert _kept_mentions(reader) == scratch
            parents = ProblemRepository(reader).parents(admin)
            for problem_id in parents:
                # Fresh: the page reads what is kept.
                kept = figures.mentions_of(
                    reader, actor=admin, problem_id=problem_id, parents=parents
                )
                assert kept == scratch[problem_id]
            assert _page_counts(reader, admin) == scratch
            _filtered_totals(reader, admin)

    check()


def test_every_trigger_exists_at_the_latest_revision(database_url: str, session: Session) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it."""
    if database_url.startswith("sqlite"):
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    assert set(session.scalars(text(query))) >= TRIGGERS


def test_reindex_writes_every_problems_figures(database_url: str, session: Session) -> None:
    reader = create_user(session, role="admin")
    parent = create_problem(session)
    child = create_problem(session, parent=parent)
    link(session, create_feedback(session, account=create_account(session)), child)
    session.commit()
    seen: list[tuple[int, int]] = []
    figures.reindex(session, today=utcnow().date(), progress=lambda n, of: seen.append((n, of)))
    session.commit()
    assert seen[-1] == (2, 2)
    assert not FiguresRepository(session).any_stale()
    assert _kept(session) == _from_scratch(session, Actor(user=reader))
    assert _kept(session)[parent.id].mentions == 1


@pytest.mark.parametrize("path", ["ranked", "detail"])
def test_a_read_with_stale_figures_writes_nothing(
    database_url: str, session: Session, path: str
) -> None:
    reader = Actor(user=create_user(session, role="pm"))
    problem = create_problem(session)
    link(session, create_feedback(session), problem)
    session.commit()
    assert FiguresRepository(session).any_stale()
    written: list[str] = []
    engine = get_engine(database_url)
    from sqlalchemy import event

    from huddle.db import WRITTEN_TABLE

    def note(_c: Any, _cur: Any, statement: str, *_a: Any) -> None:
        if WRITTEN_TABLE.match(statement):
            written.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        if path == "ranked":
            ranked = problems.ranked_problems(session, actor=reader, sort="mentions")
            assert ranked[0].severity.mentions == 1
        else:
            detail = problems.problem_detail(session, problem_id=problem.id, actor=reader)
            assert detail.severity.mentions == 1
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert written == []


def test_rows_kept_before_the_page_counts_get_them_at_the_next_refresh(
    database_url: str, session: Session
) -> None:
    """A workspace upgraded from before the counts were kept: its fresh rows hold none, so
    its pages count from the evidence until the refresh job fills them (without waiting for
    a change or the next day)."""
    reader = Actor(user=create_user(session, role="admin"))
    parent = create_problem(session)
    child = create_problem(session, parent=parent)
    account = create_account(session)
    link(session, create_feedback(session, account=account), child)
    link(session, create_feedback(session), parent)
    session.commit()
    run_until_idle(database_url)
    session.execute(update(ProblemFigures).values(mentions_by_month=None, mentions_by_account=None))
    session.commit()
    parents = ProblemRepository(session).parents(reader)
    assert figures.mentions_of(session, actor=reader, problem_id=parent.id, parents=parents) is None
    month = f"{utcnow():%Y-%m}"
    counted = sev.Mentions(by_month={month: 2}, by_account={account.id: 1})
    assert _page_counts(session, reader)[parent.id] == counted
    assert not FiguresRepository(session).any_stale()
    assert figures.refresh(session, today=utcnow().date()) == 2
    session.commit()
    kept = figures.mentions_of(session, actor=reader, problem_id=parent.id, parents=parents)
    assert kept == counted
    assert _kept_mentions(session)[child.id] == sev.Mentions({month: 1}, {account.id: 1})


def test_bulk_statements_mark_every_problem_they_touch(database_url: str, session: Session) -> None:
    """One statement over many rows (a bulk import, psql) marks each problem it touches and
    no other — on PostgreSQL once per statement (20261204_0027), on SQLite once per row."""
    reader = Actor(user=create_user(session, role="admin"))
    first, second, untouched = (create_problem(session) for _ in range(3))
    account = create_account(session)
    items = [create_feedback(session) for _ in range(6)]
    link(session, items[5], untouched)
    session.commit()

    def settle() -> None:
        session.commit()
        run_until_idle(database_url)
        session.expire_all()
        assert not FiguresRepository(session).any_stale()
        assert _kept(session) == _from_scratch(session, reader)

    def stale() -> set[int]:
        session.commit()
        rows = session.execute(select(ProblemFigures.problem_id).where(ProblemFigures.stale))
        return set(rows.scalars())

    settle()
    # One statement with many rows (an executemany may send one statement per row).
    session.execute(
        FeedbackLink.__table__.insert().values(
            [
                {"feedback_id": f.id, "problem_id": (first, second)[i % 2].id}
                for i, f in enumerate(items[:5])
            ]
        )
    )
    assert stale() == {first.id, second.id}
    settle()
    assert _kept(session)[first.id].mentions == 3

    ids = [f.id for f in items[:5]]
    session.execute(update(Feedback).where(Feedback.id.in_(ids)).values(text="Reworded"))
    assert stale() == set()
    session.execute(update(Feedback).where(Feedback.id.in_(ids[:2])).values(account_id=account.id))
    assert stale() == {first.id, second.id}
    settle()
    assert _kept(session)[second.id].accounts == 1

    session.execute(
        update(FeedbackLink)
        .where(FeedbackLink.problem_id == second.id)
        .values(problem_id=untouched.id)
    )
    assert stale() == {second.id, untouched.id}
    settle()
    session.execute(
        delete(FeedbackLink).where(FeedbackLink.problem_id.in_([first.id, untouched.id]))
    )
    assert stale() == {first.id, untouched.id}
    settle()
    assert {p: s.mentions for p, s in _kept(session).items()} == {
        first.id: 0,
        second.id: 0,
        untouched.id: 0,
    }
