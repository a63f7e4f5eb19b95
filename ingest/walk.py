"""What each source holds now, as Items: local files and folders, and crawled web sites.

    for item in local_items(source, item_maker, settings, limit, take_feed): ...
    async for item in web_items(source, item_maker, settings, limit, take_feed): ...

Pages the manifest knows that are gone (a deleted file; a 404/410, now excluded or disallowed URL) come
out as removals; a transient failure keeps the page's last good chunks.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator

from connector.errors import SourceError
from connector.settings import Settings
from connector.types import FetchResult
from ingest.documents import FEED_TYPES, Item, ItemMaker, parse_fetched
from ingest.parse_local import iter_local_documents
from ingest.sources import SourceConfig

log = logging.getLogger(__name__)

TakeFeed = Callable[[FetchResult | bytes, str], int]


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
            taken = take_feed(doc.feed, doc.url)
            yield Item(
                source.name, doc.url, "feeds" if taken else "skipped", reason=None if taken else "no reader"
            )
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


def fetched_item(source: SourceConfig, maker: ItemMaker, result: FetchResult, take_feed: TakeFeed) -> Item:
    """A successful fetch: a page to chunk, a feed to hand over, or an unsupported document."""
    url = result.final_url or result.url
    if result.content_type in FEED_TYPES:
        taken = take_feed(result, url)
        return Item(source.name, url, "feeds" if taken else "skipped", reason=None if taken else "no reader")
    try:
        page = parse_fetched(result, source)
    except SourceError as exc:
        if exc.reason.startswith("unsupported content type"):
            return Item(source.name, url, "skipped", reason=exc.reason)
        return maker.failed(source.name, url, exc.reason)
    return maker.from_page(source.name, page, result.etag, result.last_modified)


async def web_items(
    source: SourceConfig, maker: ItemMaker, settings: Settings, limit: int, take_feed: TakeFeed
) -> AsyncIterator[Item]:
    """Crawl a web source (robots, sitemaps, links) and turn each crawl event into an Item."""
    from ingest.crawl_items import crawl_items

    async for item in crawl_items(source, maker, settings, limit, take_feed):
        yield item
