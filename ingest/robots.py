"""robots.txt, per RFC 9309, fetched with our own guarded client and kept for its cache lifetime.

    robots = Robots(fetcher, kept=manifest)     # kept: where responses outlive the run (optional)
    if await robots.allowed("https://provider.ac.uk/courses/"): ...
    await fetcher.fetch(url, check=robots.check)   # also checks every redirect hop

4xx ("unavailable") allows everything; 5xx, a timeout or a refused address ("unreachable") disallows
everything on that host for this run, so a flaky server never exposes what it meant to hide.

A 2xx or 4xx answer is kept (in the manifest) for its Cache-Control lifetime, at most 24 hours as RFC 9309
asks, and 24 hours when it does not say; an unreachable robots.txt is never kept, so the next run asks
again. A re-crawl of an unchanged site then needs no robots.txt request at all.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Protocol

from protego import Protego

from ingest.fetch import PAGE_TYPES, ROBOTS_REFUSAL, UNSAFE, Fetcher
from ingest.manifest import StoredRobots
from ingest.urls import origin

log = logging.getLogger(__name__)

# RFC 9309: parse at least 500 KiB; we read 1 MiB and ignore the rest.
ROBOTS_MAX_BYTES = 1024 * 1024
# Refusals starting with this are temporary (the host's robots.txt could not be read this run).
ROBOTS_UNREACHABLE = "robots.txt unreachable"
MAX_KEEP_SECONDS = 24 * 3600  # RFC 9309 section 2.4: a cached robots.txt is used for 24 hours at most
DEFAULT_KEEP_SECONDS = MAX_KEEP_SECONDS  # when the response does not say (what large crawlers do)


class KeptRobots(Protocol):
    """Where robots.txt responses outlive a run (the manifest)."""

    def robots(self, origin: str) -> StoredRobots | None: ...
    def keep_robots(self, origin: str, stored: StoredRobots) -> None: ...


@dataclass
class RobotsRules:
    """What one origin's robots.txt says to our user agent."""

    parser: Protego | None = None  # None with allow_all/disallow_all
    disallow_all: bool = False
    sitemaps: list[str] = field(default_factory=list)
    crawl_delay: float | None = None
    reason: str = ""  # why allow-all / disallow-all, for the report

    def allows(self, url: str, agent: str) -> bool:
        if self.disallow_all:
            return False
        return True if self.parser is None else bool(self.parser.can_fetch(url, agent))


class Robots:
    """robots.txt rules per origin, fetched once per run (concurrent callers share one fetch)."""

    def __init__(self, fetcher: Fetcher, kept: KeptRobots | None = None) -> None:
        self.fetcher = fetcher
        self.kept = kept
        self.agent = fetcher.settings.user_agent.split("/")[0].strip() or fetcher.settings.user_agent
        self._rules: dict[str, asyncio.Task[RobotsRules]] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        key = origin(url)
        if key not in self._rules:
            self._rules[key] = asyncio.ensure_future(self._load(key))
        return await asyncio.shield(self._rules[key])

    async def allowed(self, url: str) -> bool:
        """May our user agent fetch this URL?"""
        return (await self.rules_for(url)).allows(url, self.agent)

    async def check(self, url: str) -> str | None:
        """A Fetcher hop check: None if allowed, else the refusal reason."""
        rules = await self.rules_for(url)
        if rules.allows(url, self.agent):
            return None
        if rules.disallow_all:
            return rules.reason
        return ROBOTS_REFUSAL

    async def sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the URL's origin."""
        return list((await self.rules_for(url)).sitemaps)

    async def _load(self, key: str) -> RobotsRules:
        stored = self.kept.robots(key) if self.kept is not None else None
        if stored is not None:
            log.debug("robots kept origin=%s status=%d", key, stored.status)
            return self._from_kept(key, stored.status, stored.body)
        robots_url = f"{key}/robots.txt"
        result = await self.fetcher.fetch(
            robots_url, accept=PAGE_TYPES, max_bytes=ROBOTS_MAX_BYTES, truncate=True
        )
        if (result.error or "").startswith(UNSAFE) and result.final_url == robots_url:
            # The host itself may not be contacted: a permanent refusal, not an outage.
            return RobotsRules(disallow_all=True, reason=result.error or UNSAFE)
        if result.status == 0 or result.status >= 500:
            reason = f"{ROBOTS_UNREACHABLE} ({result.error or result.status}): host skipped this run"
            log.warning(
                "robots unreachable, host disallowed for this run origin=%s error=%s", key, result.error
            )
            return RobotsRules(disallow_all=True, reason=reason)
        status = result.status if result.status < 300 and not result.error else max(result.status, 400)
        self._keep(key, status, b"" if status >= 300 else result.body, result.max_age)
        if status >= 300:
            return RobotsRules(
                reason=f"robots.txt unavailable ({result.error or result.status}): all allowed"
            )
        return self._parse(key, result.body)

    def _from_kept(self, key: str, status: int, body: bytes) -> RobotsRules:
        if status >= 300:
            return RobotsRules(reason=f"robots.txt unavailable ({status}): all allowed")
        return self._parse(key, body)

    def _keep(self, key: str, status: int, body: bytes, max_age: float | None) -> None:
        if self.kept is None:
            return
        lifetime = min(DEFAULT_KEEP_SECONDS if max_age is None else max_age, MAX_KEEP_SECONDS)
        if lifetime > 0:
            self.kept.keep_robots(key, StoredRobots(status, body, time.time() + lifetime))

    def _parse(self, key: str, body: bytes) -> RobotsRules:
        parser = Protego.parse(body.decode("utf-8", errors="replace"))
        delay = parser.crawl_delay(self.agent)
        if delay:
            self.fetcher.set_crawl_delay(key + "/", float(delay))
        log.debug("robots loaded origin=%s crawl_delay=%s", key, delay)
        return RobotsRules(parser=parser, sitemaps=list(parser.sitemaps), crawl_delay=delay)
