"""/v1/chat/completions and /v1/models through the official openai client and LangChain's ChatOpenAI,
against a real local server (uvicorn, real index, real model): the same answers as /v1/chat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import openai
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import make_settings
from langchain_core.messages import AIMessage, HumanMessage
from langchain_openai import ChatOpenAI

from api.app import create_app

KEY = "test-key-1"
LEVY = "What percentage of the pay bill is the levy?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[ApiServer]:
    # One client sends every request here: no limit per client (tests/test_rate_limits.py has those).
    settings = make_settings(
        tmp_path_factory.mktemp("openai") / "data", api_keys=[KEY, "other-key"], chat_rate=""
    )
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    try:
        yield api
    finally:
        api.stop()


@pytest.fixture(scope="module")
def client(server: ApiServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.url + "/v1", api_key=KEY, max_retries=0, timeout=120)


def chat(server: ApiServer, message: str, session_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message}
    if session_id:
        body["session_id"] = session_id
    return httpx.post(server.url + "/v1/chat", json=body, timeout=120).json()


def numbered_links(body: dict[str, Any]) -> str:
    return "\n".join(f"[{n}] [{s['title']}]({s['url']})" for n, s in enumerate(body["sources"], 1))


def test_models_lists_the_area_model(client: openai.OpenAI) -> None:
    assert [model.id for model in client.models.list()] == ["skills-connector-essex"]


def test_openai_client_gets_the_same_answer_and_sources_as_chat(
    server: ApiServer, client: openai.OpenAI
) -> None:
    expected = chat(server, LEVY)
    completion = client.chat.completions.create(
        model="skills-connector-essex", messages=[{"role": "user", "content": LEVY}]
    )
    message = completion.choices[0].message
    assert expected["status"] == "answered" and expected["sources"]
    assert message.content == expected["answer"] + "\n\nSources:\n" + numbered_links(expected)
    assert (message.model_extra or {})["sources"] == expected["sources"]
    assert completion.choices[0].finish_reason == "stop" and completion.object == "chat.completion"


def test_openai_client_streaming_joins_to_the_same_text(server: ApiServer, client: openai.OpenAI) -> None:
    plain = client.chat.completions.create(
        model="skills-connector-essex", messages=[{"role": "user", "content": LEVY}]
    )
    stream = client.chat.completions.create(
        model="skills-connector-essex",
        messages=[{"role": "user", "content": LEVY}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    finals = [c for c in chunks if c.choices and c.choices[0].finish_reason == "stop"]
    assert text == plain.choices[0].message.content
    assert len(chunks) > 3, "the text arrives in pieces"
    assert len(finals) == 1 and (finals[0].choices[0].delta.model_extra or {})["sources"] == (
        plain.choices[0].message.model_extra or {}
    ).get("sources")
    assert chunks[-1].usage is not None and chunks[-1].usage.completion_tokens > 0


def test_earlier_messages_are_the_conversation(server: ApiServer, client: openai.OpenAI) -> None:
    first_question = "Who offers the digital support technician programme?"
    first = chat(server, first_question)
    expected = chat(server, "what will it teach?", first["session_id"])
    completion = client.chat.completions.create(
        model="skills-connector-essex",
        messages=[
            {"role": "system", "content": "You are helpful."},
            {"role": "user", "content": first_question},
            {"role": "assistant", "content": first["answer"]},
            {"role": "user", "content": "what will it teach?"},
        ],
    )
    content = completion.choices[0].message.content or ""
    assert "troubleshooting" in expected["answer"]
    assert content.startswith(expected["answer"])


def test_langchain_chat_openai_gets_the_same_answer_plain_and_streaming(server: ApiServer) -> None:
    expected = chat(server, LEVY)
    model = ChatOpenAI(
        model="skills-connector-essex", base_url=server.url + "/v1", api_key=KEY, max_retries=0, timeout=120
    )
    reply = model.invoke([HumanMessage(LEVY)])
    streamed = "".join(str(chunk.content) for chunk in model.stream([HumanMessage(LEVY)]))
    assert isinstance(reply, AIMessage)
    assert reply.content == expected["answer"] + "\n\nSources:\n" + numbered_links(expected)
    assert streamed == reply.content


def test_missing_or_wrong_key_gets_401_in_openai_shape(server: ApiServer) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}):
        response = httpx.get(server.url + "/v1/models", headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_api_key"
    wrong = openai.OpenAI(base_url=server.url + "/v1", api_key="wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        wrong.chat.completions.create(
            model="skills-connector-essex", messages=[{"role": "user", "content": "hi"}]
        )


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"model": "skills-connector-essex", "messages": []}, "messages"),
        (
            {"model": "skills-connector-essex", "messages": [{"role": "system", "content": "Be nice"}]},
            "messages",
        ),
        (
            {
                "model": "skills-connector-essex",
                "messages": [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello"}],
            },
            "messages",
        ),
        (
            {"model": "skills-connector-essex", "messages": [{"role": "wizard", "content": "hi"}]},
            "messages.[0].role",
        ),
        (
            {"model": "skills-connector-essex", "messages": [{"role": "user", "content": "hi"}] * 101},
            "messages",
        ),
        ({"model": "skills-connector-essex", "messages": [{"role": "user", "content": "hi"}], "n": 2}, "n"),
        (
            {
                "model": "skills-connector-essex",
                "messages": [{"role": "user", "content": "hi"}],
                "tools": [{"type": "function"}],
            },
            "tools",
        ),
        (
            {
                "model": "skills-connector-essex",
                "messages": [{"role": "user", "content": "hi"}],
                "frobnicate": 1,
            },
            "frobnicate",
        ),
        ({"model": "skills-connector-essex", "messages": "hello"}, "messages"),
        ({"messages": [{"role": "user", "content": "hi"}]}, "model"),
        (
            {
                "model": "skills-connector-essex",
                "messages": [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}]}],
            },
            "messages.[0].content",
        ),
        (
            {"model": "skills-connector-essex", "messages": [{"role": "user", "content": "x" * 5000}]},
            "messages.[0].content",
        ),
    ],
)
def test_bad_requests_get_400_in_openai_shape_naming_the_parameter(
    server: ApiServer, body: dict[str, Any], param: str
) -> None:
    response = httpx.post(
        server.url + "/v1/chat/completions", json=body, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error" and error["param"] == param and error["message"]


def test_message_list_too_big_to_read_gets_400_not_413(server: ApiServer) -> None:
    messages = [{"role": "user", "content": "What is the apprenticeship levy?"}] * 20_000
    response = httpx.post(
        server.url + "/v1/chat/completions",
        json={"model": "skills-connector-essex", "messages": messages},
        headers={"Authorization": f"Bearer {KEY}"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "request_too_large"


def test_invalid_json_and_unknown_model_are_refused_in_openai_shape(
    server: ApiServer, client: openai.OpenAI
) -> None:
    response = httpx.post(
        server.url + "/v1/chat/completions",
        content=b'{"model": ',
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid_json"
    with pytest.raises(openai.NotFoundError) as raised:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": LEVY}])
    assert raised.value.code == "model_not_found"
