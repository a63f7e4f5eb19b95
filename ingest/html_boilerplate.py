"""What on a page is not content, decided by structure: landmarks, link-dense blocks, control banners.

    drop_boilerplate(soup)      # after hidden elements are gone, before the main content is read

Three kinds of block go, whatever their class or id says (a `course-social-care` section is content):
- landmarks that are never content: nav, aside, form controls, dialogs, menus, and the ARIA roles for
  navigation, banner, contentinfo, complementary, search and dialogs; a header or footer outside the
  main content or an article;
- link lists: a block holding at least MIN_LINKS links whose link text is most of its text
  (LINK_DENSITY), i.e. menus, breadcrumbs, share and social bars, tag clouds, "related" lists;
- control banners outside the main content: a short block with buttons and no heading (cookie and
  newsletter prompts on pages that mark no main region).
Text lengths are summed bottom-up in one pass, so a deeply nested page costs linear time.
"""

from __future__ import annotations

from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from ingest.html_hidden import is_decomposed

NON_CONTENT_TAGS = frozenset(
    {"nav", "aside", "form", "button", "select", "textarea", "input", "label", "dialog", "menu"}
)
NON_CONTENT_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"}
)
DROPPED_WHOLE = ("script", "style", "noscript", "template", "iframe", "svg", "canvas", "object")
# Blocks judged by their links; a paragraph counts (a "Follow us: Facebook, X, LinkedIn" line).
LINK_BLOCKS = frozenset({"div", "section", "ul", "ol", "dl", "p", "span", "table", "header", "footer"})
MIN_LINKS = 3
LINK_DENSITY = 0.7  # share of the block's visible characters inside links
BANNER_MAX_CHARS = 400  # a banner says a sentence or two; a block with more text is content
CONTROLS = ("button", "input", "select")
KEEP = ("html", "body", "main")
NOT_TEXT = (Comment, Doctype, ProcessingInstruction)


@dataclass
class Counts:
    chars: int = 0  # visible characters, spaces excluded
    link_chars: int = 0
    links: int = 0


def drop_boilerplate(soup: BeautifulSoup) -> None:
    """Remove non-content blocks from the parsed page, in place."""
    for tag in soup.find_all(DROPPED_WHOLE):
        tag.decompose()
    counts = _text_counts(soup)
    for tag in list(soup.find_all(True)):
        if is_decomposed(tag) or tag.name in KEEP:
            continue
        if is_landmark(tag) or is_link_list(tag, counts) or is_control_banner(tag, counts):
            tag.decompose()


def is_landmark(tag: Tag) -> bool:
    """A tag or ARIA role that marks navigation, page chrome or controls, never the page's content."""
    if tag.name in NON_CONTENT_TAGS or tag.get("role") in NON_CONTENT_ROLES:
        return True
    return tag.name in ("header", "footer") and not _in_content(tag)


def is_link_list(tag: Tag, counts: dict[int, Counts]) -> bool:
    found = counts.get(id(tag))
    if tag.name not in LINK_BLOCKS or found is None or found.links < MIN_LINKS or not found.chars:
        return False
    return found.link_chars / found.chars >= LINK_DENSITY


def is_control_banner(tag: Tag, counts: dict[int, Counts]) -> bool:
    """A short block of buttons and a line of text outside the main content (a consent prompt)."""
    if tag.name not in ("div", "section") or _in_content(tag):
        return False
    found = counts.get(id(tag))
    if found is None or found.chars > BANNER_MAX_CHARS:
        return False
    has_heading = tag.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is not None
    return not has_heading and tag.find(CONTROLS) is not None


def _in_content(tag: Tag) -> bool:
    return tag.find_parent(["main", "article"]) is not None or tag.find_parent(role="main") is not None


def _text_counts(soup: BeautifulSoup) -> dict[int, Counts]:
    """Counts for every element, children before parents (reverse document order), in one pass."""
    counts: dict[int, Counts] = {}
    for node in reversed(list(soup.descendants)):
        if isinstance(node, Tag):
            own = counts.setdefault(id(node), Counts())
            if node.name == "a" and node.get("href"):
                own.link_chars, own.links = own.chars, own.links + 1
            parent = node.parent
            if parent is not None:
                into = counts.setdefault(id(parent), Counts())
                into.chars += own.chars
                into.link_chars += own.link_chars
                into.links += own.links
        elif isinstance(node, NavigableString) and not isinstance(node, NOT_TEXT) and node.parent is not None:
            counts.setdefault(id(node.parent), Counts()).chars += len("".join(node.split()))
    return counts
