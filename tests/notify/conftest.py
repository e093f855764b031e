"""A real SMTP server on loopback for the tests of notifications."""

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as Email

import pytest
from aiosmtpd.controller import Controller

from huddle.config import get_settings


class Inbox:
    """An SMTP server on loopback that keeps what it receives."""

    def __init__(self) -> None:
        self.received: list[Email] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.received.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def to(self, address: str) -> list[Email]:
        return [m for m in self.received if m["To"] == address]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("HUDDLE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HUDDLE_SMTP_PORT", str(port))
    monkeypatch.setenv("HUDDLE_BASE_URL", "https://huddle.example")
    get_settings.cache_clear()
    try:
        yield inbox
    finally:
        controller.stop()
        get_settings.cache_clear()
