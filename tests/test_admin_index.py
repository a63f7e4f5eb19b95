"""The admin's sources page (from the real ingest manifest), a re-crawl of one source run in the
background, and the index search showing retrieval's hits with scores, over a small real index."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from admin_support import CSRF, HTML, admin_settings, signed_in
from fastapi.testclient import TestClient

from api.app import create_app
from connector.embedder import Embedder
from connector.settings import PROJECT_ROOT
from ingest.manifest import FAILED, Manifest, PageRecord
from ingest.run import run_ingest

GUIDES = PROJECT_ROOT / "corpus" / "docs" / "levy"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Iterator[TestClient]:
    tmp = tmp_path_factory.mktemp("admin-index")
    shutil.copytree(GUIDES, tmp / "guides")
    (tmp / "sources.yaml").write_text(
        f"sources:\n  - name: levy-guides\n    path: {tmp / 'guides'}\n"
        "  - name: a-college\n    url: https://college.example/\n    enabled: false\n",
        encoding="utf-8",
    )
    settings = admin_settings(tmp / "data", sources_file=tmp / "sources.yaml")
    run_ingest(settings, ["levy-guides"], embedder=embedder)
    manifest = Manifest.open(settings.manifest_path)
    manifest.save([PageRecord("https://college.example/<b>x</b>", "a-college", FAILED, error="HTTP 503")])
    manifest.close()
    with TestClient(create_app(settings)) as test_client:  # the lifespan opens the index
        yield signed_in(test_client)


def test_sources_page_lists_counts_last_crawl_and_failures(client: TestClient) -> None:
    page = client.get("/admin/sources", headers=HTML)
    assert page.status_code == 200
    row = page.text.split('<th scope="row">levy-guides')[1].split("</tr>")[0]
    pages, chunks = (int(cell.split("<")[0]) for cell in row.split('<td class="n">')[1:3])
    assert pages >= 1 and chunks >= pages
    assert "never" not in row
    assert "https://college.example/&lt;b&gt;x&lt;/b&gt;: HTTP 503" in page.text
    rows = {r.split(",")[0]: r for r in client.get("/admin/sources.csv").text.lstrip("\ufeff").splitlines()}
    assert rows["a-college"].endswith(",0,0,1,")  # nothing indexed, one failure, never crawled


def test_recrawl_of_one_source_runs_and_shows_done(client: TestClient) -> None:
    token = CSRF.search(client.get("/admin/sources", headers=HTML).text).group(1)
    response = client.post("/admin/sources/recrawl", data={"csrf_token": token, "source": "levy-guides"})
    assert response.status_code == 200  # followed back to the sources page
    # TestClient runs the background task before returning; a real server shows "running" first.
    row = response.text.split('<th scope="row">levy-guides')[1].split("</tr>")[0]
    assert '<span class="tag done">done</span>' in row and "unchanged" in row
    refused = client.post("/admin/sources/recrawl", data={"csrf_token": token, "source": "/etc"})
    assert refused.status_code == 404


def test_search_shows_hits_with_scores_and_escapes_the_query(client: TestClient) -> None:
    page = client.get(
        "/admin/search", params={"q": "How much is the apprenticeship levy? <i>x</i>"}, headers=HTML
    )
    assert page.status_code == 200
    hits = page.text.split('id="hits"')[1].split("</table>")[0]
    assert hits.count("<tr>") >= 3  # header and at least two passages
    assert "levy" in hits.lower() and "0." in hits
    assert "&lt;i&gt;x&lt;/i&gt;" in page.text and "<i>x</i>" not in page.text


def test_search_without_an_index_says_so(tmp_path: Path) -> None:
    client = signed_in(TestClient(create_app(admin_settings(tmp_path / "data"))))
    page = client.get("/admin/search", params={"q": "levy"}, headers=HTML)
    assert page.status_code == 200
    assert "index is not available" in page.text


def test_sources_page_reloads_itself_while_a_recrawl_runs(client: TestClient) -> None:
    from api.admin.recrawl import claim_recrawl, recrawl_states

    state = client.app.state  # type: ignore[attr-defined]
    assert claim_recrawl(state, "a-college", "admin")
    try:
        page = client.get("/admin/sources", headers=HTML).text
        assert '<meta http-equiv="refresh" content="10">' in page
        assert '<span class="tag running">running</span>' in page
        token = CSRF.search(page).group(1)
        busy = client.post("/admin/sources/recrawl", data={"csrf_token": token, "source": "levy-guides"})
        assert busy.status_code == 409
    finally:
        recrawl_states(state).pop("a-college")
    assert "http-equiv" not in client.get("/admin/sources", headers=HTML).text
