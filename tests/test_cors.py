"""CORS: only listed origins may call the API from a browser, never with credentials (RELIABILITY SEC-01)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import make_settings
from fastapi.testclient import TestClient
from pydantic import ValidationError

from api.app import create_app

CHAMBER = "https://www.essexchambers.example"


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(create_app(make_settings(tmp_path / "data", cors_origins=[CHAMBER])))


def preflight(client: TestClient, origin: str, method: str = "POST") -> object:
    return client.options(
        "/v1/feedback",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "content-type",
        },
    )


def test_listed_origin_is_echoed_exactly_without_credentials(client: TestClient) -> None:
    response = preflight(client, CHAMBER)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == CHAMBER
    assert "access-control-allow-credentials" not in response.headers
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", CHAMBER + ".evil.example", "http://www.essexchambers.example"]
)
def test_unlisted_origin_gets_no_allow_origin(client: TestClient, origin: str) -> None:
    response = preflight(client, origin)
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers
    simple = client.get("/v1/widget/config", headers={"Origin": origin})
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers


def test_only_get_and_post_are_allowed(client: TestClient) -> None:
    assert preflight(client, CHAMBER, method="DELETE").status_code == 400
    assert preflight(client, CHAMBER, method="PUT").status_code == 400


def test_simple_request_from_listed_origin_is_readable(client: TestClient) -> None:
    body = {"answer_id": "a1", "helpful": True}
    response = client.post("/v1/feedback", json=body, headers={"Origin": CHAMBER})
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == CHAMBER
    assert "access-control-allow-credentials" not in response.headers


def test_no_origins_configured_means_no_cross_origin_access(tmp_path: Path) -> None:
    client = TestClient(create_app(make_settings(tmp_path / "data")))
    assert preflight(client, CHAMBER).status_code == 400


def test_wildcard_origin_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not allowed"):
        make_settings(tmp_path / "data", cors_origins=["*"])
