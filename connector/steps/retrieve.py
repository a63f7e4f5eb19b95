"""Retrieve step: the passages that best match the question; `no_answer` below the relevance floor."""

from __future__ import annotations

from connector.contact import human_route_text
from connector.context import Context
from connector.services import Services
from connector.types import Status

NO_ANSWER_MESSAGE = "I don't have reliable information to answer that."


def no_answer_text(services: Services) -> str:
    return f"{NO_ANSWER_MESSAGE} {human_route_text(services.settings)}"


def run(ctx: Context, services: Services) -> None:
    """Fill ctx.hits; stop with no_answer when nothing is relevant enough to answer from."""
    retriever = services.retriever
    ctx.hits = retriever.search(ctx.query, audience=ctx.audience)
    if not ctx.hits or not retriever.is_relevant(ctx.hits, ctx.query):
        ctx.notes.append("below_relevance_floor")
        ctx.stop(Status.NO_ANSWER, no_answer_text(services))
