"""POST /v1/feedback against the real app and a real SQLite file."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from connector.feedback import COMMENT_MAX_CHARS, FeedbackStore
from connector.settings import Settings


@pytest.fixture
def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


def rows(settings: Settings) -> list[tuple]:
    with sqlite3.connect(settings.app_db_path) as conn:
        return conn.execute("SELECT answer_id, helpful, comment, created_at FROM feedback").fetchall()


def test_vote_is_stored_and_acknowledged_with_201(client: TestClient, settings: Settings) -> None:
    response = client.post("/v1/feedback", json={"answer_id": "ans-123", "helpful": True})
    assert response.status_code == 201
    assert response.json()["answer_id"] == "ans-123"
    [(answer_id, helpful, comment, created_at)] = rows(settings)
    assert (answer_id, helpful, comment) == ("ans-123", 1, "")
    assert created_at.startswith("20")


def test_second_vote_on_same_answer_replaces_the_first(client: TestClient, settings: Settings) -> None:
    client.post("/v1/feedback", json={"answer_id": "ans-1", "helpful": True})
    response = client.post(
        "/v1/feedback", json={"answer_id": "ans-1", "helpful": False, "comment": "  No Colchester courses  "}
    )
    assert response.status_code == 201
    assert [r[:3] for r in rows(settings)] == [("ans-1", 0, "No Colchester courses")]


def test_html_in_comment_is_stored_as_plain_text(client: TestClient, settings: Settings) -> None:
    comment = '<img src=x onerror="alert(1)"> =SUM(A1)'
    response = client.post("/v1/feedback", json={"answer_id": "a", "helpful": False, "comment": comment})
    assert response.status_code == 201
    assert rows(settings)[0][2] == comment


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"helpful": True},
        {"answer_id": "a1"},
        {"answer_id": "", "helpful": True},
        {"answer_id": "x" * 65, "helpful": True},
        {"answer_id": "a1; DROP TABLE feedback", "helpful": True},
        {"answer_id": "a1", "helpful": "yes"},
        {"answer_id": "a1", "helpful": 1},
        {"answer_id": 123, "helpful": True},
        {"answer_id": "a1", "helpful": True, "comment": "c" * (COMMENT_MAX_CHARS + 1)},
        {"answer_id": "a1", "helpful": True, "email": "someone@example.com"},
        [],
        "helpful",
    ],
)
def test_bad_feedback_gets_422_and_stores_nothing(
    client: TestClient, settings: Settings, body: object
) -> None:
    response = client.post("/v1/feedback", json=body)
    assert response.status_code == 422
    assert "detail" in response.json()
    assert not settings.app_db_path.exists() or rows(settings) == []


@pytest.mark.parametrize(
    "raw", [b"{not json", b'{"answer_id": "\xff\xfe", "helpful": true}', b"\x00\x01\x02"]
)
def test_malformed_body_gets_4xx_not_5xx(client: TestClient, raw: bytes) -> None:
    response = client.post("/v1/feedback", content=raw, headers={"Content-Type": "application/json"})
    assert 400 <= response.status_code < 500


def test_concurrent_votes_are_all_stored(settings: Settings) -> None:
    store = FeedbackStore(settings.app_db_path)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: store.record(f"ans-{i}", i % 2 == 0), range(50)))
    assert store.counts() == {"helpful": 25, "not_helpful": 25}


def test_store_refuses_oversized_comment_directly(settings: Settings) -> None:
    store = FeedbackStore(settings.app_db_path)
    with pytest.raises(ValueError):
        store.record("a1", True, "c" * (COMMENT_MAX_CHARS + 1))
    assert store.get("a1") is None


def test_comment_is_stored_without_names_or_contact_details(client: TestClient, settings: Settings) -> None:
    comment = "Nothing near CM14 4AB. Ring me on 07700 900123.\nThanks, Jane"
    response = client.post("/v1/feedback", json={"answer_id": "ans-9", "helpful": False, "comment": comment})
    assert response.status_code == 201
    stored = FeedbackStore(settings.app_db_path).get("ans-9")
    assert stored is not None and stored.comment == "Nothing near CM14. Ring me on [phone].\nThanks, [name]"
