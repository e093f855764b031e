"""Signing in through the real routes, as a browser or an API client would."""

import re

import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.auth.service import issue_token
from huddle.models.enums import TokenScope
from huddle.models.user import User
from tests.factories import PASSWORD

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
META_CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def client(database_url: str) -> TestClient:
    return TestClient(create_app(database_url, run_jobs=False), headers={"accept": "text/html"})


def login(test_client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Signs in; returns the session's CSRF token for later forms."""
    page = test_client.get("/login")
    token = CSRF.search(page.text)
    assert token, page.text
    response = test_client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    home = test_client.get("/problems")
    found = META_CSRF.search(home.text)
    assert found, home.text
    return found.group(1)


def bearer(session: Session, user: User, scope: TokenScope = TokenScope.full) -> dict[str, str]:
    _, secret = issue_token(session, user=user, name="test", scope=scope, actor=None)
    session.commit()
    return {"Authorization": f"Bearer {secret}", "accept": "application/json"}


def bound_port(server: uvicorn.Server) -> int:
    """The port a started server took. Tests give uvicorn port 0, so that the system picks a
    free one at bind time: a port found free beforehand may be taken by then by a test
    running beside it (pytest-xdist)."""
    return int(server.servers[0].sockets[0].getsockname()[1])
