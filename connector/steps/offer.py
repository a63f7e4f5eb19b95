"""Offer step: a funding tool that could only ask for an input, or that works out the asker's own case
for a course the pages describe, is heard after the pages, not instead of them.

"How much does a small employer pay towards an apprentice?" means the apprentice cost tool, but gives it
no price; the toolkit page says "5%". So the route step sends the question to search and keeps the tool's
question as an offer (ctx.offer). Here, last:
- the pages answered: the tool's question follows their answer, and its slots stay pending, so a reply
  ("£9,000") goes to the tool;
- the pages had no answer: the tool's question stands alone, as it did before search was tried.
"I'm 27: is the AAT Level 3 free for me?" gives the eligibility tool all it needs, but the fee and the
loan are on the college's AAT page; its working for the asker follows the page's answer the same way.
Any other outcome (refused, a guard's reply) is left as it is.
"""

from __future__ import annotations

from connector.context import Context
from connector.services import Services
from connector.types import Status


def run(ctx: Context, services: Services) -> None:
    offer = ctx.offer
    if offer is None:
        return
    if ctx.status is Status.ANSWERED:
        ctx.answer = f"{ctx.answer}\n\n{offer.answer}"
        ctx.slots = {**ctx.slots, **offer.slots}
        # The page answer's citation marks number its own sources, so the tool's come after them.
        ctx.sources = [*ctx.sources, *offer.sources]
        ctx.cards = [*ctx.cards, *offer.cards]
        ctx.notes.append(f"offer_after_pages={offer.route}")
    elif ctx.status is Status.NO_ANSWER:
        ctx.route, ctx.status, ctx.answer, ctx.slots = offer.route, Status.ANSWERED, offer.answer, offer.slots
        ctx.sources, ctx.cards, ctx.follow_ups = list(offer.sources), list(offer.cards), []
        ctx.notes.append(f"offer_alone={offer.route}")
