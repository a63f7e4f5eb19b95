"""Faults survived, against the real API under uvicorn: a real `chroma run` server stopped mid-service and
started again ends in a clear error, /readyz says what is wrong, and nothing is lost once it is back.
(SMTP going away is in tests/test_mailer.py.)"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer, free_port
from conftest import make_settings

from api.app import create_app

CHROMA = Path(sys.executable).parent / "chroma"
QUESTION = {"message": "What percentage of the pay bill is the levy?"}
pytestmark = [pytest.mark.server, pytest.mark.slow]


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    """Poll until the condition holds (never a fixed sleep racing the code)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(0.2)


class ChromaServer:
    """`chroma run` on a fixed port and data path, so it can be stopped and started again as the same."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        log = (self.path / "server.log").open("ab")
        self.process = subprocess.Popen(
            [CHROMA, "run", "--path", str(self.path / "db"), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={"ANONYMIZED_TELEMETRY": "False", "PATH": "/usr/bin:/bin"},
        )
        wait_for(self.answering, "chroma run to start")
        return self

    def answering(self) -> bool:
        try:
            return httpx.get(f"{self.url}/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path).start()
    yield server
    server.stop()


def ask(api: ApiServer) -> httpx.Response:
    return httpx.post(f"{api.url}/v1/chat", json=QUESTION, timeout=60)


def test_a_stopped_chroma_server_gives_503_and_readyz_says_so_then_answers_resume(
    chroma: ChromaServer, tmp_path: Path, embedder
) -> None:
    settings = make_settings(tmp_path / "data", chroma_url=chroma.url, chat_rate="")
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    try:
        assert ask(api).json()["status"] == "answered"
        chunks = httpx.get(f"{api.url}/readyz").json()["chunks"]

        chroma.stop()
        down = ask(api)
        assert down.status_code == 503 and down.json()["error"] == "index_unavailable"
        assert "index" in down.json()["message"] and "Traceback" not in down.text
        ready = httpx.get(f"{api.url}/readyz")
        assert ready.status_code == 503 and "index" in ready.json()["reason"]

        chroma.start()
        wait_for(lambda: httpx.get(f"{api.url}/readyz").status_code == 200, "/readyz to recover")
        assert httpx.get(f"{api.url}/readyz").json()["chunks"] == chunks  # nothing lost
        assert ask(api).json()["status"] == "answered"
    finally:
        api.stop()
