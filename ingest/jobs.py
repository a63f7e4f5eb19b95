"""Ingest as jobs: each configured source is one job in a queue held in PostgreSQL (Procrastinate), taken
by any number of `connector worker` processes; `connector ingest --due` puts the due sources on it.

    queued = enqueue_due(settings)        # the names put on the queue; already-waiting ones are skipped
    run_worker(settings)                  # `connector worker`: takes jobs until stopped (SIGTERM, Ctrl-C)

One worker per source at a time: a job's `lock` is its source name, so two jobs for one source never run
together, and its `queueing_lock` is the name too, so a source waits on the queue at most once however
often the scheduler runs. Every worker and the API read one data dir (the manifest and course catalogue
live there) and one index; writes to them take turns through the data dir's ingest lock, so a second job
waits for the first rather than failing.

With SQLite (no CONNECTOR_DATABASE_URL) there is no queue: `connector ingest --due` runs the due sources
in its own process (ingest/command.py).
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

import psycopg
from procrastinate import App, PsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url

from connector.db import Database
from connector.errors import ConfigError, ConnectorError
from connector.settings import Settings
from ingest.lazy_embedder import LazyEmbedder
from ingest.ledger import SourceLedger
from ingest.run import run_ingest
from ingest.sources import load_sources

log = logging.getLogger(__name__)

QUEUE = "ingest"
TASK = "ingest_source"
SCHEMA_LOCK = 7_202_613  # advisory lock key: two workers starting at once create the queue's tables once


class IngestJobFailed(ConnectorError):
    """A source's job ran but nothing of the source could be ingested."""


def queue_conninfo(settings: Settings) -> str:
    """The libpq address of CONNECTOR_DATABASE_URL (SQLAlchemy's `postgresql+psycopg://` form dropped)."""
    if not settings.database_url or make_url(settings.database_url).get_backend_name() != "postgresql":
        raise ConfigError(
            "ingest jobs need a PostgreSQL CONNECTOR_DATABASE_URL; with SQLite run `connector ingest`"
        )
    url = make_url(settings.database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def ensure_queue_schema(conninfo: str) -> None:
    """Create Procrastinate's tables and functions the first time; later calls find them and do nothing."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK,))
        try:
            row = conn.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
            if row is None or row[0] is None:
                conn.execute(SchemaManager.get_schema())  # many statements, no parameters
                log.info("ingest queue created")
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK,))


def ingest_one_source(settings: Settings, name: str, embedder: Any) -> dict:
    """Ingest one configured source, waiting for the data dir's lock; record the outcome per source."""
    ledger = SourceLedger(Database.open(settings))
    ledger.started(name)
    try:
        report = run_ingest(settings, [name], embedder=embedder, wait_for_lock=True)
        if not report.ingestable:
            raise IngestJobFailed(f"nothing ingestable from {name} ({len(report.failures)} pages failed)")
    except ConnectorError as error:
        ledger.failed(name, str(error))
        log.warning("ingest job failed source=%s reason=%s", name, error)
        raise
    ledger.succeeded(name)
    counts = report.as_dict()["pages"]
    log.info("ingest job done source=%s seconds=%.1f pages=%s", name, report.seconds, counts)
    return {"source": name, "pages": counts, "chunks_added": report.chunks_added}


def job_app(settings: Settings, embedder: Any | None = None) -> App:
    """The queue's app with its one task; the embedder is shared by every job a worker runs."""
    conninfo = queue_conninfo(settings)
    app = App(connector=PsycopgConnector(conninfo=conninfo))
    model = embedder or LazyEmbedder(settings)

    @app.task(name=TASK, queue=QUEUE)
    def ingest_source(source: str) -> dict:
        return ingest_one_source(settings, source, model)

    return app


def enqueue(settings: Settings, names: list[str]) -> tuple[list[str], list[str]]:
    """Put one job per source on the queue; returns (queued, already waiting)."""
    app = job_app(settings)
    ensure_queue_schema(queue_conninfo(settings))
    queued, waiting = [], []
    with app.open():
        for name in names:
            try:
                app.configure_task(TASK, lock=name, queueing_lock=name).defer(source=name)
                queued.append(name)
            except AlreadyEnqueued:
                waiting.append(name)
    log.info("ingest jobs queued=%d already_waiting=%d", len(queued), len(waiting))
    return queued, waiting


def due_source_names(settings: Settings) -> list[str]:
    """Enabled sources whose refresh interval has passed since their last successful ingest."""
    enabled = [source for source in load_sources(settings.sources_file) if source.enabled]
    return [source.name for source in SourceLedger(Database.open(settings)).due(enabled)]


def run_worker(settings: Settings) -> None:
    """Take ingest jobs until stopped; one at a time (a job keeps both cores busy while it embeds)."""
    app = job_app(settings)
    ensure_queue_schema(queue_conninfo(settings))
    name = f"ingest-{socket.gethostname()}-{os.getpid()}"
    log.info("ingest worker started name=%s", name)
    app.run_worker(queues=[QUEUE], concurrency=1, name=name)
