"""Polite, guarded HTTP fetching for the crawler.

    async with Fetcher(settings, trusted=["http://127.0.0.1:8080/"]) as fetcher:
        result = await fetcher.fetch("http://127.0.0.1:8080/courses/", etag='"abc"')
        if result.not_modified: ...

Every hop of a redirect is checked (scheme, public address unless the host is trusted, an optional
robots check) and the connection is pinned to the checked address. Bodies are streamed and cut off at
`crawl_max_bytes` (decoded bytes, so gzip bombs stop too). Timeouts, 5xx and 429 are retried with
backoff; HTTP problems never raise: they come back as FetchResult.error (+ transient).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, RetryCallState, retry_if_result, stop_after_attempt

from connector import metrics
from connector.errors import UnsafeURLError
from connector.settings import Settings
from connector.types import FetchResult
from ingest.body import read_body
from ingest.urls import normalise_url, origin, resolve_checked

log = logging.getLogger(__name__)

MAX_REDIRECTS = 5
MAX_CRAWL_DELAY = 30.0
PAGE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "application/pdf", "application/xml", "text/xml", "text/plain"}
)
SITEMAP_TYPES = PAGE_TYPES | {"application/gzip", "application/x-gzip"}
ACCEPT = (
    "text/html,application/xhtml+xml,application/pdf;q=0.9,application/xml;q=0.8,text/plain;q=0.7,*/*;q=0.1"
)
REDIRECTS = {301, 302, 303, 307, 308}
# Prefixes of FetchResult.error the crawl uses to classify a result.
ROBOTS_REFUSAL = "disallowed by robots.txt"
UNSAFE = "destination not allowed"

HopCheck = Callable[[str], Awaitable[str | None]]


@dataclass
class _Outcome:
    """One attempt: the result, plus what decides whether and when to retry."""

    result: FetchResult
    retry_after: float | None = None
    location: str | None = None  # set on a redirect hop


class Fetcher:
    """An httpx client with the crawler's safety rules, rate limits and retries (async context manager)."""

    def __init__(self, settings: Settings, trusted: Iterable[str] = ()) -> None:
        self.settings = settings
        self._trusted = {urlsplit(url).netloc.lower() for url in trusted}
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(settings.crawl_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._limiters: dict[str, AsyncLimiter] = {}

    async def __aenter__(self) -> Fetcher:
        timeout = httpx.Timeout(self.settings.crawl_timeout_seconds)
        headers = {
            "User-Agent": self.settings.user_agent,
            "Accept": ACCEPT,
            "Accept-Encoding": "gzip, deflate",
        }
        limits = httpx.Limits(max_connections=self.settings.crawl_concurrency * 2)
        self._client = httpx.AsyncClient(timeout=timeout, headers=headers, limits=limits, verify=True)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def trust(self, url: str) -> None:
        """Allow private/loopback addresses for this URL's host:port (an operator named it on purpose)."""
        self._trusted.add(urlsplit(url).netloc.lower())

    def set_crawl_delay(self, url: str, seconds: float) -> None:
        """Slow down for a host whose robots.txt asks for more time between requests than we allow."""
        interval = min(seconds, MAX_CRAWL_DELAY)
        if interval > 1 / self.settings.crawl_requests_per_second:
            self._limiters[origin(url)] = AsyncLimiter(1, interval)

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check: HopCheck | None = None,
        accept: frozenset[str] = PAGE_TYPES,
        max_bytes: int | None = None,
        truncate: bool = False,
    ) -> FetchResult:
        """GET `url` following at most 5 checked redirects; retries transient failures with backoff."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.crawl_retries + 1),
            wait=self._wait,
            retry=retry_if_result(self._should_retry),
            retry_error_callback=lambda state: state.outcome.result() if state.outcome else None,
        )
        conditional = _conditional_headers(etag, last_modified)
        limit = max_bytes or self.settings.crawl_max_bytes
        outcome: _Outcome = await retrying(self._follow, url, conditional, check, accept, limit, truncate)
        result = outcome.result
        if result.error:
            log.info("fetch failed url=%s status=%s error=%s", url, result.status, result.error)
        kind = "failed" if result.error else "not_modified" if result.not_modified else "fetched"
        metrics.INGEST_REQUESTS.labels(result=kind).inc()
        return result

    def _should_retry(self, outcome: _Outcome) -> bool:
        if not outcome.result.transient:
            return False
        return (
            outcome.retry_after is None or outcome.retry_after <= self.settings.crawl_retry_after_max_seconds
        )

    def _wait(self, state: RetryCallState) -> float:
        outcome = state.outcome.result() if state.outcome else None
        if outcome is not None and outcome.retry_after is not None:
            return outcome.retry_after
        return self.settings.crawl_backoff_seconds * 2 ** (state.attempt_number - 1)

    async def _follow(
        self,
        url: str,
        conditional: dict[str, str],
        check: HopCheck | None,
        accept: frozenset[str],
        limit: int,
        truncate: bool,
    ) -> _Outcome:
        current = url
        for hop in range(MAX_REDIRECTS + 1):
            checked = await self._checked_address(url, current, hop, check)
            if isinstance(checked, _Outcome):
                return checked
            outcome = await self._request(url, current, checked, conditional, accept, limit, truncate)
            if outcome.location is None:
                return outcome
            following = _redirect_target(current, outcome.location)
            if following is None:
                error = f"{UNSAFE}: redirect to another scheme ({outcome.location[:80]})"
                return _Outcome(FetchResult(url, current, outcome.result.status, error=error))
            current = following
        error = f"too many redirects (more than {MAX_REDIRECTS})"
        return _Outcome(FetchResult(url, current, 302, error=error))

    async def _checked_address(
        self, url: str, current: str, hop: int, check: HopCheck | None
    ) -> str | _Outcome:
        """The address to connect to for `current`, or why it may not be requested (unsafe, robots)."""
        trusted = urlsplit(current).netloc.lower() in self._trusted
        try:
            addresses = await resolve_checked(current, allow_private=trusted)
        except UnsafeURLError as error:
            what = "redirect refused, " if hop else ""
            return _Outcome(FetchResult(url, current, 0, error=f"{UNSAFE}: {what}{error.reason}"))
        except OSError as error:
            return _Outcome(FetchResult(url, current, 0, error=str(error), transient=True))
        reason = await check(current) if check is not None else None
        if reason is not None:
            return _Outcome(FetchResult(url, current, 0, error=reason))
        return addresses[0]

    async def _request(
        self,
        url: str,
        current: str,
        address: str,
        conditional: dict[str, str],
        accept: frozenset[str],
        limit: int,
        truncate: bool,
    ) -> _Outcome:
        assert self._client is not None, "use 'async with Fetcher(...)'"
        request = _pinned_request(self._client, current, address, conditional)
        async with self._slot(current):
            try:
                async with asyncio.timeout(self.settings.crawl_timeout_seconds):
                    response = await self._client.send(request, stream=True)
                    try:
                        return await _read_response(url, current, response, accept, limit, truncate)
                    finally:
                        await response.aclose()
            except (TimeoutError, httpx.TimeoutException):
                error = f"timed out after {self.settings.crawl_timeout_seconds:g} s"
                return _Outcome(FetchResult(url, current, 0, error=error, transient=True))
            except httpx.DecodingError as error:
                return _Outcome(FetchResult(url, current, 0, error=f"undecodable response ({error})"))
            except httpx.HTTPError as error:
                reason = f"connection failed ({type(error).__name__}: {error})"[:200]
                return _Outcome(FetchResult(url, current, 0, error=reason, transient=True))

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        """Per-host concurrency first (so a busy host never holds global slots), then global, then rate."""
        key = origin(url)
        host = self._hosts.setdefault(key, asyncio.Semaphore(self.settings.crawl_host_concurrency))
        interval = 1 / self.settings.crawl_requests_per_second
        limiter = self._limiters.setdefault(key, AsyncLimiter(1, interval))
        async with host, self._global:
            await limiter.acquire()
            yield


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    return headers


def _redirect_target(current: str, location: str) -> str | None:
    """The absolute next URL, or None if the redirect leaves http(s)."""
    return normalise_url(urljoin(current, location.strip()))


def _pinned_request(
    client: httpx.AsyncClient, url: str, address: str, headers: dict[str, str]
) -> httpx.Request:
    """A plain-http request sent to the address we checked, with the real Host header: a DNS answer that
    changes between check and connect (rebinding) cannot redirect it. https is left to certificate
    checks, which a rebound internal host cannot pass, and keeps one TLS connection per host name."""
    parts = urlsplit(url)
    if parts.scheme != "http":
        return client.build_request("GET", url, headers=headers)
    host_for_url = f"[{address}]" if ":" in address else address
    netloc = host_for_url if parts.port is None else f"{host_for_url}:{parts.port}"
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return client.build_request("GET", pinned, headers={"Host": parts.netloc, **headers})


async def _read_response(
    url: str, current: str, response: httpx.Response, accept: frozenset[str], limit: int, truncate: bool
) -> _Outcome:
    status = response.status_code
    etag = response.headers.get("etag")
    last_modified = response.headers.get("last-modified")
    base = FetchResult(url, current, status, etag=etag, last_modified=last_modified)
    base.robots_tag = ", ".join(response.headers.get_list("x-robots-tag")) or None
    base.max_age = cache_lifetime(response.headers.get("cache-control"))
    if status in REDIRECTS and response.headers.get("location"):
        return _Outcome(base, location=response.headers["location"])
    if status == 304:
        base.not_modified = True
        return _Outcome(base)
    if status >= 300:
        return _http_error(base, response)
    media, _, params = response.headers.get("content-type", "").partition(";")
    base.content_type = media.strip().lower()
    base.charset = _charset(params)
    return _Outcome(await read_body(base, response, accept, limit, truncate))


def _http_error(result: FetchResult, response: httpx.Response) -> _Outcome:
    status = result.status
    names = {404: "not found (404)", 410: "gone (410)", 429: "rate limited (429)"}
    result.error = names.get(status) or (f"server error ({status})" if status >= 500 else f"HTTP {status}")
    result.transient = status >= 500 or status in (408, 429)
    return _Outcome(result, retry_after=_retry_after(response.headers.get("retry-after")))


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def cache_lifetime(cache_control: str | None) -> float | None:
    """Seconds a response may be reused by Cache-Control (no-store/no-cache: 0), or None if unsaid."""
    lifetime = None
    for directive in (cache_control or "").lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name in ("no-store", "no-cache"):
            return 0.0
        if name in ("max-age", "s-maxage") and value.strip().strip('"').isdigit():
            lifetime = float(value.strip().strip('"'))
    return lifetime


def _charset(params: str) -> str | None:
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None
