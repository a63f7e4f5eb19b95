"""`connector ingest` over sources.yaml: sources that are removed or disabled leave the index, and web
sources in the file reach private addresses only when their entry allows it. Real HTTP, Chroma, model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import make_settings

from connector.courses.catalogue import CourseCatalogue
from connector.errors import ConfigError
from connector.settings import Settings
from connector.store import ChunkStore
from ingest.manifest import Manifest
from ingest.run import run_ingest

FAST_CRAWL = {"crawl_requests_per_second": 200.0, "crawl_timeout_seconds": 3.0, "crawl_retries": 1}
COURSE_PAGE = "/courses/engineering-maintenance-technician-l3.html"


def config(tmp_path: Path, entries: list[dict]) -> Settings:
    """Settings reading a sources file with these entries (rewritten on every call)."""
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return make_settings(tmp_path / "data", sources_file=path, **FAST_CRAWL)


def folder(tmp_path: Path, name: str, text: str) -> dict:
    docs = tmp_path / name
    docs.mkdir(exist_ok=True)
    (docs / f"{name}.md").write_text(f"# {name}\n\n{text}\n", encoding="utf-8")
    return {"name": name, "path": str(docs)}


def web(site, path: str, **extra: object) -> dict:
    return {"name": "college", "url": site.url(path), "max_depth": 0, "max_pages": 1, **extra}


def urls_in_index(settings: Settings) -> set[str]:
    return {chunk.url for chunk in ChunkStore.open(settings).iter_chunks()}


@pytest.mark.slow
def test_sources_removed_or_disabled_in_the_file_leave_the_index_on_a_whole_run(
    tmp_path, fresh_site, embedder
):
    alpha = folder(tmp_path, "alpha", "Alpha runs evening classes in Basildon.")
    beta = folder(tmp_path, "beta", "Beta offers forklift training in Harlow.")
    college = web(fresh_site, COURSE_PAGE, allow_private=True)
    settings = config(tmp_path, [alpha, beta, college])
    page, beta_url = fresh_site.url(COURSE_PAGE), (tmp_path / "beta" / "beta.md").resolve().as_uri()
    assert run_ingest(settings, [], embedder=embedder).pages["new"] == 3
    catalogue = CourseCatalogue.open(settings)
    assert catalogue.source_urls() == [page]
    before = urls_in_index(settings)
    assert {page, beta_url} <= before

    settings = config(tmp_path, [alpha, {**college, "enabled": False}])  # beta deleted, college disabled
    dry = run_ingest(settings, [], dry_run=True, embedder=embedder)
    assert dry.pages["removed"] == 2 and dry.chunks_removed > 0
    assert urls_in_index(settings) == before and catalogue.source_urls() == [page]  # nothing written

    named = run_ingest(settings, ["alpha"], embedder=embedder)  # a run over named sources keeps the rest
    assert named.pages["removed"] == 0 and urls_in_index(settings) == before

    whole = run_ingest(settings, [], embedder=embedder)
    assert whole.pages["removed"] == 2 and whole.chunks_removed == dry.chunks_removed
    assert whole.per_source["college"]["removed"] == whole.per_source["beta"]["removed"] == 1
    assert urls_in_index(settings) == before - {page, beta_url}
    assert catalogue.courses() == []  # the disabled site's courses went with its page
    manifest = Manifest.open(settings.manifest_path)
    assert {r.source for r in manifest.records()} == {"alpha"}
    assert manifest.referenced_ids() == ChunkStore.open(settings).all_ids()


def test_a_private_address_in_the_sources_file_is_refused_before_connecting(tmp_path, fresh_site, embedder):
    settings = config(tmp_path, [web(fresh_site, "/about.html")])
    for arguments in ([], ["college"]):  # the whole file, or its entry named on the command line
        report = run_ingest(settings, arguments, embedder=embedder)
        assert report.pages["failed"] == 1 and report.pages["new"] == 0
        assert "not a public address" in report.failures[0]["reason"]
    assert fresh_site.count("/robots.txt") == 0 and fresh_site.count("/about.html") == 0
    assert urls_in_index(settings) == set()


@pytest.mark.slow
def test_allow_private_lets_a_configured_intranet_site_in_and_the_command_line_may_be_local(
    tmp_path, fresh_site, embedder
):
    settings = config(tmp_path, [web(fresh_site, "/about.html", allow_private=True)])
    assert run_ingest(settings, [], embedder=embedder).pages["new"] == 1
    other = make_settings(tmp_path / "other", **FAST_CRAWL)
    assert (
        run_ingest(other, [fresh_site.url("/contact.html")], max_pages=1, embedder=embedder).pages["new"] == 1
    )
    assert urls_in_index(other) == {fresh_site.url("/contact.html")}


def test_allow_private_on_a_local_path_is_a_config_error(tmp_path):
    settings = config(tmp_path, [{"name": "docs", "path": str(tmp_path), "allow_private": True}])
    with pytest.raises(ConfigError, match=r"sources\[0\].*allow_private"):
        run_ingest(settings, [])


@pytest.mark.slow
def test_pages_ingested_from_the_command_line_survive_a_run_over_the_sources_file(tmp_path, embedder):
    alpha = folder(tmp_path, "alpha", "Alpha runs evening classes in Basildon.")
    extra = tmp_path / "extra"
    extra.mkdir()
    welding = "# Welding\n\nWelding courses run in Grays every May.\n"
    (extra / "welding.md").write_text(welding, encoding="utf-8")
    settings = config(tmp_path, [alpha])
    run_ingest(settings, [str(extra)], embedder=embedder)
    whole = run_ingest(settings, [], embedder=embedder)
    assert whole.pages["removed"] == 0
    assert (extra / "welding.md").resolve().as_uri() in urls_in_index(settings)


def test_a_configured_source_name_may_not_look_like_a_path(tmp_path):
    settings = config(tmp_path, [{"name": "docs/guides", "path": str(tmp_path)}])
    with pytest.raises(ConfigError, match="sources.name"):
        run_ingest(settings, [], dry_run=True)
