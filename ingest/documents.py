"""Decide what one fetched or local document means for the index: new, changed, unchanged, removed, failed.

    items = ItemMaker(manifest, embedder.count_tokens, settings.chunk_max_tokens)
    item = items.from_page("college", page, etag, last_modified)

An Item carries the manifest row to write and the chunks it needs; `ingest/run.py` batches and writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from connector.errors import SourceError
from connector.types import Chunk, FetchResult, Page, content_hash
from ingest.chunk import CHUNKING_VERSION, split_into_chunks
from ingest.decode import decode_body
from ingest.manifest import FAILED, OK, Manifest, PageRecord
from ingest.parse_html import parse_html
from ingest.parse_local import parse_markdown
from ingest.parse_pdf import parse_pdf
from ingest.sources import SourceConfig

HTML_TYPES = {"text/html", "application/xhtml+xml"}
PDF_TYPES = {"application/pdf", "application/x-pdf"}
TEXT_TYPES = {"text/plain"}
FEED_TYPES = {
    "application/xml", "text/xml", "application/rss+xml", "application/atom+xml", "application/json",
    "application/ld+json",
}  # fmt: skip


@dataclass
class Item:
    """One URL's outcome in this run."""

    source: str
    url: str
    kind: str  # new | changed | unchanged | removed | robots | failed | skipped | feeds
    record: PageRecord | None = None  # the manifest row to write; None writes nothing
    chunks: list[Chunk] = field(default_factory=list)
    old_ids: list[str] = field(default_factory=list)
    remove: bool = False
    reason: str | None = None
    page: Page | None = None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def page_fingerprint(page: Page) -> str:
    """A hash of everything that ends up in the chunks (text, headings, title, type, audiences, and the
    way pages are cut)."""
    parts = [CHUNKING_VERSION, page.title, page.doc_type, ",".join(sorted(page.audiences))]
    parts += [json.dumps([s.heading_path, s.page_number, s.text]) for s in page.sections]
    return content_hash("\x1e".join(parts))


def parse_fetched(result: FetchResult, source: SourceConfig) -> Page:
    """A fetched HTML, PDF or text document as a Page; SourceError for anything else or unreadable."""
    kind, audiences = source.doc_type, list(source.audiences)
    if not result.body.strip():
        raise SourceError(result.url, "parse", "empty document")
    if result.content_type in HTML_TYPES:
        page = parse_html(result, kind, audiences)
    elif result.content_type in PDF_TYPES:
        page = parse_pdf(result, kind, audiences)
    elif result.content_type in TEXT_TYPES:
        url = result.final_url or result.url
        text = decode_body(result.body, result.charset)
        page = parse_markdown(PurePosixPath(urlsplit(url).path or "page.txt"), text, kind, audiences, url=url)
    else:
        raise SourceError(result.url, "parse", f"unsupported content type {result.content_type or '(none)'}")
    if not page.sections:
        raise SourceError(result.url, "parse", "no readable text")
    return page


class ItemMaker:
    """Compares what was found with the manifest and chunks what changed."""

    def __init__(self, manifest: Manifest, count_tokens: Callable[[str], int], max_tokens: int) -> None:
        self.manifest = manifest
        self.count_tokens = count_tokens
        self.max_tokens = max_tokens
        # A 304 tells nothing about the pages a page links to. After an interrupted run some of those were
        # never recorded, so every page is fetched in full once to find them again.
        self.conditional_get = manifest.previous_run_finished()

    def from_page(self, source: str, page: Page, etag: str | None, last_modified: str | None) -> Item:
        old = self.manifest.get(page.url)
        fingerprint = page_fingerprint(page)
        if old and old.content_hash == fingerprint:
            record = replace(old, source=source, status=OK, etag=etag, last_modified=last_modified,
                             last_seen=now(), error=None)  # fmt: skip
            return Item(source, page.url, "unchanged", record, page=page)
        chunks = split_into_chunks(page, self.count_tokens, self.max_tokens)
        record = PageRecord(
            url=page.url, source=source, status=OK, title=page.title, etag=etag, last_modified=last_modified,
            content_hash=fingerprint, chunk_ids=[c.id for c in chunks], last_seen=now(),
        )  # fmt: skip
        kind = "changed" if old and (old.content_hash or old.chunk_ids) else "new"
        return Item(source, page.url, kind, record, chunks, old.chunk_ids if old else [], page=page)

    def not_modified(self, source: str, url: str) -> Item:
        old = self.manifest.get(url)
        if old is None:
            return Item(source, url, "failed", reason="304 Not Modified for a page the index does not hold")
        return Item(source, url, "unchanged", replace(old, status=OK, last_seen=now(), error=None))

    def failed(self, source: str, url: str, reason: str) -> Item:
        """A failure keeps the last good chunks (and validators) of a page the index already holds."""
        old = self.manifest.get(url)
        record = replace(old, status=FAILED, error=reason) if old else None
        return Item(source, url, "failed", record, reason=reason)

    def feed(self, source: str, url: str) -> Item:
        """A feed a reader took (course data): recorded without chunks, so that a later 404/410 or a
        deleted file comes back as a removal and its records go with it. No validators: a feed is read
        in full every run, so what was taken from it can always be rebuilt."""
        old = self.manifest.get(url)
        record = PageRecord(url=url, source=source, status=OK, last_seen=now())
        return Item(source, url, "feeds", record, old_ids=old.chunk_ids if old else [])

    def gone(self, source: str, url: str, reason: str | None = None) -> Item | None:
        """A page that is gone (or may no longer be crawled): its chunks go. None if never indexed."""
        old = self.manifest.get(url)
        if old is None:
            return None
        return Item(source, url, "removed", old, old_ids=old.chunk_ids, remove=True, reason=reason)
