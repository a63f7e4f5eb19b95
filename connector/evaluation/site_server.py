"""A fixture website served from a folder on 127.0.0.1, for the evaluation to crawl.

    with StaticSite(Path("eval/sites/college")) as site:
        run_ingest(settings, [site.base_url])

Files are served as they are, with `{{base}}` in text files replaced by the server's address. A file
`NAME.pdf.txt` is served at `NAME.pdf` as a PDF built from its text (a line `---page---` starts a new
page); README.md files and the `.pdf.txt` sources themselves are not served. An HTML file that is not
UTF-8 is served without a charset in its Content-Type, as an old CMS serves a legacy page.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import unquote, urlsplit

from connector.evaluation.pdf import pdf_from_text

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json"}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".gz": "application/gzip",
}
PDF_SOURCE = ".pdf.txt"


@dataclass(frozen=True)
class StaticFile:
    body: bytes
    content_type: str


def static_file(root: Path, path: str, base_url: str) -> StaticFile | None:
    """What the site serves at a URL path (already percent-decoded), or None for a 404."""
    root = root.resolve()
    target = (root / path.lstrip("/")).resolve()
    if path.endswith("/"):
        target = target / "index.html"
    if not target.is_relative_to(root):
        return None
    base = base_url.rstrip("/")
    source = target.with_name(target.name + ".txt")
    if target.suffix == ".pdf" and not target.is_file() and source.is_file():
        text = source.read_text(encoding="utf-8").replace("{{base}}", base)
        return StaticFile(pdf_from_text(text), "application/pdf")
    if not target.is_file() or target.name == "README.md" or target.name.endswith(PDF_SOURCE):
        return None
    body = target.read_bytes()
    if target.suffix in TEXT_SUFFIXES:
        body = body.replace(b"{{base}}", base.encode())
    content_type = TYPES.get(target.suffix, "application/octet-stream")
    if content_type.startswith("text/html") and not _is_utf8(body):
        content_type = "text/html"
    return StaticFile(body, content_type)


def _is_utf8(body: bytes) -> bool:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


class StaticSite:
    """The folder served on 127.0.0.1 on a free port until stop() (or the end of a `with` block)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base_url = ""
        self._server: ThreadingHTTPServer | None = None

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")

    def start(self) -> None:
        site = self

        class Handler(_Handler):
            static = site

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}/"
        threading.Thread(target=self._server.serve_forever, name="static-site", daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StaticSite:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    static: StaticSite
    protocol_version = "HTTP/1.1"
    server_version = "StaticSite/1.0"
    disable_nagle_algorithm = True  # headers and body go in separate writes; avoid 40 ms stalls

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - no request log
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head=True)

    def _serve(self, head: bool) -> None:
        found = static_file(self.static.root, unquote(urlsplit(self.path).path), self.static.base_url)
        status, body, content_type = (
            (200, found.body, found.content_type)
            if found is not None
            else (404, b"<html><body><h1>Page not found</h1></body></html>", "text/html; charset=utf-8")
        )
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the crawler hung up
            self.close_connection = True
