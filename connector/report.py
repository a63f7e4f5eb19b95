"""The Chamber's demand report: what people asked, what went unanswered, what was unhelpful.

    report = build_report(settings, days=30)
    print(render_text(report))

Read from the question log and the feedback table in the product's database (connector/db). Questions are
stored redacted, so the report shows no personal data. The unanswered questions are the LSIP's demand
signal: skills people looked for and did not find.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select

from connector.db import Database, may_hold_data
from connector.db.tables import feedback, questions
from connector.db.types import utc_now
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
    # asked_at is in seconds since the epoch there.
    question_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)
    feedback_rows: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["question_rows"], data["feedback_rows"]
        return data


def _normalise(question: str) -> str:
    # Group the same question typed with other capitals, spacing or a trailing question mark.
    return " ".join(question.lower().split()).rstrip("?!. ")


def build_report(settings: Settings, days: int = 30, since: float | None = None) -> DemandReport:
    """Counts and lists over the last `days` days, or from `since` (seconds since the epoch) when given."""
    now = utc_now()
    if since is not None:
        days = max(1, math.ceil((now.timestamp() - since) / 86400))
    report = DemandReport(days=days)
    if not may_hold_data(settings):
        return report
    start = datetime.fromtimestamp(since, UTC) if since is not None else now - timedelta(days=days)
    with Database.open(settings).begin() as db:
        rows = db.execute(select(questions).where(questions.c.asked_at >= start)).mappings().all()
        report.questions = len(rows)
        report.question_rows = [dict(r) | {"asked_at": _seconds(r["asked_at"])} for r in rows]
        report.by_status = dict(Counter(r["status"] for r in rows))
        report.by_route = dict(Counter(r["route"] for r in rows))
        report.by_audience = dict(Counter(r["audience"] or "not given" for r in rows))
        unanswered = Counter(_normalise(r["question"]) for r in rows if r["status"] == "no_answer")
        report.unanswered = unanswered.most_common(TOP)
        report.top_sources = Counter(r["top_source"] for r in rows if r["top_source"]).most_common(TOP)
        _add_feedback(db, report, start)
    return report


def _add_feedback(db: Connection, report: DemandReport, since: datetime) -> None:
    query = (
        select(feedback.c.answer_id, feedback.c.helpful, feedback.c.comment, questions.c.question)
        .select_from(feedback.outerjoin(questions, questions.c.answer_id == feedback.c.answer_id))
        .where(feedback.c.created_at >= since)
        .order_by(feedback.c.created_at, feedback.c.id)
    )
    rows = db.execute(query).mappings().all()
    report.feedback_rows = [dict(r) for r in rows]
    report.helpful = sum(1 for r in rows if r["helpful"])
    report.not_helpful = sum(1 for r in rows if not r["helpful"])
    report.not_helpful_questions = [
        {"question": r["question"] or "(question no longer logged)", "comment": r["comment"] or ""}
        for r in rows
        if not r["helpful"]
    ][:TOP]


def _seconds(moment: datetime) -> float:
    """Seconds since the epoch; a time read back from SQLite has lost its zone but was stored in UTC."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


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
