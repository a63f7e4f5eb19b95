"""Parse a fetched HTML page into a Page: main content as sections along its headings.

    page = parse_html(fetch_result, doc_type=None, audiences=None)

Every page is treated as hostile. Anything hidden from a reader (display:none, visibility:hidden, the
hidden attribute, aria-hidden=true, zero size, off-screen) is dropped before any text is read: hidden text
is where prompt injections live. Then navigation, headers, footers, asides, link lists, control banners,
forms and scripts go, decided by structure and link density, not by words in class names
(ingest/html_boilerplate.py). JSON-LD objects are kept in `Page.structured` for the course catalogue.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urldefrag, urljoin, urlparse

from bs4 import BeautifulSoup, NavigableString, Tag

from connector.types import FetchResult, Page, Section
from ingest.classify import infer_audiences, infer_doc_type
from ingest.decode import clean_text, decode_body
from ingest.html_blocks import content_blocks
from ingest.html_boilerplate import drop_boilerplate
from ingest.html_hidden import remove_hidden

log = logging.getLogger(__name__)

MAX_JSONLD_BYTES = 200_000
MAX_LINKS = 2000


def _jsonld(soup: BeautifulSoup) -> list[dict]:
    """JSON-LD objects, flattened out of lists and @graph; invalid blocks are skipped."""
    found: list[dict] = []
    for script in soup.find_all("script", type=re.compile(r"^\s*application/ld\+json", re.I)):
        raw = script.string or script.get_text()
        if len(raw) > MAX_JSONLD_BYTES:
            continue
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        for item in stack:
            if isinstance(item, dict):
                graph = item.get("@graph")
                found.extend(g for g in graph if isinstance(g, dict)) if isinstance(graph, list) else None
                if "@type" in item:
                    found.append(item)
    return found


def _title(soup: BeautifulSoup) -> str:
    for candidate in (soup.title, soup.find("meta", property="og:title"), soup.find("h1")):
        if isinstance(candidate, Tag):
            text = candidate.get("content") if candidate.name == "meta" else candidate.get_text(" ")
            text = " ".join(clean_text(str(text or "")).split())
            if text:
                return text[:300]
    return ""


def _absolute(base: str, href: str) -> str | None:
    url = urldefrag(urljoin(base, href.strip()))[0]
    return url if urlparse(url).scheme in ("http", "https") else None


def _canonical(soup: BeautifulSoup, base: str) -> str | None:
    link = soup.find("link", rel=lambda value: value and "canonical" in value)
    href = link.get("href") if isinstance(link, Tag) else None
    return _absolute(base, str(href)) if href else None


def _links(soup: BeautifulSoup, base: str) -> list[str]:
    links: dict[str, None] = {}
    for anchor in soup.find_all("a", href=True):
        if "nofollow" in (anchor.get("rel") or []):
            continue
        url = _absolute(base, str(anchor["href"]))
        if url:
            links[url] = None
        if len(links) >= MAX_LINKS:
            break
    return list(links)


def _main_content(soup: BeautifulSoup) -> Tag:
    for candidate in (soup.find("main"), soup.find(None, {"role": "main"}), soup.find("article")):
        if isinstance(candidate, Tag) and candidate.get_text(strip=True):
            return candidate
    return soup.body or soup


def _sections(root: Tag, title: str) -> list[Section]:
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    lines: list[str] = []

    def flush() -> None:
        if lines:
            sections.append(Section(heading_path=[text for _, text in stack], text="\n".join(lines)))
            lines.clear()

    for level, text in content_blocks(root):
        if level:
            flush()
            while stack and stack[-1][0] >= level:
                stack.pop()
            # The page title is already the chunk prefix; do not repeat an identical h1.
            if not (level == 1 and text == title and not stack):
                stack.append((level, text))
        else:
            lines.append(text)
    flush()
    return sections


def parse_html(result: FetchResult, doc_type: str | None = None, audiences: list[str] | None = None) -> Page:
    """Decode, clean and structure one HTML document."""
    base = result.final_url or result.url
    html = decode_body(result.body, result.charset, html=True)
    soup = BeautifulSoup(html, "lxml")
    structured = _jsonld(soup)  # before scripts are dropped
    title = _title(soup)
    canonical = _canonical(soup, base)
    remove_hidden(soup)
    for br in soup.find_all("br"):
        br.replace_with(NavigableString("\n"))
    links = _links(soup, base)  # after hidden links are gone, before navigation is
    drop_boilerplate(soup)
    sections = _sections(_main_content(soup), title)
    headings = [title, *(h for s in sections for h in s.heading_path)]
    path = urlparse(base).path
    kind = doc_type or infer_doc_type(path, structured, headings)
    return Page(
        url=base,
        title=title or path.rsplit("/", 1)[-1] or base,
        sections=sections,
        canonical_url=canonical,
        doc_type=kind,
        audiences=audiences or infer_audiences(kind, path, headings),
        fetched_at=datetime.now(UTC).isoformat(timespec="seconds"),
        last_modified=result.last_modified,
        links=links,
        structured=structured,
    )
