"""GET /v1/courses, the course pages, and course questions through POST /v1/chat."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from connector.courses.catalogue import CourseCatalogue
from connector.courses.model import Course
from ingest.courses import CourseIngest

SAMPLE_FEEDS = Path(__file__).parent.parent / "areas" / "essex" / "courses"
WRITTEN_ON = date(2026, 11, 25)  # the sample catalogue's start dates are as seen from this day


def load_sample_as_of_today(settings) -> None:
    """The sample catalogue, its start dates moved on by however long it is since it was written, so
    the API (which searches from the real today) sees the same upcoming courses whenever tests run."""
    catalogue = CourseCatalogue.open(settings)
    CourseIngest(catalogue).load_folder(SAMPLE_FEEDS)
    shift = max(date.today() - WRITTEN_ON, timedelta(0))
    if shift:
        for source in catalogue.source_urls():
            courses = [c for c in catalogue.courses() if c.source_url == source]
            moved = [
                c.model_copy(update={"start_dates": [d + shift for d in c.start_dates]}) for c in courses
            ]
            catalogue.replace_source(source, moved)


@pytest.fixture
def client(settings):
    load_sample_as_of_today(settings)
    app = create_app(settings)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def bare_client(settings):
    """The course routes alone: no answer services are needed to search the catalogue."""
    load_sample_as_of_today(settings)
    return TestClient(create_app(settings))


def test_search_returns_cards_total_and_the_filters_understood(bare_client):
    response = bare_client.get(
        "/v1/courses", params={"subject": "IT", "level": "Level 3", "near": "colchester", "mode": "part time"}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 3 and len(body["courses"]) == 3
    assert body["filters"] == {
        "level": 3, "subject": "digital", "near": "Colchester", "radius_miles": 10.0, "mode": "part-time",
    }  # fmt: skip
    card = body["courses"][0]
    assert card["type"] == "course" and card["sample"] is True
    assert card["title"] == "Level 3 Diploma in Digital Support Services"
    assert card["distance_miles"] == pytest.approx(0.3, abs=0.2)
    assert card["url"] == "http://testserver/courses/cdsc-l3-dss"


def test_limit_cuts_the_list_but_not_the_total(bare_client):
    body = bare_client.get("/v1/courses", params={"limit": 2}).json()
    assert len(body["courses"]) == 2 and body["total"] > 25


def test_free_only_and_radius_filters(bare_client):
    body = bare_client.get(
        "/v1/courses", params={"near": "SS14", "radius_miles": 2, "free_only": "true"}
    ).json()
    assert body["total"] > 0
    located = [c for c in body["courses"] if "online" not in c["mode"]]
    assert all(c["distance_miles"] <= 2 and c["town"] == "Basildon" for c in located)
    assert all(c["cost"] != "Ask the provider" and not c["cost"].startswith("£") for c in body["courses"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"near": "Narnia"}, "near"),
        ({"near": "M1"}, "near"),
        ({"level": "9"}, "level"),
        ({"level": "advanced"}, "level"),
        ({"mode": "sideways"}, "mode"),
        ({"subject": "alchemy"}, "subject"),
        ({"radius_miles": "-3"}, "radius_miles"),
        ({"radius_miles": "far"}, "radius_miles"),
        ({"starts_after": "next week"}, "starts_after"),
        ({"start_month": "2027-13"}, "start_month"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_query_gets_a_422_naming_the_field(bare_client, params, field):
    response = bare_client.get("/v1/courses", params=params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", field]


def test_course_page_shows_the_course_with_a_sample_banner(bare_client):
    response = bare_client.get("/courses/cdsc-l3-dss")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Level 3 Diploma in Digital Support Services" in response.text
    assert "Sample data." in response.text and "Level 3" in response.text
    assert bare_client.get("/courses/no-such-course").status_code == 404


def test_course_page_escapes_what_a_feed_says(settings, bare_client):
    hostile = Course(
        provider="<img src=x onerror=alert(1)>", title="<script>alert(1)</script>", url="/courses/hostile",
        source_url="https://hostile.example/feed.xml", description="<b>bold</b>",
    )  # fmt: skip
    CourseCatalogue.open(settings).replace_source(hostile.source_url, [hostile])
    page = bare_client.get("/courses/hostile").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<img" not in page and "<b>bold" not in page


@pytest.mark.slow
def test_chat_answers_a_course_question_with_cards_and_follows_up(client):
    first = client.post("/v1/chat", json={"message": "level 3 digital courses near Colchester, part-time"})
    assert first.status_code == 200
    body = first.json()
    assert body["route"] == "courses" and body["status"] == "answered"
    assert len(body["cards"]) == 3 and body["cards"][0]["url"].startswith("http://testserver/courses/")
    assert body["sources"][0]["url"].startswith("http://testserver/courses/")
    follow = client.post(
        "/v1/chat", json={"message": "and full-time?", "session_id": body["session_id"]}
    ).json()
    assert follow["route"] == "courses"
    assert {c["title"] for c in follow["cards"]} == {
        "Level 3 Certificate in Software Development",
        "Level 3 Diploma in IT Networking",
    }


def test_free_for_me_query_returns_reasons_and_names_bad_learner_fields(bare_client):
    body = bare_client.get(
        "/v1/courses", params={"free_only": "true", "age": 24, "annual_earnings": 21000, "near": "Colchester"}
    ).json()
    assert body["filters"]["free_for"] == {"age": 24, "annual_earnings": 21000.0}
    assert body["total"] > 0 and all(card["free_for_me"] for card in body["courses"])
    bad = bare_client.get("/v1/courses", params={"free_only": "true", "age": 9})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "age"]
