"""The demand report reads the real question log and feedback table (SQLite) written by the API's stores."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from connector.cli import app
from connector.context import Context, Source
from connector.feedback import FeedbackStore
from connector.questions import QuestionLog
from connector.report import build_report, render_text
from connector.types import Status


def _ask(log: QuestionLog, answer_id: str, question: str, status: Status, route: str = "search") -> None:
    ctx = Context(question=question, audience="employer", session_id="s1", route=route)
    ctx.status = status
    if status == Status.ANSWERED:
        ctx.sources = [Source(title="Levy", url="/corpus/apprenticeship-levy")]
    log.record(ctx, answer_id=answer_id)


def test_report_counts_outcomes_groups_unanswered_questions_and_joins_feedback(settings):
    log = QuestionLog(settings.app_db_path)
    _ask(log, "a1", "How does the levy work?", Status.ANSWERED)
    _ask(log, "a2", "Is there a welding course in Grays?", Status.NO_ANSWER)
    _ask(log, "a3", "is there a welding course in grays", Status.NO_ANSWER)
    _ask(log, "a4", "Write me a poem", Status.REFUSED, route="guard")
    FeedbackStore(settings.app_db_path).record("a1", helpful=False, comment="Too vague")

    report = build_report(settings, days=7)

    assert report.questions == 4
    assert report.by_status == {"answered": 1, "no_answer": 2, "refused": 1}
    assert report.unanswered == [("is there a welding course in grays", 2)]
    assert report.top_sources == [("/corpus/apprenticeship-levy", 1)]
    assert (report.helpful, report.not_helpful) == (0, 1)
    assert report.not_helpful_questions == [{"question": "How does the levy work?", "comment": "Too vague"}]
    text = render_text(report)
    assert "2 x is there a welding course in grays" in text and "comment: Too vague" in text


def test_report_keeps_personal_data_out(settings):
    log = QuestionLog(settings.app_db_path)
    _ask(log, "a1", "Call me on 07700 900123 about welding in Grays", Status.NO_ANSWER)
    assert "07700" not in render_text(build_report(settings))


def test_report_on_a_new_data_dir_is_empty_not_an_error(settings):
    report = build_report(settings)
    assert report.questions == 0 and report.unanswered == []


def test_report_command_prints_json(settings, monkeypatch):
    monkeypatch.setenv("CONNECTOR_DATA_DIR", str(settings.data_root))
    from connector.settings import get_settings

    get_settings.cache_clear()
    _ask(QuestionLog(settings.app_db_path), "a1", "Free courses in Harlow?", Status.NO_ANSWER)
    result = CliRunner().invoke(app, ["report", "--days", "3", "--json"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["unanswered"] == [["free courses in harlow", 1]]
