"""JSON error bodies for every failure, and one broad handler that logs an error id (never the body).

FastAPI's default validation handler echoes the input back (and can fail on bytes that are not UTF-8);
ours reports only where and what, never the submitted value.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from connector.errors import IndexUnavailableError
from connector.logs import request_id

log = logging.getLogger(__name__)


class APIError(Exception):
    """An error the API reports as-is: status code, short code and a message for people."""

    def __init__(
        self,
        status_code: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers


def error_body(code: str, message: str, detail: Any = None) -> dict[str, Any]:
    """{"error": short code, "message": for people, "detail": FastAPI-style detail (kept for clients)}."""
    return {"error": code, "message": message, "detail": message if detail is None else detail}


def field_errors(errors: list[Any], prefix: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Pydantic errors as FastAPI's {"loc", "msg", "type"}, without the submitted values."""
    return [
        {
            "loc": [
                *prefix,
                *(part if isinstance(part, int) else str(part) for part in error.get("loc", ())),
            ],
            "msg": str(error.get("msg", "invalid")),
            "type": str(error.get("type", "invalid")),
        }
        for error in errors
    ]


def validation_error(exc: ValidationError | RequestValidationError, prefix: tuple[str, ...] = ()) -> APIError:
    details = field_errors(list(exc.errors()), prefix)
    summary = "; ".join(
        f"{'.'.join(str(p) for p in d['loc'] if p != 'body') or 'body'}: {d['msg']}" for d in details[:5]
    )
    return APIError(422, "invalid_request", f"The request is not valid: {summary}", details)


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, APIError)
    body = error_body(exc.code, exc.message, exc.details or None)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _request_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return await _api_error(request, validation_error(exc))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else "The request could not be handled."
    code = {
        404: "not_found",
        405: "method_not_allowed",
        413: "too_large",
        422: "invalid_request",
        429: "rate_limited",
    }
    body = error_body(code.get(exc.status_code, "http_error"), message, exc.detail)
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


async def _index_unavailable(request: Request, exc: Exception) -> JSONResponse:
    log.warning("index unavailable path=%s reason=%s", request.url.path, exc)
    message = "The search index cannot be reached just now. Please try again shortly."
    return JSONResponse(
        error_body("index_unavailable", message), status_code=503, headers={"Retry-After": "10"}
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    # A connection refused, a server gone mid-query, or a full disk under SQLite: nothing was stored
    # (each write is one transaction), and the client may simply try again later.
    log.warning("database unavailable path=%s error=%s", request.url.path, type(exc).__name__)
    message = (
        "Our records cannot be reached just now, so nothing was stored. Please try again in a few minutes."
    )
    body = error_body("storage_unavailable", message)
    return JSONResponse(body, status_code=503, headers={"Retry-After": "30"})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    error_id = secrets.token_hex(6)
    log.error("request failed error_id=%s path=%s", error_id, request.url.path, exc_info=exc)
    body = error_body("internal_error", "Something went wrong. Please try again later.")
    body["error_id"] = error_id
    # This handler runs outside the request middleware, so it adds the request id header itself.
    # ... and the headers the security middleware adds to every other response.
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
    rid = request_id.get()
    if rid:
        headers["X-Request-ID"] = rid
    return JSONResponse(body, status_code=500, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    """Register the JSON error handlers on the app."""
    app.add_exception_handler(APIError, _api_error)
    app.add_exception_handler(RequestValidationError, _request_validation)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(IndexUnavailableError, _index_unavailable)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(InterfaceError, _database_unavailable)
    app.add_exception_handler(sqlite3.OperationalError, _database_unavailable)  # the course catalogue
    app.add_exception_handler(Exception, _unexpected)


class ErrorOut(BaseModel):
    """The JSON error body every endpoint but /v1/chat/completions sends (that one speaks OpenAI's)."""

    error: str = Field(description="A short code: invalid_json, too_large, rate_limited, not_found, ...")
    message: str = Field(description="What went wrong, for people")
    detail: Any = Field(default=None, description="FastAPI-style detail: the message, or field errors")


def documented(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error responses a route can give, in the shared error shape."""
    # The media type is written out: a route whose own response is HTML still sends its errors as JSON.
    content = {"application/json": {"schema": ErrorOut.model_json_schema()}}
    return {code: {"description": ERROR_DESCRIPTIONS[code], "content": content} for code in codes}


ERROR_DESCRIPTIONS = {
    400: "The body is not valid JSON (or not UTF-8)",
    404: "No such thing",
    413: "The body is over the size limit",
    415: "The body is not JSON",
    422: "A field is missing, unknown or invalid; `detail` names it",
    429: "Too many requests from this client; wait the seconds `Retry-After` gives",
    503: "The service is starting, or a part it needs is unavailable",
}
# Every route that reads a JSON body can refuse it as malformed or too large.
BODY_ERRORS = documented(400, 413, 422)
