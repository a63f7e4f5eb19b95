"""The Chamber's demand report: what people asked, what went unanswered, what was unhelpful.

    report = build_report(settings, days=30)
    print(render_text(report))

Read from the question log and the feedback table (both in settings.app_db_path). Questions are stored
redacted, so the report shows no personal data. The unanswered questions are the LSIP's demand signal:
skills people looked for and did not find.
"""

from __future__ import annotations

import math
import sqlite3
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from connector.settings import Settings

TOP = 15  # rows in each "top" list


@dataclass
class DemandReport:
    days: int
    questions: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_route: dict[str, int] = field(default_factory=dict)
    by_audience: dict[str, int] = field(default_factory=dict)
    unanswered: list[tuple[str, int]] = field(default_factory=list)  # (question, times asked)
    top_sources: list[tuple[str, int]] = field(default_factory=list)
    helpful: int = 0
    not_helpful: int = 0
    not_helpful_questions: list[dict[str, str]] = field(default_factory=list)
    # The rows read, for the report files and their figures (connector/demand.py); not in the JSON.
    question_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    feedback_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["question_rows"], data["feedback_rows"]
        return data


def _rows(db: sqlite3.Connection, sql: str, args: tuple[Any, ...]) -> list[sqlite3.Row]:
    try:
        return db.execute(sql, args).fetchall()
    except sqlite3.OperationalError:  # the table does not exist yet: nothing was asked or rated
        return []


def _normalise(question: str) -> str:
    # Group the same question typed with other capitals, spacing or a trailing question mark.
    return " ".join(question.lower().split()).rstrip("?!. ")


def build_report(settings: Settings, days: int = 30, since: float | None = None) -> DemandReport:
    """Counts and lists over the last `days` days, or from `since` (seconds since the epoch) when given."""
    if since is not None:
        days = max(1, math.ceil((time.time() - since) / 86400))
    report = DemandReport(days=days)
    if not settings.app_db_path.exists():
        return report
    since = since if since is not None else time.time() - days * 86400
    db = sqlite3.connect(settings.app_db_path, timeout=10)
    db.row_factory = sqlite3.Row
    try:
        questions = _rows(db, "SELECT * FROM questions WHERE asked_at >= ?", (since,))
        report.questions = len(questions)
        report.question_rows = [dict(r) for r in questions]
        report.by_status = dict(Counter(r["status"] for r in questions))
        report.by_route = dict(Counter(r["route"] for r in questions))
        report.by_audience = dict(Counter(r["audience"] or "not given" for r in questions))
        unanswered = Counter(_normalise(r["question"]) for r in questions if r["status"] == "no_answer")
        report.unanswered = unanswered.most_common(TOP)
        report.top_sources = Counter(r["top_source"] for r in questions if r["top_source"]).most_common(TOP)
        _add_feedback(db, report, since)
    finally:
        db.close()
    return report


def _add_feedback(db: sqlite3.Connection, report: DemandReport, since: float) -> None:
    cutoff = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since))
    rows = _rows(
        db,
        "SELECT f.answer_id, f.helpful, f.comment, q.question FROM feedback f "
        "LEFT JOIN questions q ON q.answer_id = f.answer_id WHERE f.created_at >= ?",
        (cutoff,),
    )
    report.feedback_rows = [dict(r) for r in rows]
    report.helpful = sum(1 for r in rows if r["helpful"])
    report.not_helpful = sum(1 for r in rows if not r["helpful"])
    report.not_helpful_questions = [
        {"question": r["question"] or "(question no longer logged)", "comment": r["comment"] or ""}
        for r in rows
        if not r["helpful"]
    ][:TOP]


def _counts(title: str, counts: dict[str, int]) -> list[str]:
    if not counts:
        return []
    return [f"{title}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))]


def render_text(report: DemandReport) -> str:
    """Plain text for staff reading a terminal or an email."""
    lines = [f"Questions in the last {report.days} days: {report.questions}"]
    lines += _counts("By outcome", report.by_status)
    lines += _counts("By kind", report.by_route)
    lines += _counts("By audience", report.by_audience)
    lines.append(f"Feedback: {report.helpful} helpful, {report.not_helpful} not helpful")
    if report.unanswered:
        lines += ["", "Asked but not answered (demand the sources do not cover yet):"]
        lines += [f"  {count} x {question}" for question, count in report.unanswered]
    if report.not_helpful_questions:
        lines += ["", "Answers marked not helpful:"]
        for item in report.not_helpful_questions:
            comment = f"  (comment: {item['comment']})" if item["comment"] else ""
            lines.append(f"  - {item['question']}{comment}")
    if report.top_sources:
        lines += ["", "Most used sources:"]
        lines += [f"  {count} x {url}" for url, count in report.top_sources]
    return "\n".join(lines)
