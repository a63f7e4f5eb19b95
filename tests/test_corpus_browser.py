"""The /corpus guide pages in a real headless Chromium: accessible, readable on a phone, and inert."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from browser_support import ApiServer, launch_chromium
from conftest import make_settings

from api.app import create_app

sync_api = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
HOSTILE = """---
title: <img src=x onerror="window.__pwned=1">Hostile guide
slug: hostile-guide
audience: [employer]
doc_type: guidance
sources:
  - https://evil.example/"><script>window.__pwned=2</script>
last_reviewed: 2026-11-25
---

## A section that tries to run script

<script>window.__pwned=3</script>

[a javascript link](javascript:window.__pwned=4) and <a href="#" onmouseover="window.__pwned=5">hover</a>
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiServer]:
    app = create_app(make_settings(tmp_path_factory.mktemp("corpus-browser") / "data"))
    app.state.services = object()  # guide pages need no model or index: skip building them
    server = ApiServer(app).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _violations(page: Any) -> list[str]:
    page.evaluate(AXE_SCRIPT)
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in result["violations"]
    ]


@pytest.mark.parametrize("path", ["/corpus", "/corpus/apprenticeship-levy", "/corpus/essex-lsip"])
def test_guide_pages_have_no_accessibility_violations(api: ApiServer, browser: Any, path: str) -> None:
    # bypass_csp lets axe's script run; the page itself allows no script at all.
    context = browser.new_context(viewport={"width": 1280, "height": 800}, bypass_csp=True)
    try:
        page = context.new_page()
        assert page.goto(api.url + path).status == 200
        assert _violations(page) == []
    finally:
        context.close()


def test_guide_page_fits_a_phone_and_starts_with_a_skip_link(api: ApiServer, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(api.url + "/corpus/co-investment")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "no sideways scrolling"
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Skip to the guide"
        assert page.locator("h1").inner_text().startswith("Co-investment")
        assert page.get_by_role("heading", name="Sources").is_visible()
    finally:
        context.close()


def test_hostile_guide_renders_as_text_and_runs_nothing(
    tmp_path: Path, browser: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    app = create_app(make_settings(tmp_path_factory.mktemp("hostile") / "data"))
    app.state.services = object()
    app.state.corpus_docs_dir = docs
    server = ApiServer(app).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(server.url + "/corpus/hostile-guide")
        page.get_by_text("hover").hover()
        assert page.get_by_role("link", name="a javascript link").count() == 0, "left as plain text"
        assert page.evaluate("window.__pwned") is None
        assert "Hostile guide" in page.locator("h1").inner_text()
        assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    finally:
        context.close()
        server.stop()
