"""Per source: when it was last crawled, how many pages and passages it holds, what failed.

    for status in source_statuses(settings):
        status.name, status.pages, status.chunks, status.failures, status.last_crawled

Read from the ingest manifest (DATA_DIR/manifest.sqlite, opened read-only so the admin never writes it or
creates it) and the area's sources.yaml, so a configured source that was never crawled is listed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connector.errors import ConfigError
from connector.settings import Settings
from ingest.manifest import FAILED, Manifest
from ingest.sources import load_sources

MAX_FAILURES_SHOWN = 20


@dataclass
class SourceStatus:
    name: str
    where: str = ""  # its URL or path
    enabled: bool = True
    configured: bool = True  # listed in sources.yaml (not an ad hoc command-line source)
    pages: int = 0  # pages whose passages are in the index
    chunks: int = 0
    failed: int = 0
    last_crawled: str | None = None  # the newest time a page of it was seen (UTC, ISO)
    failures: list[dict[str, str]] = field(default_factory=list)  # url and reason, first few


def source_statuses(settings: Settings) -> list[SourceStatus]:
    """Every configured source, then any other source the manifest holds, with their counts."""
    statuses: dict[str, SourceStatus] = {}
    try:
        for source in load_sources(settings.sources_file):
            where = source.url or source.path or ""
            statuses[source.name] = SourceStatus(source.name, where, source.enabled)
    except ConfigError:
        pass  # a broken sources.yaml is reported by `connector ingest`; the manifest still has the counts
    if not settings.manifest_path.exists():
        return list(statuses.values())
    manifest = Manifest.open(settings.manifest_path, read_only=True)
    try:
        records = manifest.records()
    finally:
        manifest.close()
    for record in records:
        status = statuses.get(record.source)
        if status is None:
            # Pages ingested ad hoc (a URL or path on the command line), or of a source since removed.
            status = SourceStatus(record.source, record.source, enabled=False, configured=False)
            statuses[record.source] = status
        _count(status, record.status, len(record.chunk_ids), record.last_seen)
        if record.status == FAILED and len(status.failures) < MAX_FAILURES_SHOWN:
            status.failures.append({"url": record.url, "reason": record.error or "unknown"})
    return list(statuses.values())


def _count(status: SourceStatus, page_status: str, chunks: int, last_seen: str | None) -> None:
    if page_status == FAILED:
        status.failed += 1
    if chunks:
        status.pages += 1
        status.chunks += chunks
    if last_seen and (status.last_crawled is None or last_seen > status.last_crawled):
        status.last_crawled = last_seen
