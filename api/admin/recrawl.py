"""Re-crawling one configured source from the admin, in the background, with its state kept for the page.

    start_recrawl(app_state, settings, "bundled-corpus", embedder)   # False if a re-crawl is running
    recrawl_states(app_state)["bundled-corpus"].state                 # "running", "done" or "failed"

Only names from sources.yaml can be re-crawled: the form never makes the server fetch an address typed
into it. The ingest lock still applies, so a `connector ingest` running at the same time refuses one or
the other, and that shows as "failed" with its reason.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connector.errors import ConnectorError
from connector.settings import Settings
from ingest.run import run_ingest

log = logging.getLogger(__name__)

RUNNING, DONE, FAILED = "running", "done", "failed"


@dataclass
class RecrawlState:
    source: str
    state: str
    started: str
    finished: str | None = None
    summary: str = ""
    user: str = ""


_lock = threading.Lock()


def recrawl_states(app_state: Any) -> dict[str, RecrawlState]:
    states = getattr(app_state, "recrawls", None)
    if states is None:
        states = app_state.recrawls = {}
    return states


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def claim_recrawl(app_state: Any, source: str, user: str) -> bool:
    """Mark a re-crawl of `source` as running; False when one (of any source) is running already."""
    states = recrawl_states(app_state)
    with _lock:
        if any(state.state == RUNNING for state in states.values()):
            return False
        states[source] = RecrawlState(source, RUNNING, _now(), user=user)
    return True


def run_recrawl(app_state: Any, settings: Settings, source: str, embedder: Any | None) -> None:
    """Ingest one source (blocking; run in a background task) and record how it went."""
    state = recrawl_states(app_state)[source]
    try:
        report = run_ingest(settings, [source], embedder=embedder)
        pages = report.pages
        state.summary = (
            f"{pages['new']} new, {pages['changed']} changed, {pages['unchanged']} unchanged, "
            f"{pages['removed']} removed, {pages['failed']} failed pages"
        )
        state.state = DONE
    except ConnectorError as error:
        state.summary, state.state = str(error), FAILED
    except Exception as error:  # noqa: BLE001 - the page shows that it failed; the log has the details
        log.error("admin re-crawl failed source=%s", source, exc_info=True)
        state.summary, state.state = f"failed unexpectedly ({type(error).__name__})", FAILED
    state.finished = _now()
    log.info("admin re-crawl source=%s state=%s user=%s", source, state.state, state.user)
