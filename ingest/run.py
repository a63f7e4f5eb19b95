"""The ingest run; the only place that knows the order: sources -> fetch -> parse -> chunk -> embed -> index.

    report = run_ingest(settings, ["https://college.example/"], max_pages=50)
    report = run_ingest(settings, [], dry_run=True)       # everything enabled in the area's sources.yaml

A run over the whole configuration (no SOURCE) also removes the pages of every source that is no longer
enabled there (removed or disabled); pages ingested ad hoc from the command line (a URL or a path) stay
until that URL or path is ingested again and they are gone. A run over named SOURCEs touches only their pages.

A producer crawls and parses while a consumer embeds and writes in batches across pages, so fetching and
parsing overlap with the model. Writes follow ingest/index.py's order (upsert -> manifest -> delete), and
the index is reconciled against the manifest before and after, so a run killed at any point is completed
by the next one.

Extension points for other parts of the product (register at import time of your module; modules listed
in PLUGIN_MODULES are imported at the start of a run when they exist):
- PAGE_OBSERVERS: `observer(page, settings) -> None`, called for every document parsed in a real
  (not dry) run, e.g. to pick schema.org Course objects out of `page.structured`.
- FEED_HANDLERS: `handler(document, url, settings) -> int`, given every XML/JSON document that is not a
  page (a FetchResult from the web, bytes from a local file); returns how many records it took, 0 if the
  document is not its kind. Sitemaps never reach it.
- GONE_OBSERVERS: `observer(url, settings) -> None`, called for every indexed page found gone in a real
  run (deleted file, 404/410, now excluded), e.g. to drop the courses that page published.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from connector.errors import SourceError
from connector.settings import Settings
from connector.store import ChunkStore
from connector.types import FetchResult, Page
from ingest.documents import Item, ItemMaker, now
from ingest.fetch import Fetcher
from ingest.index import Indexer, PageUpdate
from ingest.lazy_embedder import LazyEmbedder
from ingest.lock import ingest_lock
from ingest.manifest import Manifest
from ingest.report import Progress, RunReport
from ingest.sources import SourceConfig, is_ad_hoc_name, resolve_sources
from ingest.walk import local_items, web_items

log = logging.getLogger(__name__)


class TextEmbedder(Protocol):
    def count_tokens(self, text: str) -> int: ...
    def embed_texts(self, texts: list[str]) -> list[list[float]]: ...


PageObserver = Callable[[Page, Settings], None]
FeedHandler = Callable[[FetchResult | bytes, str, Settings], int]
PAGE_OBSERVERS: list[PageObserver] = []
FEED_HANDLERS: list[FeedHandler] = []
GONE_OBSERVERS: list[Callable[[str, Settings], None]] = []
PLUGIN_MODULES = ("ingest.courses", "ingest.feeds")

QUEUE_ITEMS = 64  # parsed pages waiting for the embedder
FLUSH_BATCHES = 4  # embed at least this many model batches at once, unless the producer has gone quiet
QUIET_SECONDS = 0.05  # how long "quiet" is
UNLISTED = "source no longer enabled in the sources file"


def load_plugins() -> None:
    for name in PLUGIN_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


def handle_feed(document: FetchResult | bytes, url: str, settings: Settings) -> int:
    """Offer a non-page document to every feed handler; a failing handler is logged, not fatal."""
    taken = 0
    for handler in FEED_HANDLERS:
        try:
            taken += int(handler(document, url, settings) or 0)
        except Exception:  # noqa: BLE001 - one handler's bug must not stop the run
            log.exception("feed handler failed handler=%s url=%s", getattr(handler, "__name__", handler), url)
    return taken


@dataclass
class Batch:
    items: list[Item] = field(default_factory=list)
    chunks: int = 0

    def add(self, item: Item) -> None:
        self.items.append(item)
        self.chunks += len(item.chunks)


class IngestRun:
    """One run over some sources; `await run()` returns the report."""

    def __init__(
        self, settings: Settings, sources: list[SourceConfig], embedder: TextEmbedder, *,
        dry_run: bool = False, max_pages: int | None = None, progress: Progress | None = None,
        remove_unlisted: bool = False,
    ) -> None:  # fmt: skip
        self.settings = settings
        self.sources = sources
        self.embedder = embedder
        self.dry_run = dry_run
        self.max_pages = max_pages
        self.remove_unlisted = remove_unlisted  # pages of sources not in this run go (whole-config runs)
        self._urls_found: set[str] = set()
        self.progress = progress or Progress(enabled=False)
        self.report = RunReport(dry_run=dry_run, sources=[s.name for s in sources])
        self.manifest = Manifest.open(settings.manifest_path, read_only=dry_run)
        self.items = ItemMaker(self.manifest, embedder.count_tokens, settings.chunk_max_tokens)
        self.indexer: Indexer | None = None
        self.flush_chunks = settings.embedding_batch_size * FLUSH_BATCHES
        self._known_ids = self.manifest.referenced_ids() if dry_run else set()

    async def run(self) -> RunReport:
        run_id = 0
        if not self.dry_run:
            run_id = self.manifest.start_run(now(), dry_run=False)
            self.indexer = Indexer(ChunkStore.open(self.settings), self.embedder, self.manifest)
            self._reconcile()
        queue: asyncio.Queue[Item | None] = asyncio.Queue(maxsize=QUEUE_ITEMS)
        producer = asyncio.create_task(self._produce(queue))
        try:
            await self._consume(queue)
        finally:
            producer.cancel() if not producer.done() else None
        await producer
        if self.indexer is not None:
            self._reconcile()
            if self.report.changed_anything:
                self.indexer.store.mark_updated()
        self.report.finish()
        if run_id:
            self.manifest.finish_run(run_id, now(), self.report.as_dict())
        self.manifest.close()
        return self.report

    def _reconcile(self) -> None:
        assert self.indexer is not None
        done = self.indexer.reconcile()
        self.report.repaired += done.orphans_deleted + len(done.pages_invalidated)

    # -- producing: what each source holds now -------------------------------------------------
    async def _produce(self, queue: asyncio.Queue[Item | None]) -> None:
        try:
            for source in (s for s in self.sources if s.is_local):
                for item in local_items(
                    source, self.items, self.settings, self._limit(source), self._take_feed
                ):
                    await queue.put(self._observed(item))
                    await asyncio.sleep(0)  # let the consumer start the model while files are read
            web = [s for s in self.sources if not s.is_local]
            if web:
                # Sites are crawled side by side; one Fetcher keeps each host's own pace and Crawl-delay
                # across every source that names it.
                async with Fetcher(self.settings) as fetcher:
                    await _all_or_none([self._produce_site(source, fetcher, queue) for source in web])
            if self.remove_unlisted:
                for item in self._unlisted_items():
                    await queue.put(self._observed(item))
        finally:
            await queue.put(None)

    def _limit(self, source: SourceConfig) -> int:
        return self.max_pages or source.max_pages or self.settings.crawl_max_pages

    async def _produce_site(self, source: SourceConfig, fetcher: Fetcher, queue: asyncio.Queue) -> None:
        limit = self._limit(source)
        async for item in web_items(source, self.items, self.settings, limit, self._take_feed, fetcher):
            await queue.put(self._observed(item))

    def _unlisted_items(self) -> list[Item]:
        """Removals for pages whose source is not one of this run's (it was removed or disabled). A URL
        some source of this run found is left alone: it is being rewritten under that source."""
        names = {source.name for source in self.sources}
        # Pages ingested ad hoc from the command line stay: `make run` must not undo `connector ingest URL`.
        stale = [
            r for r in self.items.manifest.records() if r.source not in names and not is_ad_hoc_name(r.source)
        ]
        items = [self.items.gone(r.source, r.url, UNLISTED) for r in stale if r.url not in self._urls_found]
        found = [item for item in items if item is not None]
        if found:
            log.info("unlisted pages removed=%d sources=%d", len(found), len({i.source for i in found}))
        return found

    def _take_feed(self, document: FetchResult | bytes, url: str) -> int:
        if self.dry_run:
            return 1 if FEED_HANDLERS else 0  # would be offered; handlers may write, so they are not called
        return handle_feed(document, url, self.settings)

    def _observed(self, item: Item) -> Item:
        self._urls_found.add(item.url)
        if item.kind == "removed" and not self.dry_run:
            for gone in GONE_OBSERVERS:
                try:
                    gone(item.url, self.settings)
                except Exception:  # noqa: BLE001 - an observer's bug must not stop the run
                    log.exception("gone observer failed url=%s", item.url)
        if item.page is not None and not self.dry_run:
            for observer in PAGE_OBSERVERS:
                try:
                    observer(item.page, self.settings)
                except Exception:  # noqa: BLE001 - an observer's bug must not stop the run
                    log.exception("page observer failed url=%s", item.url)
        item.page = None  # the parsed page is not needed any more; keep memory flat
        return item

    # -- consuming: embed and write in batches across pages ------------------------------------
    async def _consume(self, queue: asyncio.Queue[Item | None]) -> None:
        batch = Batch()
        while True:
            try:
                # With pages waiting, a quiet producer (slow site) should not hold them back from the model.
                item = (
                    await asyncio.wait_for(queue.get(), QUIET_SECONDS) if batch.items else await queue.get()
                )
            except TimeoutError:
                await self._flush(batch)
                batch = Batch()
                continue
            if item is None:
                break
            self.progress.page(item.kind, item.url)
            batch.add(item)
            if batch.chunks >= self.flush_chunks:
                await self._flush(batch)
                batch = Batch()
        await self._flush(batch)

    async def _flush(self, batch: Batch) -> None:
        if not batch.items:
            return
        for item in batch.items:
            self.report.count(item.source, item.kind, item.url, item.reason)
        updates = [PageUpdate(i.record, i.chunks, i.old_ids, i.remove) for i in batch.items if i.record]
        if self.dry_run:
            self._count_dry(updates)
        elif updates:
            await asyncio.to_thread(self._write, updates)

    def _write(self, updates: list[PageUpdate]) -> None:
        assert self.indexer is not None
        chunks = self.indexer.chunks_to_embed(updates)
        started = time.perf_counter()
        embedded = self.indexer.embed(chunks)
        self.report.embed_seconds += time.perf_counter() - started
        self.report.chunks_removed += self.indexer.commit(updates, chunks, embedded)
        self.report.chunks_added += len(chunks)
        self.report.chunks_embedded += len(chunks)

    def _count_dry(self, updates: list[PageUpdate]) -> None:
        for update in updates:
            fresh = [c.id for c in update.chunks if c.id not in self._known_ids]
            self._known_ids.update(fresh)
            self.report.chunks_added += len(fresh)
            kept = set() if update.remove else set(update.record.chunk_ids)
            self.report.chunks_removed += len(set(update.old_ids) - kept)


async def _all_or_none(jobs: list[Coroutine[Any, Any, None]]) -> None:
    """Run the jobs side by side; the first error cancels the rest and is raised as it is (not wrapped in
    an ExceptionGroup, so the CLI still reports a SourceError or ConfigError in one line)."""
    tasks = [asyncio.create_task(job) for job in jobs]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def run_ingest(
    settings: Settings, arguments: list[str], *, max_pages: int | None = None, dry_run: bool = False,
    embedder: TextEmbedder | None = None, progress: Progress | None = None, wait_for_lock: bool = False,
) -> RunReport:  # fmt: skip
    """Resolve sources, take the lock (not for a dry run) and run. Raises ConfigError, SourceError,
    IngestLockedError (unless wait_for_lock: then it waits for the other run), IndexMismatchError for the
    CLI to report."""
    sources = resolve_sources(settings, arguments)
    whole_config = not arguments
    for source in sources:
        if source.is_local and not source.local_path().exists():
            raise SourceError(str(source.local_path()), "read", "no such file or folder")
    load_plugins()
    if dry_run:
        run = IngestRun(settings, sources, embedder or LazyEmbedder(settings), dry_run=True,
                        max_pages=max_pages, progress=progress, remove_unlisted=whole_config)  # fmt: skip
        return asyncio.run(run.run())
    settings.ensure_data_dir()
    # Before the model loads, so a second run is refused at once (or, for a job, waits its turn).
    with ingest_lock(settings.lock_path, wait=wait_for_lock):
        run = IngestRun(settings, sources, embedder or LazyEmbedder(settings), max_pages=max_pages,
                        progress=progress, remove_unlisted=whole_config)  # fmt: skip
        report = asyncio.run(run.run())
    log.info(
        "ingest finished seconds=%.1f new=%d changed=%d unchanged=%d removed=%d failed=%d chunks_added=%d",
        report.seconds, report.pages["new"], report.pages["changed"], report.pages["unchanged"],
        report.pages["removed"], report.pages["failed"], report.chunks_added,
    )  # fmt: skip
    return report
