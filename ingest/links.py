"""Links a crawler may follow from an HTML page: visible, followable, http(s), absolute and normalised.

    extract_links(body, "https://provider.ac.uk/courses/")  # ['https://provider.ac.uk/courses/a.html', ...]

Links inside hidden elements are ignored (a person cannot see them, so they are traps or injected),
as are rel="nofollow" links and every link on a page whose robots meta says nofollow.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from ingest.urls import normalise_url

MAX_LINKS = 5000
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?![.\d]*[1-9])", re.I
)
_SKIP_TAGS = {"template", "script", "style", "noscript"}
_PARSER = lxml.html.HTMLParser(recover=True, huge_tree=True, no_network=True)


def extract_links(body: bytes, page_url: str) -> list[str]:
    """Absolute, normalised URLs of the followable links on the page, in document order, deduplicated."""
    try:
        doc = lxml.html.document_fromstring(body, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return []
    if _meta_nofollow(doc):
        return []
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
    return list(links)


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


def _meta_nofollow(doc: lxml.html.HtmlElement) -> bool:
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").lower()
        content = (meta.get("content") or "").lower()
        if name in ("robots", "skillsconnectorbot") and ("nofollow" in content or "none" in content):
            return True
    return False


def _base_url(doc: lxml.html.HtmlElement, page_url: str) -> str:
    for base in doc.iter("base"):
        href = base.get("href")
        if href:
            return normalise_url(href, page_url) or page_url
    return page_url
