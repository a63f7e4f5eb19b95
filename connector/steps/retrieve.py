"""Retrieve step: the passages that best match the question; `no_answer` below the relevance floor.

Passages that match only the question's names or setting, not what it asks about (its focus words:
"Ofsted", "pass rate", "parking"), are not an answer either: see connector/focus.py.

A short question that finds nothing on its own, asked in a conversation ("what's the smallest amount I
can borrow?"), is tried once more against the previous turn before giving up.
"""

from __future__ import annotations

from connector.contact import human_route_text
from connector.context import Context
from connector.focus import focus_gap
from connector.planted import without_planted_hits
from connector.services import Services
from connector.steps import followup
from connector.types import Status

NO_ANSWER_MESSAGE = "I don't have reliable information to answer that."
# Questions up to this many words may lean on the conversation even without a pronoun.
MAX_CONTEXT_RETRY_WORDS = 10


def no_answer_text(services: Services) -> str:
    return f"{NO_ANSWER_MESSAGE} {human_route_text(services.settings)}"


def search_once(ctx: Context, services: Services) -> None:
    """Fill ctx.hits and ctx.page_hits for ctx.query, unless the route step already did for this query
    (it weighs a page against a tool that could only ask): a question is searched once."""
    if ctx.searched_for == ctx.query:
        return
    follow_up = "follow_up" in ctx.notes and ctx.history
    prefer = ctx.history[-1].pages[:3] if follow_up else []
    hits, page_hits = services.retriever.search_with_pages(ctx.query, audience=ctx.audience, prefer=prefer)
    # Instructions planted in a page never reach a composer, a language model or the check.
    ctx.hits, ctx.page_hits = without_planted_hits(hits), without_planted_hits(page_hits)
    ctx.searched_for = ctx.query


def _search(ctx: Context, services: Services) -> bool:
    """Fill ctx.hits for ctx.query; whether they clear the relevance floor."""
    search_once(ctx, services)
    retriever = services.retriever
    return bool(ctx.hits) and retriever.is_relevant(ctx.hits, follow_up="follow_up" in ctx.notes)


def run(ctx: Context, services: Services) -> None:
    """Fill ctx.hits; stop with no_answer when nothing is relevant enough to answer from."""
    if _search(ctx, services):
        _check_focus(ctx, services)
        return
    short = len(ctx.question.split()) <= MAX_CONTEXT_RETRY_WORDS
    if ctx.history and short and "follow_up" not in ctx.notes:
        topic_question = ctx.topic.question if ctx.topic is not None else ctx.history[-1].question
        ctx.standalone_question = followup.continued(ctx.question, topic_question)
        ctx.notes.append("follow_up")
        if _search(ctx, services):
            return
    elif ctx.hits and services.retriever.has_close_sentence(ctx.query, ctx.hits):
        ctx.notes.append("close_sentence")
        _check_focus(ctx, services)
        return
    ctx.notes.append("below_relevance_floor")
    ctx.stop(Status.NO_ANSWER, no_answer_text(services))


def _check_focus(ctx: Context, services: Services) -> None:
    """Stop with no_answer when the passages match the question's setting, not what it asks about; a
    follow-up's focus is the conversation's, so it is not checked."""
    gap = None if "follow_up" in ctx.notes else focus_gap(ctx.question, ctx.hits, services.retriever.meanings)
    if gap is None:
        return
    ctx.notes.append(f"focus_unsupported:{gap}")
    ctx.stop(Status.NO_ANSWER, no_answer_text(services))
