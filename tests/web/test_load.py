"""Under load and abuse: reads never write, a burst does not stall the server, sign-in
throttling holds in parallel and per address, writers of one process take turns, and the
severity figures a process keeps follow its own writes at once."""

import asyncio
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import event, select, text
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from huddle import db
from huddle.app import create_app
from huddle.auth import service as auth
from huddle.config import get_settings
from huddle.db import get_engine, session_scope
from huddle.errors import NotAuthenticated, TooManyRequests
from huddle.models.problem import FeedbackLink
from huddle.models.user import ApiToken
from huddle.problems.service import severities
from huddle.web.admission import Admission
from tests.factories import (
    PASSWORD,
    actor,
    create_account,
    create_feedback,
    create_problem,
    create_user,
    link,
)
from tests.helpers import bearer, bound_port, client, login

DEADLINE = 120


def _writes(url: str) -> tuple[list[str], Any]:
    """Every INSERT/UPDATE/DELETE sent through the app's engine, as it happens."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if db.WRITTEN_TABLE.match(statement):
            seen.append(statement.split("(")[0][:80])

    engine = get_engine(url)
    event.listen(engine, "before_cursor_execute", note)
    return seen, lambda: event.remove(engine, "before_cursor_execute", note)


def test_reads_never_write(database_url: str, session: Session) -> None:
    user = create_user(session, role="pm")
    problem = create_problem(session)
    link(session, create_feedback(session, account=create_account(session)), problem)
    headers = bearer(session, user)
    browser = client(database_url)
    login(browser, user.email)
    api = TestClient(create_app(database_url, run_jobs=False))
    seen, stop = _writes(database_url)
    try:
        for path in ("/api/v1/problems", f"/api/v1/problems/{problem.id}", "/api/v1/feedback"):
            assert api.get(path, headers=headers).status_code == 200, path
        for path in ("/problems", f"/problems/{problem.id}", "/inbox", "/accounts"):
            assert browser.get(path).status_code == 200, path
    finally:
        stop()
    assert seen == []


def test_token_use_is_shown_at_once_and_written_when_the_server_stops(
    database_url: str, session: Session
) -> None:
    user = create_user(session, role="pm")
    headers = bearer(session, user)
    with TestClient(create_app(database_url, run_jobs=False)) as api:
        assert api.get("/api/v1/problems", headers=headers).status_code == 200
        shown = api.get("/api/v1/tokens", headers=headers).json()
        assert shown[0]["last_used_at"] is not None
        with session_scope(database_url) as fresh:
            assert fresh.scalar(select(ApiToken.last_used_at)) is None
    with session_scope(database_url) as fresh:
        stored = fresh.scalar(select(ApiToken.last_used_at))
    assert stored is not None and stored.isoformat()[:19] == shown[0]["last_used_at"][:19]


def _try_sign_in(url: str, email: str, password: str, ip: str = "10.0.0.1") -> str:
    with session_scope(url) as session:
        try:
            auth.login(session, email=email, password=password, ip=ip)
        except TooManyRequests:
            return "throttled"
        except NotAuthenticated:
            return "wrong"
    return "in"


def test_parallel_wrong_passwords_stop_at_the_limit(database_url: str, session: Session) -> None:
    user = create_user(session, role="pm")
    session.commit()
    limit = get_settings().login_max_failures
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(
            pool.map(lambda _: _try_sign_in(database_url, user.email, "nope"), range(3 * limit))
        )
    assert answers.count("wrong") == limit
    assert answers.count("throttled") == 2 * limit
    assert _try_sign_in(database_url, user.email, PASSWORD) == "throttled"


def test_sign_ins_are_limited_per_address(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUDDLE_LOGIN_MAX_FAILURES_PER_ADDRESS", "3")
    get_settings.cache_clear()
    user = create_user(session, role="pm")
    session.commit()
    for n in range(3):  # password spraying: one guess each for many emails
        assert _try_sign_in(database_url, f"someone{n}@example.com", "Winter2026!") == "wrong"
    assert _try_sign_in(database_url, user.email, PASSWORD) == "throttled"
    assert _try_sign_in(database_url, user.email, PASSWORD, ip="10.0.0.2") == "in"


def _serve(app: Any) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        threading.Event().wait(0.05)
    base = f"http://127.0.0.1:{bound_port(server)}"
    httpx.get(f"{base}/healthz", timeout=5)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=DEADLINE)


def test_a_burst_of_requests_gets_answers_not_a_stall(database_url: str, session: Session) -> None:
    """150 requests at once against one server (it stalled from 120 users: every request
    thread waited for a database connection that only another waiting thread could free)."""
    user = create_user(session, role="pm")
    problem = create_problem(session)
    link(session, create_feedback(session), problem)
    headers = bearer(session, user)
    served = _serve(create_app(database_url, run_jobs=False))
    base = next(served)
    try:

        def read(n: int) -> int:
            path = "/api/v1/problems" if n % 2 else f"/api/v1/problems/{problem.id}"
            return httpx.get(base + path, headers=headers, timeout=DEADLINE).status_code

        with ThreadPoolExecutor(max_workers=150) as pool:
            answers = list(pool.map(read, range(150)))
    finally:
        next(served, None)
    assert answers == [200] * 150


def _gated_app(release: asyncio.Event) -> Admission:
    async def slow(_request: Request) -> PlainTextResponse:
        await release.wait()
        return PlainTextResponse("done")

    async def static(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("file")

    app = Starlette(routes=[Route("/slow", slow), Route("/static/app.css", static)])
    return Admission(app, concurrency=1, queue_seconds=0.2)


def test_admission_answers_503_when_a_request_waits_too_long() -> None:
    async def scenario() -> tuple[int, int, str | None, int]:
        release = asyncio.Event()
        gated = _gated_app(release)
        transport = httpx.ASGITransport(app=gated)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as web:
            first = asyncio.create_task(web.get("/slow"))
            await asyncio.sleep(0.05)
            waiting = await web.get("/slow")  # the one slot is taken: waits 0.2 s, then 503
            static = await web.get("/static/app.css")  # never waits
            release.set()
            done = await first
        return (
            done.status_code,
            waiting.status_code,
            waiting.headers.get("retry-after"),
            (static.status_code),
        )

    # In a thread of its own: after a browser test, Playwright holds this thread's loop.
    with ThreadPoolExecutor(max_workers=1) as own:
        done, waiting, retry_after, static = own.submit(asyncio.run, scenario()).result()
    assert (done, waiting, retry_after, static) == (200, 503, "5", 200)


@pytest.mark.parametrize("ending", ["close", "rollback"])
def test_a_writer_that_ends_without_commit_gives_back_its_turn(
    database_url: str, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("the writers' turn is SQLite's")
    monkeypatch.setattr(db, "SQLITE_BUSY_SECONDS", 2)
    first = db.get_sessionmaker(database_url)()
    first.execute(text("UPDATE users SET name = name"))
    if ending == "close":
        first.close()
    else:
        first.rollback()
    done = threading.Event()

    def write() -> None:
        with session_scope(database_url) as second:
            second.execute(text("UPDATE users SET name = name"))
        done.set()

    worker = threading.Thread(target=write)
    worker.start()
    worker.join(timeout=DEADLINE)
    first.close()
    assert done.is_set()


def test_writers_of_one_process_take_turns_and_all_land(
    database_url: str, session: Session
) -> None:
    user = create_user(session, role="pm")
    session.commit()

    def add(n: int) -> None:
        with session_scope(database_url) as writer:
            writer.add(create_problem_row(n, user.id))

    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(add, range(64)))
    with session_scope(database_url) as fresh:
        titles = fresh.scalars(text("SELECT title FROM problems WHERE title LIKE 'turn %'")).all()
    assert sorted(titles) == sorted(f"turn {n}" for n in range(64))


def create_problem_row(n: int, user_id: int) -> Any:
    from huddle.models.problem import Problem

    return Problem(title=f"turn {n}", description="", status="new", created_by_id=user_id)


def test_kept_figures_follow_this_process_writes_at_once(
    database_url: str, session: Session
) -> None:
    reader = actor(session, role="pm")
    problem = create_problem(session)
    items = [create_feedback(session, account=create_account(session)) for _ in range(3)]
    link(session, items[0], problem)
    session.commit()
    assert severities(session, actor=reader)[problem.id].mentions == 1
    with session_scope(database_url) as other:
        other.add(FeedbackLink(feedback_id=items[1].id, problem_id=problem.id))
    session.commit()
    assert severities(session, actor=reader)[problem.id].mentions == 2
    # Inside a transaction that linked more itself: computed afresh, not the kept figures.
    link(session, items[2], problem)
    assert severities(session, actor=reader)[problem.id].mentions == 3
    session.rollback()
    assert severities(session, actor=reader)[problem.id].mentions == 2
