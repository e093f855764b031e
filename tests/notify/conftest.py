"""A real SMTP server and a real HTTP receiver on loopback for the tests of notifications."""

import json
import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message as Email
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


SECRET = "test-webhook-secret"


class Receiver:
    """An HTTP server on loopback that keeps every POST and answers `status`."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.status = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/huddle"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def events(self, name: str) -> list[tuple[dict[str, str], dict[str, object]]]:
        return [(h, json.loads(b)) for h, b in self.posts if h["X-Huddle-Event"] == name]


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Receiver]:
    found = Receiver()
    found.thread.start()
    monkeypatch.setenv("HUDDLE_WEBHOOK_URL", found.url)
    monkeypatch.setenv("HUDDLE_WEBHOOK_SECRET", SECRET)
    get_settings.cache_clear()
    try:
        yield found
    finally:
        found.server.shutdown()
        get_settings.cache_clear()
