"""A worker killed with SIGKILL while the mail server holds one of its emails: after a restart
every message is sent, none is lost, and the one sent twice is the same message (same key,
same Message-ID), which the receiver drops as a copy. On SQLite and PostgreSQL."""

import asyncio
import threading
from collections import Counter
from datetime import timedelta
from email import message_from_bytes
from email.message import Message as Email
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from huddle.config import get_settings
from huddle.db import session_scope
from huddle.jobs import defer
from huddle.jobs.runner import Worker
from huddle.kit.time import utcnow
from huddle.models.message import Message
from huddle.notify.delivery import DELIVER_TASK
from tests.factories import create_user
from tests.jobs.test_kill import kill, start_worker, wait_for
from tests.notify.conftest import free_port

COUNT = 8
HOLD_AT = 4  # the mail server holds the 4th email it is sent until the worker is dead


class HoldingInbox:
    def __init__(self) -> None:
        self.received: list[Email] = []
        self.seen = 0
        self.holding = threading.Event()
        self.release = asyncio.Event()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.seen += 1
        if self.seen == HOLD_AT:
            # Received, but the sender never hears "250": it dies waiting.
            self.received.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
            self.holding.set()
            await self.release.wait()
            return "250 OK"
        self.received.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


def test_a_worker_killed_mid_send_loses_nothing_and_repeats_only_the_same_message(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = HoldingInbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("HUDDLE_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("HUDDLE_SMTP_PORT", str(port))
    get_settings.cache_clear()
    try:
        with session_scope(database_url) as session:
            user = create_user(session, role="contributor")
            for n in range(COUNT):
                message = Message(
                    key=f"test:{n}:email:{user.id}",
                    event="test",
                    channel="email",
                    recipient_id=user.id,
                    address=user.email,
                    subject=f"Message {n}",
                    body=f"Body {n}",
                    data={},
                    status="queued",
                    attempts=0,
                    last_error="",
                )
                session.add(message)
                session.flush()
                defer(session, DELIVER_TASK, ids=[message.id])
        worker = start_worker(database_url, tmp_path / "progress.txt")
        try:
            wait_for(inbox.holding.is_set, "the mail server to hold an email", worker)
            kill(worker)
        finally:
            worker.kill()
        controller.loop.call_soon_threadsafe(inbox.release.set)
        with session_scope(database_url) as session:
            statuses = Counter(session.scalars(select(Message.status)))
        # Three went and were marked sent; the held one and the rest wait.
        assert statuses == Counter({"sent": HOLD_AT - 1, "queued": COUNT - HOLD_AT + 1})

        # A new worker, its clock past the dead one's lease, finishes the work.
        later = Worker.from_settings(database_url, clock=lambda: utcnow() + timedelta(minutes=5))
        later.run_until_idle()
        with session_scope(database_url) as session:
            assert set(session.scalars(select(Message.status))) == {"sent"}
            keys = set(session.scalars(select(Message.key)))
    finally:
        controller.stop()
        get_settings.cache_clear()

    received = Counter(m["X-Huddle-Key"] for m in inbox.received)
    assert set(received) == keys  # nothing lost
    # Only the held email came twice, and both copies are the same message.
    assert [key for key, n in received.items() if n > 1] == [f"test:{HOLD_AT - 1}:email:{user.id}"]
    copies = {
        m["Message-ID"]
        for m in inbox.received
        if m["X-Huddle-Key"].startswith(f"test:{HOLD_AT - 1}:")
    }
    assert len(copies) == 1
