"""Limits per client, body limits and security headers, against the real API under uvicorn (real index,
real model), with clients told apart by X-Forwarded-For from a trusted proxy, as behind a Chamber's one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import ENQUIRY, make_settings
from mcp import Client
from rate_window import start_inside_one_window

from api.app import create_app
from api.security import secured_headers
from connector.errors import ConfigError
from connector.services import Services
from connector.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory, embedder) -> Path:
    data_dir = tmp_path_factory.mktemp("limits") / "data"
    build_index(make_settings(data_dir), embedder)
    return data_dir


@pytest.fixture(scope="module")
def services(index_dir: Path) -> Services:
    """Built once for the module; each server below has its own app, settings and counts."""
    return Services.build(make_settings(index_dir))


def serve(services: Services, **overrides: object) -> ApiServer:
    settings: Settings = make_settings(services.settings.data_dir, **overrides)
    app = create_app(settings)
    app.state.services = services
    return ApiServer(app).start()


@pytest.fixture(scope="module")
def api(services: Services) -> Iterator[ApiServer]:
    server = serve(services, chat_rate="4/minute;100/day", enquiry_rate="2/minute;10/day")
    yield server
    server.stop()


def ask(api: ApiServer, client: str, message: str = "What percentage of the pay bill is the levy?"):
    return httpx.post(
        f"{api.url}/v1/chat", json={"message": message}, headers={"X-Forwarded-For": client}, timeout=60
    )


def test_a_flood_from_one_client_meets_429_with_retry_after_while_another_is_served(api: ApiServer) -> None:
    start_inside_one_window(burst_seconds=15)
    statuses = [ask(api, "203.0.113.7").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]
    for _ in range(6):
        refused = ask(api, "203.0.113.7")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["Retry-After"]) <= 60
        assert refused.json()["error"] == "rate_limited" and "wait" in refused.json()["message"]
    other = ask(api, "198.51.100.20")
    assert other.status_code == 200 and other.json()["status"] == "answered"


def test_the_daily_limit_holds_after_the_minute_allows_more(services: Services) -> None:
    server = serve(services, chat_rate="50/minute;3/day")
    try:
        assert [ask(server, "203.0.113.9").status_code for _ in range(3)] == [200, 200, 200]
        refused = ask(server, "203.0.113.9")
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 60
    finally:
        server.stop()


def test_forwarded_for_from_an_untrusted_peer_does_not_choose_the_client(services: Services) -> None:
    server = serve(services, chat_rate="2/minute", forwarded_allow_ips="192.0.2.1")
    try:
        start_inside_one_window(burst_seconds=10)
        statuses = [ask(server, f"203.0.113.{n}").status_code for n in range(1, 5)]
        assert statuses == [200, 200, 429, 429]  # all counted as 127.0.0.1, whatever the header says
    finally:
        server.stop()


def test_enquiries_are_limited_per_client_before_the_body_is_read(api: ApiServer) -> None:
    def send(client: str, body: object) -> httpx.Response:
        return httpx.post(
            f"{api.url}/v1/enquiries", json=body, headers={"X-Forwarded-For": client}, timeout=60
        )

    start_inside_one_window(burst_seconds=10)
    assert send("203.0.113.30", ENQUIRY).status_code == 201
    assert send("203.0.113.30", {"need": ""}).status_code == 422  # a bad one counts too
    refused = send("203.0.113.30", ENQUIRY)
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert send("203.0.113.31", ENQUIRY).status_code == 201


def test_the_openai_shaped_endpoint_shares_the_chat_limit(api: ApiServer) -> None:
    body = {"model": "skills-connector-essex", "messages": [{"role": "user", "content": "What is the levy?"}]}
    headers = {"X-Forwarded-For": "203.0.113.40"}
    start_inside_one_window(burst_seconds=15)
    for _ in range(3):
        assert ask(api, "203.0.113.40").status_code == 200
    assert (
        httpx.post(f"{api.url}/v1/chat/completions", json=body, headers=headers, timeout=60).status_code
        == 200
    )
    refused = httpx.post(f"{api.url}/v1/chat/completions", json=body, headers=headers, timeout=60)
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"


async def test_a_question_over_mcp_counts_against_the_same_chat_limit(services: Services) -> None:
    # Its own server: the MCP client connects from 127.0.0.1 with no forwarded address to tell it apart.
    server = serve(services, chat_rate="2/minute")
    try:
        start_inside_one_window(burst_seconds=20)
        assert ask(server, "127.0.0.1").status_code == 200  # untrusted header ignored: counts as 127.0.0.1
        async with Client(server.url + "/mcp") as client:
            served = await client.call_tool("ask", {"message": "What is the levy?"})
            refused = await client.call_tool("ask", {"message": "What is the levy?"})
            levy = await client.call_tool("levy_estimate", {"pay_bill": 4_000_000})
        assert not served.is_error
        assert refused.is_error and "Too many questions" in refused.content[0].text  # type: ignore[union-attr]
        assert not levy.is_error  # the calculators run no pipeline and are not counted
        assert ask(server, "127.0.0.1").status_code == 429
    finally:
        server.stop()


def test_every_response_carries_the_security_headers(api: ApiServer) -> None:
    for path in ("/healthz", "/v1/widget/config", "/widget.js", "/no-such-page", "/corpus", "/v1/models"):
        response = httpx.get(api.url + path)
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert response.headers["Referrer-Policy"], path
    completions = httpx.post(api.url + "/v1/chat/completions", json={"messages": []}, timeout=60)
    mcp = httpx.post(api.url + "/mcp", json={}, headers={"Accept": "application/json, text/event-stream"})
    for response in (completions, mcp):
        assert response.status_code < 500 and response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
    demo = httpx.get(api.url + "/")
    assert "'nonce-" in demo.headers["Content-Security-Policy"]  # the demo page keeps its own policy
    docs = httpx.get(api.url + "/docs")
    assert "Content-Security-Policy" not in docs.headers  # its script comes from elsewhere


def test_html_without_a_policy_of_its_own_gets_a_strict_one() -> None:
    plain = dict(secured_headers([(b"content-type", b"text/html; charset=utf-8")], leave_csp=False))
    assert plain[b"content-security-policy"].startswith(b"default-src 'none'")
    assert b"script-src" not in plain[b"content-security-policy"]
    own = [(b"content-type", b"text/html"), (b"content-security-policy", b"default-src 'self'")]
    assert (
        secured_headers(own, leave_csp=False).count((b"content-security-policy", b"default-src 'self'")) == 1
    )
    assert b"content-security-policy" not in dict(
        secured_headers([(b"content-type", b"application/json")], False)
    )


def test_a_body_over_the_limit_is_refused_with_413_whether_declared_or_chunked(api: ApiServer) -> None:
    big = b'{"answer_id": "' + b"x" * 20_000 + b'", "helpful": true}'
    declared = httpx.post(f"{api.url}/v1/feedback", content=big, headers={"Content-Type": "application/json"})
    assert declared.status_code == 413 and declared.json()["error"] == "too_large"

    def pieces() -> Iterator[bytes]:
        for start in range(0, len(big), 4096):
            yield big[start : start + 4096]

    chunked = httpx.post(
        f"{api.url}/v1/feedback", content=pieces(), headers={"Content-Type": "application/json"}
    )
    assert chunked.status_code == 413 and chunked.json()["error"] == "too_large"
    assert chunked.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("uri", ["nope://x", "redis://127.0.0.1:1"])
def test_a_storage_it_cannot_use_stops_start_up_naming_the_setting(tmp_path: Path, uri: str) -> None:
    with pytest.raises(ConfigError, match="CONNECTOR_RATE_LIMIT_STORAGE"):
        create_app(make_settings(tmp_path, rate_limit_storage=uri))


def test_rates_that_do_not_read_as_limits_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="20/minute"):
        make_settings(tmp_path, chat_rate="lots")
    assert make_settings(tmp_path, chat_rate="").chat_rate == ""  # empty: no limit
