from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.db import session_scope
from huddle.jobs import TASKS, defer, task
from huddle.jobs.runner import run_one
from huddle.kit.time import utcnow
from huddle.models import Account, Job

calls: list[list[int]] = []


@task("tests.touch_accounts")
def touch_accounts(session: Session, *, ids: list[int]) -> None:
    calls.append(ids)
    for account in session.scalars(select(Account).where(Account.id.in_(ids))):
        account.plan = "touched"


@task("tests.always_fails")
def always_fails(session: Session) -> None:
    raise RuntimeError("boom")


def test_deferred_work_runs_after_commit_in_batches(database_url: str) -> None:
    calls.clear()
    with session_scope(database_url) as session:
        ids = []
        for n in range(3):
            account = Account(
                name=f"A{n}", arr_minor=0, currency="USD", status="customer", at_risk=False
            )
            session.add(account)
            session.flush()
            ids.append(account.id)
        defer(session, "tests.touch_accounts", ids=ids)
    assert run_one(database_url) is True
    assert run_one(database_url) is False
    assert calls == [ids]
    with session_scope(database_url) as session:
        assert {a.plan for a in session.scalars(select(Account))} == {"touched"}
        job = session.scalar(select(Job))
        assert job is not None and job.status == "done"


def test_rolled_back_work_leaves_no_job(database_url: str) -> None:
    try:
        with session_scope(database_url) as session:
            defer(session, "tests.touch_accounts", ids=[1])
            raise RuntimeError("the request failed")
    except RuntimeError:
        pass
    assert run_one(database_url) is False


def test_a_failing_job_is_retried_then_marked_failed(database_url: str) -> None:
    assert "tests.always_fails" in TASKS
    with session_scope(database_url) as session:
        defer(session, "tests.always_fails")
    for _ in range(3):
        assert run_one(database_url) is True
        with session_scope(database_url) as session:
            # Make the back-off elapse at once.
            session.execute(update(Job).values(run_after=utcnow() - timedelta(seconds=1)))
    assert run_one(database_url) is False
    with session_scope(database_url) as session:
        job = session.scalar(select(Job))
        assert job is not None and job.status == "failed" and job.attempts == 3
        assert "boom" in (job.error or "")
