"""Route step: decides once where a question goes, by meaning: a funding tool, the course finder, or
search (retrieve -> compose -> check).

    run(ctx, services)   # ctx.route: "levy", "apprentice_cost", "eligibility", "loan", "courses", "search"

In order:
1. A reply to the bot's own question ("35" after "How old are you?", "yes", "2022") goes back to the
   tool that asked, with the slot filled (connector/steps/tools_route.py).
2. Otherwise the question's nearest example questions (corpus/routes.yaml, connector/routing.py) say
   which route it means; a tool the question gives no figure or fact to work from needs a clearer
   margin over search, as it could only ask. A tool then reads its inputs from the question and
   answers, or asks for the first missing one. The course finder answers with the filters it can
   read; it proposes nothing when the catalogue has nothing of the kind, and the question goes to
   search.
3. A short refinement of the last course search ("and part-time?") stays with the course finder unless
   it means a tool.
A tool or the course finder proposes its answer on a copy of the context and the route decides once: a
proposal that does not answer yet (a course search that found nothing or only sample courses, a tool
that could only ask for a question naming a course) is weighed against the pages with one search, which
the retrieve step reuses. Any other tool that could only ask goes to search with its question kept as an
offer: the pages' answer comes first and the tool's question follows it (connector/steps/offer.py). So
does a tool's working for a question naming a course that a crawled provider page answers.
Nothing is answered and then undone, and no question is searched twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import replace

from connector.context import Context, Offer
from connector.courses.subjects import subjects_in_text
from connector.routing import SEARCH, RouteChoice, Router
from connector.services import Services
from connector.steps import courses_route, retrieve, tools_route

log = logging.getLogger(__name__)

_ROUTER_LOCK = threading.Lock()


def router_for(services: Services) -> Router:
    """The meaning router, built from the product's embedder once and kept with the services."""
    with _ROUTER_LOCK:
        router = services.extras.get("router")
        if router is None:
            router = services.extras["router"] = Router.build(
                services.embedder, cache_dir=services.settings.data_dir / "cache"
            )
        return router


def _vector(services: Services, text: str) -> Sequence[float]:
    # The retriever's cache: search embeds the same question next, and finds it already done.
    retriever = services.retriever
    return retriever.vectors.one(text) if retriever is not None else services.embedder.embed_query(text)


def choose(ctx: Context, services: Services, text: str) -> RouteChoice:
    """Where `text` goes by meaning, and by whether it gives a tool anything to work from."""
    return router_for(services).choose(
        _vector(services, text), states_inputs=lambda route: tools_route.states_inputs(route, text)
    )


def run(ctx: Context, services: Services) -> None:
    """Set ctx.route, and the answer when a tool or the course finder gives it."""
    choice = choose(ctx, services, ctx.query)
    ctx.notes.append(f"meaning={choice.voted}:{choice.similarity:.2f}:{choice.margin:+.2f}")
    message = choice if ctx.query == ctx.question else choose(ctx, services, ctx.question)
    reply = tools_route.reply_inputs(ctx, message.route)
    if reply is not None:
        tools_route.propose(ctx, *reply)  # the answer to the tool's own question goes back to it
        return
    proposal = _proposal(ctx, services, choice.route)
    if proposal is None or _page_answers_better(ctx, services, proposal):
        ctx.route = SEARCH
        return
    if _only_asks(proposal) or _pages_describe_the_course(ctx, services, proposal):
        # The pages answer first; the tool's question, or its working for the asker's own case, follows
        # their answer (connector/steps/offer.py).
        ctx.offer = Offer(
            proposal.route,
            proposal.answer,
            dict(proposal.slots),
            list(proposal.cards),
            list(proposal.sources),
        )
        ctx.route = SEARCH
        return
    for name in ANSWER_FIELDS:
        setattr(ctx, name, getattr(proposal, name))


# What a proposal sets, copied to the context when the route accepts it.
ANSWER_FIELDS = ("route", "status", "answer", "sources", "cards", "slots", "follow_ups", "notes")


def _proposal(ctx: Context, services: Services, chosen: str) -> Context | None:
    """What the chosen tool, or the course finder, would answer, on a copy of the context; None when
    neither has anything to propose."""
    draft = replace(ctx, slots=dict(ctx.slots), notes=list(ctx.notes), cards=[], sources=[], follow_ups=[])
    if chosen in tools_route.TOOLS:
        tools_route.propose(draft, chosen)
        return draft
    wants_courses = chosen == courses_route.ROUTE
    return draft if courses_route.handle_courses(draft, services, chosen=wants_courses) else None


def _page_answers_better(ctx: Context, services: Services, proposal: Context) -> bool:
    """A proposal that does not answer yet gives way to the pages, weighed once with the search the
    retrieve step then reuses: a tool that could only ask, for a question naming a course, gives way to
    a crawled provider page ("Can I get a free place on AAT level 4?" is answered by the college's AAT
    page); a course search that found nothing gives way to any page that answers, and one that found
    only the sample catalogue's courses to a crawled page."""
    if proposal.route in tools_route.TOOLS:
        if not (_only_asks(proposal) and subjects_in_text(ctx.question)):
            return False
        return _search_answers(ctx, services, crawled_only=True)
    if not proposal.cards:
        # A follow-up that changed a filter of the finder's search gets the finder's "none found, widen it".
        refines = "refines_course_finder" in proposal.notes
        return not refines and _search_answers(ctx, services, crawled_only=False)
    if all(card.get("sample") for card in proposal.cards):
        return _search_answers(ctx, services, crawled_only=True)
    return False


def _pages_describe_the_course(ctx: Context, services: Services, proposal: Context) -> bool:
    """A tool that works out the asker's case ("I'm 27: is the AAT Level 3 free for me?") knows the rules,
    not the course: when the question names a kind of course and a crawled provider page answers it, the
    page's fee, dates and entry terms come first."""
    tool = proposal.route in tools_route.TOOLS
    return tool and bool(subjects_in_text(ctx.question)) and _search_answers(ctx, services, crawled_only=True)


def _only_asks(proposal: Context) -> bool:
    """A tool's proposal that works nothing out yet: it asks for an input, with no figure or source."""
    tool = proposal.route in tools_route.TOOLS
    return tool and bool(proposal.slots.get("tool_missing")) and not (proposal.cards or proposal.sources)


def _search_answers(ctx: Context, services: Services, crawled_only: bool) -> bool:
    """Search clears the relevance floor or holds a strongly matching sentence (and, with crawled_only,
    one of its best passages is on a crawled web page rather than in a bundled guide)."""
    retriever = services.retriever
    if retriever is None:
        return False
    retrieve.search_once(ctx, services)
    hits = ctx.hits
    if not hits or not (retriever.is_relevant(hits) or retriever.has_close_sentence(ctx.query, hits)):
        return False
    return not crawled_only or any(hit.chunk.crawled for hit in hits[:3])
