"""Serving the widget: cache headers and versioning, the size budget, its configuration and the demo page."""

from __future__ import annotations

import gzip
import re

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes.widget import WIDGET_DIR, widget_version
from connector.settings import Settings

BUDGET_BYTES = 40 * 1024


@pytest.fixture
def client(settings: Settings) -> TestClient:
    # No `with`: the lifespan (model and index) is not needed to serve static files.
    return TestClient(create_app(settings))


@pytest.mark.parametrize(("path", "media"), [("/widget.js", "text/javascript"), ("/widget.css", "text/css")])
def test_widget_files_are_served_with_etag_and_short_cache(client: TestClient, path: str, media: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["cache-control"].startswith("public, max-age=300")
    assert response.headers["x-content-type-options"] == "nosniff"
    etag = response.headers["etag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


def test_versioned_url_is_cached_for_a_year_and_a_stale_version_is_not(client: TestClient) -> None:
    version = widget_version()
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    fresh = client.get(f"/widget.js?v={version}")
    assert "immutable" in fresh.headers["cache-control"]
    stale = client.get("/widget.js?v=000000000000")
    assert "immutable" not in stale.headers["cache-control"]


def test_script_knows_its_version_so_it_loads_the_matching_stylesheet(client: TestClient) -> None:
    script = client.get("/widget.js").text
    assert "__WIDGET_VERSION__" not in script
    assert f'var VERSION = "{widget_version()}"' in script


def test_script_and_styles_fit_the_size_budget() -> None:
    total = sum(
        len(gzip.compress((WIDGET_DIR / name).read_bytes(), 9)) for name in ("widget.js", "widget.css")
    )
    assert total < BUDGET_BYTES, f"{total} bytes gzipped"


def test_script_never_parses_html_or_touches_cookies() -> None:
    script = (WIDGET_DIR / "widget.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/", "", script, flags=re.DOTALL)  # the header comment explains these words
    for risky in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "document.cookie",
    ):
        assert risky not in code, risky
    assert 'credentials: "omit"' in code


def test_widget_config_gives_title_contact_disclaimer_and_audiences(client: TestClient) -> None:
    config = client.get("/v1/widget/config").json()
    assert config["title"]
    assert set(config["contact"]) == {"name", "email", "phone", "url", "careers_url"}
    assert "AI" in config["disclaimer"]
    assert [a["id"] for a in config["audiences"]] == ["employer", "learner", "provider"]
    assert config["max_message_chars"] > 0


@pytest.mark.parametrize("path", ["/", "/demo"])
def test_demo_page_shows_the_snippet_under_a_strict_csp(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)  # type: ignore[union-attr]
    page = response.text
    assert page.count(f'nonce="{nonce}"') == 2
    assert '&lt;script async src="http://testserver/widget.js" data-title="Skills help"' in page
    assert f'src="http://testserver/widget.js?v={widget_version()}"' in page
    assert "{{" not in page
    assert client.get(path).headers["content-security-policy"] != csp, "a fresh nonce each time"


def test_demo_page_says_when_no_other_site_is_allowed(client: TestClient) -> None:
    page = client.get("/").text
    assert "No other website is allowed yet" in page and "CONNECTOR_CORS_ORIGINS" in page
