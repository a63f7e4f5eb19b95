"""Route step: decides once where a question goes, by meaning: a funding tool, the course finder, or
search (retrieve -> compose -> check).

    run(ctx, services)   # ctx.route: "levy", "apprentice_cost", "eligibility", "loan", "courses", "search"

In order:
1. A reply to the bot's own question ("35" after "How old are you?", "yes", "2022") goes back to the
   tool that asked, with the slot filled (connector/steps/tools_route.py).
2. Otherwise the question's nearest example questions (corpus/routes.yaml, connector/routing.py) say
   which route it means. A tool then reads its inputs from the question and answers, or asks for the
   first missing one. The course finder answers with the filters it can read; it proposes nothing when
   the catalogue has nothing of the kind, and the question goes to search.
3. A short refinement of the last course search ("and part-time?") stays with the course finder unless
   it means a tool.
Nothing is answered and then undone, and nothing here retrieves: search runs once, in the next step.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from connector.context import Context
from connector.routing import SEARCH, RouteChoice, Router
from connector.services import Services
from connector.steps import courses_route, tools_route

log = logging.getLogger(__name__)

_ROUTER_LOCK = threading.Lock()


def router_for(services: Services) -> Router:
    """The meaning router, built from the product's embedder once and kept with the services."""
    with _ROUTER_LOCK:
        router = services.extras.get("router")
        if router is None:
            router = services.extras["router"] = Router.build(services.embedder)
        return router


def _vector(services: Services, text: str) -> Sequence[float]:
    # The retriever's cache: search embeds the same question next, and finds it already done.
    retriever = services.retriever
    return retriever.vectors.one(text) if retriever is not None else services.embedder.embed_query(text)


def choose(ctx: Context, services: Services, text: str) -> RouteChoice:
    """Where `text` goes by meaning alone."""
    return router_for(services).choose(_vector(services, text))


def run(ctx: Context, services: Services) -> None:
    """Set ctx.route, and the answer when a tool or the course finder gives it."""
    choice = choose(ctx, services, ctx.query)
    ctx.notes.append(f"meaning={choice.voted}:{choice.similarity:.2f}")
    message = choice if ctx.query == ctx.question else choose(ctx, services, ctx.question)
    reply = tools_route.reply_inputs(ctx, message.route)
    if reply is not None:
        tools_route.propose(ctx, *reply)
        return
    if choice.route in tools_route.TOOLS:
        tools_route.propose(ctx, choice.route)
        return
    wants_courses = choice.route == courses_route.ROUTE
    if courses_route.handle_courses(ctx, services, chosen=wants_courses):
        return
    ctx.route = SEARCH
    log.debug("route search voted=%s similarity=%.2f", choice.voted, choice.similarity)
