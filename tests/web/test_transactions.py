"""A 2xx means stored: the request's commit happens before its response is sent."""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.models import Feedback, Problem
from tests.factories import create_user
from tests.helpers import bearer, login


def _refuse(_session: Session) -> None:
    raise RuntimeError("the database refused the commit")


@contextmanager
def commits_fail() -> Iterator[None]:
    """Every commit fails, as when the disk is full or the database server goes away."""
    event.listen(Session, "before_commit", _refuse)
    try:
        yield
    finally:
        event.remove(Session, "before_commit", _refuse)


def client(database_url: str) -> TestClient:
    """A client that sees server errors as a browser would: as answers."""
    app = create_app(database_url, run_jobs=False)
    return TestClient(app, headers={"accept": "text/html"}, raise_server_exceptions=False)


def _count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_failed_commit_is_an_error_answer_and_stores_nothing(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor")
    pm = create_user(session, role="pm")
    headers = bearer(session, rep)
    session.commit()
    api = client(database_url)
    with commits_fail():
        created = api.post("/api/v1/feedback", json={"text": "Lost?"}, headers=headers)
        ingested = api.post("/api/v1/ingest", json={"text": "Lost too?"}, headers=headers)
    # Before: 201 and 200, with nothing stored.
    assert created.status_code >= 500 and ingested.status_code >= 500
    assert _count(session, Feedback) == 0
    # A form: no redirect to the page of something that was never stored.
    browser = client(database_url)
    csrf = login(browser, pm.email)
    with commits_fail():
        made = browser.post(
            "/problems", data={"csrf_token": csrf, "title": "Ghost"}, follow_redirects=False
        )
    assert made.status_code >= 500 and "location" not in made.headers
    assert _count(session, Problem) == 0
    # And when the commit works, the answer comes after it.
    created = api.post("/api/v1/feedback", json={"text": "Kept"}, headers=headers)
    assert created.status_code == 201 and _count(session, Feedback) == 1
