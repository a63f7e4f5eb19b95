"""Links a crawler may follow from an HTML page: visible, followable, http(s), absolute and normalised.

    extract_links(body, "https://provider.ac.uk/courses/")  # ['https://provider.ac.uk/courses/a.html', ...]
    scan_page(body, url).noindex  # True for <meta name="robots" content="noindex">

Links inside hidden elements are ignored (a person cannot see them, so they are traps or injected),
as are rel="nofollow" links and every link on a page whose robots meta says nofollow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

from ingest.urls import normalise_url

MAX_LINKS = 5000
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])", re.I
)
_SKIP_TAGS = {"template", "script", "style", "noscript"}
_PARSER = lxml.html.HTMLParser(recover=True, huge_tree=True, no_network=True)


@dataclass
class PageScan:
    """What the crawler reads from an HTML page: where to go next, and whether it may be indexed."""

    links: list[str] = field(default_factory=list)
    noindex: bool = False


def scan_page(body: bytes, page_url: str, agent: str = "skillsconnectorbot") -> PageScan:
    """Followable links (absolute, normalised, deduplicated, in document order) and the robots meta
    directives for `agent` or for all robots."""
    try:
        doc = lxml.html.document_fromstring(body, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return PageScan()
    directives = _meta_directives(doc, agent.lower())
    noindex = bool(directives & {"noindex", "none"})
    if directives & {"nofollow", "none"}:
        return PageScan(noindex=noindex)
    base = _base_url(doc, page_url)
    links: dict[str, None] = {}
    for element in _visible_elements(doc):
        if element.tag not in ("a", "area") or "nofollow" in (element.get("rel") or "").lower().split():
            continue
        url = normalise_url(element.get("href") or "", base)
        if url:
            links[url] = None
            if len(links) >= MAX_LINKS:
                break
    return PageScan(list(links), noindex)


def extract_links(body: bytes, page_url: str) -> list[str]:
    """The followable links of an HTML page (see scan_page)."""
    return scan_page(body, page_url).links


def _visible_elements(doc: lxml.html.HtmlElement):  # type: ignore[no-untyped-def]
    """Elements not inside anything hidden; iterative, so 100,000 nested divs are no problem."""
    hidden: dict[object, bool] = {}
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        is_hidden = hidden.get(parent, False) or _hides(element)
        hidden[element] = is_hidden
        if not is_hidden:
            yield element


def _hides(element: lxml.html.HtmlElement) -> bool:
    if element.tag in _SKIP_TAGS or element.get("hidden") is not None:
        return True
    if (element.get("aria-hidden") or "").strip().lower() == "true":
        return True
    return bool(_HIDDEN_STYLE.search(element.get("style") or ""))


def _meta_directives(doc: lxml.html.HtmlElement, agent: str) -> set[str]:
    """Directives of <meta name="robots"> and <meta name="{agent}">, lower-case ("noindex", ...)."""
    found: set[str] = set()
    for meta in doc.iter("meta"):
        if (meta.get("name") or "").strip().lower() in ("robots", agent):
            found.update(part.strip() for part in (meta.get("content") or "").lower().split(","))
    return found


def _base_url(doc: lxml.html.HtmlElement, page_url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return normalise_url(href, page_url) or page_url
    return page_url
