"""The fixture site's routes that are behaviour rather than files: redirects, slow, huge, flaky, binary.

response = special_route(site, "/loop/a", "", nth=1)   # a 302 to /loop/b
"""

from __future__ import annotations

import gzip
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import parse_qs

from site_catalogue import catalogue_index, catalogue_page
from site_pdf import encrypted_pdf, malformed_pdf, png_pixel

STATIC_DATE = "Mon, 02 Nov 2026 09:00:00 GMT"
HUGE_BYTES = 50 * 1024 * 1024


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: str = STATIC_DATE
    stream: Iterator[bytes] | None = None  # sent chunked, without a Content-Length


class Site(Protocol):
    """What the routes need from the running site."""

    slow_seconds: float
    scale_pages: int

    def static_body(self, path: str) -> bytes: ...


def not_found() -> Response:
    return Response(404, b"<html><body><h1>Page not found</h1></body></html>")


def _redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", "text/html", {"Location": location})


def special_route(site: Site, path: str, query: str, nth: int) -> Response | None:
    """The routes that are behaviour rather than files."""
    args = parse_qs(query)
    if path == "/old-courses":
        return _redirect("/courses/", 301)
    if path in ("/loop/a", "/loop/b"):
        return _redirect("/loop/b" if path == "/loop/a" else "/loop/a")
    if path.startswith("/chain/") and path[7:].isdigit():
        hops = int(path[7:])
        return _redirect(f"/chain/{hops - 1}") if hops > 0 else Response(200, _small_page("End of chain"))
    if path == "/redirect":
        return _redirect(args.get("to", ["/"])[0])
    if path == "/slow.html":
        time.sleep(site.slow_seconds)
        return Response(200, _small_page("A slow page"))
    if path == "/flaky.html":
        return Response(503, b"busy", "text/plain") if nth == 1 else Response(200, _small_page("Flaky page"))
    if path == "/busy.html":
        if nth == 1:
            return Response(429, b"slow down", "text/plain", {"Retry-After": "1"})
        return Response(200, _small_page("Busy page"))
    if path == "/always-500.html":
        return Response(500, b"server error", "text/plain")
    if path == "/gone.html":
        return Response(410, b"gone", "text/plain")
    return _generated(site, path, args)


def _generated(site: Site, path: str, args: dict[str, list[str]]) -> Response | None:
    """Routes whose bodies are built on the fly (binary files, huge or deep responses)."""
    if path == "/docs/evening-timetable.pdf":
        return Response(200, encrypted_pdf(), "application/pdf")
    if path == "/docs/employer-brochure.pdf":
        return Response(200, malformed_pdf(), "application/pdf")
    if path == "/images/campus.png":
        return Response(200, png_pixel(), "image/png")
    if path == "/sitemaps/documents.xml.gz":
        plain = site.static_body("/sitemaps/documents.xml")
        return Response(200, gzip.compress(plain, mtime=0), "application/gzip")
    if path.startswith("/catalogue/") and site.scale_pages:
        return _catalogue(path, site.scale_pages)
    if path == "/drip.html":
        return Response(200, content_type="text/html", stream=_drip_body(site.slow_seconds))
    if path == "/huge.html":
        return Response(200, content_type="text/html", stream=_huge_body())
    if path == "/gzip-bomb.html":
        return Response(200, _gzip_bomb(), "text/html", {"Content-Encoding": "gzip"})
    if path == "/deep.html":
        depth = 5000
        body = "<html><body>" + "<div>" * depth + "<p>Deep text at the bottom.</p>" + "</div>" * depth
        return Response(200, (body + "</body></html>").encode())
    if path == "/trap/calendar":
        month = int(args.get("month", ["0"])[0] or 0)
        return Response(
            200,
            _small_page(f"Events in month {month}", f'<a href="/trap/calendar?month={month + 1}">Next</a>'),
        )
    return None


def _catalogue(path: str, count: int) -> Response | None:
    if path == "/catalogue/":
        return Response(200, catalogue_index(count))
    number = path.removeprefix("/catalogue/course-").removesuffix(".html")
    if number.isdigit() and int(number) < count:
        return Response(200, catalogue_page(int(number)))
    return None


def _small_page(title: str, extra: str = "") -> bytes:
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><h1>{title}</h1><p>{title}.</p>{extra}</body></html>".encode()


def _drip_body(seconds: float) -> Iterator[bytes]:
    """A page that trickles out one small piece every 0.1 s for `seconds`: no single read ever times out."""
    yield b"<html><body><p>"
    for _ in range(int(seconds * 10)):
        time.sleep(0.1)
        yield b"."
    yield b"</p></body></html>"


def _huge_body() -> Iterator[bytes]:
    block = b"<p>" + b"Lorem ipsum filler for a very large page. " * 1500 + b"</p>\n"
    yield b"<html><body>"
    sent = 0
    while sent < HUGE_BYTES:
        yield block
        sent += len(block)
    yield b"</body></html>"


_BOMB: list[bytes] = []


def _gzip_bomb() -> bytes:
    """About 20 KB of gzip that inflates to 20 MB of spaces."""
    if not _BOMB:
        compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
        chunk = b" " * (1024 * 1024)
        data = compressor.compress(b"<html><body>") + b"".join(compressor.compress(chunk) for _ in range(20))
        _BOMB.append(data + compressor.flush())
    return _BOMB[0]
