"""Offer step: a funding tool that could only ask for an input is heard after the pages, not instead of
them.

"How much does a small employer pay towards an apprentice?" means the apprentice cost tool, but gives it
no price; the toolkit page says "5%". So the route step sends the question to search and keeps the tool's
question as an offer (ctx.offer). Here, last:
- the pages answered: the tool's question follows their answer, and its slots stay pending, so a reply
  ("£9,000") goes to the tool;
- the pages had no answer: the tool's question stands alone, as it did before search was tried.
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
        ctx.notes.append(f"offer_after_pages={offer.route}")
    elif ctx.status is Status.NO_ANSWER:
        ctx.route, ctx.status, ctx.answer, ctx.slots = offer.route, Status.ANSWERED, offer.answer, offer.slots
        ctx.sources, ctx.cards, ctx.follow_ups = [], [], []
        ctx.notes.append(f"offer_alone={offer.route}")
