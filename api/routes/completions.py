"""The OpenAI-compatible endpoint: chat front ends and assistants that speak OpenAI's chat-completions
API get the same answers as /v1/chat.

    curl -s localhost:8000/v1/chat/completions -H 'Content-Type: application/json' -d \\
         '{"model": "skills-connector-essex", "messages": [{"role": "user", "content": "What is a levy?"}]}'

    GET /v1/models -> {"object": "list", "data": [{"id": "skills-connector-essex", ...}]}

The last user message is answered by the pipeline; earlier user messages are replayed as the conversation
(connector.pipeline.ask_after). With "stream": true the answer comes as chat.completion.chunk events
ending in `data: [DONE]`. The text is streamed once the answer has passed the check step, so a streamed
answer never has to be taken back (OpenAI's stream has no way to say "discard that").
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sse_starlette import EventSourceResponse

from api.errors import APIError
from api.openai_shape import (
    CompletionRequest,
    Conversation,
    OpenAIError,
    answer_text,
    chunk_body,
    completion_body,
    extras,
    models_body,
    read_completion_request,
    usage,
)
from api.rate_limits import enforce
from api.routes.chat import response_body
from connector.api_keys import key_is_accepted
from connector.pipeline import ask_after
from connector.services import Services
from connector.settings import Settings

log = logging.getLogger(__name__)
router = APIRouter(tags=["openai-compatible"])
# Words per streamed piece: small enough to read as it arrives, large enough to keep the events few.
WORDS_PER_CHUNK = 8


def _check_key(request: Request, settings: Settings) -> None:
    if not key_is_accepted(request.headers.get("authorization"), settings):
        raise OpenAIError(
            401,
            "Missing or wrong API key: send the header Authorization: Bearer <key>.",
            code="invalid_api_key",
        )


def _check_rate(request: Request) -> None:
    """The chat's limits per client, reported in OpenAI's shape (clients back off on its 429)."""
    try:
        enforce(request, "chat")
    except APIError as error:
        raise OpenAIError(
            429, error.message, code="rate_limit_exceeded", kind="requests", headers=error.headers
        ) from None


def _services(request: Request) -> Services:
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise OpenAIError(503, "The service is not ready yet. Please try again shortly.", kind="server_error")
    return services


async def _read_limited(request: Request, limit: int) -> bytes:
    received = bytearray()
    async for part in request.stream():
        received += part
        if len(received) > limit:
            # 400, as OpenAI answers a request too big to take (most often a huge message list).
            message = f"The request body must be under {limit} bytes: send fewer or shorter messages."
            raise OpenAIError(400, message, "messages", "request_too_large")
    return bytes(received)


@router.get("/v1/models", summary="The model this service answers as (OpenAI shape)")
async def list_models(request: Request) -> Any:
    settings: Settings = request.app.state.settings
    try:
        _check_key(request, settings)
    except OpenAIError as error:
        return JSONResponse(error.body(), status_code=error.status_code)
    return models_body(settings)


class OpenAIErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None
    code: str | None


class OpenAIErrorOut(BaseModel):
    """OpenAI's error shape, which its client libraries read."""

    error: OpenAIErrorDetail


def _openai_errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": OpenAIErrorOut, "description": OPENAI_ERRORS[code]} for code in codes}


OPENAI_ERRORS = {
    400: "The request is malformed, too large or asks for something not supported; `param` names it",
    401: "Missing or wrong API key (only when CONNECTOR_API_KEYS is set)",
    404: "No such model (`model_not_found`)",
    429: "Too many questions from this client; wait the seconds `Retry-After` gives",
    503: "The service is starting, or a part it needs is unavailable",
}


@router.post(
    "/v1/chat/completions",
    summary="OpenAI-compatible chat completions, plain and streaming, answered by the same pipeline",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": CompletionRequest.model_json_schema()}},
        }
    },
    responses={
        200: {
            "description": "A chat.completion object; or, when streaming, chat.completion.chunk events",
            "content": {"application/json": {}, "text/event-stream": {}},
        },
        **_openai_errors(400, 401, 404, 429, 503),
    },
)
async def chat_completions(request: Request) -> Any:
    settings: Settings = request.app.state.settings
    try:
        _check_key(request, settings)
        _check_rate(request)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise OpenAIError(400, "Send JSON with the header Content-Type: application/json.")
        body = await _read_limited(request, settings.completions_max_body_bytes)
        conversation = read_completion_request(body, settings)
        services = _services(request)
    except OpenAIError as error:
        return JSONResponse(error.body(), status_code=error.status_code, headers=error.headers)
    base_url = str(request.base_url).rstrip("/")
    if conversation.stream:
        return EventSourceResponse(
            completion_chunks(services, conversation, base_url),
            ping=15,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    try:
        result = await ask_after(services, conversation.earlier, conversation.question, conversation.audience)
    except Exception as error:  # one broad catch at the top of the request, reported in OpenAI's shape
        failure = _server_error(error)
        return JSONResponse(failure.body(), status_code=failure.status_code)
    return JSONResponse(completion_body(response_body(result, services, base_url), conversation.model))


def _server_error(error: Exception) -> OpenAIError:
    """Log the failure with an id; the client gets the id, never the details."""
    error_id = secrets.token_hex(6)
    log.error("completion failed error_id=%s", error_id, exc_info=error)
    message = f"Something went wrong. Please try again later. (Reference: {error_id})"
    return OpenAIError(500, message, kind="server_error", code="internal_error")


async def completion_chunks(
    services: Services, conversation: Conversation, base_url: str
) -> AsyncIterator[dict[str, str]]:
    """The answer as chat.completion.chunk events: the role at once, the checked text in pieces, then the
    sources and the finish reason, usage when asked for, and [DONE]."""
    completion_id = "chatcmpl-" + secrets.token_urlsafe(12)
    model = conversation.model

    def event(data: dict[str, Any]) -> dict[str, str]:
        return {"data": json.dumps(data, ensure_ascii=False)}

    yield event(chunk_body(completion_id, model, {"role": "assistant", "content": ""}))
    try:
        result = await ask_after(services, conversation.earlier, conversation.question, conversation.audience)
        body = response_body(result, services, base_url)
    except Exception as error:  # the stream has started: report it in OpenAI's error shape
        yield event(_server_error(error).body())
        yield {"data": "[DONE]"}
        return
    text = answer_text(body)
    for piece in text_pieces(text):
        yield event(chunk_body(completion_id, model, {"content": piece}))
    yield event(chunk_body(completion_id, model, extras(body), finish="stop"))
    if conversation.include_usage:
        yield event({**chunk_body(completion_id, model, {}), "choices": [], "usage": usage(text)})
    yield {"data": "[DONE]"}


def text_pieces(text: str) -> list[str]:
    """The text cut after every few words, whitespace kept, so the pieces join to exactly the text."""
    pieces: list[str] = []
    start = count = 0
    for index, char in enumerate(text):
        if char.isspace() and index > 0 and not text[index - 1].isspace():
            count += 1
            if count % WORDS_PER_CHUNK == 0:
                pieces.append(text[start:index])
                start = index
    pieces.append(text[start:])
    return [piece for piece in pieces if piece]
