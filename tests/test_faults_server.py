"""The API server killed (SIGKILL) mid-request and mid-stream, as `connector serve` in its own process on a
real index and database: the client sees a clean error at once (never a hang, never half an answer passed
off as whole), the next start serves, and what was stored before is all there (question log, feedback,
enquiries). The request is held in flight by a language model endpoint that takes the call and does not
answer until the test lets it go, so the kill lands mid-request on every run, however loaded the machine.
(An ingest killed mid-run is in tests/test_ingest_run.py.)"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from answer_corpus import build_index
from browser_support import free_port
from conftest import ENQUIRY, make_settings
from test_faults import wait_for

from connector.db import Database
from connector.enquiries import EnquiryStore
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog
from connector.settings import Settings

CONNECTOR = Path(sys.executable).parent / "connector"
# A question the search route answers, so the composer asks the language model.
QUESTION = "Can levy funds pay for an apprentice's wages?"
pytestmark = [pytest.mark.server, pytest.mark.slow]


class HeldModel:
    """An OpenAI-compatible endpoint. Open: it refuses at once (400), so the composer falls back to the
    extractive answer. Held: it takes the call and keeps it until released, so a request stays in flight."""

    def __init__(self) -> None:
        self.held = False
        self.asked = threading.Event()
        self.release = threading.Event()
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the standard library's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if owner.held:
                    owner.asked.set()
                    owner.release.wait(timeout=120)
                body = json.dumps({"error": {"message": "refused by the test", "type": "invalid_request"}})
                try:
                    self.send_response(400)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body.encode())
                except OSError:
                    pass  # the server that asked is gone

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold(self) -> None:
        self.asked.clear()
        self.release.clear()
        self.held = True

    def open(self) -> None:
        self.held = False
        self.release.set()

    def close(self) -> None:
        self.open()
        self.server.shutdown()


class ServeProcess:
    """`connector serve` on a fixed port and data dir, so it can be killed and started again as the same."""

    def __init__(self, settings: Settings, model: HeldModel, logs: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logs = logs
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CONNECTOR_", "OPENAI_"))},
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "ANONYMIZED_TELEMETRY": "False",
            "CONNECTOR_DATA_DIR": str(settings.data_root),
            "CONNECTOR_CHAT_RATE": "",
            "CONNECTOR_ENQUIRY_RATE": "",
            "CONNECTOR_LLM": "openai:gpt-4o-mini",
            "OPENAI_API_KEY": "test-key",
            "OPENAI_BASE_URL": model.url,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ServeProcess:
        with self.logs.open("ab") as log:
            self.process = subprocess.Popen(
                [CONNECTOR, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env,
                cwd=self.logs.parent,  # no .env of the repo's
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self.ready, "connector serve to be ready", timeout=240)
        return self

    def ready(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise RuntimeError(f"connector serve exited: {self.logs.read_text()[-2000:]}")
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None


@pytest.fixture
def served(tmp_path: Path, embedder: Any) -> Iterator[tuple[ServeProcess, HeldModel, Settings]]:
    settings = make_settings(tmp_path / "data")
    build_index(settings, embedder)
    model = HeldModel()
    server = ServeProcess(settings, model, tmp_path / "serve.log").start()
    try:
        yield server, model, settings
    finally:
        server.kill()
        model.close()


def store_some(server: ServeProcess) -> tuple[str, str]:
    """An answered question with a vote on it, and an enquiry: (answer_id, enquiry reference)."""
    answer = httpx.post(f"{server.url}/v1/chat", json={"message": QUESTION}, timeout=120).json()
    assert answer["status"] == "answered"
    vote = {"answer_id": answer["answer_id"], "helpful": True, "comment": "clear"}
    assert httpx.post(f"{server.url}/v1/feedback", json=vote, timeout=60).status_code < 300
    enquiry = httpx.post(f"{server.url}/v1/enquiries", json=ENQUIRY, timeout=120)
    assert enquiry.status_code == 201
    return answer["answer_id"], enquiry.json()["reference"]


def assert_kept(settings: Settings, answer_ids: list[str], references: list[str]) -> None:
    database = Database.open(settings)
    logged = {row["answer_id"] for row in QuestionLog(database).recent(1000)}
    assert set(answer_ids) <= logged
    for answer_id in answer_ids:
        vote = FeedbackStore(database).get(answer_id)
        assert vote is not None and vote.helpful
    for reference in references:
        assert EnquiryStore(database).get(reference) is not None


def test_killed_mid_request_and_mid_stream_the_client_gets_a_clean_error_and_nothing_is_lost(
    served: tuple[ServeProcess, HeldModel, Settings],
) -> None:
    server, model, settings = served
    first = store_some(server)

    # Mid-request: the answer is being composed when the process dies.
    model.hold()
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.post, f"{server.url}/v1/chat", json={"message": QUESTION}, timeout=120)
        assert model.asked.wait(timeout=120), "the request never reached the language model"
        assert not pending.done()
        server.kill()
        with pytest.raises(httpx.TransportError):  # the connection drops: no status, no half body
            pending.result(timeout=60)
    model.open()

    server.start()
    assert_kept(settings, [first[0]], [first[1]])
    second = store_some(server)

    # Mid-stream: the stream has begun (its first event is read) when the process dies.
    model.hold()
    events: list[str] = []
    with (
        pytest.raises(httpx.TransportError),
        httpx.stream(
            "POST", f"{server.url}/v1/chat", json={"message": QUESTION, "stream": True}, timeout=120
        ) as stream,
    ):
        for line in stream.iter_lines():
            if line.startswith("event:"):
                events.append(line.split(":", 1)[1].strip())
                if len(events) == 1:
                    assert model.asked.wait(timeout=120), "the stream never reached the language model"
                    server.kill()
    assert events and "done" not in events  # an unfinished stream never ends as if complete
    model.open()

    server.start()
    assert_kept(settings, [first[0], second[0]], [first[1], second[1]])
    again = httpx.post(f"{server.url}/v1/chat", json={"message": QUESTION}, timeout=120)
    assert again.status_code == 200 and again.json()["status"] == "answered"
