"""The product's database and its SMTP server going away under the real API (uvicorn, real index, real
PostgreSQL, real SMTP): answers go on, what cannot be stored is refused clearly (503), /readyz says what
is wrong, and once each is back the enquiries, votes and question records are all there and the emails
that waited are sent."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import ENQUIRY, make_settings
from postgres_server import PostgresServer, initdb_path
from smtp_server import SmtpServer, free_port
from test_faults import wait_for

from api.app import create_app
from connector.db import Database
from connector.enquiries import EnquiryStore
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog

QUESTION = {"message": "What percentage of the pay bill is the levy?"}
pytestmark = [pytest.mark.server, pytest.mark.slow]


class RestartablePostgres(PostgresServer):
    """A server of its own (the session's one serves other tests), stopped and started on the same data."""

    def pause(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -F -c full_page_writes=off"
        log = str(self.root / "server.log")
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-l", log, "-o", options, "-w", "start")


@pytest.fixture
def postgres() -> Iterator[RestartablePostgres]:
    initdb = initdb_path()
    if initdb is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("PostgreSQL is needed in CI (make postgres installs it)", pytrace=False)
        pytest.skip("PostgreSQL is not installed")
    server = RestartablePostgres(initdb.parent)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        pytest.fail(f"PostgreSQL did not start: {error}", pytrace=False)
    yield server
    server.stop()


def ready(api: ApiServer) -> dict[str, Any]:
    response = httpx.get(f"{api.url}/readyz", timeout=30)
    assert response.status_code == 200  # answering never depends on the database or SMTP
    return response.json()


def test_a_stopped_database_refuses_what_it_would_store_answers_go_on_and_nothing_is_lost(
    postgres: RestartablePostgres, tmp_path: Path, embedder: Any
) -> None:
    settings = make_settings(tmp_path / "data", database_url=postgres.url, chat_rate="", enquiry_rate="")
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    try:
        answer = httpx.post(f"{api.url}/v1/chat", json=QUESTION, timeout=60).json()
        vote = {"answer_id": answer["answer_id"], "helpful": True}
        assert httpx.post(f"{api.url}/v1/feedback", json=vote, timeout=30).status_code < 300
        kept = httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60).json()["reference"]
        assert ready(api)["status"] == "ready"

        postgres.pause()
        body = ready(api)
        assert body["status"] == "degraded" and "database unreachable" in body["problems"][0]
        degraded = httpx.post(f"{api.url}/v1/chat", json=QUESTION, timeout=60)
        assert degraded.status_code == 200 and degraded.json()["status"] == "answered"
        for path, payload in (("/v1/enquiries", ENQUIRY), ("/v1/feedback", vote)):
            refused = httpx.post(f"{api.url}{path}", json=payload, timeout=60)
            assert refused.status_code == 503, path
            assert refused.json()["error"] == "storage_unavailable" and refused.headers["Retry-After"]
            assert "nothing was stored" in refused.json()["message"] and "Traceback" not in refused.text

        postgres.resume()
        wait_for(lambda: ready(api)["status"] == "ready", "/readyz to see the database again")
        later = httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60)
        assert later.status_code == 201
    finally:
        api.stop()
    database = Database.open(settings)
    assert answer["answer_id"] in {row["answer_id"] for row in QuestionLog(database).recent()}
    assert FeedbackStore(database).get(answer["answer_id"]) is not None
    stored = EnquiryStore(database)
    assert stored.get(kept) is not None and stored.get(later.json()["reference"]) is not None
    assert len(stored.recent()) == 2  # the refused one was not half-stored


def test_with_smtp_stopped_the_enquiry_is_kept_readyz_says_so_and_its_emails_go_when_it_is_back(
    tmp_path: Path, embedder: Any
) -> None:
    port = free_port()
    smtp = SmtpServer(port).start()
    settings = make_settings(
        tmp_path / "data",
        enquiry_rate="",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_tls="none",
        smtp_from="skills@chamber.example.org",
        outbox_poll_seconds=0.2,
        outbox_backoff_seconds=0.2,
        outbox_backoff_max_seconds=0.5,
        outbox_max_attempts=100,
    )
    build_index(settings, embedder)
    api = ApiServer(create_app(settings)).start()
    try:
        httpx.post(f"{api.url}/v1/enquiries", json=ENQUIRY, timeout=60).raise_for_status()
        smtp.wait_for(1)  # the sender works while SMTP is up
        smtp.stop()

        response = httpx.post(
            f"{api.url}/v1/enquiries", json={**ENQUIRY, "email": "jo@example.com"}, timeout=60
        )
        assert response.status_code == 201  # taken and kept: its emails wait in the outbox
        reference = response.json()["reference"]
        wait_for(lambda: "problems" in ready(api), "/readyz to report the failing emails")
        problem = ready(api)["problems"][0]
        assert "waiting to be sent" in problem and "Connection" in problem
        assert ready(api)["status"] == "degraded"

        smtp = SmtpServer(port).start()
        smtp.wait_for(1)
        wait_for(lambda: ready(api)["status"] == "ready", "the waiting emails to go")
        assert any("jo@example.com" in recipients for recipients, _ in smtp.messages)
    finally:
        api.stop()
        smtp.stop()
    assert EnquiryStore(Database.open(settings)).get(reference) is not None
