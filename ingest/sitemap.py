"""Sitemaps: found through robots.txt and /sitemap.xml, indexes followed (bounded), gzip handled.

entries = await read_sitemaps(["https://provider.ac.uk/sitemap.xml"], fetcher, robots.check)
[(entry.url, entry.lastmod) for entry in entries]
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass

from lxml import etree

from ingest.fetch import SITEMAP_TYPES, Fetcher, HopCheck
from ingest.robots import Robots
from ingest.urls import normalise_url, origin

log = logging.getLogger(__name__)

MAX_DEPTH = 3  # sitemap index -> index -> index -> urlset
MAX_SITEMAPS = 50
MAX_URLS = 50_000  # the protocol's own limit per sitemap file
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


@dataclass(frozen=True)
class SitemapEntry:
    url: str
    lastmod: str | None = None


@dataclass
class ParsedSitemap:
    is_index: bool
    entries: list[SitemapEntry]


async def discover_sitemaps(site_url: str, robots: Robots) -> list[str]:
    """The site's sitemap URLs: robots.txt Sitemap: lines, then the conventional /sitemap.xml."""
    found = [normalise_url(url) for url in await robots.sitemaps(site_url)]
    found.append(normalise_url(origin(site_url) + "/sitemap.xml"))
    return list(dict.fromkeys(url for url in found if url))


async def read_sitemaps(
    urls: list[str], fetcher: Fetcher, check: HopCheck | None = None, max_bytes: int | None = None
) -> list[SitemapEntry]:
    """Page URLs (with lastmod) listed by these sitemaps, following sitemap indexes breadth-first."""
    level, seen, pages = list(urls), set(urls), {}
    limit = max_bytes or fetcher.settings.crawl_max_bytes
    for _depth in range(MAX_DEPTH + 1):
        children: list[str] = []
        for url in level:
            parsed = await _fetch_sitemap(url, fetcher, check, limit)
            if parsed is None:
                continue
            if parsed.is_index:
                children += [e.url for e in parsed.entries if e.url not in seen]
                seen.update(children)
            else:
                pages.update({e.url: e for e in parsed.entries if e.url not in pages})
        level = children[: max(0, MAX_SITEMAPS - len(seen) + len(children))]
        if not level or len(pages) >= MAX_URLS:
            break
    return list(pages.values())[:MAX_URLS]


async def _fetch_sitemap(
    url: str, fetcher: Fetcher, check: HopCheck | None, limit: int
) -> ParsedSitemap | None:
    result = await fetcher.fetch(url, check=check, accept=SITEMAP_TYPES)
    if result.error or not result.body:
        log.info("sitemap unreadable url=%s error=%s", url, result.error or "empty")
        return None
    parsed = parse_sitemap(result.body, limit)
    if parsed is None:
        log.info("not a sitemap url=%s content_type=%s", url, result.content_type)
    return parsed


def parse_sitemap(body: bytes, max_bytes: int = 50_000_000) -> ParsedSitemap | None:
    """A urlset or sitemapindex (XML, gzipped or not; or a plain-text list of URLs); None if neither."""
    if body.startswith(b"\x1f\x8b"):
        unzipped = gunzip_capped(body, max_bytes)
        if unzipped is None:
            return None
        body = unzipped
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<"):
        return _text_sitemap(stripped)
    try:
        root = etree.fromstring(stripped, _PARSER)
    except etree.XMLSyntaxError:
        return None
    if root is None or etree.QName(root).localname not in ("urlset", "sitemapindex"):
        return None
    child = "sitemap" if etree.QName(root).localname == "sitemapindex" else "url"
    entries = []
    for node in root.iterchildren():
        if isinstance(node.tag, str) and etree.QName(node).localname == child:
            entry = _entry(node)
            if entry is not None:
                entries.append(entry)
    return ParsedSitemap(is_index=child == "sitemap", entries=entries[:MAX_URLS])


def _entry(node: etree._Element) -> SitemapEntry | None:
    values = {etree.QName(el).localname: (el.text or "").strip() for el in node if isinstance(el.tag, str)}
    url = normalise_url(values.get("loc", ""))
    return SitemapEntry(url, values.get("lastmod") or None) if url else None


def _text_sitemap(body: bytes) -> ParsedSitemap | None:
    """A text sitemap: nothing but URLs, one per line."""
    lines = body.decode("utf-8", errors="replace").split()[:MAX_URLS]
    urls = [normalise_url(line) for line in lines]
    if not urls or None in urls:
        return None
    return ParsedSitemap(is_index=False, entries=[SitemapEntry(url) for url in urls if url])


def gunzip_capped(data: bytes, max_bytes: int) -> bytes | None:
    """Decompress gzip without ever holding more than max_bytes of output (None if it would)."""
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_bytes + 1)
    except zlib.error:
        return None
    return None if len(out) > max_bytes else out
