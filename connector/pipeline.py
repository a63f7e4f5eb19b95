"""The answer pipeline: guard -> followup -> route -> retrieve -> compose -> check -> offer, over one
Context.

    services = Services.build(settings)
    result = await ask(services, "Can we transfer unused levy?", audience="employer")
    result.ctx.status, result.ctx.answer, result.ctx.sources

Each step is a function of (ctx, services) that may end the run by setting a status; the list below is
the only place the order appears. `emit` (optional) receives streaming events: status, delta, reset.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import anyio
from sqlalchemy.exc import SQLAlchemyError

from connector import metrics
from connector.admission import answer_slot
from connector.context import Context, Turn
from connector.conversation import topic_after
from connector.services import Services
from connector.steps import check, compose, compose_llm, followup, guard, offer, retrieve, route

log = logging.getLogger(__name__)

Emit = Callable[[str, dict[str, Any]], Awaitable[None]]


async def compose_answer(ctx: Context, services: Services, emit: Emit | None = None) -> None:
    """The language model when one is configured, else the extractive composer."""
    if emit is not None:
        await emit("status", {"stage": "composing"})
    if services.llm is not None:
        await compose_llm.run(ctx, services, emit)
    else:
        await anyio.to_thread.run_sync(compose.run, ctx, services)


STEPS: tuple[tuple[str, Callable[..., Any]], ...] = (
    ("guard", guard.run),
    ("followup", followup.run),
    ("route", route.run),
    ("retrieve", retrieve.run),
    ("compose", compose_answer),
    ("check", check.run),
    ("offer", offer.run),
)
# Steps that run even after an earlier one set a status: a tool's offer follows the answer, or stands in
# for a decline.
FINAL_STEPS = frozenset({"offer"})
# Steps cheap enough to run on the event loop; the others (model, index) run in a worker thread.
# The follow-up step embeds the message when there is a conversation, so it runs in a worker thread.
INLINE_STEPS = frozenset({"guard", "check", "offer"})


async def run_steps(ctx: Context, services: Services, emit: Emit | None = None) -> Context:
    """Run the steps in order until one sets a status; record each step's time in ctx.timings (ms)."""
    for name, step in STEPS:
        if ctx.stopped and name not in FINAL_STEPS:
            continue
        started = time.perf_counter()
        if inspect.iscoroutinefunction(step):
            await step(ctx, services, emit)
        elif name in INLINE_STEPS:
            step(ctx, services)
        else:
            await anyio.to_thread.run_sync(step, ctx, services)
        ctx.timings[name] = (time.perf_counter() - started) * 1000
    return ctx


# Asked once when a server starts (`warm_up`); any question that reaches the search would do.
WARM_UP_QUESTION = "Which courses and apprenticeships are there, and who can apply?"


def warm_up(services: Services) -> float:
    """Run one question through routing, search, the extractive composer and the answer check before the
    server takes requests, and return how long it took (ms). What loads on first use (the index's search
    structures, the embedding runtime's first pass, the lexical index's arrays) then loads here, not while
    the first users wait: under load a process's first answers took about a second. Nothing is stored,
    counted or sent to a language model."""
    started = time.perf_counter()
    route.run(Context(question=WARM_UP_QUESTION), services)
    ctx = Context(question=WARM_UP_QUESTION)  # the search path, whatever the route chose
    retrieve.run(ctx, services)
    if ctx.hits:
        compose.run(ctx, services)
        check.run(ctx, services)
    return (time.perf_counter() - started) * 1000


@dataclass
class Result:
    ctx: Context
    answer_id: str


class StreamText:
    """Tracks the text already streamed so the final answer can be reconciled with it."""

    def __init__(self, emit: Emit | None) -> None:
        self.emit = emit
        self.sent = ""

    async def __call__(self, event: str, data: dict[str, Any]) -> None:
        if event == "delta":
            self.sent += data["text"]
        if self.emit is not None:
            await self.emit(event, data)

    async def finish(self, answer: str) -> None:
        """Make the streamed text equal the final answer: send what is missing from its end, or reset and
        resend if it changed."""
        if self.emit is None or self.sent == answer:
            return
        if self.sent and answer.startswith(self.sent):
            await self.emit("delta", {"text": answer[len(self.sent) :]})
            self.sent = answer
            return
        if self.sent:
            await self.emit("reset", {})
        await self.emit("delta", {"text": answer})
        self.sent = answer


async def ask(
    services: Services,
    message: str,
    audience: str | None = None,
    session_id: str | None = None,
    emit: Emit | None = None,
    *,
    record_question: bool = True,
) -> Result:
    """Answer one message in a session: run the steps, remember the turn, log one line.

    `record_question=False` keeps the turn in the session but out of the staff's question records (a
    conversation replayed from a client's message list was recorded when it was first asked)."""
    started = time.perf_counter()
    async with answer_slot(services.settings.max_concurrent_answers):
        queued_ms = (time.perf_counter() - started) * 1000
        ctx = await anyio.to_thread.run_sync(_recall, services, message, audience, session_id)
        ctx.timings["queued"] = queued_ms  # waiting for an answer slot (connector/admission.py)
        stream = StreamText(emit)
        if emit is not None:
            await emit("status", {"stage": "retrieving"})
        await run_steps(ctx, services, stream)
        await stream.finish(ctx.answer)
        result = Result(ctx=ctx, answer_id=secrets.token_urlsafe(12))
        await anyio.to_thread.run_sync(_remember, services, result, record_question)
    _log_request(ctx, (time.perf_counter() - started) * 1000)
    return result


def ask_sync(
    services: Services, message: str, audience: str | None = None, session_id: str | None = None
) -> Result:
    """`ask` for the command line and the evaluation."""
    return asyncio.run(ask(services, message, audience, session_id))


def _recall(services: Services, message: str, audience: str | None, session_id: str | None) -> Context:
    # Sessions are stored in the database: read off the event loop, like _remember writes.
    sessions = services.sessions
    if sessions is None:
        return Context(question=message, audience=audience, session_id=session_id or "")
    try:
        session_id, history = sessions.history(session_id)
        topic = sessions.topic(session_id)
    except SQLAlchemyError as error:
        # The database is down: answer the question on its own rather than not at all.
        log.warning("conversation not recalled, database unavailable error=%s", type(error).__name__)
        return Context(question=message, audience=audience, session_id=session_id or "")
    ctx = Context(question=message, audience=audience, session_id=session_id, history=history)
    ctx.topic = topic
    return ctx


async def ask_after(
    services: Services,
    earlier: list[str],
    message: str,
    audience: str | None = None,
    emit: Emit | None = None,
) -> Result:
    """Answer `message` as the next turn after the `earlier` user messages of a conversation a client
    keeps itself (the OpenAI chat shape): the earlier ones are asked again in a fresh session, so the
    follow-up step sees the same topic it would have after those turns on /v1/chat."""
    session_id: str | None = None
    for question in earlier[-services.settings.session_max_turns :]:
        replayed = await ask(services, question, audience, session_id, record_question=False)
        session_id = replayed.ctx.session_id or None
    return await ask(services, message, audience, session_id, emit=emit)


def _remember(services: Services, result: Result, record_question: bool = True) -> None:
    try:
        _store_turn(services, result, record_question)
    except SQLAlchemyError as error:
        # The answer is already given (or streamed): a database outage costs this turn's record, not it.
        log.warning("turn not stored, database unavailable error=%s", type(error).__name__)
        metrics.UNSTORED_TURNS.inc()


def _store_turn(services: Services, result: Result, record_question: bool) -> None:
    ctx = result.ctx
    if services.sessions is not None and ctx.route != "guard":
        # A request for more keeps the conversation where it was: no turn, the same topic.
        turn = None
        if ctx.route != followup.CLARIFY_ROUTE:
            pages = [source.url for source in ctx.sources] if ctx.route == "search" else []
            turn = Turn(ctx.query, ctx.answer, route=ctx.route, slots=dict(ctx.slots), pages=pages)
        services.sessions.append(ctx.session_id, turn, topic_after(ctx, ctx.topic))
    if services.questions is not None and record_question:
        services.questions.record(ctx, result.answer_id)


def _log_request(ctx: Context, total_ms: float) -> None:
    metrics.ANSWERS.labels(status=str(ctx.status), route=ctx.route or "-").inc()
    steps = ",".join(f"{name}:{ms:.0f}" for name, ms in ctx.timings.items())
    log.info(
        "chat status=%s route=%s audience=%s hits=%d sources=%d ms=%.0f steps=%s notes=%s",
        ctx.status,
        ctx.route,
        ctx.audience or "-",
        len(ctx.hits),
        len(ctx.sources),
        total_ms,
        steps,
        ",".join(ctx.notes) or "-",
    )
