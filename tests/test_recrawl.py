"""Re-crawls cost what changed: sitemap lastmod, kept robots.txt, no model for nothing new, and several
sites crawled side by side while each keeps its own pace. Real HTTP servers on 127.0.0.1 count requests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from prometheus_client import REGISTRY
from site_server import FixtureSite

from connector.settings import Settings
from connector.store import ChunkStore
from ingest.lazy_embedder import LazyEmbedder
from ingest.run import run_ingest

PAGES = ["welding", "bookkeeping", "plumbing", "care", "logistics", "hospitality"]
FAST = {"crawl_requests_per_second": 200.0, "crawl_timeout_seconds": 5.0, "crawl_retries": 0}


def write_site(root: Path, lastmod: dict[str, str], robots_extra: str = "") -> None:
    """A small college site: an index linking course pages, robots.txt and a sitemap with lastmod."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        path = root / "courses" / f"{name}.html"
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            write_page(root, name, f"The {name} course runs on weekday evenings in Colchester for adults.")
    links = "".join(f'<li><a href="/courses/{n}.html">{n.title()}</a></li>' for n in PAGES)
    (root / "index.html").write_text(
        "<title>College</title><main><h1>Our courses</h1><p>Adult courses in Essex.</p>"
        f"<ul>{links}</ul></main>"
    )
    (root / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\n{robots_extra}Sitemap: {{{{base}}}}/sitemap.xml\n"
    )
    urls = [("/", "2026-11-01")] + [(f"/courses/{n}.html", lastmod.get(n, "2026-11-01")) for n in PAGES]
    entries = "".join(f"<url><loc>{{{{base}}}}{u}</loc><lastmod>{m}</lastmod></url>" for u, m in urls)
    (root / "sitemap.xml").write_text(
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    )


def write_page(root: Path, name: str, text: str) -> None:
    (root / "courses" / f"{name}.html").write_text(
        f"<title>{name.title()} course</title><main><h1>{name.title()}</h1><p>{text}</p></main>"
    )


@pytest.fixture
def college(tmp_path: Path) -> Iterator[FixtureSite]:
    write_site(tmp_path / "site", {})
    site = FixtureSite(root=tmp_path / "site")
    site.start()
    yield site
    site.stop()


def settings_for(tmp_path: Path, **overrides: object) -> Settings:
    return make_settings(tmp_path / "data", **{**FAST, **overrides})


def requested(site: FixtureSite) -> list[str]:
    return [entry["path"] for entry in site.log]


def test_unchanged_site_with_sitemap_lastmod_costs_one_request_and_loads_no_model(
    college, tmp_path, embedder
):
    settings = settings_for(tmp_path)
    first = run_ingest(settings, [college.base_url], embedder=embedder)
    assert first.pages["new"] == len(PAGES) + 1
    college.clear_log()
    lazy = LazyEmbedder(settings)
    again = run_ingest(settings, [college.base_url], embedder=lazy)  # type: ignore[arg-type]
    assert requested(college) == ["/sitemap.xml"]  # robots.txt was kept; no page was asked for
    assert again.pages["unchanged"] == len(PAGES) + 1 and again.chunks_added == 0
    assert not lazy.loaded


def test_a_page_whose_lastmod_moved_is_the_only_page_fetched_and_reindexed(college, tmp_path, embedder):
    settings = settings_for(tmp_path)
    run_ingest(settings, [college.base_url], embedder=embedder)
    write_page(college.root, "care", "The care course now includes a placement in a Chelmsford care home.")
    write_site(college.root, {"care": "2026-11-20T09:30:00+00:00"})
    college.clear_log()
    report = run_ingest(settings, [college.base_url], embedder=embedder)
    assert sorted(requested(college)) == ["/courses/care.html", "/sitemap.xml"]
    assert report.pages["changed"] == 1 and report.pages["unchanged"] == len(PAGES)
    texts = [c.text for c in ChunkStore.open(settings).iter_chunks() if c.url.endswith("/care.html")]
    assert any("Chelmsford care home" in text for text in texts)

    college.clear_log()  # the new lastmod is now the one on record: nothing to fetch again
    run_ingest(settings, [college.base_url], embedder=embedder)
    assert requested(college) == ["/sitemap.xml"]


def test_pages_are_asked_conditionally_when_the_sitemap_gives_no_lastmod(college, tmp_path, embedder):
    settings = settings_for(tmp_path)
    (college.root / "sitemap.xml").unlink()  # no sitemap at all: links and conditional GET
    run_ingest(settings, [college.base_url], embedder=embedder)
    college.clear_log()
    report = run_ingest(settings, [college.base_url], embedder=embedder)
    page_requests = [e for e in college.log if e["path"].startswith("/courses/")]
    assert len(page_requests) == len(PAGES)
    assert all("if-none-match" in e["headers"] for e in page_requests)
    assert report.pages["unchanged"] == len(PAGES) + 1


def test_robots_txt_is_asked_again_once_its_cache_lifetime_has_passed(college, tmp_path, embedder):
    settings = settings_for(tmp_path)
    robots = (college.root / "robots.txt").read_text().replace("{{base}}", college.base_url.rstrip("/"))
    college.set_page("/robots.txt", robots, "text/plain", headers={"Cache-Control": "max-age=0"})
    run_ingest(settings, [college.base_url], embedder=embedder)
    run_ingest(settings, [college.base_url], embedder=embedder)
    assert college.count("/robots.txt") == 2  # max-age=0: never kept

    college.set_page("/robots.txt", robots, "text/plain", headers={"Cache-Control": "max-age=3600"})
    run_ingest(settings, [college.base_url], embedder=embedder)
    run_ingest(settings, [college.base_url], embedder=embedder)
    assert college.count("/robots.txt") == 3  # fetched once, then kept for the hour


def test_two_sites_are_crawled_side_by_side_each_at_its_own_crawl_delay(tmp_path, embedder):
    sites = []
    for name in ("one", "two"):
        write_site(tmp_path / name, {}, robots_extra="Crawl-delay: 0.25\n")
        site = FixtureSite(root=tmp_path / name)
        site.start()
        sites.append(site)
    try:
        run_ingest(settings_for(tmp_path), [s.base_url for s in sites], embedder=embedder)
    finally:
        for site in sites:
            site.stop()
    spans = []
    for site in sites:
        times = sorted(entry["time"] for entry in site.log)
        after_robots = times[1:]  # the delay is known once robots.txt has been read
        gaps = [later - earlier for earlier, later in itertools.pairwise(after_robots)]
        assert len(times) >= len(PAGES) + 2 and min(gaps) >= 0.2
        spans.append((times[0], times[-1]))
    (start_a, end_a), (start_b, end_b) = spans
    assert start_a < end_b and start_b < end_a  # the crawls overlapped in time


def test_ingest_counts_requests_and_pages_in_the_metrics(college, tmp_path, embedder):
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    fetched, new = (
        value("connector_ingest_requests_total", result="fetched"),
        value("connector_ingest_pages_total", outcome="new"),
    )
    run_ingest(settings_for(tmp_path), [college.base_url], embedder=embedder)
    assert value("connector_ingest_requests_total", result="fetched") - fetched >= len(PAGES) + 1
    assert value("connector_ingest_pages_total", outcome="new") - new == len(PAGES) + 1
