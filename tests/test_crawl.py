"""The crawl over the real fixture website: robots, sitemaps, links, limits, seeds and re-checks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import make_settings
from site_pdf import prospectus_pdf
from site_server import FixtureSite

from connector.settings import Settings
from ingest.crawl import CrawlEvent, CrawlSpec, crawl
from ingest.fetch import Fetcher
from ingest.links import PageScan, extract_links, scan_page
from ingest.sitemap import gunzip_capped, parse_sitemap

SITEMAP_PAGES = {
    "/",
    "/courses/",
    "/courses/engineering-maintenance-technician-l3.html",
    "/employers/toolkit.html",
}
NOT_IN_SITEMAP = {
    "/courses/welding-fabrication-l2.html",
    "/courses/bookkeeping-l2.html",
    "/employers/hiring-an-apprentice.html",
    "/contact.html",
    "/legacy/bursary-notice.html",
}


@pytest.fixture
def fast(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path / "data",
        crawl_timeout_seconds=5.0,  # generous: other work may share the CPU; timeout tests set their own
        crawl_requests_per_second=200,
        crawl_backoff_seconds=0.05,
        crawl_retries=1,
        crawl_max_bytes=1_000_000,
    )


def no_validators(url: str) -> None:
    return None


async def run_crawl(
    settings: Settings, site: FixtureSite, start: str = "/", validators=no_validators, **spec
):  # type: ignore[no-untyped-def]
    spec.setdefault("max_pages", 100)
    spec.setdefault("max_depth", 3)
    async with Fetcher(settings) as fetcher:
        return [
            event
            async for event in crawl(CrawlSpec(start_urls=[site.url(start)], **spec), fetcher, validators)
        ]


def by_path(events: list[CrawlEvent], site: FixtureSite) -> dict[str, CrawlEvent]:
    root = site.base_url.rstrip("/")
    return {event.url.removeprefix(root): event for event in events}


def kinds(events: list[CrawlEvent], site: FixtureSite, kind: str) -> set[str]:
    return {path for path, event in by_path(events, site).items() if event.kind == kind}


async def test_disallowed_page_is_reported_and_never_requested(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    events = await run_crawl(fast, fresh_site)
    assert by_path(events, fresh_site)["/private/staff-notes.html"].kind == "disallowed"
    assert fresh_site.count("/private/staff-notes.html") == 0
    assert not any(b"ZEBRA-PRIVATE-7731" in (e.result.body if e.result else b"") for e in events)


async def test_sitemap_index_and_links_together_find_every_page(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    events = await run_crawl(fast, fresh_site)
    fetched = kinds(events, fresh_site, "fetched")
    assert SITEMAP_PAGES | NOT_IN_SITEMAP | {"/docs/prospectus-2026.pdf"} <= fetched
    assert (
        fresh_site.count("/sitemaps/pages.xml") == 1 and fresh_site.count("/sitemaps/documents.xml.gz") == 1
    )
    # Each page is requested once (/courses/ twice: /old-courses redirects to it).
    assert all(fresh_site.count(path) == 1 for path in fetched - {"/courses/"})
    pdf = by_path(events, fresh_site)["/docs/prospectus-2026.pdf"].result
    assert pdf is not None and pdf.content_type == "application/pdf"


async def test_dead_page_listed_in_the_sitemap_is_gone(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site)
    assert by_path(events, fresh_site)["/courses/retired-plumbing-l2.html"].kind == "gone"


async def test_hidden_nofollow_offsite_and_non_http_links_are_not_followed(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    events = await run_crawl(fast, fresh_site)
    assert (
        fresh_site.count("/trap/hidden-link.html") == 0 and fresh_site.count("/events/open-evening.html") == 0
    )
    assert all(event.url.startswith(fresh_site.base_url) for event in events)
    links = extract_links(
        (Path(__file__).parent.parent / "eval/sites/site/index.html").read_bytes(), fresh_site.base_url
    )
    assert not any(link.startswith(("mailto:", "tel:", "javascript:")) for link in links)
    assert fresh_site.url("/courses/") in links and fresh_site.url("/trap/hidden-link.html") not in links


def test_links_in_hidden_elements_of_every_kind_are_ignored() -> None:
    html = b"""<html><body><a href="/seen">ok</a>
      <div hidden><a href="/h1">x</a></div><div aria-hidden="true"><a href="/h2">x</a></div>
      <p style="font-size:0"><a href="/h3">x</a></p>
      <span style="visibility: hidden"><a href="/h4">x</a></span>
      <template><a href="/h5">x</a></template><a href="/h6" rel="nofollow">x</a>
      <p style="font-size: 0.9em"><a href="/small-but-visible">ok</a></p></body></html>"""
    links = extract_links(html, "http://example.org/")
    assert links == ["http://example.org/seen", "http://example.org/small-but-visible"]


def test_deeply_nested_page_yields_its_links_without_recursion_errors() -> None:
    def nested(depth: int) -> bytes:
        return (
            b"<html><body>"
            + b"<div>" * depth
            + b'<a href="/deep">x</a>'
            + b"</div>" * depth
            + b"</body></html>"
        )

    assert extract_links(nested(1500), "http://example.org/") == ["http://example.org/deep"]
    started = time.monotonic()
    extract_links(nested(100_000), "http://example.org/")  # past libxml2's depth limit: ignored, no crash
    assert time.monotonic() - started < 5


async def test_redirected_duplicate_is_skipped_and_loop_fails(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    events = await run_crawl(fast, fresh_site, seed_urls=[fresh_site.url("/loop/a")])
    found = by_path(events, fresh_site)
    assert found["/old-courses"].kind == "skipped" and "same page" in found["/old-courses"].reason
    assert found["/loop/a"].kind == "failed" and "too many redirects" in found["/loop/a"].reason


async def test_page_first_reached_through_a_redirect_is_not_called_an_alias(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    fresh_site.remove_page("/sitemap.xml")
    fresh_site.set_page("/", '<a href="/old-courses">old</a> <a href="/courses/">courses</a>')
    settings = fast.model_copy(update={"crawl_concurrency": 1})
    found = by_path(await run_crawl(settings, fresh_site, max_depth=1), fresh_site)
    alias = found["/old-courses"].result
    assert (
        found["/old-courses"].kind == "fetched" and alias and alias.final_url == fresh_site.url("/courses/")
    )
    assert found["/courses/"].kind == "skipped" and not found["/courses/"].reason.startswith("same page as")
    assert fresh_site.count("/courses/") == 1


async def test_page_and_depth_limits_are_respected(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site, max_pages=3)
    assert len([e for e in events if e.result is not None]) == 3
    fresh_site.clear_log()
    shallow = await run_crawl(fast, fresh_site, max_depth=0)
    assert [e.kind for e in shallow] == ["fetched"] and fresh_site.count("/courses/") == 0


async def test_endless_calendar_links_are_bounded(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site, "/trap/calendar?month=0", max_depth=200, max_pages=500)
    assert 10 < fresh_site.count("/trap/calendar") <= 30 and len(events) <= 30


async def test_include_and_exclude_patterns_limit_the_crawl(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site, "/courses/", include=["^/courses/"], exclude=["bookkeeping"])
    fetched = kinds(events, fresh_site, "fetched")
    assert "/courses/welding-fabrication-l2.html" in fetched
    assert all(path.startswith("/courses/") for path in fetched)
    assert fresh_site.count("/courses/bookkeeping-l2.html") == 0 and fresh_site.count("/about.html") == 0


async def test_start_url_that_is_a_sitemap_is_expanded(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site, "/sitemap.xml", max_depth=0)
    found = by_path(events, fresh_site)
    assert found["/sitemap.xml"].kind == "skipped" and "sitemap" in found["/sitemap.xml"].reason
    assert SITEMAP_PAGES | {"/docs/prospectus-2026.pdf"} <= kinds(events, fresh_site, "fetched")
    assert fresh_site.count("/contact.html") == 0  # depth 0: no link following


async def test_start_url_that_is_a_pdf_is_fetched_directly(fresh_site: FixtureSite, fast: Settings) -> None:
    events = await run_crawl(fast, fresh_site, "/docs/prospectus-2026.pdf")
    pdf = by_path(events, fresh_site)["/docs/prospectus-2026.pdf"]
    assert pdf.kind == "fetched" and pdf.result and pdf.result.body.startswith(b"%PDF")


async def test_seeds_from_earlier_runs_are_rechecked(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.remove_page("/about.html")
    seeds = [fresh_site.url(p) for p in ("/about.html", "/gone.html", "/private/old.html", "/news/old.html")]
    seeds.append("https://elsewhere.example/page.html")
    events = await run_crawl(fast, fresh_site, exclude=["^/news/"], seed_urls=seeds)
    found = by_path(events, fresh_site)
    assert found["/about.html"].kind == "gone" and found["/gone.html"].kind == "gone"
    assert found["/private/old.html"].kind == "disallowed" and found["/news/old.html"].kind == "excluded"
    assert next(e for e in events if "elsewhere" in e.url).kind == "excluded"
    assert fresh_site.count("/news/old.html") == 0 and fresh_site.count("/private/old.html") == 0


async def test_unchanged_site_comes_back_not_modified(fresh_site: FixtureSite, fast: Settings) -> None:
    first = await run_crawl(fast, fresh_site)
    known = {
        e.url: (e.result.etag, e.result.last_modified) for e in first if e.kind == "fetched" and e.result
    }
    seeds = list(known)
    fresh_site.set_page(
        "/contact.html", '<h1>Contact us</h1><p>See <a href="/open-day.html">open day</a>.</p>'
    )
    fresh_site.set_page("/open-day.html", "<h1>Open day</h1><p>Saturday 6 March.</p>")
    second = await run_crawl(fast, fresh_site, validators=known.get, seed_urls=seeds)
    unchanged = kinds(second, fresh_site, "not_modified")
    assert "/courses/welding-fabrication-l2.html" in unchanged and "/docs/prospectus-2026.pdf" in unchanged
    # The changed page is fetched, and the page it newly links to is found although its parents are unchanged.
    assert kinds(second, fresh_site, "fetched") == {"/contact.html", "/open-day.html"}
    assert len(unchanged) == len(known) - 1


async def test_robots_server_error_stops_the_host_as_a_transient_failure(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    fresh_site.set_status("/robots.txt", 503)
    seeds = [fresh_site.url("/about.html")]
    events = await run_crawl(fast, fresh_site, seed_urls=seeds)
    assert [e.kind for e in events] == ["failed", "failed"] and "unreachable" in events[0].reason
    assert all(e.result is not None and e.result.transient for e in events)  # keep what the index has
    assert fresh_site.count("/") == 0 and fresh_site.count("/about.html") == 0
    assert fresh_site.count("/sitemap.xml") == 0


async def test_missing_robots_allows_everything(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.remove_page("/robots.txt")
    events = await run_crawl(fast, fresh_site)
    assert by_path(events, fresh_site)["/private/staff-notes.html"].kind == "fetched"


async def test_redirect_into_a_disallowed_area_is_not_followed(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    seed = fresh_site.url("/redirect?to=/private/staff-notes.html")
    events = await run_crawl(fast, fresh_site, max_depth=0, seed_urls=[seed])
    assert by_path(events, fresh_site)["/redirect?to=/private/staff-notes.html"].kind == "disallowed"
    assert fresh_site.count("/private/staff-notes.html") == 0


async def test_transient_failures_are_failed_and_marked_transient(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    fresh_site.slow_seconds = 2
    seeds = [fresh_site.url("/always-500.html"), fresh_site.url("/slow.html")]
    settings = fast.model_copy(update={"crawl_timeout_seconds": 0.4, "crawl_retries": 0})
    events = await run_crawl(settings, fresh_site, max_depth=0, seed_urls=seeds)
    found = by_path(events, fresh_site)
    for path in ("/always-500.html", "/slow.html"):
        result = found[path].result
        assert found[path].kind == "failed" and result is not None and result.transient


async def test_huge_and_unsupported_pages_are_reported_and_the_crawl_goes_on(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    seeds = [
        fresh_site.url("/huge.html"),
        fresh_site.url("/images/campus.png"),
        fresh_site.url("/empty.html"),
    ]
    events = await run_crawl(fast, fresh_site, max_depth=1, seed_urls=seeds)
    found = by_path(events, fresh_site)
    assert found["/huge.html"].kind == "failed" and "too large" in found["/huge.html"].reason
    assert (
        found["/images/campus.png"].kind == "skipped" and "unsupported" in found["/images/campus.png"].reason
    )
    assert found["/empty.html"].kind == "fetched" and found["/courses/"].kind == "fetched"


async def test_crawl_delay_in_robots_slows_the_crawl(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.set_page("/robots.txt", "User-agent: *\nCrawl-delay: 0.3\n", "text/plain")
    fresh_site.remove_page("/sitemap.xml")
    fresh_site.set_page(
        "/", '<html><body><a href="/about.html">a</a><a href="/contact.html">c</a></body></html>'
    )
    started = time.monotonic()
    await run_crawl(fast, fresh_site, max_depth=1)
    pages = sorted(e["time"] for e in fresh_site.log if e["path"] in ("/", "/about.html", "/contact.html"))
    assert len(pages) == 3 and pages[2] - pages[0] >= 0.45 and time.monotonic() - started < 5


def test_sitemap_parsing_handles_indexes_gzip_and_garbage() -> None:
    index = b'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' \
        b"<sitemap><loc>https://e.org/a.xml</loc></sitemap></sitemapindex>"  # fmt: skip
    parsed = parse_sitemap(index)
    assert parsed is not None and parsed.is_index and parsed.entries[0].url == "https://e.org/a.xml"
    assert parse_sitemap(b"<html><body>not a sitemap</body></html>") is None
    assert (
        parse_sitemap(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset>&e;</urlset>')
        is not None
    )
    import gzip

    bomb = gzip.compress(b" " * 5_000_000)
    assert gunzip_capped(bomb, 1_000_000) is None and gunzip_capped(bomb, 6_000_000) is not None


async def test_rules_deep_inside_a_large_robots_file_are_honoured(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    padding = "".join(f"# padding line {n:06d} {'x' * 40}\n" for n in range(11_500))  # about 600 KB
    assert len(padding) > 550_000
    fresh_site.set_page("/robots.txt", f"User-agent: *\n{padding}Disallow: /about.html\n", "text/plain")
    events = await run_crawl(fast, fresh_site, max_depth=1)
    assert (
        by_path(events, fresh_site)["/about.html"].kind == "disallowed"
        and fresh_site.count("/about.html") == 0
    )


async def test_scaled_up_catalogue_is_crawled_in_full(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.scale_pages = 40
    events = await run_crawl(fast, fresh_site, "/catalogue/", max_depth=1)
    pages = [e for e in events if e.kind == "fetched" and "/catalogue/course-" in e.url]
    assert len(pages) == 40 and len({e.result.body for e in pages if e.result}) == 40


async def test_private_start_url_is_refused_unless_the_operator_allows_it(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    events = await run_crawl(fast, fresh_site, allow_private_start=False)
    assert [e.kind for e in events] == ["failed"] and "not a public address" in events[0].reason
    assert events[0].result is not None and not events[0].result.transient
    assert fresh_site.count("/robots.txt") == 0 and fresh_site.count("/") == 0


async def test_noindex_page_is_excluded_but_its_links_are_followed(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    noindex = '<html><head><meta name="robots" content="noindex, follow"></head><body>'
    fresh_site.set_page("/", noindex + '<a href="/about.html">About</a></body></html>')
    fresh_site.remove_page("/sitemap.xml")
    found = by_path(await run_crawl(fast, fresh_site, max_depth=1), fresh_site)
    assert found["/"].kind == "excluded" and "noindex" in found["/"].reason
    assert found["/about.html"].kind == "fetched"
    none = '<meta name="SkillsConnectorBot" content="none"><a href="/x">x</a>'
    assert scan_page(none.encode(), "http://e.org/", "SkillsConnectorBot") == PageScan([], noindex=True)


async def test_x_robots_tag_noindex_keeps_a_pdf_out(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.set_page(
        "/docs/internal.pdf",
        prospectus_pdf(),
        "application/pdf",
        headers={"X-Robots-Tag": "noindex, nofollow"},
    )
    fresh_site.set_page("/docs/agent.pdf", prospectus_pdf(), "application/pdf",
                        headers={"X-Robots-Tag": "otherbot: noindex"})  # fmt: skip
    seeds = [fresh_site.url("/docs/internal.pdf"), fresh_site.url("/docs/agent.pdf")]
    found = by_path(await run_crawl(fast, fresh_site, max_depth=0, seed_urls=seeds), fresh_site)
    assert found["/docs/internal.pdf"].kind == "excluded" and found["/docs/agent.pdf"].kind == "fetched"
