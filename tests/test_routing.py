"""Routing by meaning: the example file, held-out examples reaching their own route, replies to the bot's
own question filling the slot it asked for, and a bare figure with no conversation. Real embedding model."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from conftest import make_settings

from connector.context import Context, Turn
from connector.errors import ConfigError
from connector.routing import KNOWN_ROUTES, SEARCH, Router, decide, load_examples
from connector.services import Services
from connector.steps import guard, offer, route, tools_route
from connector.types import Status

HOLD_OUT_EVERY = 4


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools_route, "today", lambda: date(2026, 11, 25))


@pytest.fixture
def services(embedder, tmp_path) -> Services:
    """The route step's parts: the real embedder and an empty course catalogue; no index is needed."""
    return Services(settings=make_settings(tmp_path / "data"), embedder=embedder, store=None, retriever=None)  # type: ignore[arg-type]


def say(services: Services, message: str, history: list[Turn] | None = None) -> Context:
    """One message through the guard and the route step, as the pipeline runs them. No index here, so no
    page answers: a tool's offer stands alone (connector/steps/offer.py)."""
    ctx = Context(question=message, history=history or [])
    guard.run(ctx, services)
    if not ctx.stopped:
        route.run(ctx, services)
    if ctx.offer is not None:
        ctx.stop(Status.NO_ANSWER, "")
        offer.run(ctx, services)
    return ctx


def turn_of(ctx: Context) -> Turn:
    return Turn(question=ctx.query, answer=ctx.answer, route=ctx.route, slots=dict(ctx.slots))


def test_the_route_file_loads_with_every_route_explained_and_15_to_40_examples_each() -> None:
    examples = load_examples()
    counts = Counter(route for route, _ in examples.examples)
    assert set(counts) == KNOWN_ROUTES
    assert all(15 <= count <= 40 for count in counts.values()), counts
    assert examples.fit.k >= 1 and 0 < examples.fit.min_similarity < 1
    assert examples.fit.min_margin_unstated >= examples.fit.min_margin


def test_a_malformed_route_file_stops_the_start_naming_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "routes.yaml"
    path.write_text(
        "k: 3\nmin_similarity: 0.5\nmin_margin: 0.1\nmin_margin_unstated: 0.2\nroutes:\n"
        "  levy:\n    why: sums\n    examples: [how much levy]\n  taxes:\n    why: x\n"
        "    examples: [vat]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="unknown route 'taxes'"):
        load_examples(path)


def test_held_out_examples_reach_their_own_route(embedder) -> None:
    """Every fourth example of each route is routed by the others only; most reach their own route, and
    no route is left without its held-out examples reaching it."""
    router = Router.build(embedder)
    fit = router.examples.fit
    seen: Counter[str] = Counter()
    right: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for n, (expected, text) in enumerate(router.examples.examples):
        seen[expected] += 1
        if seen[expected] % HOLD_OUT_EVERY:
            continue
        scores = router.scores(router.vector_of(n), fit.k, leave_out=n)
        choice = decide(scores, fit, lambda name, text=text: tools_route.states_inputs(name, text))
        totals[expected] += 1
        right[expected] += choice.route == expected
    assert sum(right.values()) / sum(totals.values()) >= 0.6, (right, totals)
    assert all(right[name] >= 1 for name in totals), (right, totals)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Our pay bill is about £6m. What will our apprenticeship levy be?", "levy"),
        (
            "We don't pay the levy; the apprenticeship is £11,000 and she is 20. What's our bill?",
            "apprentice_cost",
        ),
        ("I'm 45 and earn £18k, could I do a course for free?", "eligibility"),
        ("I earn £29,000 - what comes out of my wages for my learner loan?", "loan"),
        ("How do levy transfers work?", SEARCH),
        ("Who leads the local skills improvement plan in Essex?", SEARCH),
    ],
)
def test_a_question_goes_where_its_meaning_points(services: Services, question: str, expected: str) -> None:
    assert say(services, question).route == expected


def test_a_bare_number_replying_to_the_age_question_fills_the_age(services: Services) -> None:
    first = say(services, "Am I eligible for any free courses?")
    assert first.route == "eligibility" and first.slots["tool_missing"] == ["age"]
    reply = say(services, "35", [turn_of(first)])
    assert reply.route == "eligibility" and reply.slots["tool_inputs"]["age"] == 35
    assert "may be eligible" in reply.answer.lower() and reply.cards[0]["tool"] == "eligibility"


def test_yes_or_no_and_a_year_reply_to_the_tool_that_asked(services: Services) -> None:
    first = say(services, "What will it cost us to take on a 25 year old apprentice? The band is £12,000.")
    assert first.slots["tool_missing"] == ["levy_payer"]
    answered = say(services, "no", [turn_of(first)])
    assert answered.route == "apprentice_cost" and "you pay £600" in answered.answer  # 5% of £12,000
    loan = say(services, "I earn £32,000, how much will I repay on my advanced learner loan?")
    assert say(services, "2022", [turn_of(loan)]).slots["tool_inputs"]["course_start_date"] == "2022-09-01"


def test_a_new_question_while_a_tool_waits_is_routed_on_its_own(services: Services) -> None:
    first = say(services, "how much levy do we pay?")
    ctx = say(services, "Are there any level 3 digital courses near Colchester?", [turn_of(first)])
    assert ctx.route != "levy"


def test_a_bare_number_with_no_conversation_gets_a_request_for_more(services: Services) -> None:
    ctx = say(services, "35")
    assert ctx.status == Status.ANSWERED and ctx.route == "guard"
    assert "tell me a little more" in ctx.answer and ctx.cards == [] and ctx.sources == []


def test_a_figure_in_a_conversation_passes_the_guard() -> None:
    assert guard.refusal_reason("35", 1000, in_conversation=True) is None
    assert guard.refusal_reason("£4.2m", 1000, in_conversation=True) is None
    assert guard.refusal_reason("35", 1000) == "number_only"
    assert guard.refusal_reason("?!", 1000, in_conversation=True) == "not_text"
