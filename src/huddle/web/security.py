"""What every response carries and what a request must pass before its body is read.

- **Headers:** a Content-Security-Policy that lets a page run only our own scripts and
  styles (no inline script or style, no eval, nothing from another origin), and the usual
  companions. HSTS only behind HTTPS.
- **Gate:** an API write with no credential at all (no `Authorization` header, no session
  cookie) is answered 401 without reading its body; any body over the limit is answered 413,
  from its declared `Content-Length` or, when it streams, as soon as it passes the limit. A
  route never sees more than the limit, so a large body costs nothing before it is refused.
"""

from dataclasses import dataclass

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from huddle.config import Settings
from huddle.deps import SESSION_COOKIE
from huddle.web.errors import error_response

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # Swagger UI and the charts draw small icons from data: URLs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
NO_CREDENTIAL = "send an API token as 'Authorization: Bearer hud_…'"
MB = 1024 * 1024


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        self.app = app
        self.https_only = https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        secure = self.https_only or scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)


@dataclass(frozen=True)
class BodyLimits:
    default: int
    # Paths answered by a file upload (the imports page), allowed a larger body.
    uploads: int
    upload_paths: frozenset[str] = frozenset({"/admin/imports"})

    def for_request(self, method: str, path: str) -> int:
        return self.uploads if method == "POST" and path in self.upload_paths else self.default

    @classmethod
    def from_settings(cls, settings: Settings) -> "BodyLimits":
        return cls(default=int(settings.max_body_mb * MB), uploads=int(settings.max_upload_mb * MB))


class BodyTooLarge(HTTPException):
    # An HTTPException, so that a route reading its body lets it through as it is (a 413)
    # instead of calling it a body it could not parse.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the {limit / MB:g} MB limit")


class RequestGate:
    def __init__(self, app: ASGIApp, *, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        headers = Headers(scope=scope)
        if method in WRITES and path.startswith("/api/") and not _has_credential(headers):
            await _answer(scope, receive, send, 401, NO_CREDENTIAL, {"WWW-Authenticate": "Bearer"})
            return
        limit = self.limits.for_request(method, path)
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _answer(scope, receive, send, 413, BodyTooLarge(limit).detail)
            return
        received = 0
        started = False

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive_within_limit, send_noting_start)
        except BodyTooLarge as error:
            if started:
                raise
            await _answer(scope, receive, send, 413, error.detail)


def _has_credential(headers: Headers) -> bool:
    return bool(headers.get("authorization")) or f"{SESSION_COOKIE}=" in headers.get("cookie", "")


async def _answer(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
) -> None:
    response = error_response(Request(scope), status, message, headers)
    await response(scope, receive, send)
