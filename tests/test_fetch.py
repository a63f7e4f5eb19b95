"""The fetcher against the real fixture website on 127.0.0.1."""

from __future__ import annotations

import httpx
from site_server import FixtureSite


def test_fixture_site_serves_pages_with_validators_and_counts_requests(fresh_site: FixtureSite) -> None:
    first = httpx.get(fresh_site.url("/about.html"))
    assert first.status_code == 200 and "Thameside" in first.text
    again = httpx.get(fresh_site.url("/about.html"), headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert fresh_site.count("/about.html") == 2
    assert "{{base}}" not in httpx.get(fresh_site.url("/robots.txt")).text


def test_fixture_site_can_change_and_remove_pages_during_a_test(fresh_site: FixtureSite) -> None:
    fresh_site.set_page("/about.html", "<h1>Changed</h1>")
    assert httpx.get(fresh_site.url("/about.html")).text == "<h1>Changed</h1>"
    fresh_site.remove_page("/about.html")
    assert httpx.get(fresh_site.url("/about.html")).status_code == 404
    fresh_site.reset()
    assert "About Thameside" in httpx.get(fresh_site.url("/about.html")).text
