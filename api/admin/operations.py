"""The admin's pages that act: enquiries with their emails (resend), sources (re-crawl one).

GET  /admin/enquiries                 enquiries, newest first, each email's delivery state
POST /admin/emails/{id}/resend        queue one email again (CSRF-checked)
GET  /admin/sources                   per source: last crawl, pages, passages, failures
POST /admin/sources/recrawl           re-crawl one configured source in the background (CSRF-checked)
"""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Request, Response

from api.admin.parts import admin_database, answer_services
from api.admin.recrawl import claim_recrawl, recrawl_states, run_recrawl
from api.admin.render import back_to, checked_form, page, require_admin
from connector.enquiries import Enquiry, EnquiryStore
from connector.outbox import Outbox, OutboxEmail
from connector.source_status import SourceStatus, source_statuses

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)

Admin = Annotated[str, Depends(require_admin)]
ENQUIRIES_SHOWN = 200


def provider_names(enquiry: Enquiry) -> list[dict[str, Any]]:
    """Each matched provider's name and whether it has an email to send to (a provider without one is
    shown, never silently dropped)."""
    return [
        {"name": str(p.get("name") or p.get("id") or "(unnamed provider)"), "has_email": bool(p.get("email"))}
        for p in enquiry.providers
    ]


def enquiries_with_emails(database: Any) -> list[tuple[Enquiry, list[OutboxEmail]]]:
    outbox = Outbox(database)
    return [(e, outbox.for_enquiry(e.reference)) for e in EnquiryStore(database).recent(ENQUIRIES_SHOWN)]


@router.get("/admin/enquiries")
async def enquiries_page(request: Request, user: Admin) -> Response:
    database = admin_database(request)
    found = await asyncio.to_thread(enquiries_with_emails, database)
    counts = await asyncio.to_thread(Outbox(database).counts)
    rows = [{"enquiry": e, "emails": emails, "providers": provider_names(e)} for e, emails in found]
    return page(request, "enquiries.html", rows=rows, counts=counts)


@router.post("/admin/emails/{email_id}/resend")
async def resend_email(request: Request, email_id: int, user: Admin) -> Response:
    await checked_form(request)
    try:
        await asyncio.to_thread(Outbox(admin_database(request)).resend, email_id)
    except KeyError:
        return page(
            request, "message.html", 404, title="No such email", message="That email is not in the outbox."
        )
    log.info("admin resend email_id=%d user=%s", email_id, user)
    return back_to(request, f"/admin/enquiries#email-{email_id}")


@router.get("/admin/sources")
async def sources_page(request: Request, user: Admin) -> Response:
    statuses: list[SourceStatus] = await asyncio.to_thread(source_statuses, request.app.state.settings)
    return page(request, "sources.html", statuses=statuses, recrawls=recrawl_states(request.app.state))


@router.post("/admin/sources/recrawl")
async def recrawl(request: Request, user: Admin, background: BackgroundTasks) -> Response:
    form = await checked_form(request)
    settings = request.app.state.settings
    name = form.get("source", "")
    configured = await asyncio.to_thread(source_statuses, settings)
    if name not in {s.name for s in configured if s.configured}:
        return page(
            request,
            "message.html",
            404,
            title="No such source",
            message="Only a source listed in sources.yaml can be re-crawled.",
        )
    if not claim_recrawl(request.app.state, name, user):
        return page(
            request,
            "message.html",
            409,
            title="A re-crawl is running",
            message="Wait for the running re-crawl to finish, then try again.",
        )
    services = answer_services(request)
    background.add_task(
        run_recrawl, request.app.state, settings, name, services.embedder if services else None
    )
    return back_to(request, "/admin/sources")
