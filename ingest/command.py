"""`connector ingest`: run, print progress and a summary (or JSON), and choose the exit code.

    code = ingest_command(settings, ["corpus/docs"], max_pages=None, dry_run=False, as_json=False)
    code = due_command(settings, as_json=False)    # `connector ingest --due`
    code = worker_command(settings)                # `connector worker`

Exit codes: 0 the run did its job (some pages may have failed); 1 an unreadable source, nothing
ingestable, another run holding the lock, an index built with another model, or a full disk; 2 a
configuration error.
Errors are one clear line on stderr, never a traceback.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid

from connector.disk import full_disk_note
from connector.errors import ConfigError, ConnectorError, SourceError
from connector.settings import Settings
from ingest.report import Progress, RunReport, render_summary
from ingest.run import run_ingest
from ingest.sources import is_ad_hoc_name

log = logging.getLogger(__name__)


def _nothing_ingestable(report: RunReport) -> str | None:
    if report.ingestable:
        return None
    if report.failures:
        first = report.failures[0]
        return f"nothing ingestable: {len(report.failures)} failed (first: {first['url']}: {first['reason']})"
    return "nothing ingestable: the sources held no pages or documents that could be read"


def ingest_command(
    settings: Settings, sources: list[str], max_pages: int | None, dry_run: bool, as_json: bool
) -> int:
    try:
        with Progress(enabled=not as_json) as progress:
            report = run_ingest(settings, sources, max_pages=max_pages, dry_run=dry_run, progress=progress)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except SourceError as exc:
        print(f"error: cannot read source {exc.url}: {exc.reason}", file=sys.stderr)
        return 1
    except ConnectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line for people; the details go to the log
        full = full_disk_note(settings.data_dir, exc)
        if full:
            # A known cause needs no traceback. Each batch is committed whole and a run repairs what a
            # broken one left: freeing space and running again completes the index without duplicates.
            log.warning("ingest stopped, disk full error=%s", type(exc).__name__)
            print(
                f"error: ingest stopped: {full}. Free some space and run it again; what was indexed is "
                "kept and the rest is added",
                file=sys.stderr,
            )
            return 1
        error_id = uuid.uuid4().hex[:8]
        log.error("ingest failed error_id=%s", error_id, exc_info=True)
        print(
            f"error: ingest failed unexpectedly ({type(exc).__name__}; error id {error_id})", file=sys.stderr
        )
        return 1
    problem = _nothing_ingestable(report)
    if not dry_run:
        _record_successes(settings, report)
    if as_json:
        print(json.dumps({**report.as_dict(), "ok": problem is None}, indent=2))
    else:
        print(render_summary(report))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


def _record_successes(settings: Settings, report: RunReport) -> None:
    """Note each configured source the run ingested, so `--due` counts its refresh from now. The run has
    done its work either way: a database that cannot be written to is logged, not fatal."""
    from connector.db import Database
    from ingest.ledger import SourceLedger

    kept = ("new", "changed", "unchanged", "removed", "feeds")
    ingested = [name for name, pages in report.per_source.items() if any(pages[k] for k in kept)]
    names = [name for name in ingested if not is_ad_hoc_name(name)]
    try:
        ledger = SourceLedger(Database.open(settings))
        for name in names:
            ledger.succeeded(name)
    except Exception as exc:  # noqa: BLE001 - ConnectorError or the driver's own, e.g. a server gone away
        log.warning("ingest outcome not recorded reason=%s", type(exc).__name__)


def uses_queue(settings: Settings) -> bool:
    """Jobs need PostgreSQL; with SQLite every ingest runs in the process that asked for it."""
    from sqlalchemy.engine import make_url

    url = settings.database_url
    return url is not None and make_url(url).get_backend_name() == "postgresql"


def due_command(settings: Settings, as_json: bool) -> int:
    """`connector ingest --due`: queue the due sources (PostgreSQL) or ingest them here (SQLite)."""
    from ingest.jobs import due_source_names, enqueue

    try:
        names = due_source_names(settings)
        if not names or not uses_queue(settings):
            return ingest_command(settings, names, None, False, as_json) if names else _nothing_due(as_json)
        queued, waiting = enqueue(settings, names)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ConnectorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the queue's database unreachable, say so in one line
        log.error("ingest --due failed", exc_info=True)
        print(f"error: cannot queue the due sources ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    if as_json:
        print(json.dumps({"queued": queued, "already_queued": waiting}))
    else:
        print(f"queued: {', '.join(queued) or 'none'}; already queued: {', '.join(waiting) or 'none'}")
    return 0


def _nothing_due(as_json: bool) -> int:
    print(json.dumps({"queued": [], "already_queued": []}) if as_json else "nothing is due")
    return 0


def worker_command(settings: Settings) -> int:
    """`connector worker`: take ingest jobs until stopped."""
    from ingest.jobs import run_worker

    try:
        run_worker(settings)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
