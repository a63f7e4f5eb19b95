"""The question log filtered for the admin: date range, audience, status, route, topic and words.

    chosen = QuestionFilter(since=date(2026, 11, 1), status="no_answer", text="welding")
    rows, total = find_questions(database, chosen, page=1, per_page=50)

Each row carries the vote on its answer (helpful True/False, or None) and the comment, read through one
outer join, so the log shows which answers people found unhelpful.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from connector.db import Database
from connector.db.tables import feedback, questions

MAX_EXPORT_ROWS = 100_000
FILTER_COLUMNS = ("audience", "status", "route", "topic")


@dataclass(frozen=True)
class QuestionFilter:
    since: date | None = None
    until: date | None = None  # inclusive: the whole of that day
    audience: str | None = None
    status: str | None = None
    route: str | None = None
    topic: str | None = None
    text: str | None = None

    def as_query(self) -> dict[str, str]:
        """The filter as URL query fields (for paging links and the CSV link)."""
        return {key: str(value) for key, value in asdict(self).items() if value not in (None, "")}


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _like_pattern(text: str) -> str:
    # The words are matched literally: % and _ typed by staff are not wildcards.
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(query: Select[Any], chosen: QuestionFilter) -> Select[Any]:
    if chosen.since:
        query = query.where(questions.c.asked_at >= _start_of(chosen.since))
    if chosen.until:
        query = query.where(questions.c.asked_at < _start_of(chosen.until + timedelta(days=1)))
    for column in FILTER_COLUMNS:
        value = getattr(chosen, column)
        if value:
            query = query.where(questions.c[column] == value)
    if chosen.text and chosen.text.strip():
        query = query.where(questions.c.question.ilike(_like_pattern(chosen.text.strip()), escape="\\"))
    return query


def _rows_query(chosen: QuestionFilter) -> Select[Any]:
    joined = questions.outerjoin(feedback, feedback.c.answer_id == questions.c.answer_id)
    query = select(
        questions.c.answer_id,
        questions.c.asked_at,
        questions.c.audience,
        questions.c.question,
        questions.c.status,
        questions.c.route,
        questions.c.topic,
        questions.c.sector,
        questions.c.level,
        questions.c.top_source,
        feedback.c.helpful,
        feedback.c.comment,
    ).select_from(joined)
    return _where(query, chosen).order_by(questions.c.asked_at.desc(), questions.c.answer_id)


def find_questions(
    database: Database, chosen: QuestionFilter, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """One page of matching questions, newest first, and how many match in all."""
    count = _where(select(func.count()).select_from(questions), chosen)
    query = _rows_query(chosen).limit(per_page).offset((max(page, 1) - 1) * per_page)
    with database.begin() as conn:
        total = int(conn.execute(count).scalar_one())
        rows = [dict(row) for row in conn.execute(query).mappings()]
    return rows, total


def all_questions(database: Database, chosen: QuestionFilter) -> list[dict[str, Any]]:
    """Every matching question (for the CSV export), newest first."""
    with database.begin() as conn:
        return [dict(row) for row in conn.execute(_rows_query(chosen).limit(MAX_EXPORT_ROWS)).mappings()]


def filter_choices(database: Database) -> dict[str, list[str]]:
    """The values each filter can take, from what the log holds."""
    choices: dict[str, list[str]] = {}
    with database.begin() as conn:
        for column in FILTER_COLUMNS:
            found = conn.execute(select(questions.c[column]).distinct()).scalars()
            choices[column] = sorted(value for value in found if value)
    return choices
