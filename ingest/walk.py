"""What each source holds now, as Items: local files and folders, and crawled web sites.

    for item in local_items(source, item_maker, settings, limit, take_feed): ...
    async with Fetcher(settings) as fetcher:    # one per run: politeness per host spans every source
        async for item in web_items(source, item_maker, settings, limit, take_feed, fetcher): ...

Pages the manifest knows that are gone (a deleted file; a 404/410, now excluded or disallowed URL) come
out as removals; a transient failure keeps the page's last good chunks.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime

from connector.errors import SourceError
from connector.settings import Settings
from connector.types import FetchResult
from ingest.crawl import CrawlEvent, CrawlSpec, crawl
from ingest.documents import FEED_TYPES, Item, ItemMaker, parse_fetched
from ingest.fetch import Fetcher
from ingest.manifest import OK
from ingest.parse_local import iter_local_documents
from ingest.sources import SourceConfig
from ingest.urls import normalise_url

log = logging.getLogger(__name__)

TakeFeed = Callable[[FetchResult | bytes, str], int]
READ_KINDS = ("new", "changed", "unchanged")  # outcomes after which the index holds the page as it is now


def local_items(
    source: SourceConfig, maker: ItemMaker, settings: Settings, limit: int, take_feed: TakeFeed
) -> Iterator[Item]:
    """Every file of a local source; then removals for files that are gone (unless something failed)."""
    seen: set[str] = set()
    complete = True
    documents = iter_local_documents(
        source.local_path(), source.doc_type, source.audiences, settings.crawl_max_bytes
    )
    for number, doc in enumerate(documents):
        if number >= limit:
            complete = False  # capped: what was not read is not known to be gone
            break
        seen.add(doc.url)
        if doc.feed is not None:
            yield feed_item(source, maker, doc.url, take_feed(doc.feed, doc.url))
        elif doc.page is not None:
            yield maker.from_page(source.name, doc.page, None, None)
        elif doc.error is not None:
            complete = False  # a broken file may be a page we hold under its slug URL: keep it
            yield maker.failed(source.name, doc.url, doc.error)
        else:
            yield Item(source.name, doc.url, "skipped", reason=doc.skipped)
    if complete:
        yield from _removed(source, maker, seen, "file deleted")


def _removed(source: SourceConfig, maker: ItemMaker, seen: set[str], reason: str) -> Iterator[Item]:
    for record in maker.manifest.records(source.name):
        if record.url not in seen and (item := maker.gone(source.name, record.url, reason)):
            yield item


def feed_item(source: SourceConfig, maker: ItemMaker, url: str, taken: int) -> Item:
    """A feed document: recorded when a reader took it, else skipped."""
    return maker.feed(source.name, url) if taken else Item(source.name, url, "skipped", reason="no reader")


def fetched_item(source: SourceConfig, maker: ItemMaker, result: FetchResult, take_feed: TakeFeed) -> Item:
    """A successful fetch: a page to chunk, a feed to hand over, or an unsupported document."""
    url = normalise_url(result.final_url or result.url) or result.url
    if result.content_type in FEED_TYPES:
        return feed_item(source, maker, url, take_feed(result, url))
    try:
        page = parse_fetched(result, source)
    except SourceError as exc:
        if exc.reason.startswith("unsupported content type"):
            return Item(source.name, url, "skipped", reason=exc.reason)
        return maker.failed(source.name, url, exc.reason)
    page.url = url  # the manifest and the chunks use the normal form of the final URL
    return maker.from_page(source.name, page, result.etag, result.last_modified)


def _unchanged_by_sitemap(maker: ItemMaker) -> Callable[[str, str], bool]:
    """Whether a page's sitemap lastmod is no later than when the index last read it. Never after an
    interrupted run (every page is read in full once then, as with conditional GET)."""

    def unchanged(url: str, lastmod: str) -> bool:
        record = maker.manifest.get(url) if maker.conditional_get else None
        if record is None or not record.content_hash or record.status != OK or not record.sitemap_lastmod:
            return False
        return not_later(lastmod, record.sitemap_lastmod)

    return unchanged


def not_later(lastmod: str, recorded: str) -> bool:
    """W3C datetimes ("2026-01-05", "2026-01-05T10:00:00Z") compared as times; otherwise only equal
    text counts as not later (an unreadable lastmod never skips a page that may have changed)."""
    try:
        now, then = _as_utc(lastmod), _as_utc(recorded)
    except ValueError:
        return lastmod.strip() == recorded.strip()
    return now <= then


def _as_utc(value: str) -> datetime:
    moment = datetime.fromisoformat(value.strip())
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _validators(maker: ItemMaker) -> Callable[[str], tuple[str | None, str | None] | None]:
    def lookup(url: str) -> tuple[str | None, str | None] | None:
        record = maker.manifest.get(url) if maker.conditional_get else None
        return (record.etag, record.last_modified) if record and record.content_hash else None

    return lookup


def crawl_spec(source: SourceConfig, settings: Settings, limit: int, seeds: list[str]) -> CrawlSpec:
    return CrawlSpec(
        start_urls=[source.url or ""],
        include=list(source.include),
        exclude=list(source.exclude),
        max_pages=limit,
        max_depth=settings.crawl_max_depth if source.max_depth is None else source.max_depth,
        seed_urls=seeds,
        allow_private_start=source.allow_private,
    )


def event_item(source: SourceConfig, maker: ItemMaker, event: CrawlEvent, take_feed: TakeFeed) -> Item | None:
    """What one crawl event means for the index (None: nothing to record)."""
    name, url = source.name, event.url
    if event.kind == "fetched" and event.result is not None:
        return fetched_item(source, maker, event.result, take_feed)
    if event.kind == "not_modified":
        return maker.not_modified(name, url)
    if event.kind in ("gone", "excluded", "disallowed"):
        return maker.gone(name, url, event.reason or event.kind)
    if event.kind == "failed":
        return maker.failed(name, url, event.reason or "failed")
    if event.reason.startswith("same page as") and maker.manifest.get(url):
        return maker.gone(name, url, event.reason)  # an alias of a page indexed under its final URL
    return Item(name, url, "skipped", reason=event.reason or None)


async def web_items(
    source: SourceConfig,
    maker: ItemMaker,
    settings: Settings,
    limit: int,
    take_feed: TakeFeed,
    fetcher: Fetcher,
) -> AsyncIterator[Item]:
    """Crawl a web source (robots, sitemaps, links) and turn each crawl event into Items."""
    seeds = [record.url for record in maker.manifest.records(source.name)]
    spec = crawl_spec(source, settings, limit, seeds)
    events = crawl(spec, fetcher, _validators(maker), _unchanged_by_sitemap(maker), kept=maker.manifest)
    async for event in events:
        if event.kind == "disallowed":
            yield Item(source.name, event.url, "robots", reason=event.reason)
        elif event.kind == "gone" and not maker.manifest.get(event.url):
            status = event.result.status if event.result else 404
            yield maker.failed(source.name, event.url, event.reason or f"HTTP {status} (dead link)")
            continue
        item = event_item(source, maker, event, take_feed)
        if item is not None:
            if item.record is not None and event.lastmod and item.kind in READ_KINDS:
                item.record.sitemap_lastmod = event.lastmod  # what "unchanged" is measured against
            yield item
