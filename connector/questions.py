"""The question log: what was asked (personal data redacted), how it ended, how long it took.

    log = QuestionLog(settings.app_db_path)
    log.record(ctx, answer_id="...")

It feeds the Chamber's demand report ("what do employers ask about?"). Only the redacted question is
stored, never the raw message; the session id is stored hashed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

from connector.context import Context
from connector.redact import redact_personal_data

SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    answer_id TEXT PRIMARY KEY,
    asked_at REAL NOT NULL,
    session_hash TEXT NOT NULL,
    audience TEXT,
    question TEXT NOT NULL,
    status TEXT NOT NULL,
    route TEXT NOT NULL,
    hit_count INTEGER NOT NULL,
    top_source TEXT,
    timings TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS questions_asked_at ON questions (asked_at);
"""


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:16] if session_id else ""


class QuestionLog:
    """An append-only SQLite table; one connection per call keeps it safe across threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def record(self, ctx: Context, answer_id: str) -> None:
        """Store one answered (or refused) question, redacted."""
        row = (
            answer_id,
            time.time(),
            _session_hash(ctx.session_id),
            ctx.audience,
            redact_personal_data(ctx.question)[:2000],
            str(ctx.status or ""),
            ctx.route,
            len(ctx.hits),
            ctx.sources[0].url if ctx.sources else None,
            json.dumps({k: round(v, 1) for k, v in ctx.timings.items()}),
        )
        with self._lock, self._connect() as db:
            db.execute("INSERT OR REPLACE INTO questions VALUES (?,?,?,?,?,?,?,?,?,?)", row)

    def recent(self, limit: int = 100) -> list[dict[str, object]]:
        """The latest questions, newest first (for the report and for tests)."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM questions ORDER BY asked_at DESC LIMIT ?", (limit,)).fetchall()
        return [dict(row) for row in rows]
