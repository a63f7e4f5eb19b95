"""Per-request observability as plain ASGI middleware: a request id, one access-log line, metrics.

    app.add_middleware(ObserveMiddleware)

The request id is taken from a sane incoming `X-Request-ID` (a proxy's) or made here, put in a
contextvar so every log line written while the request runs carries it (threads started with
anyio.to_thread and tasks started by the route copy the context), and returned as `X-Request-ID`.
Plain ASGI rather than BaseHTTPMiddleware so streamed answers are timed to their last event.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from connector import metrics
from connector.logs import request_id

log = logging.getLogger("api.access")

HEADER = b"x-request-id"
# Ids a proxy may pass on: short, printable, nothing that could forge a log line or carry a message.
SANE_ID = re.compile(r"[A-Za-z0-9._:-]{8,64}")
UNMATCHED = "unmatched"  # 404s share one label, so a scan of random paths cannot grow the metrics


def incoming_id(scope: Scope) -> str:
    """The caller's request id when it looks like one, else a new one."""
    for name, value in scope.get("headers", []):
        if name == HEADER:
            text = value.decode("latin-1")
            if SANE_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


def route_template(scope: Scope) -> str:
    """The matched route's path template (set on the scope by the router), never the raw path."""
    route: Any = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    return str(path) if path else UNMATCHED


class ObserveMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = incoming_id(scope)
        # Not reset afterwards: each request runs in its own task, and the catch-all error handler,
        # which runs outside this middleware, still needs the id for its log line and response.
        request_id.set(rid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message["headers"] = [*message.get("headers", []), (HEADER, rid.encode())]
            await send(message)

        metrics.HTTP_IN_FLIGHT.inc()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            metrics.HTTP_IN_FLIGHT.dec()
            self._record(scope, status, time.perf_counter() - started)

    @staticmethod
    def _record(scope: Scope, status: int, seconds: float) -> None:
        method, route = scope["method"], route_template(scope)
        labels = {"method": method, "route": route, "status": str(status)}
        metrics.HTTP_REQUESTS.labels(**labels).inc()
        metrics.HTTP_LATENCY.labels(**labels).observe(seconds)
        log.info("request method=%s route=%s status=%d ms=%.0f", method, route, status, seconds * 1000)
