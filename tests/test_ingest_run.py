"""The ingest run over the fixture website and local folders: real HTTP, real Chroma, the real model.

The module ingests the pristine site once (`indexed_site`); tests that change the site restore it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_settings

from connector.errors import IngestLockedError
from connector.settings import Settings
from connector.store import ChunkStore
from ingest.lock import ingest_lock
from ingest.manifest import Manifest
from ingest.run import run_ingest

CONNECTOR = Path(sys.executable).parent / "connector"
FAST_CRAWL = {"crawl_requests_per_second": 200.0, "crawl_timeout_seconds": 3.0, "crawl_retries": 1}


class CountingEmbedder:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, embedder) -> None:
        self._embedder = embedder
        self.embedded = 0

    def count_tokens(self, text: str) -> int:
        return self._embedder.count_tokens(text)

    def embed_texts(self, texts):
        self.embedded += len(texts)
        return self._embedder.embed_texts(texts)


def site_settings(data_dir: Path) -> Settings:
    return make_settings(data_dir, embedding_batch_size=16, **FAST_CRAWL)


def index_contents(settings: Settings) -> dict[str, str]:
    """id -> document of everything in the index."""
    return {chunk.id: chunk.text for chunk in ChunkStore.open(settings).iter_chunks()}


def chunks_of(settings: Settings, url: str) -> dict[str, str]:
    return {c.id: c.text for c in ChunkStore.open(settings).iter_chunks() if c.url == url}


def pristine(site) -> None:
    site.reset()
    site.slow_seconds = 0.2


@pytest.fixture(scope="module")
def indexed_site(fixture_site, embedder, tmp_path_factory):
    """The pristine fixture site ingested into its own data dir: (settings, report, contents)."""
    pristine(fixture_site)
    settings = site_settings(tmp_path_factory.mktemp("site") / "data")
    report = run_ingest(settings, [fixture_site.base_url], embedder=embedder)
    return settings, report, index_contents(settings)


def test_first_ingest_indexes_the_site_and_records_every_chunk(indexed_site):
    settings, report, contents = indexed_site
    assert report.pages["new"] >= 10
    assert report.chunks_added == len(contents) > 0
    manifest = Manifest.open(settings.manifest_path)
    assert manifest.referenced_ids() == set(contents)
    assert all(record.status == "ok" for record in manifest.records() if record.chunk_ids)
    reasons = " ".join(f["reason"] for f in report.failures)
    assert "encrypted PDF" in reasons and "invalid PDF" in reasons  # reported, and the run went on


def test_reingest_of_unchanged_site_embeds_nothing(indexed_site, fixture_site, embedder):
    settings, first, contents = indexed_site
    pristine(fixture_site)
    version = ChunkStore.open(settings).index_version()
    counting = CountingEmbedder(embedder)
    report = run_ingest(settings, [fixture_site.base_url], embedder=counting)  # type: ignore[arg-type]
    assert counting.embedded == 0
    assert report.chunks_added == report.chunks_removed == 0
    assert report.pages["unchanged"] == first.pages["new"]
    assert index_contents(settings) == contents
    assert ChunkStore.open(settings).index_version() == version  # nothing changed: readers keep their cache


def test_disallowed_page_is_never_fetched_and_its_text_is_nowhere(indexed_site, fixture_site):
    settings, report, contents = indexed_site
    assert report.pages["robots"] >= 1
    assert "ZEBRA-PRIVATE-7731" not in " ".join(contents.values())
    assert fixture_site.count("/private/staff-notes.html") == 0


def test_hidden_injection_text_is_not_indexed_but_the_visible_page_is(indexed_site, fixture_site):
    settings, _, contents = indexed_site
    everything = " ".join(contents.values())
    assert "HIDDEN-" not in everything
    assert chunks_of(settings, fixture_site.url("/employers/hiring-an-apprentice.html"))


def test_windows_1252_pages_keep_the_pound_sign(indexed_site, fixture_site):
    settings, _, _ = indexed_site
    for path in ("/legacy/fees-2019.html", "/legacy/bursary-notice.html"):
        text = " ".join(chunks_of(settings, fixture_site.url(path)).values())
        assert "£" in text and "\ufffd" not in text


def test_pdf_chunks_carry_page_numbers(indexed_site, fixture_site):
    settings, _, _ = indexed_site
    url = fixture_site.url("/docs/prospectus-2026.pdf")
    pages = {c.page_number for c in ChunkStore.open(settings).iter_chunks() if c.url == url}
    assert pages == {1, 2, 3}


def test_changed_page_replaces_its_chunks(indexed_site, fixture_site, embedder):
    settings, _, _ = indexed_site
    url = fixture_site.url("/about.html")
    before = chunks_of(settings, url)
    pristine(fixture_site)
    fixture_site.set_page(
        "/about.html", "<title>About</title><main><h1>About us</h1><p>CHANGED-ABOUT-1</p></main>"
    )
    try:
        report = run_ingest(settings, [fixture_site.base_url], embedder=embedder)
        after = chunks_of(settings, url)
        assert report.pages["changed"] == 1
        assert list(after.values()) == ["CHANGED-ABOUT-1"]
        assert not set(before) & set(ChunkStore.open(settings).all_ids())
        assert Manifest.open(settings.manifest_path).referenced_ids() == ChunkStore.open(settings).all_ids()
    finally:
        pristine(fixture_site)
        run_ingest(settings, [fixture_site.base_url], embedder=embedder)


def test_removed_page_loses_its_chunks_and_a_failing_page_keeps_them(indexed_site, fixture_site, embedder):
    settings, _, _ = indexed_site
    removed, failing = fixture_site.url("/about.html"), fixture_site.url("/contact.html")
    kept = chunks_of(settings, failing)
    assert chunks_of(settings, removed) and kept
    pristine(fixture_site)
    fixture_site.remove_page("/about.html")
    fixture_site.set_status("/contact.html", 503)
    try:
        report = run_ingest(settings, [fixture_site.base_url], embedder=embedder)
        assert report.pages["removed"] == 1
        assert chunks_of(settings, removed) == {}
        assert Manifest.open(settings.manifest_path).get(removed) is None
        assert chunks_of(settings, failing) == kept  # a transient failure keeps the last good chunks
        assert any(f["url"] == failing for f in report.failures)
        assert Manifest.open(settings.manifest_path).referenced_ids() == ChunkStore.open(settings).all_ids()
    finally:
        pristine(fixture_site)
        run_ingest(settings, [fixture_site.base_url], embedder=embedder)


def test_dry_run_reports_changes_and_writes_nothing(indexed_site, fixture_site, embedder, tmp_path):
    settings, _, contents = indexed_site
    pristine(fixture_site)
    fixture_site.set_page("/about.html", "<main><h1>About</h1><p>DRY-RUN-CHANGE</p></main>")
    manifest_before = Manifest.open(settings.manifest_path).records()
    try:
        report = run_ingest(settings, [fixture_site.base_url], dry_run=True, embedder=embedder)
        assert report.pages["changed"] == 1 and report.chunks_added == 1
        assert index_contents(settings) == contents
        assert Manifest.open(settings.manifest_path).records() == manifest_before
        fresh = make_settings(tmp_path / "never-created", **FAST_CRAWL)
        assert run_ingest(fresh, [fixture_site.base_url], dry_run=True, embedder=embedder).pages["new"] >= 10
        assert not fresh.data_dir.exists()
    finally:
        pristine(fixture_site)


def test_sigkill_mid_run_then_rerun_matches_a_clean_run(indexed_site, fixture_site, embedder, tmp_path):
    _, _, clean = indexed_site
    pristine(fixture_site)
    settings = site_settings(tmp_path / "killed")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "CONNECTOR_DATA_DIR": str(settings.data_root)}
    env |= {
        "CONNECTOR_EMBEDDING_BATCH_SIZE": "4",
        **{f"CONNECTOR_{k.upper()}": str(v) for k, v in FAST_CRAWL.items()},
    }
    process = subprocess.Popen([CONNECTOR, "ingest", fixture_site.base_url, "--json"], env=env, cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait_for_written_chunks(settings.manifest_path, process)
        assert process.poll() is None, "the run finished before it could be killed"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    partial = index_contents(settings)
    assert 0 < len(partial) < len(clean)
    pristine(fixture_site)
    report = run_ingest(settings, [fixture_site.base_url], embedder=embedder)
    assert index_contents(settings) == clean
    assert Manifest.open(settings.manifest_path).referenced_ids() == set(clean)
    assert report.chunks_added == len(clean) - len(set(partial) & set(clean))


def wait_for_written_chunks(manifest_path: Path, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if manifest_path.exists():
            try:
                with sqlite3.connect(f"file:{manifest_path}?mode=ro", uri=True) as db:
                    if db.execute("SELECT count(*) FROM pages WHERE chunk_ids != '[]'").fetchone()[0]:
                        return
            except sqlite3.OperationalError:
                pass  # the table is being created
        time.sleep(0.02)


def test_a_second_run_is_refused_while_one_holds_the_lock(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.md").write_text("# A\nSome text.", encoding="utf-8")
    with ingest_lock(settings.lock_path):
        with pytest.raises(IngestLockedError, match="another ingest is running"):
            run_ingest(settings, [str(docs)], embedder=embedder)
        env = {**os.environ, "CONNECTOR_DATA_DIR": str(settings.data_root)}
        done = subprocess.run(
            [CONNECTOR, "ingest", str(docs)], env=env, cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 1
        assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # one clear line
        assert "another ingest is running" in done.stderr
    assert run_ingest(settings, [str(docs)], embedder=embedder).pages["new"] == 1  # free again afterwards


def test_local_folder_changes_deletions_and_broken_files(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    front = "---\ntitle: Levy basics\naudience: [employer]\ndoc_type: guidance\n---\n"
    (docs / "levy.md").write_text(front + "# Levy\n\nThe levy is 0.5% of the pay bill.\n", encoding="utf-8")
    (docs / "sub" / "hours.txt").write_text("Opening hours\n\nMonday to Friday.", encoding="utf-8")
    (docs / "photo.png").write_bytes(b"\x89PNG")
    first = run_ingest(settings, [str(docs)], embedder=embedder)
    assert (first.pages["new"], first.pages["skipped"]) == (2, 1)
    levy_url = (docs / "levy.md").resolve().as_uri()
    (chunk,) = [c for c in ChunkStore.open(settings).iter_chunks() if c.url == levy_url]
    assert (chunk.title, chunk.doc_type, chunk.audiences) == ("Levy basics", "guidance", ["employer"])

    (docs / "levy.md").write_text("---\ntitle: [unclosed\n---\nBroken", encoding="utf-8")
    broken = run_ingest(settings, [str(docs)], embedder=embedder)
    assert broken.pages["failed"] == 1 and "front matter" in broken.failures[0]["reason"]
    assert [c.url for c in ChunkStore.open(settings).iter_chunks()].count(levy_url) == 1  # last good kept

    (docs / "levy.md").unlink()
    gone = run_ingest(settings, [str(docs)], embedder=embedder)
    assert gone.pages["removed"] == 1
    assert {c.url for c in ChunkStore.open(settings).iter_chunks()} == {
        (docs / "sub" / "hours.txt").resolve().as_uri()
    }


def run_cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "CONNECTOR_DATA_DIR": str(tmp_path / "data"), **env}
    return subprocess.run(
        [CONNECTOR, "ingest", *args], env=full_env, cwd=tmp_path, capture_output=True, text=True
    )


def test_bad_config_and_unreadable_sources_exit_non_zero_with_one_line(tmp_path):
    bad = tmp_path / "sources.yaml"
    bad.write_text("sources:\n  - name: x\n    path: corpus/docs\n    doc_type: brochure\n", encoding="utf-8")
    done = run_cli(tmp_path, CONNECTOR_SOURCES_FILE=str(bad))
    assert done.returncode == 2
    assert "sources[0].doc_type" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    missing = run_cli(tmp_path, str(tmp_path / "no-such-folder"))
    assert missing.returncode != 0 and len(missing.stderr.strip().splitlines()) == 1
    assert "no-such-folder" in missing.stderr
    assert not (tmp_path / "data" / "essex" / "chroma").exists()


def test_nothing_ingestable_exits_non_zero(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK\x03\x04")
    done = run_cli(tmp_path, str(empty), "--json")
    assert done.returncode == 1
    assert "nothing ingestable" in done.stderr
    assert '"ok": false' in done.stdout


def test_shared_paragraph_is_stored_once_and_follows_the_page_that_keeps_it(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    docs = tmp_path / "docs"
    docs.mkdir()
    shared = "Call the Thameside admissions team on 01268 000 000 to ask about any course."
    (docs / "a-welding.md").write_text(f"# Welding\n\nWelding runs on Mondays.\n\n## Contact\n\n{shared}\n")
    (docs / "b-plumbing.md").write_text(
        f"# Plumbing\n\nPlumbing runs on Tuesdays.\n\n## Contact\n\n{shared}\n"
    )
    first = run_ingest(settings, [str(docs)], embedder=embedder)
    assert first.chunks_added == 3  # the contact paragraph once
    (docs / "a-welding.md").unlink()
    run_ingest(settings, [str(docs)], embedder=embedder)
    chunks = {c.text: c for c in ChunkStore.open(settings).iter_chunks()}
    assert set(chunks) == {shared, "Plumbing runs on Tuesdays."}
    assert chunks[shared].url == (docs / "b-plumbing.md").resolve().as_uri()
