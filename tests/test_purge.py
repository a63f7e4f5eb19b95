"""Retention: `connector purge` deletes what is past it, keeps the rest, and can run again and again."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select, update
from typer.testing import CliRunner

from connector.cli import app
from connector.context import Context
from connector.db import Database
from connector.db.tables import enquiries, feedback, outbox, questions
from connector.db.types import utc_now
from connector.enquiries import EnquiryForm, EnquiryStore
from connector.feedback import FeedbackStore
from connector.outbox import Email, Outbox
from connector.purge import PurgeCounts, purge
from connector.questions import QuestionLog
from connector.sessions import SessionStore
from connector.settings import Settings

FORM = EnquiryForm("Forklift training", "Harlow Logistics", "Ana Lee", "ana@harlow.example", True)


def _age(database: Database, table, key_column, key: str, column, days: int) -> None:
    with database.begin() as conn:
        then = utc_now() - timedelta(days=days)
        conn.execute(update(table).where(key_column == key).values({column.name: then}))


def _count(database: Database, table) -> int:
    with database.begin() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _seed(database: Database, settings: Settings) -> None:
    log, votes = QuestionLog(database), FeedbackStore(database)
    for answer_id in ("old", "new"):
        log.record(Context(question=f"{answer_id} question", session_id="s"), answer_id=answer_id)
        votes.record(answer_id, helpful=False)
    _age(database, questions, questions.c.answer_id, "old", questions.c.asked_at, 366)
    store = EnquiryStore(database)
    for key in ("delivered", "waiting", "recent"):
        enquiry, _ = store.create(FORM, key, [], [Email("p@example.com", key, "...")])
        _age(
            database,
            enquiries,
            enquiries.c.idempotency_key,
            key,
            enquiries.c.created_at,
            5 if key == "recent" else 731,
        )
        if key != "waiting":
            email = Outbox(database).for_enquiry(enquiry.reference)[0]
            Outbox(database).mark_sent(email.id)
    sessions = SessionStore(10, settings.session_ttl_seconds, 3, database=database)
    sessions.history(None)
    SessionStore(10, settings.session_ttl_seconds, 3, lambda: time.time() - 7200, database=database).history(
        None
    )


def test_purge_deletes_what_is_past_retention_and_keeps_the_rest(db_settings: Settings) -> None:
    database = Database.open(db_settings)
    _seed(database, db_settings)

    counts = purge(database, db_settings)

    assert counts == PurgeCounts(
        questions=1, feedback=1, sessions=1, enquiries=1, emails=1, enquiries_kept_pending=1
    )
    assert [r["answer_id"] for r in QuestionLog(database).recent()] == ["new"]
    assert FeedbackStore(database).get("old") is None and FeedbackStore(database).get("new") is not None
    assert {e.idempotency_key for e in EnquiryStore(database).recent()} == {"waiting", "recent"}
    assert _count(database, outbox) == 2 and _count(database, feedback) == 1
    assert purge(database, db_settings) == PurgeCounts(enquiries_kept_pending=1)  # safe to repeat


def test_retention_follows_the_settings(db_settings: Settings) -> None:
    database = Database.open(db_settings)
    _seed(database, db_settings)
    longer = db_settings.model_copy(update={"retain_questions_days": 400, "retain_enquiries_days": 800})
    counts = purge(database, longer)
    assert (counts.questions, counts.enquiries, counts.emails) == (0, 0, 0)


def test_purge_command_prints_counts_and_exits_0(settings: Settings, monkeypatch) -> None:
    monkeypatch.setenv("CONNECTOR_DATA_DIR", str(settings.data_root))
    monkeypatch.setenv("CONNECTOR_RETAIN_QUESTIONS_DAYS", "30")
    from connector.settings import get_settings

    get_settings.cache_clear()
    try:
        database = Database.open(settings)
        QuestionLog(database).record(Context(question="Levy?"), answer_id="a1")
        _age(database, questions, questions.c.answer_id, "a1", questions.c.asked_at, 31)
        first = CliRunner().invoke(app, ["purge"])
        second = CliRunner().invoke(app, ["purge"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert "purged questions=1 feedback=0 sessions=0 enquiries=0 emails=0" in first.output
    assert "purged questions=0" in second.output
