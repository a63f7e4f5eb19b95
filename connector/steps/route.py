"""Route step: deterministic handlers (funding tools, course search) answer first when the question is
theirs; everything else falls through to search (retrieve -> compose -> check).

A handler has the signature `handle(ctx, services) -> bool`; True means it answered and set ctx.status,
ctx.answer, ctx.sources, ctx.cards and ctx.slots.
"""

from __future__ import annotations

import copy
import importlib
import logging
from collections.abc import Callable

from connector.context import Context
from connector.services import Services

log = logging.getLogger(__name__)

Handler = Callable[[Context, Services], bool]

# Asked in this order; the first to answer wins. (module, function)
HANDLERS: tuple[tuple[str, str], ...] = (
    ("connector.steps.tools_route", "handle_tools"),
    ("connector.steps.courses_route", "handle_courses"),
)


def load_handlers() -> list[Handler]:
    """The handlers that are installed (a part of the product may be absent)."""
    handlers: list[Handler] = []
    for module_name, function_name in HANDLERS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue
        handlers.append(getattr(module, function_name))
    return handlers


_HANDLERS: list[Handler] | None = None
# A course search that found nothing yields to search when the guides or crawled pages can answer
# ("What will I learn on the Thameside welding course?" when the catalogue does not list it).
YIELDS_WHEN_EMPTY = frozenset({"courses"})
ANSWER_FIELDS = ("status", "answer", "sources", "cards", "slots", "route", "follow_ups")


def _search_can_answer(ctx: Context, services: Services) -> bool:
    hits = services.retriever.search(ctx.query, audience=ctx.audience)
    return bool(hits) and services.retriever.is_relevant(hits, ctx.query)


def run(ctx: Context, services: Services) -> None:
    """Let the first handler that recognises the question answer it; otherwise route to search."""
    global _HANDLERS
    if _HANDLERS is None:
        _HANDLERS = load_handlers()
    for handler in _HANDLERS:
        before = {name: copy.deepcopy(getattr(ctx, name)) for name in ANSWER_FIELDS}
        if handler(ctx, services):
            if ctx.status is None:
                raise RuntimeError(f"{handler.__module__} answered without setting a status")
            if ctx.route in YIELDS_WHEN_EMPTY and not ctx.cards and _search_can_answer(ctx, services):
                ctx.notes.append(f"{ctx.route}_empty_search_answers")
                for name, value in before.items():
                    setattr(ctx, name, value)
                continue
            return
    ctx.route = "search"
