"""The OpenAI chat-completions shape: reading a request, writing a completion, a stream chunk or an error.

    request = read_completion_request(body, settings)   # OpenAIError (400) for anything we cannot honour
    request.earlier, request.question                    # earlier user messages, and the one to answer
    completion_body(result_body, model)                  # {"object": "chat.completion", "choices": [...]}

Only what the answer pipeline can honour is accepted: one choice, no tools or functions, plain text out.
Sampling settings (temperature, top_p, max_tokens, ...) are accepted and ignored, because answers come
from the pipeline (quoted sources, or the configured language model with its own settings), not from a
model the client tunes. Anything else is refused by name, as OpenAI itself refuses an unknown argument.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from connector.settings import Settings
from connector.steps.guard import clean_text

# Client settings that cannot change a pipeline answer; accepted so ordinary clients work unchanged.
IGNORED_PARAMETERS = frozenset(
    {
        "temperature", "top_p", "max_tokens", "max_completion_tokens", "presence_penalty",
        "frequency_penalty", "seed", "stop", "user", "metadata", "store", "logit_bias", "service_tier",
        "reasoning_effort", "verbosity", "prompt_cache_key", "safety_identifier",
    }
)  # fmt: skip
ROLES = ("system", "developer", "user", "assistant")
MAX_MESSAGES = 100


class OpenAIError(Exception):
    """An error reported in OpenAI's shape: {"error": {"message", "type", "param", "code"}}."""

    def __init__(
        self,
        status_code: int,
        message: str,
        param: str | None = None,
        code: str | None = None,
        kind: str = "invalid_request_error",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.headers = headers
        self.status_code = status_code
        self.message = message
        self.param = param
        self.code = code
        self.kind = kind

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.kind, "param": self.param, "code": self.code}}


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")  # "name" and other per-message extras are harmless

    role: str
    content: str | list[dict[str, Any]] | None = None


class CompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # checked by name below, so the error can name the field

    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: dict[str, Any] | None = None
    n: int | None = None
    audience: Literal["employer", "learner", "provider"] | None = None  # ours: who is asking
    tools: list[Any] | None = None
    tool_choice: Any = None
    functions: list[Any] | None = None
    function_call: Any = None
    response_format: dict[str, Any] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    parallel_tool_calls: bool | None = None


@dataclass
class Conversation:
    """What the pipeline needs from a request: the earlier user messages and the one to answer."""

    model: str
    earlier: list[str]
    question: str
    audience: str | None
    stream: bool
    include_usage: bool


def read_completion_request(body: bytes, settings: Settings) -> Conversation:
    """Validate an OpenAI chat-completions request; any problem is an OpenAIError naming the parameter."""
    try:
        request = CompletionRequest.model_validate_json(body)
    except ValidationError as error:
        first = error.errors()[0]
        if first["type"] == "json_invalid":
            raise OpenAIError(400, "The request body is not valid JSON.", code="invalid_json") from None
        param = ".".join(str(part) for part in first["loc"]) or None
        raise OpenAIError(400, f"Invalid value for '{param}': {first['msg']}.", param) from None
    _refuse_unsupported(request)
    if request.model != settings.model_id:
        raise OpenAIError(
            404,
            f"The model '{request.model}' does not exist; this service answers as '{settings.model_id}'.",
            "model",
            "model_not_found",
        )
    texts = _user_texts(request.messages, settings.max_message_chars)
    return Conversation(
        model=request.model,
        earlier=texts[:-1],
        question=texts[-1],
        audience=request.audience,
        stream=request.stream,
        include_usage=bool((request.stream_options or {}).get("include_usage")),
    )


def _refuse_unsupported(request: CompletionRequest) -> None:
    for name in request.model_extra or {}:
        if name not in IGNORED_PARAMETERS:
            raise OpenAIError(400, f"Unrecognized request argument supplied: {name}.", name)
    if request.n not in (None, 1):
        raise OpenAIError(400, "Only one choice is produced: 'n' must be 1.", "n")
    refused = {
        "tools": bool(request.tools),
        "functions": bool(request.functions),
        "tool_choice": request.tool_choice not in (None, "none"),
        "function_call": request.function_call not in (None, "none"),
        "response_format": (request.response_format or {}).get("type", "text") != "text",
        "logprobs": bool(request.logprobs),
        "top_logprobs": bool(request.top_logprobs),
        "parallel_tool_calls": bool(request.parallel_tool_calls),
    }
    for name, is_refused in refused.items():
        if is_refused:
            raise OpenAIError(400, f"'{name}' is not supported: answers are plain text from sources.", name)
    if len(request.messages) > MAX_MESSAGES:
        raise OpenAIError(400, f"At most {MAX_MESSAGES} messages are accepted.", "messages")


def _user_texts(messages: list[Message], max_chars: int) -> list[str]:
    """The user messages' text in order; the last message must be the user's."""
    texts: list[str] = []
    for index, message in enumerate(messages):
        if message.role not in ROLES:
            raise OpenAIError(
                400,
                f"Unsupported role '{message.role[:40]}'; use one of: {', '.join(ROLES)}.",
                f"messages.[{index}].role",
            )
        if message.role != "user":
            continue  # system and assistant text: the pipeline keeps its own instructions and answers
        text = clean_text(_text_of(message, index))
        if len(text) > max_chars:
            raise OpenAIError(
                400, f"A message must be at most {max_chars} characters.", f"messages.[{index}].content"
            )
        texts.append(text)
    if not texts or messages[-1].role != "user" or not texts[-1]:
        raise OpenAIError(400, "The last message must be a user message with a question.", "messages")
    return [text for text in texts if text]


def _text_of(message: Message, index: int) -> str:
    if isinstance(message.content, str):
        return message.content
    parts = message.content or []
    if any(part.get("type") != "text" or not isinstance(part.get("text"), str) for part in parts):
        raise OpenAIError(400, "Only text content is supported.", f"messages.[{index}].content")
    return "\n".join(part["text"] for part in parts)


def answer_text(body: dict[str, Any]) -> str:
    """The answer followed by its sources as numbered Markdown links, matching the [n] marks in the text."""
    sources = body["sources"]
    if not sources:
        return body["answer"]
    lines = [f"[{n}] [{s['title']}]({s['url']})" for n, s in enumerate(sources, start=1)]
    return body["answer"] + "\n\nSources:\n" + "\n".join(lines)


def extras(body: dict[str, Any]) -> dict[str, Any]:
    """Our documented extra fields: the sources as data, the outcome and the answer id (for /v1/feedback)."""
    return {"sources": body["sources"], "status": body["status"], "answer_id": body["answer_id"]}


def completion_body(body: dict[str, Any], model: str) -> dict[str, Any]:
    """A whole chat.completion for one pipeline answer (the /v1/chat response body)."""
    text = answer_text(body)
    return {
        "id": f"chatcmpl-{body['answer_id']}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text, "refusal": None, **extras(body)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": usage(text),
    }


def chunk_body(
    completion_id: str, model: str, delta: dict[str, Any], finish: str | None = None
) -> dict[str, Any]:
    """One chat.completion.chunk of a streamed answer."""
    return {
        "id": completion_id,
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}],
    }


def usage(text: str) -> dict[str, int]:
    """Word counts stand in for tokens: no model the client pays for is involved."""
    words = len(text.split())
    return {"prompt_tokens": 0, "completion_tokens": words, "total_tokens": words}


def models_body(settings: Settings) -> dict[str, Any]:
    """GET /v1/models: the one model this service answers as (its area)."""
    return {
        "object": "list",
        "data": [
            {"id": settings.model_id, "object": "model", "created": 0, "owned_by": settings.chamber_name}
        ],
    }
