"""The second fixture website (a fictional college prospectus): crawlable, consistent, with readable PDFs."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import make_settings
from pypdf import PdfReader
from site_server import FixtureSite

from connector.settings import Settings
from ingest.crawl import CrawlEvent, CrawlSpec, crawl
from ingest.fetch import Fetcher

COLLEGE_ROOT = Path(__file__).parent.parent / "eval" / "sites" / "college"
BROKEN_ON_PURPOSE = {"/courses/digital/web-design-l2.html"}
DISALLOWED = {"/archive/fees-2024-25.html": b"ARCHIVE-FEES-5150", "/staff/": b"STAFF-ONLY-8420"}
NOINDEX = "/learners/application-received.html"
FEES_PDF = "/downloads/adult-course-fees-2026-27.pdf"
GUIDE_PDF = "/downloads/employer-guide-apprenticeships.pdf"


@pytest.fixture(scope="module")
def college() -> Iterator[FixtureSite]:
    site = FixtureSite(root=COLLEGE_ROOT)
    site.start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def fast(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path / "data",
        crawl_timeout_seconds=5.0,
        crawl_requests_per_second=200,
        crawl_backoff_seconds=0.05,
        crawl_retries=1,
        crawl_max_bytes=1_000_000,
    )


def no_validators(url: str) -> None:
    return None


async def crawl_college(settings: Settings, site: FixtureSite) -> dict[str, CrawlEvent]:
    spec = CrawlSpec(start_urls=[site.url("/")], max_pages=300, max_depth=6)
    root = site.base_url.rstrip("/")
    async with Fetcher(settings) as fetcher:
        return {event.url.removeprefix(root): event async for event in crawl(spec, fetcher, no_validators)}


def public_pages() -> set[str]:
    """Every HTML file of the site as a URL path, minus the robots-disallowed and noindex ones."""
    paths = set()
    for file in COLLEGE_ROOT.rglob("*.html"):
        path = "/" + file.relative_to(COLLEGE_ROOT).as_posix()
        paths.add(path.removesuffix("index.html"))
    return paths - set(DISALLOWED) - {NOINDEX}


def pdf_text(site: FixtureSite, path: str) -> str:
    reader = PdfReader(io.BytesIO(site.static_body(path)))
    return "\n".join(page.extract_text() for page in reader.pages)


async def test_crawl_reaches_every_page_and_only_the_withdrawn_course_is_broken(
    college: FixtureSite, fast: Settings
) -> None:
    college.clear_log()
    events = await crawl_college(fast, college)
    fetched = {path for path, event in events.items() if event.kind == "fetched"}
    assert public_pages() | {FEES_PDF, GUIDE_PDF} <= fetched
    assert {path for path, event in events.items() if event.kind == "gone"} == BROKEN_ON_PURPOSE
    assert not [path for path, event in events.items() if event.kind == "failed"]
    assert events[NOINDEX].kind == "excluded"
    assert events[FEES_PDF].result is not None and events[FEES_PDF].result.content_type == "application/pdf"


async def test_robots_disallowed_pages_are_never_requested(college: FixtureSite, fast: Settings) -> None:
    college.clear_log()
    events = await crawl_college(fast, college)
    for path, marker in DISALLOWED.items():
        assert events[path].kind == "disallowed" and college.count(path) == 0
        assert not any(marker in (event.result.body if event.result else b"") for event in events.values())


def test_pdfs_parse_and_carry_the_fees(college: FixtureSite) -> None:
    fees = pdf_text(college, FEES_PDF)
    guide = pdf_text(college, GUIDE_PDF)
    assert "FEES-PDF-2627" in fees and "EL3-BAS-2627  Electrical Installation Level 3" in fees
    assert "price £17,500" in guide and "5% is £875" in guide
    assert len(PdfReader(io.BytesIO(college.static_body(FEES_PDF))).pages) >= 2


def test_each_fee_in_the_pdf_matches_the_fees_page_and_the_course_page(college: FixtureSite) -> None:
    rows = re.findall(r"^\s*([A-Z0-9-]+-\d{4})\s.*\s(£[\d,]+)$", pdf_text(college, FEES_PDF), re.MULTILINE)
    assert len(rows) >= 25
    fees_page = college.static_body("/learners/fees-and-funding.html").decode()
    files = (COLLEGE_ROOT / "courses").rglob("*.html")
    pages = [file.read_bytes().decode("utf-8", "replace") for file in files]
    for code, fee in rows:
        assert f"<td>{code}</td><td>{fee}</td>" in fees_page, code
        assert any(code in text and fee in text for text in pages if "<h1>" in text and "facts" in text), code
    assert len({fee for _, fee in rows}) >= 20  # different courses cost different amounts


def test_legacy_page_is_windows_1252_without_a_header_charset(college: FixtureSite) -> None:
    response = college.respond("/courses/health-care/first-aid-at-work.html", "", 1)
    assert response.content_type == "text/html"
    assert b'charset="windows-1252"' in response.body and "£265".encode("cp1252") in response.body
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
