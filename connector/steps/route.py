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
from connector.courses.subjects import subjects_in_text
from connector.courses.understand import COURSE_DETAIL
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
ANSWER_FIELDS = ("status", "answer", "sources", "cards", "slots", "route", "follow_ups")


def _search_can_answer(ctx: Context, services: Services, crawled_only: bool = False) -> bool:
    """Search clears the relevance floor, or one of its top sentences is a strong match (and, with
    crawled_only, one of its best passages is on a crawled web page rather than in a bundled guide)."""
    retriever = services.retriever
    hits = retriever.search(ctx.query, audience=ctx.audience)
    if not hits or not (
        retriever.is_relevant(hits, ctx.query) or retriever.has_close_sentence(ctx.query, hits)
    ):
        return False
    return not crawled_only or any(hit.chunk.url.startswith(("http://", "https://")) for hit in hits[:3])


def _tool_yields_to_search(ctx: Context, services: Services) -> bool:
    """A funding tool that only asked for a missing input gives way to a crawled provider page about the
    course the question names: "Can I get a free place on AAT level 4?" is answered by the college's
    AAT page, "What would an electrician apprentice cost us?" by its price table. A reply to the tool's
    own question, or a question naming no subject, stays with the tool."""
    asking = _by_a_tool(ctx.route, ctx.slots) and bool(ctx.slots.get("tool_missing"))
    replying = bool(ctx.history) and _by_a_tool(ctx.history[-1].route, ctx.history[-1].slots)
    if not asking or replying or not subjects_in_text(ctx.question):
        return False
    return _search_can_answer(ctx, services, crawled_only=True)


def _by_a_tool(route: str, slots: dict) -> bool:
    """A funding tool answered (it routes under its own name and records it in the slots)."""
    return slots.get("tool") == route


def _yields_to_search(ctx: Context, services: Services) -> bool:
    """A course search gives way to the documents when they answer better: it found nothing ("What will
    I learn on the Thameside welding course?" when the catalogue does not list it); or the question asks
    about one course's details, or found only sample courses, while a crawled provider page answers it
    ("Which day is the welding class?" is on the provider's course page, not in a list of cards)."""
    if ctx.route != "courses":
        return _tool_yields_to_search(ctx, services)
    if not ctx.cards:
        # A follow-up that changed a filter of the finder's search gets the finder's "none found, widen it".
        return "refines_course_finder" not in ctx.notes and _search_can_answer(ctx, services)
    only_samples = all(card.get("sample") for card in ctx.cards)
    if COURSE_DETAIL.search(ctx.question) or only_samples:
        return _search_can_answer(ctx, services, crawled_only=True)
    return False


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
            if _yields_to_search(ctx, services):
                ctx.notes.append(f"{ctx.route}_yield_to_search")
                for name, value in before.items():
                    setattr(ctx, name, value)
                continue
            return
    ctx.route = "search"
