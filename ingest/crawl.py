"""A polite breadth-first crawl of one site: start URLs + sitemaps + same-site links, as a stream of events.

    spec = CrawlSpec(start_urls=["https://provider.ac.uk/"], include=[], exclude=["/news/"],
                     max_pages=200, max_depth=3, seed_urls=manifest_urls)
    async with Fetcher(settings) as fetcher:
        async for event in crawl(spec, fetcher, validators=manifest.validators, unchanged=..., kept=...):
            ...  # event.kind: fetched | not_modified | disallowed | excluded | gone | failed | skipped

A page whose sitemap <lastmod> has not moved since the page was last read (`unchanged(url, lastmod)`
says so) is not requested at all: it comes back as "not_modified" with SITEMAP_UNCHANGED. Other known
pages get a conditional GET (If-None-Match / If-Modified-Since; a 304 is "not_modified"). So an unchanged
site with lastmod in its sitemap costs the sitemap request alone (robots.txt is kept, see robots.py).

`seed_urls` are the URLs indexed by earlier runs: each is re-checked (conditional GET) even when no link
reaches it any more, so a removed page comes back as "gone" and a newly excluded or disallowed one as
"excluded" / "disallowed". Pages that were never requested because the page limit ran out are "skipped".
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urlsplit

from connector.types import FetchResult
from ingest.body import TOO_LARGE, UNSUPPORTED
from ingest.fetch import PAGE_TYPES, ROBOTS_REFUSAL, SITEMAP_TYPES, UNSAFE, Fetcher
from ingest.links import scan_page
from ingest.robots import ROBOTS_UNREACHABLE, KeptRobots, Robots
from ingest.sitemap import SitemapEntry, discover_sitemaps, parse_sitemap, read_sitemaps
from ingest.urls import in_scope, normalise_url, path_and_query, same_site

log = logging.getLogger(__name__)

EventKind = Literal["fetched", "not_modified", "disallowed", "excluded", "gone", "failed", "skipped"]
Validators = Callable[[str], "tuple[str | None, str | None] | None"]
Unchanged = Callable[[str, str], bool]  # (url, sitemap lastmod) -> not changed since it was last read?
HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_TYPES = ("application/gzip", "application/x-gzip")
JSON_TYPES = frozenset({"application/json", "application/ld+json"})  # JSON-LD course feeds
ALREADY_FETCHED = "already fetched through a redirect to it"
NOINDEX = "the page asks not to be indexed (robots noindex)"
MAX_QUERY_VARIANTS = 25  # one path with endless ?month=... is a trap
SITEMAP_UNCHANGED = "not requested: its sitemap lastmod has not changed since it was read"


@dataclass
class CrawlSpec:
    start_urls: list[str]
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    max_pages: int = 500
    max_depth: int = 3
    allow_private_start: bool = True
    seed_urls: list[str] = field(default_factory=list)


@dataclass
class CrawlEvent:
    kind: EventKind
    url: str
    result: FetchResult | None = None
    reason: str = ""
    depth: int = 0
    lastmod: str | None = None  # the URL's sitemap <lastmod>, when a sitemap lists one


def _never_unchanged(url: str, lastmod: str) -> bool:
    return False


async def crawl(
    spec: CrawlSpec,
    fetcher: Fetcher,
    validators: Validators,
    unchanged: Unchanged = _never_unchanged,
    kept: KeptRobots | None = None,
) -> AsyncIterator[CrawlEvent]:
    """Crawl the spec's sites; yields one event per URL considered (never raises for a bad page)."""
    crawler = _Crawler(spec, fetcher, validators, unchanged, kept)
    async for event in crawler.run():
        yield event


class _Crawler:
    def __init__(
        self,
        spec: CrawlSpec,
        fetcher: Fetcher,
        validators: Validators,
        unchanged: Unchanged = _never_unchanged,
        kept: KeptRobots | None = None,
    ) -> None:
        self.spec = spec
        self.fetcher = fetcher
        self.validators = validators
        self.unchanged = unchanged
        self.lastmods: dict[str, str] = {}
        self.robots = Robots(fetcher, kept)
        self.sites: list[str] = []
        self.levels: list[list[str]] = [[] for _ in range(spec.max_depth + 1)]
        self.seen: set[str] = set()
        self.seeds: dict[str, None] = {}
        self.final_urls: set[str] = set()
        self.variants: Counter[str] = Counter()
        self.requested = 0
        self.dropped = 0

    async def run(self) -> AsyncIterator[CrawlEvent]:
        for event in self._plan_start():
            yield event
        for url in self.sites if self.spec.max_depth > 0 else []:
            if urlsplit(url).path not in ("", "/"):
                continue  # a page was named, not a site: crawl from it, leave the site's sitemaps alone
            for entry in await self._site_sitemap_entries(url):
                self._note_lastmod(entry)
                self._enqueue(entry.url, 1)
        async for event in self._run_levels(0):
            yield event
        async for event in self._run_seeds():
            yield event
        log.info("crawl done requested=%d links_not_followed=%d", self.requested, self.dropped)

    async def _run_levels(self, first: int) -> AsyncIterator[CrawlEvent]:
        for depth in range(first, self.spec.max_depth + 1):
            async for event in self._run_level(self.levels[depth], depth):
                yield event

    async def _run_seeds(self) -> AsyncIterator[CrawlEvent]:
        """Known pages no link reached this run (often because the pages linking to them were unchanged,
        so their links were not read). They are re-checked as if one step from the start, so a changed
        one still leads to pages it newly links to."""
        leftover = [seed for seed in self.seeds if seed not in self.seen]
        self.seeds.clear()
        depth = min(1, self.spec.max_depth)
        self.levels = [[] for _ in range(self.spec.max_depth + 1)]
        self.seen.update(leftover)
        self.levels[depth] = leftover
        async for event in self._run_levels(depth):
            yield event

    def _plan_start(self) -> list[CrawlEvent]:
        events = []
        for raw in self.spec.start_urls:
            url = normalise_url(raw)
            if url is None:
                reason = "not an http(s) URL (or it has a user name or password)"
                events.append(CrawlEvent("failed", raw, reason=reason))
                continue
            if self.spec.allow_private_start:
                self.fetcher.trust(url)
            self.sites.append(url)
            if url not in self.seen:
                self.seen.add(url)
                self.levels[0].append(url)
        for raw in self.spec.seed_urls:
            url = normalise_url(raw)
            if url is not None and url not in self.seen:
                self.seeds[url] = None
        return events

    async def _site_sitemap_entries(self, site_url: str) -> list[SitemapEntry]:
        sitemaps = await discover_sitemaps(site_url, self.robots)
        allowed = [url for url in sitemaps if await self.robots.allowed(url)]
        entries = await read_sitemaps(allowed, self.fetcher, self.robots.check)
        log.info("sitemaps read site=%s sitemaps=%d urls=%d", site_url, len(allowed), len(entries))
        return entries

    def _note_lastmod(self, entry: SitemapEntry) -> None:
        if entry.lastmod:
            self.lastmods[entry.url] = entry.lastmod

    def _enqueue(self, url: str, depth: int) -> None:
        """Queue a discovered URL if it is on a start site, in scope, new, and not a query-string trap."""
        if url in self.seen or depth > self.spec.max_depth:
            return
        if not any(same_site(url, site) for site in self.sites):
            return
        if not in_scope(url, self.spec.include, self.spec.exclude):
            return
        key = url.split("?", 1)[0]
        if "?" in url:
            self.variants[key] += 1
            if self.variants[key] > MAX_QUERY_VARIANTS:
                self.dropped += 1
                return
        if self._queued() >= self.spec.max_pages * 3:
            self.dropped += 1
            return
        self.seen.add(url)
        self.seeds.pop(url, None)
        self.levels[depth].append(url)

    def _queued(self) -> int:
        return sum(len(level) for level in self.levels)

    async def _run_level(self, level: list[str], depth: int) -> AsyncIterator[CrawlEvent]:
        """Visit the level's URLs with bounded concurrency, yielding events as they complete.
        The level may grow while it runs (a sitemap given as a start URL adds its pages to level 0)."""
        queue: asyncio.Queue[CrawlEvent | None] = asyncio.Queue()
        position = 0

        async def worker() -> None:
            nonlocal position
            while position < len(level):
                url = level[position]
                position += 1
                for event in await self._visit(url, depth):
                    await queue.put(event)

        workers = [asyncio.create_task(worker()) for _ in range(self.fetcher.settings.crawl_concurrency)]
        done = asyncio.ensure_future(asyncio.gather(*workers))
        done.add_done_callback(lambda _: queue.put_nowait(None))
        try:
            while (event := await queue.get()) is not None:
                yield event
            await done  # re-raise a worker's unexpected error
        finally:
            for task in workers:
                task.cancel()

    async def _visit(self, url: str, depth: int) -> list[CrawlEvent]:
        if not any(same_site(url, site) for site in self.sites):
            return [CrawlEvent("excluded", url, reason="not on a configured site", depth=depth)]
        if not in_scope(url, self.spec.include, self.spec.exclude):
            reason = f"excluded by include/exclude: {path_and_query(url)}"
            return [CrawlEvent("excluded", url, reason=reason, depth=depth)]
        refusal = await self.robots.check(url)
        if refusal is not None:
            return [_refused(url, refusal, depth)]
        if url in self.final_urls:
            return [CrawlEvent("skipped", url, reason=ALREADY_FETCHED, depth=depth)]
        if self.requested >= self.spec.max_pages:
            return [
                CrawlEvent("skipped", url, reason=f"page limit ({self.spec.max_pages}) reached", depth=depth)
            ]
        self.requested += 1
        lastmod = self.lastmods.get(url)
        if lastmod and self.unchanged(url, lastmod):
            return [CrawlEvent("not_modified", url, reason=SITEMAP_UNCHANGED, depth=depth, lastmod=lastmod)]
        etag, last_modified = self.validators(url) or (None, None)
        accept = (SITEMAP_TYPES if depth == 0 else PAGE_TYPES) | JSON_TYPES
        result = await self.fetcher.fetch(
            url, etag=etag, last_modified=last_modified, check=self.robots.check, accept=accept
        )
        events = await self._classify(url, depth, result)
        for event in events:
            event.lastmod = lastmod if event.url == url else event.lastmod
        return events

    async def _classify(self, url: str, depth: int, result: FetchResult) -> list[CrawlEvent]:
        kind, reason = _kind_of(result)
        if kind != "fetched":
            return [CrawlEvent(kind, url, result, reason, depth)]
        final = normalise_url(result.final_url) or url
        if final != url and not any(same_site(final, site) for site in self.sites):
            return [CrawlEvent("excluded", url, result, f"redirects off-site to {final}", depth)]
        if final in self.final_urls:
            # "same page as" marks an alias; a page reached first through a redirect is not an alias.
            reason = f"same page as {final}" if final != url else ALREADY_FETCHED
            return [CrawlEvent("skipped", url, result, reason, depth)]
        self.final_urls.add(final)
        self.seen.add(final)  # a link to where a redirect ended is not fetched again
        if _header_noindex(result.robots_tag, self.robots.agent):
            return [CrawlEvent("excluded", url, result, NOINDEX, depth)]
        if result.content_type not in HTML_TYPES:
            sitemap = (
                parse_sitemap(result.body, self.fetcher.settings.crawl_max_bytes) if depth == 0 else None
            )
            if sitemap is not None:
                return await self._expand_sitemap(url, result, sitemap.is_index, sitemap.entries)
            if result.content_type in GZIP_TYPES:
                return [CrawlEvent("skipped", url, result, f"{UNSUPPORTED}: gzip file that is not a sitemap")]
        else:
            scan = scan_page(result.body, final, self.robots.agent)
            for link in scan.links if depth < self.spec.max_depth else []:
                self._enqueue(link, depth + 1)
            if scan.noindex:
                return [CrawlEvent("excluded", url, result, NOINDEX, depth)]
        return [CrawlEvent("fetched", url, result, "", depth)]

    async def _expand_sitemap(
        self, url: str, result: FetchResult, is_index: bool, entries: list[SitemapEntry]
    ) -> list[CrawlEvent]:
        """A start URL that is a sitemap: its pages join level 0 (sitemap indexes are followed first)."""
        if is_index:
            entries = await read_sitemaps([e.url for e in entries], self.fetcher, self.robots.check)
        for entry in entries:
            self._note_lastmod(entry)
            self._enqueue(entry.url, 0)
        return [CrawlEvent("skipped", url, result, f"sitemap listing {len(entries)} URLs", 0)]


def _refused(url: str, reason: str, depth: int) -> CrawlEvent:
    """A refusal before fetching: "disallowed" by robots.txt; a transient "failed" when robots.txt could
    not be read (so the index keeps what it has rather than dropping a site over one bad response); a
    permanent "failed" when the host itself may not be contacted (a private address nobody named)."""
    if reason.startswith((ROBOTS_UNREACHABLE, UNSAFE)):
        result = FetchResult(url, url, 0, error=reason, transient=reason.startswith(ROBOTS_UNREACHABLE))
        return CrawlEvent("failed", url, result, reason, depth)
    return CrawlEvent("disallowed", url, reason=reason, depth=depth)


def _header_noindex(robots_tag: str | None, agent: str) -> bool:
    """X-Robots-Tag: "noindex" (or "none"), for all robots or "<agent>: noindex"."""
    for directive in (robots_tag or "").lower().split(","):
        name, _, rule = directive.rpartition(":")
        if rule.strip() in ("noindex", "none") and name.strip() in ("", agent.lower()):
            return True
    return False


def _kind_of(result: FetchResult) -> tuple[EventKind, str]:
    """How the crawl reports a fetch result."""
    error = result.error or ""
    if result.not_modified:
        return "not_modified", ""
    if error.startswith(ROBOTS_UNREACHABLE):
        result.transient = True
        return "failed", error
    if error.startswith(ROBOTS_REFUSAL):
        return "disallowed", error
    if result.status in (404, 410):
        return "gone", error
    if error.startswith(UNSUPPORTED):
        return "skipped", error
    if error.startswith((UNSAFE, TOO_LARGE)) or error:
        return "failed", error
    if not 200 <= result.status < 300:
        return "failed", f"HTTP {result.status}"
    return "fetched", ""
