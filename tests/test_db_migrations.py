"""Migrations: an empty database reaches the newest revision on SQLite and PostgreSQL, the result matches
connector/db/tables.py, and an older install's SQLite file keeps its question log and votes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from typer.testing import CliRunner

from connector.cli import app
from connector.db import Database
from connector.db.migrate import current_revision, head_revision
from connector.db.tables import metadata
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog
from connector.settings import Settings

TABLES = {"questions", "feedback", "sessions", "enquiries", "outbox"}


def test_upgrade_from_empty_reaches_head_and_matches_the_declared_tables(database: Database) -> None:
    assert current_revision(database) == head_revision()
    assert set(inspect(database.engine).get_table_names()) >= TABLES
    with database.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_upgrade_is_safe_to_repeat(database: Database) -> None:
    assert database.upgrade() == head_revision()
    assert database.upgrade() == head_revision()


def test_fresh_postgres_database_upgrades_from_nothing(postgres_url: str) -> None:
    # A database of its own, so this test sees the empty state the shared one left long ago.
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS upgrade_check"))
        conn.execute(text("CREATE DATABASE upgrade_check"))
    admin.dispose()
    database = Database.at(postgres_url.rsplit("/", 1)[0] + "/upgrade_check", migrate=False)
    try:
        assert current_revision(database) is None
        assert database.upgrade() == head_revision()
        assert set(inspect(database.engine).get_table_names()) >= TABLES
    finally:
        database.close()


def _legacy_install(path: Path) -> None:
    """The SQLite file an install made before migrations: the stores' own CREATE TABLE statements."""
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE questions (answer_id TEXT PRIMARY KEY, asked_at REAL NOT NULL,
                session_hash TEXT NOT NULL, audience TEXT, question TEXT NOT NULL, status TEXT NOT NULL,
                route TEXT NOT NULL, hit_count INTEGER NOT NULL, top_source TEXT, timings TEXT NOT NULL);
            CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, answer_id TEXT NOT NULL UNIQUE,
                helpful INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL);
            """
        )
        asked = time.time() - 3600
        db.execute(
            "INSERT INTO questions VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                "a1",
                asked,
                "abc",
                "employer",
                "Welding in Grays?",
                "no_answer",
                "search",
                0,
                None,
                json.dumps({"guard": 1.5}),
            ),
        )
        db.execute(
            "INSERT INTO feedback (answer_id, helpful, comment, created_at) VALUES (?,?,?,?)",
            ("a1", 0, "Nothing near me", "2026-11-30T10:00:00+00:00"),
        )


def test_an_older_sqlite_install_keeps_its_questions_and_votes(settings: Settings) -> None:
    _legacy_install(settings.app_db_path)
    database = Database.open(settings)
    [row] = QuestionLog(database).recent()
    assert (row["answer_id"], row["question"], row["timings"]) == ("a1", "Welding in Grays?", {"guard": 1.5})
    assert abs(row["asked_at"].timestamp() - (time.time() - 3600)) < 60
    vote = FeedbackStore(database).get("a1")
    assert vote is not None and (vote.helpful, vote.comment) == (False, "Nothing near me")
    assert vote.created_at == "2026-11-30T10:00:00+00:00"
    assert not {"legacy_questions", "legacy_feedback"} & set(inspect(database.engine).get_table_names())


def test_db_upgrade_command_migrates_and_reports_the_revision(settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("CONNECTOR_DATA_DIR", str(settings.data_root))
    from connector.settings import get_settings

    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["db", "upgrade"])
        current = CliRunner().invoke(app, ["db", "current"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert f"at revision {head_revision()}" in result.output and "connector.sqlite" in result.output
    assert f"at revision {head_revision()} (newest {head_revision()})" in current.output


@pytest.mark.parametrize("command", [["db", "upgrade"], ["db", "current"], ["purge"]])
def test_an_unreachable_database_is_one_line_and_exit_code_1(tmp_path: Path, command: list[str]) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "CONNECTOR_DATA_DIR": str(tmp_path),
        "CONNECTOR_DATABASE_URL": "postgresql://nobody:secret-pw@127.0.0.1:1/none",
    }
    result = subprocess.run(
        [sys.executable, "-m", "connector.cli", *command], env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "secret-pw" not in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("error:") and len(result.stderr.strip().splitlines()) == 1
