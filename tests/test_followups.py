"""Follow-ups through POST /v1/chat: a follow-up changes only what it names (the place, the level, the mode)
and keeps the topic; a message with nothing to act on gets a request for more. Real parts: the real model,
Chroma in a temp dir, the sample course catalogue, the API through its test client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from answer_corpus import build_index
from conftest import make_settings
from fastapi.testclient import TestClient
from test_courses_api import load_sample_as_of_today

from api.app import create_app
from connector.conversation import Topic, read_message
from connector.steps.followup import relation_to


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("followups") / "data")
    build_index(settings, embedder)
    load_sample_as_of_today(settings)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def chat(client: TestClient, message: str, session_id: str | None = None) -> dict:
    body = {"message": message, **({"session_id": session_id} if session_id else {})}
    response = client.post("/v1/chat", json=body)
    assert response.status_code == 200
    return response.json()


def conversation(client: TestClient, *messages: str) -> list[dict]:
    replies = [chat(client, messages[0])]
    for message in messages[1:]:
        replies.append(chat(client, message, replies[0]["session_id"]))
    return replies


def test_a_place_named_after_a_course_search_searches_again_in_that_town(client: TestClient) -> None:
    first, second = conversation(
        client, "level 3 digital courses near Colchester", "is there anything in Basildon"
    )
    assert second["route"] == "courses" and second["answer"] != first["answer"]
    assert "Basildon" in second["answer"] and second["cards"]
    assert all(card["level"] == "Level 3" for card in second["cards"])


def test_a_level_named_after_a_course_search_changes_only_the_level(client: TestClient) -> None:
    _, second = conversation(client, "engineering courses in Chelmsford", "what about level 3?")
    assert second["route"] == "courses" and second["cards"]
    assert all(card["level"] == "Level 3" and card["town"] == "Chelmsford" for card in second["cards"])
    assert "level 3 engineering course" in second["answer"]


def test_a_mode_named_after_a_course_search_is_added_to_its_filters(client: TestClient) -> None:
    _, second = conversation(client, "level 3 digital courses near Colchester", "part-time?")
    assert second["route"] == "courses" and second["cards"]
    assert all("part-time" in card["mode"] and card["level"] == "Level 3" for card in second["cards"])


def test_a_postcode_after_a_course_search_moves_the_search_there(client: TestClient) -> None:
    _, second = conversation(client, "engineering courses in Basildon", "CO4")
    assert second["route"] == "courses" and "CO4" in second["answer"]
    assert "engineering" in second["answer"]


def test_a_question_about_a_guide_answer_keeps_its_topic(client: TestClient) -> None:
    _, second = conversation(client, "What is a Skills Bootcamp?", "how long does it take?")
    assert second["status"] == "answered" and "16 weeks" in second["answer"]
    assert any(source["url"].endswith("/corpus/skills-bootcamps") for source in second["sources"])


def test_a_new_question_in_a_conversation_is_answered_as_itself(client: TestClient) -> None:
    _, second = conversation(
        client, "What is a Skills Bootcamp?", "How much of our levy can we transfer to another business?"
    )
    assert second["status"] == "answered" and "50%" in second["answer"]


def test_an_empty_follow_up_asks_for_more_and_keeps_the_topic(client: TestClient) -> None:
    first, second, third = conversation(client, "What are T Levels?", "and?", "how long is the placement?")
    assert second["status"] == "answered" and second["sources"] == []
    assert "say a bit more" in second["answer"] and "T Levels" in second["answer"]
    assert second["answer"] != first["answer"]
    assert third["status"] == "answered" and "315 hours" in third["answer"]


def test_a_postcode_alone_asks_what_to_find_near_it(client: TestClient) -> None:
    reply = chat(client, "CO4")
    assert reply["status"] == "answered" and reply["sources"] == [] and reply["cards"] == []
    assert "courses near CO4" in reply["answer"] and reply["follow_ups"]


def test_a_postcode_after_a_guide_answer_asks_for_more_instead_of_repeating_it(client: TestClient) -> None:
    first, second = conversation(client, "What are T Levels?", "CM1 1SQ")
    assert second["answer"] != first["answer"] and second["sources"] == []
    assert "courses near CM1" in second["answer"]


def test_a_number_alone_gets_a_clear_request_for_more(client: TestClient) -> None:
    reply = chat(client, "35")
    assert reply["status"] == "answered" and reply["sources"] == [] and reply["cards"] == []
    assert "tell me a little more" in reply["answer"]


def test_a_pronoun_is_not_read_as_the_it_subject() -> None:
    assert read_message("how do I pay it back?").filters == {}
    assert read_message("any IT courses?").filters == {"subject": "digital"}
    assert read_message("and in Basildon?").filters == {"near": "Basildon"}
    assert read_message("and?").nothing


@pytest.mark.parametrize(
    "message", ["and who pays for that?", "but is it free?", "so how long does it take?"]
)
def test_a_message_opening_with_a_connective_continues_the_topic(message: str) -> None:
    # Without an index to measure the lift, only the opening word can say it leans on the topic.
    topic = Topic("What are T Levels?")
    assert relation_to(message, read_message(message), topic, None) == "continue"
    plain = message.split(" ", 1)[1]
    assert relation_to(plain, read_message(plain), topic, None) == "new"
