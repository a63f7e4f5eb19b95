"""`connector ingest`: run, print progress and a summary (or JSON), and choose the exit code.

    code = ingest_command(settings, ["corpus/docs"], max_pages=None, dry_run=False, as_json=False)

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
    if as_json:
        print(json.dumps({**report.as_dict(), "ok": problem is None}, indent=2))
    else:
        print(render_summary(report))
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0
