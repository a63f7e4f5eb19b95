"""GET /metrics: this process's metrics in the Prometheus text format, for a scraper.

With several API instances, scrape each one (they are labelled by the scraper's target, not here).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse, Response

from connector import metrics

router = APIRouter(tags=["health"])


@router.get(
    "/metrics",
    summary="Prometheus metrics: requests, latency, answers, ingest pages",
    response_class=PlainTextResponse,
    responses={200: {"content": {metrics.CONTENT_TYPE: {"schema": {"type": "string"}}}}},
)
async def prometheus_metrics() -> Response:
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE)
