"""Answer feedback ("was this helpful?") in the product's SQLite file.

    store = FeedbackStore(settings.app_db_path)
    store.record("a1b2c3", helpful=False, comment="Nothing about Colchester")

One row per answer: a second vote on the same answer replaces the first (a user may change their mind or
add a comment after voting). Each write commits before returning, so an acknowledged vote survives a crash.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger(__name__)

COMMENT_MAX_CHARS = 1000
ANSWER_ID_MAX_CHARS = 64

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    answer_id TEXT NOT NULL UNIQUE,
    helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    created_at TEXT NOT NULL
)
"""

_UPSERT = """
INSERT INTO feedback (answer_id, helpful, comment, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT(answer_id) DO UPDATE SET
    helpful = excluded.helpful, comment = excluded.comment, created_at = excluded.created_at
"""


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    helpful: bool
    comment: str
    created_at: str


class FeedbackStore:
    """Opens a short-lived connection per call: safe from any thread of the API."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._connect()
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.execute(_SCHEMA)
        finally:
            conn.close()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=10.0)
        conn.execute("PRAGMA busy_timeout=10000")
        return conn

    def record(self, answer_id: str, helpful: bool, comment: str = "") -> Feedback:
        """Store (or replace) the vote for one answer; returns what was stored."""
        if not answer_id or len(answer_id) > ANSWER_ID_MAX_CHARS:
            raise ValueError("answer_id must be 1 to 64 characters")
        if len(comment) > COMMENT_MAX_CHARS:
            raise ValueError(f"comment must be at most {COMMENT_MAX_CHARS} characters")
        created_at = datetime.now(UTC).isoformat(timespec="seconds")
        conn = self._connect()
        try:
            with conn:
                conn.execute(_UPSERT, (answer_id, int(helpful), comment, created_at))
        finally:
            conn.close()
        log.info("feedback recorded helpful=%s has_comment=%s", helpful, bool(comment))
        return Feedback(answer_id, helpful, comment, created_at)

    def get(self, answer_id: str) -> Feedback | None:
        """The vote for one answer, if any."""
        conn = self._connect()
        try:
            row = conn.execute(
                "SELECT answer_id, helpful, comment, created_at FROM feedback WHERE answer_id = ?",
                (answer_id,),
            ).fetchone()
        finally:
            conn.close()
        return Feedback(row[0], bool(row[1]), row[2], row[3]) if row else None

    def counts(self) -> dict[str, int]:
        """How many answers were voted helpful and not helpful (for reports)."""
        conn = self._connect()
        try:
            rows = conn.execute("SELECT helpful, COUNT(*) FROM feedback GROUP BY helpful").fetchall()
        finally:
            conn.close()
        found = {bool(helpful): count for helpful, count in rows}
        return {"helpful": found.get(True, 0), "not_helpful": found.get(False, 0)}
