"""The queue's promises, on stored times computed from an injected clock: leases, completion in
the task's own transaction, retries with back-off, unique jobs, unknown tasks left alone."""

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.db import session_scope
from huddle.jobs import defer, task
from huddle.jobs.repository import JobRepository
from huddle.jobs.runner import Worker, backoff, run_one
from huddle.kit.time import utcnow
from huddle.models import Account, Job

calls: list[list[int]] = []
renewals: list[datetime] = []


def url_of(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=False)


@task("tests.touch_accounts")
def touch_accounts(session: Session, *, ids: list[int]) -> None:
    calls.append(ids)
    for account in session.scalars(select(Account).where(Account.id.in_(ids))):
        account.plan = "touched"


@task("tests.always_fails")
def always_fails(session: Session) -> None:
    raise RuntimeError("boom")


@task("tests.taken_over_while_running")
def taken_over_while_running(session: Session) -> None:
    # Another worker takes the job over (as after an expired lease) while this one works.
    with session_scope(url_of(session)) as elsewhere:
        elsewhere.execute(
            update(Job).where(Job.status == "running").values(claim_token="another-worker")
        )
    session.add(Account(name="Half done", arr_minor=0, currency="USD", status="customer"))


@task("tests.waits_for_renewal")
def waits_for_renewal(session: Session) -> None:
    url = url_of(session)
    first: datetime | None = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with session_scope(url) as elsewhere:
            lease = elsewhere.scalar(select(Job.lease_expires_at).where(Job.status == "running"))
        assert lease is not None
        if first is not None and lease != first:
            renewals.extend([first, lease])
            return
        first = first or lease
        time.sleep(0.02)


class Clock:
    """A clock that moves only when told to, or by `tick` at every reading."""

    def __init__(self, tick: timedelta = timedelta(0)) -> None:
        self.now = utcnow().replace(microsecond=0) + timedelta(seconds=1)
        self.tick = tick

    def __call__(self) -> datetime:
        now = self.now
        self.now += self.tick
        return now


def worker(url: str, clock: Clock, *, lease: float = 60, max_attempts: int = 3) -> Worker:
    return Worker(
        url,
        lease=timedelta(seconds=lease),
        max_attempts=max_attempts,
        clock=clock,
        random=lambda: 0.5,
    )


def stored_job(url: str) -> Job:
    with session_scope(url) as session:
        job = session.scalar(select(Job))
        assert job is not None
        return job


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
    assert stored_job(database_url).status == "done"


def test_rolled_back_work_leaves_no_job(database_url: str) -> None:
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        defer(session, "tests.touch_accounts", ids=[1])
        raise RuntimeError("the request failed")
    assert run_one(database_url) is False


def test_a_claim_holds_a_lease_that_another_worker_may_take_once_it_expires(
    database_url: str,
) -> None:
    clock = Clock()
    with session_scope(database_url) as session:
        defer(session, "tests.always_fails", run_after=clock.now)

    def claim(at: datetime) -> object:
        with session_scope(database_url) as session:
            return JobRepository(session).claim_next(
                tasks=["tests.always_fails"],
                now=at,
                lease_until=at + timedelta(seconds=60),
                max_attempts=3,
            )

    first = claim(clock.now)
    job = stored_job(database_url)
    assert (job.status, job.attempts, job.started_at) == ("running", 1, clock.now)
    assert (job.claim_token, job.lease_expires_at) == (
        getattr(first, "token", None),
        clock.now + timedelta(seconds=60),
    )
    assert claim(clock.now + timedelta(seconds=59)) is None
    later = clock.now + timedelta(seconds=61)
    second = claim(later)
    assert second is not None and first is not None
    assert getattr(second, "token") != getattr(first, "token")  # noqa: B009
    job = stored_job(database_url)
    assert (job.claim_token, job.lease_expires_at, job.attempts) == (
        getattr(second, "token"),  # noqa: B009
        later + timedelta(seconds=60),
        2,
    )


def test_work_is_rolled_back_when_the_job_was_taken_over_meanwhile(database_url: str) -> None:
    clock = Clock()
    with session_scope(database_url) as session:
        defer(session, "tests.taken_over_while_running", run_after=clock.now)
    assert worker(database_url, clock).run_one() is True
    with session_scope(database_url) as session:
        assert session.scalars(select(Account.name)).all() == []
    job = stored_job(database_url)
    # Not a failure of the task: the job is the other worker's to finish.
    assert (job.status, job.claim_token, job.attempts, job.error) == (
        "running",
        "another-worker",
        1,
        None,
    )


def test_a_failing_job_backs_off_then_fails_keeping_the_error(database_url: str) -> None:
    clock = Clock()
    start = clock.now
    with session_scope(database_url) as session:
        defer(session, "tests.always_fails", run_after=start)
    runner = worker(database_url, clock, max_attempts=3)

    assert runner.run_one() is True
    job = stored_job(database_url)
    # 10 s after the first failure, plus jitter 0.5 · 20% (the injected random draw).
    assert (job.status, job.attempts, job.run_after) == ("queued", 1, start + timedelta(seconds=11))
    assert job.claim_token is None and job.lease_expires_at is None
    assert "RuntimeError: boom" in (job.error or "")

    clock.now = start + timedelta(seconds=10)
    assert runner.run_one() is False
    clock.now = start + timedelta(seconds=11)
    assert runner.run_one() is True
    job = stored_job(database_url)
    assert (job.status, job.attempts, job.run_after) == ("queued", 2, start + timedelta(seconds=33))

    clock.now = start + timedelta(seconds=33)
    assert runner.run_one() is True
    job = stored_job(database_url)
    assert (job.status, job.attempts, job.finished_at) == ("failed", 3, clock.now)
    assert "RuntimeError: boom" in (job.error or "")
    clock.now += timedelta(days=1)
    assert runner.run_one() is False


def test_back_off_doubles_up_to_an_hour_with_at_most_a_fifth_more() -> None:
    delays = [backoff(n, random=lambda: 0.0).total_seconds() for n in range(1, 11)]
    assert delays == [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]
    assert backoff(3, random=lambda: 1.0) == timedelta(seconds=48)
    assert backoff(50, random=lambda: 1.0) == timedelta(seconds=4320)


def test_a_job_whose_workers_keep_dying_fails_after_its_attempts(database_url: str) -> None:
    clock = Clock()
    with session_scope(database_url) as session:
        defer(session, "tests.always_fails", run_after=clock.now)
    for attempt in range(1, 4):
        with session_scope(database_url) as session:
            claim = JobRepository(session).claim_next(
                tasks=["tests.always_fails"],
                now=clock.now,
                lease_until=clock.now + timedelta(seconds=60),
                max_attempts=3,
            )
        assert claim is not None and claim.attempts == attempt
        clock.now += timedelta(seconds=61)  # the worker died: nobody renews the lease
    assert worker(database_url, clock).run_one() is False
    job = stored_job(database_url)
    assert (job.status, job.attempts, job.finished_at) == ("failed", 3, clock.now)
    assert job.error == "its worker stopped answering 3 times (the lease expired)"


def test_a_unique_job_is_queued_once_until_a_worker_takes_it(database_url: str) -> None:
    clock = Clock()
    with session_scope(database_url) as session:
        assert defer(session, "tests.always_fails", unique_key="k", run_after=clock.now)
        assert not defer(session, "tests.always_fails", unique_key="k", run_after=clock.now)
    with session_scope(database_url) as session:
        assert not defer(session, "tests.always_fails", unique_key="k")
        assert [j.unique_key for j in session.scalars(select(Job))] == ["k"]
    with session_scope(database_url) as session:
        JobRepository(session).claim_next(
            tasks=["tests.always_fails"],
            now=clock.now,
            lease_until=clock.now + timedelta(seconds=60),
            max_attempts=3,
        )
    with session_scope(database_url) as session:
        assert defer(session, "tests.always_fails", unique_key="k")
    with session_scope(database_url) as session:
        rows = session.execute(select(Job.status, Job.unique_key).order_by(Job.id)).all()
        assert [tuple(r) for r in rows] == [("running", None), ("queued", "k")]


def test_a_running_job_keeps_its_lease_alive(database_url: str) -> None:
    renewals.clear()
    clock = Clock(tick=timedelta(minutes=1))
    start = clock.now
    with session_scope(database_url) as session:
        defer(session, "tests.waits_for_renewal", run_after=start)
    # A lease of 0.3 s is renewed every 0.1 s; each reading of the clock is a minute later.
    assert worker(database_url, clock, lease=0.3).run_one() is True
    first, renewed = renewals
    lease = timedelta(seconds=0.3)
    assert first == start + lease
    assert renewed > first and (renewed - lease - start) % timedelta(minutes=1) == timedelta(0)
    job = stored_job(database_url)
    assert (job.status, job.lease_expires_at, job.claim_token) == ("done", None, None)


def test_a_worker_leaves_tasks_it_does_not_know_to_others(database_url: str) -> None:
    with session_scope(database_url) as session:
        session.add(Job(task="plugin.not_installed_here", payload={}))
    assert run_one(database_url) is False
    job = stored_job(database_url)
    assert (job.status, job.attempts) == ("queued", 0)


def test_a_job_left_running_before_leases_existed_is_taken_over(database_url: str) -> None:
    """The old runner left a dead worker's job running for ever, with no lease to expire."""
    calls.clear()
    with session_scope(database_url) as session:
        session.add(
            Job(task="tests.touch_accounts", payload={"ids": [7]}, status="running", attempts=1)
        )
    assert run_one(database_url) is True
    assert calls == [[7]]
    job = stored_job(database_url)
    assert (job.status, job.attempts) == ("done", 2)
