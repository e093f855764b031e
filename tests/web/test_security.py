"""Headers on every answer; bodies refused before they are read: 401 without a credential, 413 over
the limit. The app is driven as a server drives it, through ASGI, so what it reads is counted."""

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.config import get_settings
from tests.factories import create_user
from tests.helpers import bearer, client, login

MB = 1024 * 1024


class Sent:
    """One request fed to the app in chunks; counts the bytes the app asked for."""

    def __init__(self, body_size: int, *, chunk: int = 64 * 1024, declare: bool = True) -> None:
        self.body_size, self.chunk, self.declare = body_size, chunk, declare
        self.read = 0
        self.status = 0
        self.headers: dict[str, str] = {}
        self.body = b""

    def run(self, app: Any, method: str, path: str, headers: dict[str, str]) -> "Sent":
        raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
        if self.declare:
            raw.append((b"content-length", str(self.body_size).encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": raw,
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        left = self.body_size

        async def receive() -> dict[str, Any]:
            nonlocal left
            if left <= 0:
                return {"type": "http.disconnect"}
            size = min(self.chunk, left)
            left -= size
            self.read += size
            return {"type": "http.request", "body": b"x" * size, "more_body": left > 0}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                self.body += message.get("body", b"")

        # In a thread of its own: a browser test's Playwright may hold this thread's loop.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, app(scope, receive, send)).result()
        return self


@pytest.fixture
def limits() -> Iterator[None]:
    """Small limits, so a test need not send tens of megabytes to cross them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HUDDLE_MAX_BODY_MB", "1")
        patch.setenv("HUDDLE_MAX_UPLOAD_MB", "3")
        get_settings.cache_clear()
        yield
    get_settings.cache_clear()


def test_every_answer_carries_the_security_headers(database_url: str) -> None:
    browser = client(database_url)
    for path in ("/login", "/api/v1/problems", "/healthz", "/static/css/huddle.css", "/nowhere"):
        headers = browser.get(path).headers
        policy = headers["content-security-policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "frame-ancestors 'none'" in policy and "unsafe" not in policy, path
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "same-origin"
        assert "camera=()" in headers["permissions-policy"]
        assert headers["cross-origin-opener-policy"] == "same-origin"
        # Plain HTTP: a browser must not be told to insist on HTTPS.
        assert "strict-transport-security" not in headers


def test_hsts_only_behind_https(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(database_url, run_jobs=False)
    assert (
        "strict-transport-security"
        in TestClient(app, base_url="https://testserver").get("/login").headers
    )
    monkeypatch.setenv("HUDDLE_SECURE_COOKIES", "true")
    get_settings.cache_clear()
    try:
        headers = client(database_url).get("/login").headers
    finally:
        get_settings.cache_clear()
    assert headers["strict-transport-security"].startswith("max-age=")


def test_an_api_write_without_any_credential_is_refused_before_its_body_is_read(
    database_url: str,
) -> None:
    app = create_app(database_url, run_jobs=False)
    for method, path in (("POST", "/api/v1/feedback"), ("PATCH", "/api/v1/problems/1")):
        sent = Sent(52 * MB).run(app, method, path, {"content-type": "application/json"})
        assert sent.status == 401 and sent.headers["www-authenticate"] == "Bearer"
        assert "Authorization: Bearer" in json.loads(sent.body)["detail"]
        assert sent.read == 0, f"{method} {path} read {sent.read} bytes before refusing"


def test_a_body_over_the_limit_is_refused_without_reading_past_it(
    database_url: str, session: Session, limits: None
) -> None:
    token = bearer(session, create_user(session, role="pm"))
    app = create_app(database_url, run_jobs=False)
    # Declared too large: refused before a byte is read.
    sent = Sent(52 * MB).run(app, "POST", "/api/v1/problems", token)
    assert sent.status == 413 and sent.read == 0
    assert json.loads(sent.body) == {"detail": "the request body is over the 1 MB limit"}
    # Streamed without a length: refused as soon as it passes the limit.
    sent = Sent(52 * MB, declare=False).run(app, "POST", "/api/v1/problems", token)
    assert sent.status == 413 and sent.read <= 1 * MB + 64 * 1024
    # Under the limit it is an ordinary request (here, not JSON).
    assert Sent(1000).run(app, "POST", "/api/v1/problems", token).status == 422


def test_the_imports_page_takes_a_larger_upload_and_refuses_past_it(
    database_url: str, session: Session, limits: None
) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    header = "name,domain\n"
    rows = "".join(f"Account {n:07d},a{n}.example.com\n" for n in range(60_000))
    assert 1 * MB < len(header + rows) < 3 * MB
    files = {"file": ("accounts.csv", (header + rows).encode(), "text/csv")}
    data = {"csrf_token": csrf, "source": "accounts", "dry_run": "on"}
    page = browser.post("/admin/imports", data=data, files=files)
    assert page.status_code == 200 and "would add 60000" in page.text
    too_big = {"file": ("accounts.csv", (header + rows * 2).encode(), "text/csv")}
    refused = browser.post("/admin/imports", data=data, files=too_big)
    assert refused.status_code == 413 and "over the 3 MB limit" in refused.text
    assert "<html" in refused.text  # a page for the person, not JSON
    # Elsewhere the smaller limit holds.
    form = {"csrf_token": csrf, "title": "x" * (2 * MB)}
    assert browser.post("/problems", data=form).status_code == 413
