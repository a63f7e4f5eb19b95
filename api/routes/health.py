"""GET /healthz (the process is up) and GET /readyz (it can answer now: model loaded, index open and
non-empty; 503 with the reason otherwise). A ready service whose database cannot be reached or whose
enquiry emails are failing to send says "degraded" and lists the `problems`."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from connector.errors import IndexUnavailableError
from connector.outbox import PENDING, Outbox
from connector.services import Services
from connector.settings import Settings
from ingest.manifest import Manifest

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="Liveness: 200 while the process is running")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def readiness(request: Request) -> tuple[bool, dict[str, Any]]:
    """(ready?, body): the reason names what is missing."""
    services = getattr(request.app.state, "services", None)
    if services is None:
        reason = (
            getattr(request.app.state, "services_error", None) or "starting: the model and index are loading"
        )
        return False, {"status": "unavailable", "reason": reason}
    try:
        chunks = services.store.count()
    except IndexUnavailableError:
        return False, {
            "status": "unavailable",
            "reason": "index unreachable: the Chroma server does not answer",
        }
    except Exception as error:  # the index could not be read: not ready, and say why
        return False, {"status": "unavailable", "reason": f"index unreadable: {type(error).__name__}"}
    info = {
        "area": services.settings.area,
        "chunks": chunks,
        "embedding_model": services.embedder.name,
        "index_version": services.store.index_version(),
        **index_age(services.store.index_version()),
        "last_ingest_finished": last_ingest(services.settings),
        "llm": services.settings.llm or None,
    }
    problems = storage_problems(services)
    if problems:
        info = {**info, "problems": problems}
    if chunks == 0:
        return False, {
            "status": "unavailable",
            "reason": "the index is empty: run `connector ingest`",
            **info,
        }
    missing = missing_contact(services.settings)
    if missing:
        return False, {"status": "unavailable", "reason": missing, **info}
    # Degraded: questions are answered, but a part around them (storage, email) needs attention.
    return True, {"status": "degraded" if problems else "ready", **info}


def storage_problems(services: Services) -> list[str]:
    """What is wrong beside answering: the product's database unreachable, enquiry emails not going."""
    database = services.database
    if database is None:
        return []
    try:
        with database.begin() as conn:
            conn.execute(text("SELECT 1"))
        counts = Outbox(database).counts() if services.settings.smtp_configured else {}
        send_error = Outbox(database).last_send_error() if counts.get(PENDING) else None
    except SQLAlchemyError as error:
        # The driver's error type only: its message names the database's host, and /readyz is public.
        kind = type(getattr(error, "orig", None) or error).__name__
        return [
            f"database unreachable ({kind}): enquiries and feedback cannot be stored, "
            "answers go on without conversation memory or question records"
        ]
    if send_error:
        return [f"{counts[PENDING]} email(s) waiting to be sent, the last attempt failed: {send_error[:200]}"]
    return []


def missing_contact(settings: Settings) -> str | None:
    """Why the area cannot go live without a human route: declined answers would name nobody to ask."""
    if settings.chamber_contact_email or settings.chamber_contact_phone or settings.chamber_contact_url:
        return None
    where = settings.area_config.folder / "area.yaml"
    return (
        f"area {settings.area!r} has no public contact (email, phone or contact page) in {where}: "
        "add one with its source and run `connector areas`"
    )


def index_age(version: str) -> dict[str, Any]:
    """When the index content last changed and how many seconds ago (the version is that time)."""
    try:
        changed = float(version)
    except ValueError:
        changed = 0.0
    if changed <= 0:
        return {"index_updated_at": None, "index_age_seconds": None}
    updated = datetime.fromtimestamp(changed, UTC).isoformat(timespec="seconds")
    return {"index_updated_at": updated, "index_age_seconds": max(0, round(time.time() - changed))}


def last_ingest(settings: Settings) -> str | None:
    """When the last ingest run into this data dir finished; None with no run here (e.g. the index is
    on a Chroma server filled from another machine: index_updated_at still says how old it is)."""
    path = settings.manifest_path
    if not path.exists():
        return None
    manifest = Manifest.open(path, read_only=True)
    try:
        return manifest.last_finished()
    except sqlite3.Error:
        return None
    finally:
        manifest.close()


@router.get(
    "/readyz",
    summary="Readiness: 200 when questions can be answered, 503 with a reason otherwise",
    responses={503: {"description": "Not ready: `reason` says what is wrong"}},
)
async def readyz(request: Request) -> JSONResponse:
    # In a thread: asking the database must not hold up the requests being answered.
    ready, body = await anyio.to_thread.run_sync(readiness, request)
    return JSONResponse(body, status_code=200 if ready else 503)
