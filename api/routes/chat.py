"""POST /v1/chat: a grounded, cited answer as JSON, or streamed as server-sent events.

    curl -s localhost:8000/v1/chat -H 'Content-Type: application/json' \\
         -d '{"message": "Can we transfer unused levy?", "audience": "employer"}'

Streaming (`"stream": true` or `Accept: text/event-stream`) sends `event: NAME` + `data: JSON`:
status {"stage"} -> delta {"text"}... -> sources {"sources"} -> cards {"cards"} -> done {full response};
`reset` {} (discard the text so far; the next deltas carry the final answer) and `error` {"message",
"error_id"} can also occur. A client that disconnects cancels the work.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictStr, ValidationError
from sse_starlette import EventSourceResponse

from api.errors import APIError, documented, validation_error
from api.rate_limits import enforce
from connector.contact import human_contact
from connector.pipeline import Result, ask
from connector.services import Services
from connector.steps.guard import clean_text

log = logging.getLogger(__name__)
router = APIRouter(tags=["chat"])


class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: StrictStr = Field(
        description="The question, in plain words.", examples=["How does the levy work?"]
    )
    audience: Literal["employer", "learner", "provider"] | None = Field(
        default=None, description="Who is asking."
    )
    session_id: str | None = Field(default=None, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
    stream: StrictBool = Field(default=False, description="Stream the answer as server-sent events.")


class SourceOut(BaseModel):
    title: str
    url: str
    snippet: str


class ContactOut(BaseModel):
    name: str
    email: str
    phone: str
    url: str
    careers_url: str


class ChatResponse(BaseModel):
    answer: str
    status: Literal["answered", "no_answer", "refused"]
    sources: list[SourceOut]
    session_id: str
    answer_id: str
    cards: list[dict[str, Any]]
    follow_ups: list[str]
    contact: ContactOut
    route: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The answer as JSON; or, when streaming, as server-sent events ending in `done`",
        "content": {"text/event-stream": {}},
    },
    **documented(400, 413, 415, 422, 429, 503),
}


def absolute(url: str, base_url: str) -> str:
    """A root-relative URL ("/corpus/levy-transfers") made absolute, so it works from a widget elsewhere."""
    return base_url + url if url.startswith("/") and not url.startswith("//") else url


def _absolute_card(card: dict[str, Any], base_url: str) -> dict[str, Any]:
    card = dict(card)
    if isinstance(card.get("url"), str):
        card["url"] = absolute(card["url"], base_url)
    if isinstance(card.get("sources"), list):
        card["sources"] = [
            {**s, "url": absolute(s["url"], base_url)}
            if isinstance(s, dict) and isinstance(s.get("url"), str)
            else s
            for s in card["sources"]
        ]
    return card


def response_body(result: Result, services: Services, base_url: str) -> dict[str, Any]:
    """The public JSON response for one answer."""
    ctx = result.ctx
    return {
        "answer": ctx.answer,
        "status": str(ctx.status),
        "sources": [
            {"title": s.title, "url": absolute(s.url, base_url), "snippet": s.snippet} for s in ctx.sources
        ],
        "session_id": ctx.session_id,
        "answer_id": result.answer_id,
        "cards": [_absolute_card(card, base_url) for card in ctx.cards],
        "follow_ups": ctx.follow_ups,
        "contact": human_contact(services.settings),
        "route": ctx.route,
    }


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refusing (413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise APIError(413, "too_large", f"The request body must be under {limit} bytes.")
    received = bytearray()
    async for part in request.stream():
        received += part
        if len(received) > limit:
            raise APIError(413, "too_large", f"The request body must be under {limit} bytes.")
    return bytes(received)


def parse_request(body: bytes, content_type: str, max_chars: int) -> ChatRequest:
    """Validate the body; errors name the field and never echo what was sent."""
    if content_type.split(";")[0].strip().lower() != "application/json":
        raise APIError(
            415, "unsupported_media_type", "Send JSON with the header Content-Type: application/json."
        )
    try:
        chat = ChatRequest.model_validate_json(body)
    except ValidationError as error:
        if any(e["type"] == "json_invalid" for e in error.errors()):
            raise APIError(400, "invalid_json", "The request body is not valid JSON.") from None
        raise validation_error(error, prefix=("body",)) from None
    message = clean_text(chat.message)
    if not message:
        raise _message_error('Ask a question, for example "What funding is there for apprenticeships?"')
    if len(message) > max_chars:
        raise _message_error(f"The message must be at most {max_chars} characters.")
    return chat.model_copy(update={"message": message})


def _message_error(text: str) -> APIError:
    detail = [{"loc": ["body", "message"], "msg": text, "type": "value_error"}]
    return APIError(422, "invalid_request", text, detail)


def services_of(request: Request) -> Services:
    services = getattr(request.app.state, "services", None)
    if services is None:
        raise APIError(503, "not_ready", "The service is not ready yet. Please try again shortly.")
    return services


@router.post(
    "/v1/chat",
    response_model=ChatResponse,
    responses=ERROR_RESPONSES,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": ChatRequest.model_json_schema()}},
        }
    },
    summary="Ask a question; get a cited answer (JSON, or server-sent events when streaming)",
)
async def chat(request: Request) -> Any:
    enforce(request, "chat")
    services = services_of(request)
    settings = services.settings
    body = await read_body(request, settings.max_body_bytes)
    chat_request = parse_request(body, request.headers.get("content-type", ""), settings.max_message_chars)
    base_url = str(request.base_url).rstrip("/")
    if chat_request.stream or "text/event-stream" in request.headers.get("accept", ""):
        return EventSourceResponse(
            event_stream(services, chat_request, base_url),
            ping=15,
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    result = await ask(services, chat_request.message, chat_request.audience, chat_request.session_id)
    return JSONResponse(response_body(result, services, base_url))


async def event_stream(services: Services, chat: ChatRequest, base_url: str) -> AsyncIterator[dict[str, str]]:
    """Run the pipeline in a task and relay its events; if the client goes away, cancel the task."""
    queue: asyncio.Queue[tuple[str, dict[str, Any]] | None] = asyncio.Queue()

    async def emit(event: str, data: dict[str, Any]) -> None:
        await queue.put((event, data))

    async def produce() -> None:
        try:
            result = await ask(services, chat.message, chat.audience, chat.session_id, emit=emit)
            body = response_body(result, services, base_url)
            await emit("sources", {"sources": body["sources"]})
            await emit("cards", {"cards": body["cards"]})
            await emit("done", body)
        except Exception as error:  # the stream has started: report it as an event, with an id for the logs
            error_id = secrets.token_hex(6)
            log.error("chat stream failed error_id=%s", error_id, exc_info=error)
            await emit(
                "error", {"message": "Something went wrong. Please try again later.", "error_id": error_id}
            )
        finally:
            await queue.put(None)

    task = asyncio.create_task(produce())
    task.add_done_callback(lambda t: t.cancelled() or t.exception())
    try:
        while (item := await queue.get()) is not None:
            yield {"event": item[0], "data": json.dumps(item[1], ensure_ascii=False)}
    finally:
        if not task.done():
            task.cancel()
            log.info("chat stream closed by the client; work cancelled")
