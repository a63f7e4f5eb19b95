"""Request ids on every log line, /metrics and /readyz, against the real app served over HTTP (uvicorn on
127.0.0.1, the real model and a real Chroma index in a temp dir)."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import make_settings
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from connector.logs import RequestIdFilter, json_formatter
from ingest.manifest import Manifest

QUESTION = "What percentage of the pay bill is the levy?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[tuple[ApiServer, object]]:
    settings = make_settings(tmp_path_factory.mktemp("observe") / "data")
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    yield api, settings
    api.stop()


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Every log record of the process as JSON lines, formatted as `connector serve` writes them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def wait_for_record(stream: io.StringIO, predicate, timeout: float = 20.0) -> list[dict]:
    """The records once one matches: the access line is written after the response has been sent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = records(stream)
        if any(predicate(r) for r in found):
            return found
        time.sleep(0.02)
    raise AssertionError(f"no matching log record in {len(records(stream))} records")


def metric_samples(api: ApiServer) -> dict[tuple[str, frozenset], float]:
    text = httpx.get(f"{api.url}/metrics", timeout=30).text
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_every_line_logged_during_a_request_carries_its_id_and_never_the_question(server, log_lines):
    api, _ = server
    response = httpx.post(
        f"{api.url}/v1/chat", json={"message": QUESTION}, headers={"X-Request-ID": "edge-proxy-4711abcd"}
    )
    assert response.status_code == 200
    assert response.headers["X-Request-ID"] == "edge-proxy-4711abcd"

    def is_access_line(record: dict) -> bool:
        return record["message"].startswith("request method=POST route=/v1/chat status=200")

    found = wait_for_record(log_lines, is_access_line)
    mine = [r for r in found if r.get("request_id") == "edge-proxy-4711abcd"]
    assert any(r["message"].startswith("chat status=answered") for r in mine)
    assert any(is_access_line(r) for r in mine)
    assert all({"time", "level", "logger", "message"} <= set(r) for r in found)
    assert "pay bill" not in log_lines.getvalue()


@pytest.mark.parametrize("offered", ["short", "x" * 65, "two words here!", "<script>alert(1)</script>"])
def test_an_unusable_incoming_request_id_is_replaced_by_a_new_one(server, offered):
    api, _ = server
    response = httpx.get(f"{api.url}/healthz", headers={"X-Request-ID": offered})
    given = response.headers["X-Request-ID"]
    assert given != offered and len(given) == 32 and int(given, 16) >= 0


def test_each_response_gets_its_own_request_id(server):
    api, _ = server
    ids = {httpx.get(f"{api.url}/healthz").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3


def test_metrics_count_requests_by_route_template_and_answers_by_status(server):
    api, _ = server
    before = metric_samples(api)
    httpx.post(f"{api.url}/v1/chat", json={"message": QUESTION}, timeout=60)
    httpx.get(f"{api.url}/corpus/no-such-guide", timeout=30)
    httpx.get(f"{api.url}/no/such/path/at/all", timeout=30)
    after = metric_samples(api)

    def grew(name: str, **labels: str) -> float:
        key = (name, frozenset(labels.items()))
        return after.get(key, 0.0) - before.get(key, 0.0)

    assert grew("connector_http_requests_total", method="POST", route="/v1/chat", status="200") == 1
    chat = {"method": "POST", "route": "/v1/chat", "status": "200"}
    assert grew("connector_http_request_duration_seconds_count", **chat) == 1
    assert grew("connector_http_requests_total", method="GET", route="/corpus/{slug}", status="404") == 1
    assert grew("connector_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert grew("connector_answers_total", status="answered", route="search") == 1
    buckets = [key for key in after if key[0] == "connector_http_request_duration_seconds_bucket"]
    assert any(("le", "1.0") in labels for _, labels in buckets)
    assert not any("no/such/path" in value for _, labels in after for _, value in labels)


def test_readyz_says_how_old_the_index_is_and_when_the_last_ingest_finished(server):
    api, settings = server
    body = httpx.get(f"{api.url}/readyz", timeout=30).json()
    assert body["status"] == "ready"
    assert body["index_updated_at"] and 0 <= body["index_age_seconds"] < 3600
    assert body["last_ingest_finished"] is None  # this index was not filled by an ingest run here

    manifest = Manifest.open(settings.manifest_path)
    run = manifest.start_run("2026-01-05T10:00:00+00:00", dry_run=False)
    manifest.finish_run(run, "2026-01-05T10:02:00+00:00", {})
    manifest.close()
    body = httpx.get(f"{api.url}/readyz", timeout=30).json()
    assert body["last_ingest_finished"] == "2026-01-05T10:02:00+00:00"


def test_readyz_names_what_is_wrong_when_the_index_is_empty(tmp_path, embedder):
    settings = make_settings(tmp_path / "data")
    api = ApiServer(create_app(settings)).start()
    try:
        response = httpx.get(f"{api.url}/readyz", timeout=30)
    finally:
        api.stop()
    assert response.status_code == 503
    body = response.json()
    assert "index is empty" in body["reason"] and body["index_updated_at"] is None
