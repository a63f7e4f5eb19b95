"""Remove everything a reader of the page cannot see: that is where injected instructions hide.

    remove_hidden(soup)

Covers the `hidden` attribute, aria-hidden="true", hidden inputs, inline styles and simple rules in the
page's own <style> blocks (display:none, visibility:hidden, zero font size, opacity 0, zero size with
overflow hidden, clipping, far off-screen positions), and the usual utility classes for hidden content.
"""

from __future__ import annotations

import logging
import re

from bs4 import BeautifulSoup, Tag

log = logging.getLogger(__name__)

_ZERO = r"-?0*\.?0+(px|pt|em|rem|%|vw|vh)?(?=;|!|$)"
_HIDING = [
    re.compile(r"display:none"),
    re.compile(r"visibility:(hidden|collapse)"),
    re.compile(r"font-size:" + _ZERO),
    re.compile(r"opacity:" + _ZERO),
    re.compile(r"transform:scale\(0(\.0+)?\)"),
    re.compile(r"clip:rect\((0|1)px?[ ,]*(0|1)px?[ ,]*(0|1)px?[ ,]*(0|1)px?\)"),
    re.compile(r"clip-path:inset\((50%|100%)"),
    re.compile(r"color:transparent"),
]
_ZERO_BOX = re.compile(r"(^|;)(max-)?(height|width):" + _ZERO)
_OFFSCREEN = re.compile(
    r"(left|right|top|bottom|text-indent|margin-left|margin-top):-(\d+)(\.\d+)?(px|pt|em|rem|%|vw|vh)?"
)
_HIDDEN_CLASSES = {
    "hidden",
    "d-none",
    "invisible",
    "sr-only",
    "visually-hidden",
    "screen-reader-text",
    "is-hidden",
    "hide",
}
_KEEP = ("html", "head", "body")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
MAX_STYLE_RULES = 500


def is_decomposed(tag: Tag) -> bool:
    """Already destroyed (with an ancestor). `tag.decomposed` would search the subtree on bs4 4.15."""
    return bool(tag.__dict__.get("_decomposed", False))


def style_hides(style: str) -> bool:
    """True when a CSS declaration list hides its element."""
    compact = re.sub(r"\s+", "", style.lower())
    if any(pattern.search(compact) for pattern in _HIDING):
        return True
    if _ZERO_BOX.search(compact) and "overflow:hidden" in compact:
        return True
    for match in _OFFSCREEN.finditer(compact):
        amount, unit = float(match.group(2)), match.group(4) or "px"
        if amount >= (500 if unit in ("px", "pt") else 30):
            return True
    return False


def _hidden_by_attributes(tag: Tag) -> bool:
    if tag.has_attr("hidden") or str(tag.get("aria-hidden", "")).lower() == "true":
        return True
    if tag.name == "input" and str(tag.get("type", "")).lower() == "hidden":
        return True
    if str(tag.get("width", "x")).strip() == "0" or str(tag.get("height", "x")).strip() == "0":
        return True
    classes = [str(c).lower() for c in tag.get("class") or []]
    if _HIDDEN_CLASSES.intersection(classes) and not any(":" in c for c in classes):
        return True  # "hidden md:block" is shown on wide screens
    return style_hides(str(tag.get("style", "")))


def _hidden_by_stylesheets(soup: BeautifulSoup) -> list[Tag]:
    found: list[Tag] = []
    css = " ".join(style.get_text() for style in soup.find_all("style"))
    for count, match in enumerate(_RULE.finditer(css)):
        if count >= MAX_STYLE_RULES:
            break
        if not style_hides(match.group(2)):
            continue
        for selector in match.group(1).split(","):
            try:
                found.extend(soup.select(selector.strip().split("}")[-1].strip(), limit=1000))
            except Exception:  # noqa: BLE001 - hostile or unsupported selectors are simply skipped
                continue
    return found


def remove_hidden(soup: BeautifulSoup) -> int:
    """Decompose hidden elements in place; returns how many were removed."""
    doomed = _hidden_by_stylesheets(soup)
    doomed.extend(tag for tag in soup.find_all(True) if _hidden_by_attributes(tag))
    removed = 0
    for tag in doomed:
        if not is_decomposed(tag) and tag.name not in _KEEP:
            tag.decompose()
            removed += 1
    if removed:
        log.debug("hidden elements removed count=%d", removed)
    return removed
