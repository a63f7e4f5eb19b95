"""Route step: deterministic handlers (funding tools, course search) answer first when the question is
theirs; everything else falls through to search (retrieve -> compose -> check).

A handler has the signature `handle(ctx, services) -> bool`; True means it answered and set ctx.status,
ctx.answer, ctx.sources, ctx.cards and ctx.slots.
"""

from __future__ import annotations

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


def run(ctx: Context, services: Services) -> None:
    """Let the first handler that recognises the question answer it; otherwise route to search."""
    global _HANDLERS
    if _HANDLERS is None:
        _HANDLERS = load_handlers()
    for handler in _HANDLERS:
        if handler(ctx, services):
            if ctx.status is None:
                raise RuntimeError(f"{handler.__module__} answered without setting a status")
            return
    ctx.route = "search"
