"""Real servers and a real Chromium for the widget's browser tests.

    api = ApiServer(create_app(settings)).start()        # the real API on 127.0.0.1:<free port>
    host = StaticServer(folder).start()                  # another origin serving plain host pages
    proxy = SwitchableProxy(api.port).start()            # the API through a link that can be cut
    browser = launch_chromium(playwright)

Origins differ by port: http://127.0.0.1:A (API), :B (a Chamber site listed in CORS), :C (a site that
is not). The proxy forwards raw TCP, so "API down" is a refused connection, not a faked response.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import logging
import socket
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

HOST_PAGE = """<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Colchester Partner College: courses</title>
<style>
  /* A careless host stylesheet: none of this may reach inside the widget. */
  * {{ font-family: "Comic Sans MS", cursive !important; }}
  button {{ display: none !important; }}
  a {{ color: #ff00ff !important; }}
  p, li {{ font-size: 30px; letter-spacing: 3px; }}
  ol, ul {{ list-style: none; padding: 0; }}
</style>
</head>
<body>
<h1>Colchester Partner College</h1>
<p>Part-time and evening courses for adults.</p>
<script async src="{api}/widget.js" data-title="Ask about courses" data-accent="{accent}"
        data-audience="auto"></script>
</body>
</html>
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port}")


class ApiServer:
    """The FastAPI app under uvicorn in a background thread (lifespan and all)."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        # As `connector serve` runs it: X-Forwarded-For believed only from the listed proxies.
        settings = getattr(app.state, "settings", None)
        forwarded = settings.forwarded_allow_ips if settings is not None else "127.0.0.1"
        config = uvicorn.Config(
            app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on",
            proxy_headers=True,
            forwarded_allow_ips=forwarded,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="api-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120.0) -> ApiServer:
        self.thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the API did not start")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        logging.getLogger(__name__).debug("static " + format, *args)


class StaticServer:
    """A plain static site on its own port: a different origin from the API."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="static-server", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> StaticServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class SwitchableProxy:
    """Forwards TCP to the API; when `down`, refuses to relay (the API looks unreachable); with `delay`
    seconds, holds each new connection that long first (the API looks slow)."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.down = False
        self.delay = 0.0
        self._open: set[socket.socket] = set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._stopping = False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> SwitchableProxy:
        threading.Thread(target=self._accept, name="proxy", daemon=True).start()
        return self

    def _accept(self) -> None:
        while not self._stopping:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.down:
                # An immediate reset, as when nothing listens on the port.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                client.close()
                continue
            self._open.add(client)
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        if self.delay:
            time.sleep(self.delay)
        try:
            upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
        except OSError:
            client.close()
            return
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=_pipe, args=(src, dst), daemon=True).start()

    def set(self, *, down: bool = False, delay: float = 0.0, cut: bool = True) -> None:
        """Change behaviour for new connections; `cut` closes open ones too, so a kept-alive connection
        cannot bypass the change (leave it False to let a request in flight finish)."""
        self.down, self.delay = down, delay
        if not cut:
            return
        for sock in list(self._open):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            self._open.discard(sock)

    def stop(self) -> None:
        self._stopping = True
        self.listener.close()


def _pipe(src: socket.socket, dst: socket.socket) -> None:
    try:
        while chunk := src.recv(65536):
            dst.sendall(chunk)
    except OSError:
        pass
    finally:
        for sock in (src, dst):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


def write_host_page(folder: Path, api_url: str, accent: str = "#ffee00") -> Path:
    """A partner site's page carrying the one script tag (with a too-pale accent colour)."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "index.html"
    page.write_text(HOST_PAGE.format(api=api_url, accent=accent), encoding="utf-8")
    return page


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium: Playwright cannot download its own browser here."""
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
