"""The offer step: a tool's question follows the pages' answer, stands in for a decline, and leaves any
other outcome alone."""

from __future__ import annotations

import pytest
from conftest import make_settings

from connector.context import Context, Offer, Source
from connector.services import Services
from connector.steps import offer
from connector.types import Status

ASK = "I can work out your levy. What is your organisation's annual UK pay bill (for example £4.2m)?"
SLOTS = {"tool": "levy", "tool_inputs": {}, "tool_missing": ["pay_bill"]}


@pytest.fixture
def services(tmp_path) -> Services:
    return Services(settings=make_settings(tmp_path / "data"), embedder=None, store=None, retriever=None)  # type: ignore[arg-type]


def offered(status: Status, answer: str) -> Context:
    ctx = Context(question="How much levy do we pay?", offer=Offer("levy", ASK, dict(SLOTS)))
    ctx.status, ctx.answer = status, answer
    ctx.sources = [Source(title="Apprenticeship levy", url="/corpus/apprenticeship-levy")]
    ctx.slots = {"course_filters": {}}
    return ctx


def test_the_tools_question_follows_the_pages_answer(services: Services) -> None:
    ctx = offered(Status.ANSWERED, "The levy is 0.5% of your annual pay bill. [1]")
    offer.run(ctx, services)
    assert ctx.answer == f"The levy is 0.5% of your annual pay bill. [1]\n\n{ASK}"
    assert ctx.route == "search" and ctx.sources[0].url == "/corpus/apprenticeship-levy"
    assert ctx.slots == {"course_filters": {}, **SLOTS}


def test_the_tools_question_stands_in_for_a_decline(services: Services) -> None:
    ctx = offered(Status.NO_ANSWER, "I don't have reliable information to answer that.")
    offer.run(ctx, services)
    assert (ctx.status, ctx.route, ctx.answer, ctx.slots) == (Status.ANSWERED, "levy", ASK, SLOTS)
    assert ctx.sources == [] and ctx.cards == []


def test_a_refusal_is_left_as_it_is(services: Services) -> None:
    refusal = "I can only help with skills and training."
    ctx = offered(Status.REFUSED, refusal)
    offer.run(ctx, services)
    assert (ctx.status, ctx.answer, ctx.slots) == (Status.REFUSED, refusal, {"course_filters": {}})


def test_without_an_offer_nothing_changes(services: Services) -> None:
    ctx = Context(question="What is a Skills Bootcamp?")
    ctx.status, ctx.answer = Status.NO_ANSWER, "I don't have reliable information to answer that."
    offer.run(ctx, services)
    assert ctx.status == Status.NO_ANSWER and ctx.route == "search"
