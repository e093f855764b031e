"""The server writes one access line per request, without the query string (searches hold
what people typed)."""

import logging

import pytest
from sqlalchemy.orm import Session

from huddle.config import get_settings
from huddle.web.access_log import LOGGER
from tests.factories import create_user
from tests.helpers import client, login


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_one_line_per_request_without_the_query(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUDDLE_ACCESS_LOG", "true")
    get_settings.cache_clear()
    lines = Lines()
    LOGGER.addHandler(lines)
    previous = LOGGER.level
    LOGGER.setLevel(logging.INFO)
    try:
        pm = create_user(session, role="pm")
        session.commit()
        browser = client(database_url)
        login(browser, pm.email)
        browser.get("/inbox?q=jane.doe@example.com")
        browser.get("/problems/999999")
    finally:
        LOGGER.removeHandler(lines)
        LOGGER.setLevel(previous)
        get_settings.cache_clear()
    assert any('"GET /inbox" 200' in line for line in lines.lines), lines.lines
    assert any('"GET /problems/999999" 404' in line for line in lines.lines)
    assert any('"POST /login" 303' in line for line in lines.lines)
    assert not any("jane.doe" in line for line in lines.lines)
    assert all(line.endswith("ms") for line in lines.lines)
