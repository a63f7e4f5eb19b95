"""Compose step with a language model (when CONNECTOR_LLM is set): prompts from prompts/*.md, retrieved
text fenced as numbered data, links replaced by tokens, the answer streamed sentence by sentence.

A timeout or any model error falls back to the extractive composer and says so in the log. The check
step afterwards still verifies every citation.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
from langchain_core.messages import HumanMessage, SystemMessage

from connector.context import Context, Source
from connector.links import LinkTokens
from connector.redact import redact_pii
from connector.services import Services
from connector.settings import PROJECT_ROOT
from connector.steps import compose
from connector.types import Hit

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], Awaitable[None]]
PROMPTS_DIR = PROJECT_ROOT / "prompts"
PLACEHOLDER = re.compile(r"\{(\w+)\}")
# Flush streamed text at a line break or sentence end, once brackets are balanced (a link is whole).
FLUSH_AT = re.compile(r"[.!?:\]]\s|\n")
FENCE_TAG = re.compile(r"<\s*/?\s*sources?\b", re.IGNORECASE)
MAX_SOURCES = 5


def load_prompt(name: str, **values: str) -> str:
    """A prompt file with its {placeholders} filled in one pass (inserted text is never re-read)."""
    template = (PROMPTS_DIR / f"{name}.md").read_text(encoding="utf-8")
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), template).strip()


def grouped_sources(hits: list[Hit]) -> list[tuple[Source, str]]:
    """One numbered source per page, with the text of its retrieved passages."""
    pages: dict[str, tuple[Source, list[str]]] = {}
    for hit in hits:
        chunk = hit.chunk
        if chunk.url not in pages and len(pages) == MAX_SOURCES:
            continue
        source, texts = pages.setdefault(chunk.url, (Source(chunk.title, chunk.url, chunk.text[:300]), []))
        texts.append(chunk.text)
    return [(source, "\n\n".join(texts)) for source, texts in pages.values()]


def build_messages(ctx: Context, services: Services, links: LinkTokens) -> tuple[list[Any], list[Source]]:
    """System and user messages; the sources fenced as data with their links tokenised."""
    settings = services.settings
    general = load_prompt("system_general", chamber=settings.chamber_name, area=settings.area_name)
    audience = ctx.audience if ctx.audience in ("employer", "learner", "provider") else None
    system = load_prompt(f"system_{audience}", general=general) if audience else general
    pages = grouped_sources(ctx.hits + ctx.page_hits)  # the best pages' further sections too
    blocks = [
        f'<source id="{n}" title="{_attr(source.title)}">\n{_fenced(text, links)}\n</source>'
        for n, (source, text) in enumerate(pages, start=1)
    ]
    user = load_prompt("answer", question=redact_pii(ctx.query), sources="\n\n".join(blocks))
    return [SystemMessage(system), HumanMessage(user)], [source for source, _ in pages]


def _fenced(text: str, links: LinkTokens) -> str:
    """Passage text safe inside the fence: links tokenised, no tag that could close the fence early."""
    return FENCE_TAG.sub("[source", links.tokenise(text))


def _attr(text: str) -> str:
    return text.replace('"', "'").replace("<", "(").replace(">", ")")


def split_ready(buffer: str) -> tuple[str, str]:
    """(text safe to send now, text to keep buffering)."""
    cut = 0
    for match in FLUSH_AT.finditer(buffer):
        head = buffer[: match.end()]
        if head.count("[") == head.count("]") and head.count("(") == head.count(")"):
            cut = match.end()
    return buffer[:cut], buffer[cut:]


async def stream_answer(
    llm: Any, messages: list[Any], links: LinkTokens, max_chars: int
) -> AsyncIterator[str]:
    """The model's answer as safe pieces (links restored or removed), stopping at max_chars."""
    buffer, total = "", 0
    async for chunk in llm.astream(messages):
        buffer += chunk.text if hasattr(chunk, "text") else str(chunk.content)
        ready, buffer = split_ready(buffer)
        if ready:
            total += len(ready)
            yield links.restore(ready)
        if total + len(buffer) > max_chars:
            return
    if buffer:
        yield links.restore(buffer)


async def run(ctx: Context, services: Services, emit: Emit | None = None) -> None:
    """Compose with the model; on timeout or error, fall back to the extractive composer."""
    links = LinkTokens()
    messages, sources = build_messages(ctx, services, links)
    pieces: list[str] = []
    try:
        async with asyncio.timeout(services.settings.llm_timeout_seconds):
            async for piece in stream_answer(
                services.llm, messages, links, services.settings.max_answer_chars
            ):
                pieces.append(piece)
                if emit is not None:
                    await emit("delta", {"text": piece})
    except Exception as error:  # any model failure: the extractive answer is still a good answer
        log.warning("llm compose failed, using extractive answer reason=%s", type(error).__name__)
        ctx.notes.append(f"llm_fallback={type(error).__name__}")
        await anyio.to_thread.run_sync(compose.run, ctx, services)
        return
    ctx.answer = "".join(pieces).strip()
    ctx.sources = sources
    ctx.follow_ups = compose.suggest_follow_ups(ctx.hits, sources)
