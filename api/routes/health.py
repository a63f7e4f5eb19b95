"""GET /healthz (the process is up) and GET /readyz (it can answer now: model loaded, index open and
non-empty; 503 with the reason otherwise)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

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
    except Exception as error:  # the index could not be read: not ready, and say why
        return False, {"status": "unavailable", "reason": f"index unreadable: {type(error).__name__}"}
    info = {
        "chunks": chunks,
        "embedding_model": services.embedder.name,
        "index_version": services.store.index_version(),
        "llm": services.settings.llm or None,
    }
    if chunks == 0:
        return False, {
            "status": "unavailable",
            "reason": "the index is empty: run `connector ingest`",
            **info,
        }
    return True, {"status": "ready", **info}


@router.get("/readyz", summary="Readiness: 200 when questions can be answered, 503 with a reason otherwise")
async def readyz(request: Request) -> JSONResponse:
    ready, body = readiness(request)
    return JSONResponse(body, status_code=200 if ready else 503)
