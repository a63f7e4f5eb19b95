"""The fetcher against the real fixture website on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from conftest import make_settings
from site_pdf import png_pixel, prospectus_pdf
from site_server import FixtureSite

from connector.errors import UnsafeURLError
from connector.settings import Settings
from ingest.fetch import Fetcher, _pinned_request
from ingest.urls import (
    check_url_shape,
    in_scope,
    is_public_address,
    normalise_url,
    resolve_checked,
    same_site,
)


@pytest.fixture
def fast(tmp_path: Path) -> Settings:
    """Small timeouts and backoff so failure paths run in well under a second each."""
    return make_settings(
        tmp_path / "data",
        crawl_timeout_seconds=5.0,  # generous: other work may share the CPU; timeout tests set their own
        crawl_requests_per_second=100,
        crawl_backoff_seconds=0.05,
        crawl_retries=1,
        crawl_max_bytes=1_000_000,
    )


async def fetch(settings: Settings, site: FixtureSite, path: str, **kwargs: object):  # type: ignore[no-untyped-def]
    async with Fetcher(settings, trusted=[site.base_url]) as fetcher:
        return await fetcher.fetch(site.url(path), **kwargs)  # type: ignore[arg-type]


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


async def test_page_comes_back_with_body_type_validators_and_our_user_agent(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    result = await fetch(fast, fresh_site, "/courses/")
    assert result.status == 200 and result.error is None
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert b"Our courses" in result.body and result.etag and result.last_modified
    assert fresh_site.requests_for("/courses/")[0]["headers"]["user-agent"] == fast.user_agent


async def test_legacy_page_has_no_charset_from_the_header(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/legacy/bursary-notice.html")
    assert result.charset is None and "£".encode("cp1252") in result.body


async def test_conditional_get_returns_not_modified(fresh_site: FixtureSite, fast: Settings) -> None:
    first = await fetch(fast, fresh_site, "/about.html")
    by_etag = await fetch(fast, fresh_site, "/about.html", etag=first.etag)
    by_date = await fetch(fast, fresh_site, "/about.html", last_modified=first.last_modified)
    assert by_etag.not_modified and by_date.not_modified and by_etag.body == b""
    assert fresh_site.requests_for("/about.html")[1]["headers"]["if-none-match"] == first.etag
    fresh_site.set_page("/about.html", "<h1>New text</h1>")
    changed = await fetch(fast, fresh_site, "/about.html", etag=first.etag)
    assert not changed.not_modified and changed.body == b"<h1>New text</h1>"


async def test_missing_page_is_a_permanent_not_found(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/courses/retired-plumbing-l2.html")
    assert result.status == 404 and result.error and not result.transient


async def test_redirect_is_followed_and_final_url_recorded(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/old-courses")
    assert result.status == 200 and result.final_url == fresh_site.url("/courses/")
    assert result.url == fresh_site.url("/old-courses")


async def test_five_redirects_are_followed_but_not_six(fresh_site: FixtureSite, fast: Settings) -> None:
    assert (await fetch(fast, fresh_site, "/chain/5")).status == 200
    too_many = await fetch(fast, fresh_site, "/chain/6")
    assert "too many redirects" in (too_many.error or "") and fresh_site.count("/chain/0") == 1


async def test_redirect_loop_is_stopped(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/loop/a")
    assert "too many redirects" in (result.error or "") and not result.transient
    assert fresh_site.count("/loop/a") + fresh_site.count("/loop/b") == 6


@pytest.mark.parametrize("target", ["file:///etc/passwd", "gopher://127.0.0.1/x", "ftp://example.org/f"])
async def test_redirect_to_another_scheme_is_refused(
    fresh_site: FixtureSite, fast: Settings, target: str
) -> None:
    result = await fetch(fast, fresh_site, f"/redirect?to={target}")
    assert result.error and "another scheme" in result.error and result.body == b""


async def test_redirect_to_metadata_address_is_refused(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/redirect?to=http://169.254.169.254/latest/meta-data/")
    assert result.error and "not a public address" in result.error and not result.transient


async def test_redirect_to_an_untrusted_local_server_never_reaches_it(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    canary = FixtureSite()
    canary.start()
    try:
        result = await fetch(fast, fresh_site, f"/redirect?to={canary.url('/about.html')}")
    finally:
        canary.stop()
    assert result.error and "redirect refused" in result.error
    assert canary.count("/about.html") == 0


async def test_local_url_not_named_by_the_operator_is_refused_before_connecting(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    async with Fetcher(fast) as fetcher:
        result = await fetcher.fetch(fresh_site.url("/about.html"))
    assert result.error and "not a public address" in result.error
    assert fresh_site.count("/about.html") == 0


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("127.0.0.1", False), ("10.0.0.5", False), ("172.16.3.4", False), ("192.168.1.1", False),
        ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
        ("240.0.0.1", False), ("::1", False), ("fe80::1", False), ("fc00::1", False), ("ff02::1", False),
        ("::ffff:127.0.0.1", False), ("::ffff:169.254.169.254", False), ("2002:7f00:1::1", False),
        ("8.8.8.8", True), ("151.101.0.144", True), ("2a00:1450:4009:81f::200e", True),
    ],
)  # fmt: skip
def test_only_public_addresses_count_as_public(address: str, public: bool) -> None:
    assert is_public_address(address) is public


@pytest.mark.parametrize(
    "url",
    ["http://2130706433/", "http://0x7f000001/", "http://0177.0.0.1/", "http://127.1/", "http://0/",
     "http://[::ffff:127.0.0.1]/", "http://[::1]:8000/", "http://169.254.169.254/latest/", "http://localhost/",
     "http://[::]/"],
)  # fmt: skip
async def test_obfuscated_internal_addresses_are_refused_after_resolution(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        await resolve_checked(url, allow_private=False)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "gopher://x/", "javascript:alert(1)", "http://user:pw@example.org/", "http:///x"],
)
def test_only_plain_http_urls_are_accepted(url: str) -> None:
    with pytest.raises(UnsafeURLError):
        check_url_shape(url)
    assert normalise_url(url) is None


def test_urls_are_normalised_and_scoped() -> None:
    assert normalise_url("HTTP://WWW.Example.org:80/a/b?x=1#frag") == "http://www.example.org/a/b?x=1"
    assert normalise_url("../c", "https://example.org/a/b/") == "https://example.org/a/c"
    assert normalise_url("mailto:someone@example.org") is None
    assert same_site("https://www.example.org/", "http://example.org/x")
    assert not same_site("https://example.org/", "https://example.org.evil.net/")
    assert in_scope("https://e.org/courses/a", ["/courses/"], [])
    assert not in_scope("https://e.org/news/a", ["/courses/"], [])
    assert not in_scope("https://e.org/courses/a.docx", [], [r"\.docx$"])


async def test_huge_streamed_response_is_cut_off_as_too_large(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    started = time.monotonic()
    result = await fetch(fast, fresh_site, "/huge.html")
    assert result.error and result.error.startswith("too large") and result.body == b""
    assert not result.transient and time.monotonic() - started < 5


async def test_gzip_bomb_is_cut_off_on_decoded_size(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/gzip-bomb.html")
    assert result.error and result.error.startswith("too large")


async def test_slow_page_times_out_as_a_transient_failure(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.slow_seconds = 3
    settings = fast.model_copy(update={"crawl_timeout_seconds": 0.5, "crawl_retries": 0})
    started = time.monotonic()
    result = await fetch(settings, fresh_site, "/slow.html")
    assert result.transient and "timed out" in (result.error or "") and result.status == 0
    assert time.monotonic() - started < 2


async def test_slow_drip_is_stopped_by_the_total_deadline(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.slow_seconds = 4
    settings = fast.model_copy(update={"crawl_timeout_seconds": 0.8, "crawl_retries": 0})
    started = time.monotonic()
    result = await fetch(settings, fresh_site, "/drip.html")
    assert result.transient and "timed out" in (result.error or "") and time.monotonic() - started < 2


async def test_server_error_is_retried_and_recovers(fresh_site: FixtureSite, fast: Settings) -> None:
    result = await fetch(fast, fresh_site, "/flaky.html")
    assert result.status == 200 and result.error is None and fresh_site.count("/flaky.html") == 2


async def test_persistent_server_error_is_transient_after_retries(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    result = await fetch(fast, fresh_site, "/always-500.html")
    assert result.status == 500 and result.transient
    assert fresh_site.count("/always-500.html") == fast.crawl_retries + 1


async def test_retry_after_is_honoured(fresh_site: FixtureSite, fast: Settings) -> None:
    started = time.monotonic()
    result = await fetch(fast, fresh_site, "/busy.html")
    assert result.status == 200 and time.monotonic() - started >= 0.95
    gap = [entry["time"] for entry in fresh_site.requests_for("/busy.html")]
    assert len(gap) == 2 and gap[1] - gap[0] >= 0.95


async def test_retry_after_beyond_the_cap_is_not_waited_for(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.set_status("/busy-long.html", 429, {"Retry-After": "3600"})
    result = await fetch(fast, fresh_site, "/busy-long.html")
    assert result.status == 429 and result.transient and fresh_site.count("/busy-long.html") == 1


async def test_unsupported_content_type_is_reported(fresh_site: FixtureSite, fast: Settings) -> None:
    for path, media in (("/images/campus.png", "image/png"), ("/data/courses.json", "application/json")):
        result = await fetch(fast, fresh_site, path)
        assert result.error == f"unsupported content type: {media}" and result.body == b""


async def test_content_type_lies_are_caught_by_magic_bytes(fresh_site: FixtureSite, fast: Settings) -> None:
    fresh_site.set_page("/lie/prospectus.html", prospectus_pdf(), "text/html")
    fresh_site.set_page("/lie/picture.html", png_pixel(), "text/html")
    fresh_site.set_page("/lie/download", prospectus_pdf(), "application/octet-stream")
    assert (await fetch(fast, fresh_site, "/lie/prospectus.html")).content_type == "application/pdf"
    assert "image/png" in ((await fetch(fast, fresh_site, "/lie/picture.html")).error or "")
    assert (await fetch(fast, fresh_site, "/lie/download")).content_type == "application/pdf"


async def test_requests_to_one_host_are_spaced_by_the_rate_limit(
    fresh_site: FixtureSite, fast: Settings
) -> None:
    settings = fast.model_copy(update={"crawl_requests_per_second": 10.0, "crawl_concurrency": 4})
    paths = ["/about.html", "/contact.html", "/cookies.html", "/courses/", "/accessibility.html", "/"]
    async with Fetcher(settings, trusted=[fresh_site.base_url]) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(fresh_site.url(path)) for path in paths))
    assert all(result.status == 200 for result in results)
    times = sorted(entry["time"] for entry in fresh_site.log)
    # Six requests at 10/s span at least 0.5 s when sent (unlimited they take a few ms); arrival times on
    # the server can shift a little when the machine is busy, hence the margin.
    assert times[-1] - times[0] >= 0.35


def test_plain_http_requests_are_pinned_to_the_checked_address() -> None:
    client = httpx.AsyncClient()
    request = _pinned_request(client, "http://provider.example:8080/a?b=1", "203.0.113.7", {})
    assert str(request.url) == "http://203.0.113.7:8080/a?b=1"
    assert request.headers["host"] == "provider.example:8080"


async def test_self_signed_certificate_fails_closed(tmp_path: Path, fast: Settings) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a throwaway certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
    subject = ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
    subprocess.run([*command.split(), *subject], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    site = FixtureSite()
    site.start(tls=context)
    try:
        result = await fetch(fast.model_copy(update={"crawl_retries": 0}), site, "/about.html")
    finally:
        site.stop()
    assert result.status == 0 and result.body == b"" and "CERTIFICATE_VERIFY_FAILED" in (result.error or "")
