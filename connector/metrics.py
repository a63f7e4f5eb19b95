"""Prometheus metrics for the API and the crawler, in the process-wide default registry; when several API
processes serve one port (connector/workers.py), every process's values are read from their shared folder.

    from connector import metrics
    metrics.ANSWERS.labels(status="answered").inc()
    body = metrics.exposition()            # what GET /metrics serves

Labels are bounded on purpose: the route *template* (`/v1/courses/{course_id}`), never the raw path, and
an answer's status, never its text.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

CONTENT_TYPE = CONTENT_TYPE_LATEST
# The folder several API processes keep their values in (the variable prometheus_client reads).
METRICS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"

# Chat answers take from tens of milliseconds (tools) to seconds (a language model), so the buckets
# reach further than the library's defaults.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 30.0)

HTTP_REQUESTS = Counter("connector_http_requests", "HTTP requests handled.", ["method", "route", "status"])
HTTP_LATENCY = Histogram(
    "connector_http_request_duration_seconds",
    "Time from request to the end of the response (a stream counts until its last event).",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
# With several processes, a gauge is the sum over the live ones ("livesum"; ignored in one process).
HTTP_IN_FLIGHT = Gauge(
    "connector_http_requests_in_flight", "Requests being handled now.", multiprocess_mode="livesum"
)
ANSWERS_WAITING = Gauge(
    "connector_answers_waiting",
    "Questions waiting for an answer slot (CONNECTOR_MAX_CONCURRENT_ANSWERS).",
    multiprocess_mode="livesum",
)
ANSWERS = Counter("connector_answers", "Answers given, by outcome and by route taken.", ["status", "route"])
INGEST_PAGES = Counter(
    "connector_ingest_pages",
    "Pages an ingest run dealt with, by outcome (new, changed, unchanged, removed, failed, skipped).",
    ["outcome"],
)
INGEST_REQUESTS = Counter(
    "connector_ingest_requests",
    "HTTP requests the crawler made, by result (fetched, not_modified, failed).",
    ["result"],
)
INGEST_FAILURES = Counter("connector_ingest_failures", "Pages an ingest run could not fetch or read.")
UNSTORED_TURNS = Counter(
    "connector_unstored_turns", "Answers whose question record or conversation turn the database refused."
)


def exposition() -> bytes:
    """Every metric in the Prometheus text format: this process's, or with several API processes the
    values all of them wrote to their shared folder."""
    if os.environ.get(METRICS_FOLDER):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)
