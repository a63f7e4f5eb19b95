"""Protections every response and request share, as plain ASGI middleware (streams pass through untouched).

    app.add_middleware(SecurityHeadersMiddleware, skip_paths={"/docs", "/redoc"})
    app.add_middleware(BodyLimitMiddleware, limit=16384, limits_by_path={"/mcp": 262144}, skip_paths=...)

SecurityHeadersMiddleware adds `X-Content-Type-Options: nosniff` and `Referrer-Policy: no-referrer` to
every response, and a strict Content-Security-Policy to HTML that does not bring its own (the demo and
admin pages set theirs; a course page needs no script at all). The interactive API docs load their
script from elsewhere and are left as they are.

BodyLimitMiddleware refuses a body over its limit with 413 in the API's JSON error shape: at once when
Content-Length says so, and as soon as a body sent without it (chunked) passes the limit.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body

NOSNIFF = (b"x-content-type-options", b"nosniff")
NO_REFERRER = (b"referrer-policy", b"no-referrer")
# For HTML with no policy of its own: no script, nothing from elsewhere, never framed by another site.
DEFAULT_CSP = (
    b"default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; base-uri 'none'; "
    b"form-action 'self'; frame-ancestors 'self'"
)


def _skipped(path: str, skip_paths: Collection[str]) -> bool:
    return any(path == skip or path.startswith(skip + "/") for skip in skip_paths)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, skip_paths: Collection[str] = ()) -> None:
        self.app = app
        self.skip_paths = tuple(skip_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        leave_csp = _skipped(scope["path"], self.skip_paths)

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = secured_headers(list(message.get("headers", [])), leave_csp)
            await send(message)

        await self.app(scope, receive, send_secured)


def secured_headers(headers: list[tuple[bytes, bytes]], leave_csp: bool) -> list[tuple[bytes, bytes]]:
    """The response's headers with ours added where the response did not set its own."""
    names = {name.lower() for name, _ in headers}
    added = [pair for pair in (NOSNIFF, NO_REFERRER) if pair[0] not in names]
    content_type = next((value for name, value in headers if name.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html") and b"content-security-policy" not in names and not leave_csp:
        added.append((b"content-security-policy", DEFAULT_CSP))
    return headers + added


class BodyLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        limit: int,
        limits_by_path: Mapping[str, int] | None = None,
        skip_paths: Collection[str] = (),
    ) -> None:
        self.app = app
        self.limit = limit
        self.limits_by_path = dict(limits_by_path or {})
        self.skip_paths = tuple(skip_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _skipped(scope["path"], self.skip_paths):
            await self.app(scope, receive, send)
            return
        limit = self.limits_by_path.get(scope["path"], self.limit)
        if declared_length(scope) > limit:
            await send_too_large(send, limit)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    # Raised inside the route's read of the body: the error handlers make it a JSON 413.
                    raise HTTPException(413, f"The request body must be under {limit} bytes.")
            return message

        await self.app(scope, counted_receive, send)


def declared_length(scope: Scope) -> int:
    """The Content-Length the client sent; 0 when absent or not a number (the count then decides)."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0


async def send_too_large(send: Send, limit: int) -> None:
    body = json.dumps(error_body("too_large", f"The request body must be under {limit} bytes.")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
