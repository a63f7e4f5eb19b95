"""CSV export of each admin table, formula-safe (connector/report_files.safe_cell), filters applied.

GET /admin/questions.csv?status=no_answer&...   the question log as filtered on its page
GET /admin/overview.csv?weeks=12                questions by week x audience x topic x sector x outcome
GET /admin/unmet.csv?weeks=12                   unanswered and not-helpful needs, grouped
GET /admin/enquiries.csv                        enquiries with each email's delivery state
GET /admin/sources.csv                          sources with their counts
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from api.admin.demand_view import unmet_lists
from api.admin.operations import enquiries_with_emails, provider_names
from api.admin.pages import question_filter, weeks_ago
from api.admin.parts import admin_database, demand_tagger
from api.admin.render import require_admin, secured
from connector.question_search import all_questions
from connector.report_files import UNMET_COLUMNS, VOLUME_COLUMNS, csv_text, read_demand_figures
from connector.source_status import source_statuses

router = APIRouter(include_in_schema=False)

Admin = Annotated[str, Depends(require_admin)]
Weeks = Annotated[int, Query(ge=1, le=260)]

QUESTION_COLUMNS = (
    "asked_at", "audience", "question", "status", "route", "topic", "sector", "level", "top_source",
    "helpful", "comment",
)  # fmt: skip
ENQUIRY_COLUMNS = (
    "reference", "created_at", "organisation", "contact_name", "email", "phone", "sector", "level", "people",
    "postcode_district", "need", "providers", "email_to", "email_state", "email_attempts", "email_last_error",
)  # fmt: skip
SOURCE_COLUMNS = ("name", "where", "enabled", "pages", "chunks", "failed", "last_crawled")


def csv_download(
    request: Request, name: str, columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> Response:
    """A CSV attachment (UTF-8 with a byte-order mark, so Excel reads accents right)."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d")
    body = "\ufeff" + csv_text(columns, rows)
    response = Response(body.encode("utf-8"), media_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return secured(request, response)


@router.get("/admin/questions.csv")
async def questions_csv(request: Request, user: Admin) -> Response:
    chosen, _ = question_filter(request)
    rows = await asyncio.to_thread(all_questions, admin_database(request), chosen)
    for row in rows:
        row["asked_at"] = row["asked_at"].isoformat(timespec="seconds")
        row["helpful"] = {True: "yes", False: "no"}.get(row["helpful"], "")
    return csv_download(request, "questions", QUESTION_COLUMNS, rows)


@router.get("/admin/overview.csv")
async def overview_csv(request: Request, user: Admin, weeks: Weeks = 12) -> Response:
    tagger = await demand_tagger(request)
    figures = await asyncio.to_thread(
        read_demand_figures, request.app.state.settings, weeks_ago(weeks), tagger
    )
    return csv_download(request, "questions-by-week", VOLUME_COLUMNS, figures.volumes)


@router.get("/admin/unmet.csv")
async def unmet_csv(request: Request, user: Admin, weeks: Weeks = 12) -> Response:
    tagger = await demand_tagger(request)
    lists = await asyncio.to_thread(unmet_lists, request.app.state.settings, weeks_ago(weeks), tagger)
    rows = [{"list": "unanswered", **need} for need in lists.unanswered]
    rows += [{"list": "not helpful", **need} for need in lists.not_helpful]
    return csv_download(request, "unmet-needs", ("list", *UNMET_COLUMNS), rows)


@router.get("/admin/enquiries.csv")
async def enquiries_csv(request: Request, user: Admin) -> Response:
    found = await asyncio.to_thread(enquiries_with_emails, admin_database(request))
    rows = []
    for enquiry, emails in found:
        form = enquiry.form
        base = {
            "reference": enquiry.reference, "created_at": enquiry.created_at.isoformat(timespec="seconds"),
            "organisation": form.organisation, "contact_name": form.contact_name, "email": form.email,
            "phone": form.phone, "sector": form.sector, "level": form.level, "people": form.people,
            "postcode_district": form.postcode_district, "need": form.need,
            "providers": " | ".join(p["name"] for p in provider_names(enquiry)),
        }  # fmt: skip
        rows += [
            base
            | {
                "email_to": e.email.to,
                "email_state": e.state,
                "email_attempts": e.attempts,
                "email_last_error": e.last_error,
            }  # fmt: skip
            for e in emails
        ] or [base]
    return csv_download(request, "enquiries", ENQUIRY_COLUMNS, rows)


@router.get("/admin/sources.csv")
async def sources_csv(request: Request, user: Admin) -> Response:
    statuses = await asyncio.to_thread(source_statuses, request.app.state.settings)
    return csv_download(request, "sources", SOURCE_COLUMNS, [vars(s) for s in statuses])
