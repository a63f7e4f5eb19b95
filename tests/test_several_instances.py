"""Several API instances, one state: two `connector serve` processes, each with its own empty data dir,
share one PostgreSQL (sessions, question log, feedback) and one `chroma run` server (the index). A
conversation started on one continues on the other, and the staff report counts both."""

from __future__ import annotations

import httpx
import pytest
from answer_corpus import build_index
from api_processes import ApiProcess
from conftest import make_settings
from postgres_server import empty_tables

from connector.db import Database
from connector.report import build_report

pytestmark = [pytest.mark.server, pytest.mark.postgres, pytest.mark.slow]


def test_a_conversation_continues_on_another_instance_and_both_feed_one_report(
    postgres_url, chroma_url, embedder, tmp_path
):
    shared = {"database_url": postgres_url, "chroma_url": chroma_url, "collection_name": "instances"}
    settings = make_settings(tmp_path / "indexer", **shared)
    database = Database.open(settings)
    empty_tables(database)
    build_index(settings, embedder)  # written into the Chroma server; neither instance's data dir has it
    env = {f"CONNECTOR_{name.upper()}": value for name, value in shared.items()}

    try:
        with ApiProcess(tmp_path / "a", env) as first, ApiProcess(tmp_path / "b", env) as second:
            first.wait_ready()
            second.wait_ready()
            opening = httpx.post(
                f"{first.url}/v1/chat",
                json={"message": "Who offers the digital support technician programme?"},
                timeout=60,
            ).json()
            follow_up = httpx.post(
                f"{second.url}/v1/chat",
                json={"message": "what will it teach?", "session_id": opening["session_id"]},
                timeout=60,
            ).json()
            vote = httpx.post(
                f"{second.url}/v1/feedback",
                json={"answer_id": opening["answer_id"], "helpful": False, "comment": "which college?"},
                timeout=30,
            )

        # The second instance read the first one's turn: the follow-up is about the same programme.
        assert opening["status"] == "answered"
        assert follow_up["session_id"] == opening["session_id"]
        assert follow_up["status"] == "answered" and "troubleshooting" in follow_up["answer"]
        assert vote.status_code == 201

        report = build_report(settings, days=1)
        assert report.questions == 2
        assert report.by_status == {"answered": 2}
        assert report.not_helpful == 1
        assert [row["comment"] for row in report.not_helpful_questions] == ["which college?"]
    finally:
        empty_tables(database)
