"""The question log: what was asked (personal data redacted), how it ended, how long it took.

    log = QuestionLog(Database.open(settings))   # or QuestionLog(path) for a SQLite file
    log.record(ctx, answer_id="...")

It feeds the Chamber's demand report ("what do employers ask about?"). Only the redacted question is
stored, never the raw message; the session id is stored hashed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select

from connector.context import Context
from connector.db import Database
from connector.db.engine import sqlite_url
from connector.db.tables import questions
from connector.db.types import utc_now
from connector.redact import redact_personal_data

QUESTION_MAX_CHARS = 2000


def _session_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()[:16] if session_id else ""


def as_database(where: Database | Path) -> Database:
    """A Database as given, or the SQLite file at a path (the stores' older way of being opened)."""
    return where if isinstance(where, Database) else Database.at(sqlite_url(where))


class QuestionLog:
    """An append-only table; each call runs in its own short transaction, safe across threads."""

    def __init__(self, database: Database | Path) -> None:
        self.database = as_database(database)

    def record(self, ctx: Context, answer_id: str) -> None:
        """Store one answered (or refused) question, redacted; the same answer_id again replaces it."""
        row = {
            "answer_id": answer_id,
            "asked_at": utc_now(),
            "session_hash": _session_hash(ctx.session_id),
            "audience": ctx.audience,
            "question": redact_personal_data(ctx.question)[:QUESTION_MAX_CHARS],
            "status": str(ctx.status or ""),
            "route": ctx.route,
            "hit_count": len(ctx.hits),
            "top_source": ctx.sources[0].url if ctx.sources else None,
            "timings": {k: round(v, 1) for k, v in ctx.timings.items()},
        }
        with self.database.begin() as conn:
            conn.execute(delete(questions).where(questions.c.answer_id == answer_id))
            conn.execute(questions.insert().values(**row))

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        """The latest questions, newest first (for the report and for tests)."""
        query = select(questions).order_by(questions.c.asked_at.desc()).limit(limit)
        with self.database.begin() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]
