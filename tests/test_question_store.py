"""The question log, the feedback table and the demand report's reads, on SQLite and on PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import update

from connector.context import Context, Source
from connector.db import Database
from connector.db.tables import questions
from connector.db.types import utc_now
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog
from connector.report import build_report
from connector.types import Status


def ask(log: QuestionLog, answer_id: str, question: str, status: Status = Status.ANSWERED) -> None:
    ctx = Context(question=question, audience="employer", session_id="s1", route="search")
    ctx.status = status
    ctx.timings = {"guard": 1.234, "retrieve": 20.0}
    if status == Status.ANSWERED:
        ctx.sources = [Source(title="Levy", url="/corpus/apprenticeship-levy")]
    log.record(ctx, answer_id=answer_id)


def test_question_log_keeps_the_redacted_question_and_newest_comes_first(database: Database) -> None:
    log = QuestionLog(database)
    ask(log, "a1", "How does the levy work?")
    ask(log, "a2", "Email me at jo@example.com about welding", Status.NO_ANSWER)
    newest, oldest = log.recent(10)
    assert newest["answer_id"] == "a2" and "jo@example.com" not in newest["question"]
    assert newest["status"] == "no_answer" and newest["session_hash"] and newest["session_hash"] != "s1"
    assert oldest["timings"] == {"guard": 1.2, "retrieve": 20.0}
    assert oldest["top_source"] == "/corpus/apprenticeship-levy" and oldest["asked_at"].tzinfo is not None


def test_the_same_answer_logged_twice_keeps_one_row(database: Database) -> None:
    log = QuestionLog(database)
    ask(log, "a1", "How does the levy work?", Status.NO_ANSWER)
    ask(log, "a1", "How does the levy work?")
    assert [(r["answer_id"], r["status"]) for r in log.recent()] == [("a1", "answered")]


def test_a_second_vote_replaces_the_first_and_counts_add_up(database: Database) -> None:
    store = FeedbackStore(database)
    store.record("a1", helpful=True)
    store.record("a1", helpful=False, comment="No Colchester courses")
    store.record("a2", helpful=True)
    vote = store.get("a1")
    assert vote is not None and (vote.helpful, vote.comment) == (False, "No Colchester courses")
    assert store.get("missing") is None
    assert store.counts() == {"helpful": 1, "not_helpful": 1}


def test_votes_on_one_answer_at_once_leave_one_row(database: Database) -> None:
    store = FeedbackStore(database)
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda n: store.record("race", helpful=n % 2 == 0), range(8)))
    assert sum(store.counts().values()) == 1


def test_report_reads_questions_and_feedback_from_the_configured_database(db_settings) -> None:
    database = Database.open(db_settings)
    log = QuestionLog(database)
    ask(log, "a1", "How does the levy work?")
    ask(log, "a2", "Is there a welding course in Grays?", Status.NO_ANSWER)
    ask(log, "a3", "is there a welding course in grays", Status.NO_ANSWER)
    ask(log, "old", "A question from last year", Status.NO_ANSWER)
    with database.begin() as conn:
        long_ago = utc_now() - timedelta(days=40)
        conn.execute(update(questions).where(questions.c.answer_id == "old").values(asked_at=long_ago))
    FeedbackStore(database).record("a1", helpful=False, comment="Too vague")

    report = build_report(db_settings, days=30)

    assert report.questions == 3 and report.by_status == {"answered": 1, "no_answer": 2}
    assert report.unanswered == [("is there a welding course in grays", 2)]
    assert report.not_helpful_questions == [{"question": "How does the levy work?", "comment": "Too vague"}]
