"""Answer feedback ("was this helpful?") in the product's database.

    store = FeedbackStore(Database.open(settings))   # or FeedbackStore(path) for a SQLite file
    store.record("a1b2c3", helpful=False, comment="Nothing about Anytown")

One row per answer: a second vote on the same answer replaces the first (a user may change their mind or
add a comment after voting). Each write commits before returning, so an acknowledged vote survives a crash.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from connector.db import Database
from connector.db.tables import feedback
from connector.db.types import utc_now
from connector.questions import as_database

log = logging.getLogger(__name__)

COMMENT_MAX_CHARS = 1000
ANSWER_ID_MAX_CHARS = 64


@dataclass(frozen=True)
class Feedback:
    answer_id: str
    helpful: bool
    comment: str
    created_at: str


class FeedbackStore:
    """Each call runs in its own short transaction: safe from any thread of the API."""

    def __init__(self, database: Database | Path) -> None:
        self.database = as_database(database)

    def record(self, answer_id: str, helpful: bool, comment: str = "") -> Feedback:
        """Store (or replace) the vote for one answer; returns what was stored."""
        if not answer_id or len(answer_id) > ANSWER_ID_MAX_CHARS:
            raise ValueError("answer_id must be 1 to 64 characters")
        if len(comment) > COMMENT_MAX_CHARS:
            raise ValueError(f"comment must be at most {COMMENT_MAX_CHARS} characters")
        created_at = utc_now().replace(microsecond=0)
        values = {"helpful": helpful, "comment": comment, "created_at": created_at}
        try:
            self._upsert(answer_id, values)
        except IntegrityError:
            # Two first votes on one answer at once: the other insert won, so this one updates it.
            self._upsert(answer_id, values)
        log.info("feedback recorded helpful=%s has_comment=%s", helpful, bool(comment))
        return Feedback(answer_id, helpful, comment, created_at.isoformat(timespec="seconds"))

    def _upsert(self, answer_id: str, values: dict[str, object]) -> None:
        # Update-then-insert works the same on SQLite and PostgreSQL; the unique answer_id settles races.
        with self.database.begin() as conn:
            changed = conn.execute(update(feedback).where(feedback.c.answer_id == answer_id).values(**values))
            if changed.rowcount == 0:
                conn.execute(feedback.insert().values(answer_id=answer_id, **values))

    def get(self, answer_id: str) -> Feedback | None:
        """The vote for one answer, if any."""
        query = select(feedback).where(feedback.c.answer_id == answer_id)
        with self.database.begin() as conn:
            row = conn.execute(query).mappings().first()
        if row is None:
            return None
        created = row["created_at"].isoformat(timespec="seconds")
        return Feedback(row["answer_id"], bool(row["helpful"]), row["comment"], created)

    def counts(self) -> dict[str, int]:
        """How many answers were voted helpful and not helpful (for reports)."""
        query = select(feedback.c.helpful, func.count()).group_by(feedback.c.helpful)
        with self.database.begin() as conn:
            found = {bool(helpful): count for helpful, count in conn.execute(query)}
        return {"helpful": found.get(True, 0), "not_helpful": found.get(False, 0)}
