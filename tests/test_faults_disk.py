"""A small disk filling up, on a size-limited tmpfs this test mounts (it runs as root; skipped, saying why,
where mounting is refused): an ingest that fills it stops with a clear error and a re-run after space is
freed completes the index without duplicates; the API's data writes refuse with 503 while it is full, keep
answering, and every earlier record is intact afterwards."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import ENQUIRY, make_settings

from api.app import create_app
from connector.db import Database
from connector.enquiries import EnquiryStore
from connector.store import ChunkStore
from ingest.manifest import Manifest
from ingest.run import run_ingest

CONNECTOR = Path(sys.executable).parent / "connector"
TOPICS = ["bricklaying", "welding", "care work", "accountancy", "plumbing", "data analysis", "catering"]
pytestmark = [pytest.mark.server, pytest.mark.slow]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs, unmounted afterwards."""
    mount_point = tmp_path / "small"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a size-limited tmpfs cannot be mounted here: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave: int = 0) -> Path:
    """Write a file until the disk is full, then give back `leave` bytes; the file, to delete later."""
    filler = disk / "filler"
    block = b"\0" * (1 << 20)
    with filler.open("wb", buffering=0) as out:
        for size in (1 << 20, 4096):  # big blocks, then small ones to leave no room at all
            while True:
                try:
                    out.write(block[:size])
                except OSError as error:
                    assert error.errno == errno.ENOSPC
                    break
    if leave:
        os.truncate(filler, filler.stat().st_size - leave)
    return filler


def write_pages(folder: Path, count: int, town: str = "Essex") -> Path:
    folder.mkdir()
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        text = (
            f"# Course {n}: {topic}\n\nLevel {n % 4 + 2} training in {topic} for employers in {town}, "
            f"with {n + 3} places a year, taught on day release at the college campus number {n}. "
            f"Apprentices in {topic} spend one day a week in college and four at work."
        )
        (folder / f"course-{n:03d}.md").write_text(text, encoding="utf-8")
    return folder


def contents(settings: Any) -> dict[str, str]:
    return {chunk.id: chunk.text for chunk in ChunkStore.open(settings).iter_chunks()}


def intact(path: Path) -> bool:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_ingest_that_fills_the_disk_stops_clearly_and_a_rerun_completes_it(
    small_disk: Path, tmp_path: Path, embedder: Any
) -> None:
    pages = write_pages(tmp_path / "pages", 80)
    clean = make_settings(tmp_path / "clean")
    run_ingest(clean, [str(pages)], embedder=embedder)
    expected = contents(clean)

    settings = make_settings(small_disk / "data")
    first = write_pages(tmp_path / "first", 2, town="Thurrock")
    run_ingest(settings, [str(first)], embedder=embedder)  # an index already there, to keep unharmed
    filler = fill(small_disk, leave=128 * 1024)  # room for a few batches; the 80 pages need about 540 KB
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CONNECTOR_")},
        "HF_HUB_OFFLINE": "1",
        "CONNECTOR_DATA_DIR": str(settings.data_root),
        "CONNECTOR_EMBEDDING_BATCH_SIZE": "4",
    }
    run = subprocess.run(
        [CONNECTOR, "ingest", str(pages), "--json"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert run.returncode == 1
    assert f"the disk holding {settings.data_dir} is full" in run.stderr and "run it again" in run.stderr
    assert "Traceback" not in run.stderr

    filler.unlink()
    assert intact(settings.manifest_path)
    run_ingest(settings, [str(pages)], embedder=embedder)
    after = contents(settings)
    earlier = {path.resolve().as_uri() for path in first.iterdir()}
    kept = {chunk.id for chunk in ChunkStore.open(settings).iter_chunks() if chunk.url in earlier}
    assert len(kept) == 2  # the index there before is unharmed
    assert {key: text for key, text in after.items() if key not in kept} == expected  # nothing twice
    assert Manifest.open(settings.manifest_path).referenced_ids() == set(after)


def test_data_writes_on_a_full_disk_are_refused_clearly_answers_go_on_and_nothing_is_lost(
    small_disk: Path, embedder: Any
) -> None:
    settings = make_settings(small_disk / "data", chat_rate="", enquiry_rate="")
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    try:
        question = {"message": "What percentage of the pay bill is the levy?"}
        assert httpx.post(f"{api.url}/v1/chat", json=question, timeout=60).json()["status"] == "answered"
        first = httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60)
        assert first.status_code == 201

        filler = fill(small_disk)
        refused = httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60)
        assert refused.status_code == 503 and refused.json()["error"] == "storage_unavailable"
        assert "nothing was stored" in refused.json()["message"]
        answered = httpx.post(f"{api.url}/v1/chat", json=question, timeout=60)
        assert answered.status_code == 200 and answered.json()["status"] == "answered"

        filler.unlink()
        again = httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60)
        assert again.status_code == 201
    finally:
        api.stop()
    Database.open(settings).close()
    assert intact(settings.app_db_path)
    stored = EnquiryStore(Database.open(settings))
    references = {enquiry.reference for enquiry in stored.recent()}
    assert references == {first.json()["reference"], again.json()["reference"]}
