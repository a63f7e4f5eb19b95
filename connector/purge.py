"""Retention: delete what is older than the settings allow. Safe to repeat; run daily from cron.

    counts = purge(Database.open(settings), settings)
    print(counts.summary())

Questions older than CONNECTOR_RETAIN_QUESTIONS_DAYS go with the feedback on their answers (and any
feedback as old); idle sessions go after the session TTL; enquiries older than
CONNECTOR_RETAIN_ENQUIRIES_DAYS go with their emails, unless an email is still pending: an enquiry is
never dropped before it has been delivered or given up.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, delete, exists, or_, select

from connector.db import Database
from connector.db.tables import enquiries, feedback, outbox, questions, sessions
from connector.db.types import utc_now
from connector.outbox import PENDING
from connector.settings import Settings


@dataclass(frozen=True)
class PurgeCounts:
    questions: int = 0
    feedback: int = 0
    sessions: int = 0
    enquiries: int = 0
    emails: int = 0
    enquiries_kept_pending: int = 0  # past retention but an email still waits to go

    def summary(self) -> str:
        return " ".join(f"{name}={count}" for name, count in asdict(self).items())


def purge(database: Database, settings: Settings, now: datetime | None = None) -> PurgeCounts:
    """Delete everything past retention in one transaction; returns how many rows of each kind went."""
    now = now or utc_now()
    questions_before = now - timedelta(days=settings.retain_questions_days)
    enquiries_before = now - timedelta(days=settings.retain_enquiries_days)
    idle_before = time.time() - settings.session_ttl_seconds
    with database.begin() as conn:
        votes = _purge_feedback(conn, questions_before)
        asked = conn.execute(delete(questions).where(questions.c.asked_at < questions_before)).rowcount
        idle = conn.execute(delete(sessions).where(sessions.c.touched < idle_before)).rowcount
        emails, gone, kept = _purge_enquiries(conn, enquiries_before)
    return PurgeCounts(asked, votes, idle, gone, emails, kept)


def _purge_feedback(conn: Connection, before: datetime) -> int:
    # A vote goes with its question, or on its own once it is as old as a question would be.
    old_answers = select(questions.c.answer_id).where(questions.c.asked_at < before)
    condition = or_(feedback.c.answer_id.in_(old_answers), feedback.c.created_at < before)
    return conn.execute(delete(feedback).where(condition)).rowcount


def _purge_enquiries(conn: Connection, before: datetime) -> tuple[int, int, int]:
    old = enquiries.c.created_at < before
    # An alias, so the check is not correlated with the outbox rows the delete below walks over.
    queued = outbox.alias("queued")
    waiting = exists().where(
        and_(queued.c.enquiry_reference == enquiries.c.reference, queued.c.state == PENDING)
    )
    kept = len(conn.execute(select(enquiries.c.id).where(old, waiting)).all())
    done = select(enquiries.c.reference).where(old, ~waiting)
    emails = conn.execute(delete(outbox).where(outbox.c.enquiry_reference.in_(done))).rowcount
    gone = conn.execute(delete(enquiries).where(old, ~waiting)).rowcount
    return emails, gone, kept
