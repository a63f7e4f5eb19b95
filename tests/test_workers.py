"""Several API processes on one port (`connector serve` with CONNECTOR_WORKERS=2): both answer, and
/metrics gives the counts of all of them whichever one serves it. What the starting process shares with
them (connector/workers.py) is checked on its own first."""

from __future__ import annotations

import os
import re
import sqlite3
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from answer_corpus import build_index
from api_processes import ApiProcess
from conftest import make_settings

from connector.db import database_url
from connector.db.migrate import head_revision
from connector.embedder import model_path
from connector.minilm_onnx import export_path
from connector.workers import METRICS_FOLDER, shared_between_workers

QUESTIONS = [
    "Who offers the digital support technician programme?",
    "What will the digital support technician programme teach?",
    "How much levy do we pay?",
    "Can we transfer unused levy to a supplier?",
    "What is an apprenticeship?",
    "How long does the programme take?",
]
ANSWERS_METRIC = re.compile(r"^connector_answers_total\{[^}]*\} (\d+(?:\.\d+)?)$", re.MULTILINE)


def test_the_starting_process_migrates_and_shares_one_admin_key_and_a_fresh_metrics_folder(
    tmp_path, monkeypatch
):
    monkeypatch.delenv(METRICS_FOLDER, raising=False)
    monkeypatch.delenv("CONNECTOR_ADMIN_SECRET", raising=False)
    settings = make_settings(tmp_path / "data", model_cache_dir=tmp_path / "models")
    with shared_between_workers(settings, workers=2):
        # The model is exported to ONNX once, before the processes start (each would export it).
        assert export_path(Path(model_path(settings.embedding_model)), tmp_path / "models").is_file()
        # The database is at its newest revision before any API process opens it.
        file = database_url(settings).removeprefix("sqlite:///")
        with closing(sqlite3.connect(file)) as db:
            assert db.execute("select version_num from alembic_version").fetchall() == [(head_revision(),)]
        folder = Path(os.environ[METRICS_FOLDER])
        assert folder.is_dir() and not any(folder.iterdir())
        key = os.environ["CONNECTOR_ADMIN_SECRET"]
        assert len(key) >= 32
    # Removed afterwards, so a later start does not add this run's counts to its own.
    assert not folder.exists() and METRICS_FOLDER not in os.environ

    # A key and a folder the operator set are kept as they are.
    monkeypatch.setenv(METRICS_FOLDER, str(tmp_path))
    settings = make_settings(tmp_path / "data", admin_secret="operator-key-" + "x" * 20)
    with shared_between_workers(settings, workers=2):
        assert os.environ[METRICS_FOLDER] == str(tmp_path)
        assert os.environ.get("CONNECTOR_ADMIN_SECRET") is None
    assert tmp_path.is_dir()


@pytest.mark.slow
def test_two_processes_answer_on_one_port_and_report_one_set_of_metrics(embedder, tmp_path):
    folder = tmp_path / "api"
    build_index(make_settings(folder / "data"), embedder)
    metrics_folder = tmp_path / "metrics"
    metrics_folder.mkdir()
    env = {"CONNECTOR_WORKERS": "2", "CONNECTOR_CHAT_RATE": "", METRICS_FOLDER: str(metrics_folder)}
    with ApiProcess(folder, env) as api:
        api.wait_ready()
        statuses = [
            httpx.post(f"{api.url}/v1/chat", json={"message": question}, timeout=60).json()["status"]
            for question in QUESTIONS
        ]
        # Each request on a new connection: whichever process takes it reads every process's counts.
        totals = [
            sum(float(n) for n in ANSWERS_METRIC.findall(httpx.get(f"{api.url}/metrics", timeout=30).text))
            for _ in range(6)
        ]
        writers = {int(re.sub(r"^.*_(\d+)\.db$", r"\1", path.name)) for path in metrics_folder.glob("*.db")}
        starter = api.pid

    assert all(status in ("answered", "no_answer") for status in statuses)
    assert totals == [len(QUESTIONS)] * 6
    # Two API processes besides the one that started them wrote their values to the shared folder (a
    # file per kind of metric and process id).
    assert len(writers - {starter}) == 2, sorted(writers)
