"""How many requests the server works on at once; the rest wait their turn in the event loop.

A request handled by a route runs in a worker thread and holds a database connection from
its first query until its transaction ends. Without a limit, a burst of users starts more
requests than there are connections: every thread then waits for a connection that only
another waiting thread could give back, nothing moves, and requests time out for minutes
(what 120 users did to one `huddle serve`). With admission, at most `HUDDLE_WEB_CONCURRENCY`
requests are inside the app at once, the connection pool is sized above that, and the
others wait here, costing a coroutine each, in the order they came. A request that waits
longer than `HUDDLE_WEB_QUEUE_SECONDS` is answered 503 with `Retry-After`, so an overloaded
server says so quickly instead of holding connections open.

Static files and the health check never wait: they touch no database.
"""

import asyncio
from collections.abc import Iterable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from huddle.web.errors import error_response

EXEMPT_PREFIXES = ("/static/", "/healthz")


class Admission:
    def __init__(
        self,
        app: ASGIApp,
        *,
        concurrency: int,
        queue_seconds: float,
        exempt: Iterable[str] = EXEMPT_PREFIXES,
    ) -> None:
        self.app = app
        self.concurrency = concurrency
        self.queue_seconds = queue_seconds
        self.exempt = tuple(exempt)
        # Made on first use, inside the server's event loop.
        self._slots: asyncio.Semaphore | None = None
        self.waiting = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        self.waiting += 1
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=self.queue_seconds)
        except TimeoutError:
            response = error_response(
                Request(scope),
                503,
                "the server is busy; try again in a few seconds",
                {"Retry-After": "5"},
            )
            await response(scope, receive, send)
            return
        finally:
            self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()
