"""Ingest as jobs: `connector ingest --due` queues the due sources in PostgreSQL and two real `connector
worker` processes ingest each of them once into a `chroma run` server, from a real HTTP site on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from api_processes import CONNECTOR, clean_environment
from conftest import make_settings
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from connector.db import Database
from connector.db.tables import source_ingests
from connector.db.types import utc_now
from connector.store import ChunkStore
from ingest.ledger import SourceLedger

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.slow]

JOBS_SECONDS = 300  # three sources, the model loaded by a worker, on a busy 2-core machine


def fresh_database(server_url: str) -> str:
    """A new, empty database on the test server: the queue's tables stay out of the shared one."""
    name = f"jobs_{uuid.uuid4().hex[:10]}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def write_sources(folder: Path, site_url: str) -> Path:
    guides, notes = folder / "guides", folder / "notes"
    guides.mkdir()
    notes.mkdir()
    (guides / "levy.md").write_text("# Levy\n\nThe levy is 0.5% of an annual pay bill over £3 million.\n")
    (notes / "bootcamps.md").write_text("# Bootcamps\n\nSkills Bootcamps last up to 16 weeks.\n")
    web = {"allow_private": True, "max_depth": 1, "max_pages": 10, "refresh": "1d"}
    sources = [
        {"name": "site-courses", "url": f"{site_url}/courses/", "include": ["/courses/"], **web},
        {"name": "site-employers", "url": f"{site_url}/employers/toolkit.html",
         "include": ["/employers/"], **web},
        {"name": "local-guides", "path": str(guides), "refresh": "1d"},
        {"name": "stale-notes", "path": str(notes), "refresh": "1d"},
        {"name": "switched-off", "path": str(notes), "enabled": False},
    ]  # fmt: skip
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": sources}))
    return path


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CONNECTOR, *args], env=env, capture_output=True, text=True, timeout=120)


def finished_jobs(database_url: str) -> list[tuple[str, str]]:
    """(source, status) of every ingest job the queue holds once none is waiting or running."""
    engine = create_engine(database_url)
    deadline = time.monotonic() + JOBS_SECONDS
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT args->>'source', status FROM procrastinate_jobs")).all()
            if rows and all(status not in ("todo", "doing") for _, status in rows):
                return sorted((source, status) for source, status in rows)
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise AssertionError(f"jobs still unfinished after {JOBS_SECONDS}s: {rows}")


def test_due_sources_are_queued_once_and_two_workers_ingest_each_once(
    postgres_url, chroma_url, fixture_site, tmp_path
):
    database_url = fresh_database(postgres_url)
    sources_file = write_sources(tmp_path, fixture_site.url("").rstrip("/"))
    shared = {"database_url": database_url, "chroma_url": chroma_url, "collection_name": "jobs"}
    settings = make_settings(tmp_path / "data", sources_file=sources_file, **shared)
    ledger = SourceLedger(Database.open(settings))
    ledger.succeeded("local-guides")  # ingested an hour ago, say: not due for a day
    ledger.succeeded("stale-notes")
    with Database.open(settings).begin() as conn:  # ...but this one two days ago: due again
        conn.execute(
            update(source_ingests)
            .where(source_ingests.c.name == "stale-notes")
            .values(last_success_at=utc_now() - timedelta(days=2))
        )
    env = clean_environment(
        {
            "CONNECTOR_DATA_DIR": str(settings.data_dir),  # the workers share one data dir, as in compose
            "CONNECTOR_SOURCES_FILE": str(sources_file),
            "CONNECTOR_CRAWL_REQUESTS_PER_SECOND": "50",
            "CONNECTOR_LOG_LEVEL": "INFO",
            **{f"CONNECTOR_{name.upper()}": str(value) for name, value in shared.items()},
        }
    )

    first = run_cli(env, "ingest", "--due", "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {
        "queued": ["site-courses", "site-employers", "stale-notes"],
        "already_queued": [],
    }
    again = run_cli(env, "ingest", "--due", "--json")  # the scheduler's next tick, before any worker ran
    assert json.loads(again.stdout)["queued"] == []

    logs = [(tmp_path / f"worker-{n}.log").open("wb") for n in (1, 2)]
    workers = [
        subprocess.Popen([CONNECTOR, "worker"], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path)
        for log in logs
    ]
    try:
        jobs = finished_jobs(database_url)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=60)
        for log in logs:
            log.close()

    worker_log = "\n".join((tmp_path / f"worker-{n}.log").read_text()[-1500:] for n in (1, 2))
    assert jobs == [
        ("site-courses", "succeeded"),
        ("site-employers", "succeeded"),
        ("stale-notes", "succeeded"),
    ], worker_log
    urls = {chunk.url for chunk in ChunkStore.open(settings).iter_chunks()}
    assert any("/courses/" in url for url in urls), worker_log
    assert any("/employers/" in url for url in urls), worker_log
    assert any(url.endswith("bootcamps.md") for url in urls)
    assert not any(url.endswith("levy.md") for url in urls)  # not due, so not ingested
    after = SourceLedger(Database.open(settings)).last_success()
    assert all(utc_now() - after[name] < timedelta(minutes=10) for name in ("site-courses", "stale-notes"))
    assert run_cli(env, "ingest", "--due", "--json").stdout.strip() == '{"queued": [], "already_queued": []}'
