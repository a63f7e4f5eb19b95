"""A real HTTP server for the fictional fixture website in eval/sites/site/ (or another folder).

    def test_something(fixture_site):
        fixture_site.reset()
        url = fixture_site.url("/courses/")
        fixture_site.set_page("/new.html", "<h1>New</h1>")
        assert fixture_site.count("/private/staff-notes.html") == 0

Files are served as the evaluation's own server serves them (connector/evaluation/site_server.py: text
files get `{{base}}` replaced by the server's address, `NAME.pdf.txt` is served as the PDF `NAME.pdf`);
the hostile routes (redirect loops, slow and huge responses, broken PDFs, flaky pages) are in
site_routes.py. Every response carries an ETag and Last-Modified and honours If-None-Match /
If-Modified-Since with a 304.
"""

from __future__ import annotations

import hashlib
import ssl
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_routes import Response, not_found, special_route

from connector.evaluation.site_server import static_file

SITE_ROOT = Path(__file__).parent.parent / "eval" / "sites" / "site"
# Pages in a legacy encoding are served without a charset in the header, as old CMSs do (the static
# server does this for any HTML that is not UTF-8; these pages must stay that way whatever they hold).
NO_CHARSET = {
    "/legacy/fees-2019.html",
    "/legacy/bursary-notice.html",
    "/courses/health-care/first-aid-at-work.html",  # eval/sites/college
}


class FixtureSite:
    """The running site: its address, per-path request counts, and methods to change it during a test."""

    def __init__(self, root: Path = SITE_ROOT) -> None:
        self.root = root
        self.base_url = ""
        self.slow_seconds = 5.0
        self.scale_pages = 0  # size of the generated /catalogue/ (0: not there)
        self.log: list[dict] = []
        self.hits: Counter[str] = Counter()
        self._overrides: dict[str, Response] = {}
        self._removed: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- used by tests -------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """The absolute URL of a path on the site."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def set_page(
        self,
        path: str,
        body: str | bytes,
        content_type: str = "text/html; charset=utf-8",
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Serve `body` at `path` from now on (new content gets a new ETag and Last-Modified)."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = Response(status, data, content_type, dict(headers or {}), formatdate(usegmt=True))
        with self._lock:
            self._removed.discard(path)
            self._overrides[path] = response

    def set_status(self, path: str, status: int, headers: dict[str, str] | None = None) -> None:
        """Answer `path` with a bare status (e.g. robots.txt 500, or 429 with Retry-After)."""
        self.set_page(path, f"status {status}", "text/plain", status, headers)

    def remove_page(self, path: str) -> None:
        """Answer `path` with 404 from now on."""
        with self._lock:
            self._overrides.pop(path, None)
            self._removed.add(path)

    def reset(self) -> None:
        """Back to the pristine site, with empty request counts."""
        with self._lock:
            self._overrides.clear()
            self._removed.clear()
            self.slow_seconds = 5.0
            self.scale_pages = 0
        self.clear_log()

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()
            self.hits.clear()

    def count(self, path: str) -> int:
        """How many requests (any method) reached `path` (query ignored) since the last reset."""
        with self._lock:
            return self.hits[path]

    def requests_for(self, path: str) -> list[dict]:
        """The logged requests for `path`: method, path, query, headers (lower-case names), time."""
        with self._lock:
            return [entry for entry in self.log if entry["path"] == path]

    # -- server side ---------------------------------------------------------------------------
    def record(self, method: str, path: str, query: str, headers: dict[str, str]) -> int:
        with self._lock:
            self.hits[path] += 1
            self.log.append(
                {"method": method, "path": path, "query": query, "headers": headers, "time": time.monotonic()}
            )
            return self.hits[path]

    def respond(self, path: str, query: str, nth: int) -> Response:
        """What the site answers for a path (nth = how many times it has been asked, counting this one)."""
        with self._lock:
            if path in self._removed:
                return not_found()
            override = self._overrides.get(path)
        if override is not None:
            return override
        special = special_route(self, path, query, nth)
        return special if special is not None else self._file(path)

    def _file(self, path: str) -> Response:
        found = static_file(self.root, path, self.base_url)
        if found is None:
            return not_found()
        return Response(200, found.body, "text/html" if path in NO_CHARSET else found.content_type)

    def static_body(self, path: str) -> bytes:
        """A file's body as served (with {{base}} filled in)."""
        return self._file(path).body

    def start(self, tls: ssl.SSLContext | None = None) -> None:
        """Serve on 127.0.0.1 on a free port (https when given a server TLS context)."""
        site = self

        class Handler(_Handler):
            fixture = site

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if tls is not None:
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        scheme = "https" if tls is not None else "http"
        self.base_url = f"{scheme}://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, name="fixture-site", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


class _Handler(BaseHTTPRequestHandler):
    fixture: FixtureSite
    protocol_version = "HTTP/1.1"
    server_version = "FixtureSite/1.0"
    disable_nagle_algorithm = True  # headers and body go in separate writes; avoid 40 ms stalls

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):  # the crawler hung up (e.g. byte cap reached)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet test output
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        parts = urlsplit(self.path)
        headers = {name.lower(): value for name, value in self.headers.items()}
        nth = self.fixture.record(self.command, parts.path, parts.query, headers)
        response = self.fixture.respond(parts.path, parts.query, nth)
        try:
            if response.stream is not None:
                self._send_stream(response, head)
            elif response.status == 200 and _not_modified(response, headers):
                self._send(304, b"", response, head=True)
            else:
                self._send(response.status, response.body, response, head)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, status: int, body: bytes, response: Response, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        if response.status == 200:
            self.send_header("ETag", _etag(response.body))
            self.send_header("Last-Modified", response.last_modified)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _send_stream(self, response: Response, head: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if head:
            self.wfile.write(b"0\r\n\r\n")
            return
        for piece in response.stream or ():
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:16] + '"'


def _not_modified(response: Response, headers: dict[str, str]) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since."""
    if "if-none-match" in headers:
        tags = [tag.strip() for tag in headers["if-none-match"].split(",")]
        return _etag(response.body) in tags or "*" in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return parsedate_to_datetime(response.last_modified) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


@pytest.fixture(scope="session")
def fixture_site() -> Iterator[FixtureSite]:
    """The fixture website on 127.0.0.1:<free port>, for the whole test session (call reset() to clean up)."""
    site = FixtureSite()
    site.start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def fresh_site(fixture_site: FixtureSite) -> Iterator[FixtureSite]:
    """The same server, reset to the pristine site before and after the test."""
    fixture_site.reset()
    yield fixture_site
    fixture_site.reset()
