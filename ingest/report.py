"""What an ingest run did: counts, failures with reasons, time; shown as progress and a summary.

    report = RunReport(dry_run=False, sources=["bundled-corpus"])
    report.count("bundled-corpus", "new", url)
    print(render_summary(report))            # or json.dumps(report.as_dict())

Progress goes to stderr: a Rich bar on a terminal, plain lines otherwise (CI, cron), so `--json` output on
stdout stays clean.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, TextIO

from connector import metrics

# Page outcomes, in the order the summary shows them.
KINDS = ("new", "changed", "unchanged", "removed", "robots", "failed", "skipped", "feeds")
LABELS = {"robots": "skipped by robots", "skipped": "skipped (type/size/excluded)", "feeds": "feed documents"}
MAX_LISTED = 50


@dataclass
class RunReport:
    dry_run: bool
    sources: list[str]
    started: float = field(default_factory=time.monotonic)
    seconds: float = 0.0
    pages: Counter[str] = field(default_factory=Counter)
    per_source: dict[str, Counter[str]] = field(default_factory=dict)
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_embedded: int = 0
    embed_seconds: float = 0.0  # time inside the model (the rest is fetching, parsing and writing)
    failures: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    repaired: int = 0  # orphans deleted + pages re-queued by reconciliation

    def count(self, source: str, kind: str, url: str, reason: str | None = None) -> None:
        self.pages[kind] += 1
        if not self.dry_run:
            metrics.INGEST_PAGES.labels(outcome=kind).inc()
            if kind == "failed":
                metrics.INGEST_FAILURES.inc()
        self.per_source.setdefault(source, Counter())[kind] += 1
        if kind == "failed":
            self.failures.append({"url": url, "reason": reason or "unknown"})
        elif kind in ("skipped", "robots") and reason:
            self.skipped.append({"url": url, "reason": reason})

    def finish(self) -> None:
        self.seconds = round(time.monotonic() - self.started, 2)

    @property
    def changed_anything(self) -> bool:
        return bool(self.chunks_added or self.chunks_removed or self.pages["removed"] or self.repaired)

    @property
    def ingestable(self) -> bool:
        """Something was (or is) in the index from this run's sources."""
        return any(self.pages[k] for k in ("new", "changed", "unchanged", "removed", "feeds"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "sources": self.sources,
            "seconds": self.seconds,
            "pages": {kind: self.pages[kind] for kind in KINDS},
            "per_source": {name: {k: c[k] for k in KINDS} for name, c in self.per_source.items()},
            "chunks": {
                "added": self.chunks_added,
                "removed": self.chunks_removed,
                "embedded": self.chunks_embedded,
            },
            "embed_seconds": round(self.embed_seconds, 2),
            "repaired": self.repaired,
            "failures": self.failures,
            "skipped": self.skipped[:MAX_LISTED],
        }


def render_summary(report: RunReport) -> str:
    """A few plain lines for people: counts, then failures with reasons."""
    verb = "would be" if report.dry_run else "were"
    counts = ", ".join(
        f"{report.pages[k]} {LABELS.get(k, k)}" for k in KINDS if report.pages[k] or k == "new"
    )
    lines = [
        f"Ingest {'(dry run) ' if report.dry_run else ''}finished in {report.seconds:.1f}s: {counts}.",
        f"Chunks: {report.chunks_added} {verb} added, {report.chunks_removed} {verb} removed.",
    ]
    if len(report.per_source) > 1:
        for name, tally in report.per_source.items():
            shown = ", ".join(f"{tally[k]} {k}" for k in KINDS if tally[k])
            lines.append(f"  {name}: {shown or 'nothing'}")
    if report.repaired:
        lines.append(f"Repaired {report.repaired} leftovers of an interrupted run.")
    for failure in report.failures[:MAX_LISTED]:
        lines.append(f"  failed: {failure['url']}: {failure['reason']}")
    if len(report.failures) > MAX_LISTED:
        lines.append(f"  ... and {len(report.failures) - MAX_LISTED} more failures (see --json)")
    return "\n".join(lines)


class Progress:
    """Per-page progress on stderr: a Rich spinner/counter on a terminal, plain lines otherwise."""

    def __init__(self, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self._rich: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled and self.stream.isatty():
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            console = Console(file=self.stream)
            columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
            self._rich = RichProgress(*columns, TimeElapsedColumn(), console=console, transient=True)
            self._rich.start()
            self._task = self._rich.add_task("ingesting", total=None)
        return self

    def page(self, kind: str, url: str) -> None:
        if not self.enabled:
            return
        if self._rich is not None:
            self._rich.update(self._task, advance=1, description=f"{kind:<9} {url[-60:]}")
        else:
            print(f"{kind} {url}", file=self.stream, flush=True)

    def __exit__(self, *exc: object) -> None:
        if self._rich is not None:
            self._rich.stop()
