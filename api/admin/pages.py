"""The admin's reading pages: overview, question log, unanswered and not-helpful lists, index search.

GET /admin                 overview: questions per week by audience, topic and outcome (the report's charts)
GET /admin/questions       the question log, filtered and paged
GET /admin/unmet           unanswered and not-helpful questions, grouped by similar question
GET /admin/search?q=...    what the index returns for a query, with scores
"""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import PlainTextResponse

from api.admin.demand_view import unmet_lists
from api.admin.parts import admin_database, answer_services, demand_tagger
from api.admin.render import page, require_admin, secured
from connector.outbox import Outbox
from connector.question_search import QuestionFilter, filter_choices, find_questions
from connector.report_files import read_demand_figures, total_chart, weekly_chart

router = APIRouter(include_in_schema=False)

Admin = Annotated[str, Depends(require_admin)]
PER_PAGE = 50
SEARCH_HITS = 10


def weeks_ago(weeks: int) -> date:
    return (datetime.now(UTC) - timedelta(weeks=weeks)).date()


@router.get("/admin/admin.css")
async def stylesheet(request: Request) -> Response:
    from importlib.resources import files

    css = files("api.admin").joinpath("admin.css").read_text(encoding="utf-8")
    return secured(request, PlainTextResponse(css, media_type="text/css"))


@router.get("/admin")
async def overview(
    request: Request, user: Admin, weeks: Annotated[int, Query(ge=1, le=260)] = 12
) -> Response:
    settings = request.app.state.settings
    since = weeks_ago(weeks)
    tagger = await demand_tagger(request)
    figures = await asyncio.to_thread(read_demand_figures, settings, since, tagger)
    emails = await asyncio.to_thread(Outbox(admin_database(request)).counts)
    weekly = [
        weekly_chart(figures, key, f"Questions per week by {key}") for key in ("audience", "topic", "outcome")
    ]
    totals = [
        total_chart(figures, "outcome", "Questions by outcome", "Outcome"),
        total_chart(figures, "topic", "Questions by topic", "Topic"),
        total_chart(figures, "sector", "Questions by LSIP priority sector", "Sector"),
    ]
    return page(
        request, "overview.html", figures=figures, weeks=weeks, weekly=weekly, totals=totals, emails=emails
    )


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def question_filter(request: Request) -> tuple[QuestionFilter, list[str]]:
    """The filter from the query string; a date that is not YYYY-MM-DD is ignored and reported."""
    params = request.query_params
    problems = [
        f"{label} must be a date like 2026-11-30" for key, label in (("since", "From"), ("until", "To"))
        if params.get(key) and _day(params.get(key)) is None
    ]  # fmt: skip
    chosen = QuestionFilter(
        since=_day(params.get("since")),
        until=_day(params.get("until")),
        **{
            key: (params.get(key) or "").strip()[:200] or None
            for key in ("audience", "status", "route", "topic")
        },
        text=(params.get("text") or "").strip()[:200] or None,
    )
    return chosen, problems


@router.get("/admin/questions")
async def question_log(
    request: Request, user: Admin, page_number: Annotated[int, Query(alias="page", ge=1)] = 1
) -> Response:
    chosen, problems = question_filter(request)
    database = admin_database(request)
    rows, total = await asyncio.to_thread(find_questions, database, chosen, page_number, PER_PAGE)
    choices = await asyncio.to_thread(filter_choices, database)
    pages = max(1, math.ceil(total / PER_PAGE))
    return page(
        request, "questions.html", rows=rows, total=total, page_number=page_number, pages=pages,
        chosen=chosen, query=chosen.as_query(), choices=choices, problems=problems,
    )  # fmt: skip


@router.get("/admin/unmet")
async def unmet(request: Request, user: Admin, weeks: Annotated[int, Query(ge=1, le=260)] = 12) -> Response:
    tagger = await demand_tagger(request)
    lists = await asyncio.to_thread(unmet_lists, request.app.state.settings, weeks_ago(weeks), tagger)
    return page(request, "unmet.html", lists=lists, weeks=weeks)


@router.get("/admin/search")
async def search_index(
    request: Request,
    user: Admin,
    q: Annotated[str, Query(max_length=500)] = "",
    audience: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    services = answer_services(request)
    hits, relevant = [], None
    if q.strip() and services is not None:
        who = audience if audience in ("employer", "learner", "provider") else None
        hits = await asyncio.to_thread(services.retriever.search, q.strip(), who, SEARCH_HITS)
        relevant = services.retriever.is_relevant(hits)
    return page(
        request,
        "search.html",
        q=q,
        audience=audience,
        hits=hits,
        relevant=relevant,
        ready=services is not None,
    )
