"""What several API processes on one port (`connector serve --workers N`) must share, set up once by the
process that starts them: each process reads its settings from the environment it inherits.

    with shared_between_workers(settings, workers=2):   # around uvicorn's run with its workers
        uvicorn.run("api.app:served_app", factory=True, workers=2)

- The database is migrated once, here: processes starting together on a fresh database would each try
  to create its tables at once.
- Admin sign-in cookies are signed with one key, so a cookie from one process is good in the others.
- Prometheus metrics are kept in files of one folder (prometheus_client's multiprocess mode), so
  /metrics answers with the sums over every process whichever process serves it.
- Rate limits are shared only through a shared store (CONNECTOR_RATE_LIMIT_STORAGE); in memory each
  process counts its own, which is logged.
- The embedding model is exported to ONNX once, here, when it is not yet (each process would export it).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from pathlib import Path

from connector.errors import ConnectorError
from connector.metrics import METRICS_FOLDER
from connector.settings import Settings

log = logging.getLogger(__name__)


@contextmanager
def shared_between_workers(settings: Settings, workers: int) -> Iterator[None]:
    """Put what the processes share in the environment they inherit; take it out again afterwards."""
    _migrate(settings)
    _export_model(settings)
    added: dict[str, str] = {}
    if not settings.admin_secret:
        added["CONNECTOR_ADMIN_SECRET"] = secrets.token_urlsafe(32)
        # (so the processes do not warn of a random key of their own; sessions still end with a restart)
        log.info("admin sessions signed with a key made at start: set CONNECTOR_ADMIN_SECRET to keep them")
    if not os.environ.get(METRICS_FOLDER):
        # A fresh folder each start: files left by an earlier run would add its counts to this one's.
        added[METRICS_FOLDER] = tempfile.mkdtemp(prefix="connector-metrics-")
    if settings.rate_limit_storage.startswith("memory"):
        log.warning(
            "rate limits counted per process workers=%d: a client may get up to %d times each limit; "
            "set CONNECTOR_RATE_LIMIT_STORAGE to a store the processes share",
            workers,
            workers,
        )
    os.environ.update(added)
    log.info("starting API processes workers=%d metrics_folder=%s", workers, os.environ[METRICS_FOLDER])
    try:
        yield
    finally:
        for name in added:
            del os.environ[name]
        if METRICS_FOLDER in added:
            shutil.rmtree(added[METRICS_FOLDER], ignore_errors=True)


def _migrate(settings: Settings) -> None:
    """The database at its newest revision before the processes open it. A database that cannot be reached
    is left to them: each serves without it and /readyz says what is wrong, as a single process does."""
    from connector.db import Database

    try:
        Database.open(settings)
    except ConnectorError as error:
        log.warning("database not migrated before the API processes start reason=%s", error)


def _export_model(settings: Settings) -> None:
    """The serving model's ONNX export made before the processes start, in a child process: the export
    imports torch, which this long-lived parent would then hold in memory for nothing. A failure is left
    to the processes, which embed with torch and say why."""
    from connector.embedder import model_path, runs_in_numpy
    from connector.minilm_onnx import export_path, exported

    if settings.serving_embedding_runtime != "onnx":
        return
    folder = model_path(settings.embedding_model)
    if not runs_in_numpy(folder) or export_path(Path(folder), settings.model_cache).is_file():
        return
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as child:
            child.submit(exported, Path(folder), settings.model_cache).result()
    except Exception as error:  # the processes try again, and fall back to torch
        log.warning("embedding model not exported before the API processes start error=%s", error)
