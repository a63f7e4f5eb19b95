"""The chat route to the funding tools: choosing a tool by meaning, asking for missing inputs, completing
them next turn, and answering with the figures, the working, the date basis, sources and a tool card.
The route step runs with the real embedding model; the tools need no index."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from answer_corpus import build_index
from conftest import make_settings
from fastapi.testclient import TestClient

from api.app import create_app
from connector.context import Context, Turn
from connector.services import Services
from connector.steps import offer, route, tools_route
from connector.tools import extract
from connector.types import Status


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools_route, "today", lambda: date(2026, 11, 25))


ROUTE_SERVICES: list[Services] = []


@pytest.fixture(autouse=True)
def route_services(embedder, tmp_path) -> Iterator[None]:
    """The route step's parts: the real embedder; an empty course catalogue; no index."""
    ROUTE_SERVICES.append(
        Services(settings=make_settings(tmp_path / "data"), embedder=embedder, store=None, retriever=None)  # type: ignore[arg-type]
    )
    yield
    ROUTE_SERVICES.clear()


def turn(question: str, history: list[Turn] | None = None) -> Context:
    ctx = Context(question=question, history=history or [])
    ctx.standalone_question = question
    route.run(ctx, ROUTE_SERVICES[-1])
    if ctx.offer is not None:
        # No index here, so no page answers: the tool's question stands alone (connector/steps/offer.py).
        ctx.stop(Status.NO_ANSWER, "")
        offer.run(ctx, ROUTE_SERVICES[-1])
    ctx.notes.append(f"answered={ctx.status is not None}")
    return ctx


def then(ctx: Context, question: str) -> Context:
    return turn(
        question, [Turn(question=ctx.query, answer=ctx.answer, route=ctx.route, slots=dict(ctx.slots))]
    )


def test_pay_bill_question_answers_levy_and_transfer_with_working():
    ctx = turn("our pay bill is £4.2m, what do we pay and how much can we transfer?")
    assert ctx.status == Status.ANSWERED and ctx.route == "levy"
    # 0.5% × 4,200,000 − 15,000 = 6,000 a year, 500 a month; transfer 2026-27: 50% × 6,000 × 1.10 = 3,300.
    assert "£6,000 a year" in ctx.answer and "£500 a month" in ctx.answer and "£3,300" in ctx.answer
    assert "0.5% × £4,200,000 = £21,000" in ctx.answer
    assert "Date basis:" in ctx.answer and "1 August 2026" in ctx.answer
    card = ctx.cards[0]
    assert card["type"] == "tool" and card["tool"] == "levy" and card["working"] and card["date_basis"]
    assert {"label": "Annual levy", "value": "£6,000"} in card["rows"]
    urls = [s.url for s in ctx.sources]
    assert urls[0] == "/corpus/apprenticeship-levy" and "/corpus/levy-transfers" in urls
    assert any(url.startswith("https://") for url in urls)


def test_missing_pay_bill_is_asked_for_and_the_next_turn_completes_it():
    first = turn("how much levy do we pay?")
    assert first.status == Status.ANSWERED and "pay bill" in first.answer and first.cards == []
    assert first.slots["tool_missing"] == ["pay_bill"]
    second = then(first, "about £4.2m")
    assert second.route == "levy" and "£6,000 a year" in second.answer and second.cards


def test_a_new_question_while_a_figure_is_pending_is_not_taken_as_the_answer():
    first = turn("how much levy do we pay?")
    assert (
        then(first, "Which courses near Colchester cost less than £1,000 for a beginner in welding?").status
        is None
    )


def test_what_if_recalculates_with_the_new_figure():
    first = turn("our pay bill is £4.2m, what levy do we pay?")
    # 0.5% × 10,000,000 − 15,000 = 35,000.
    assert "£35,000 a year" in then(first, "what if it was £10m?").answer


def test_absurd_pay_bill_is_refused_and_asked_again():
    ctx = turn("our pay bill is £500bn, how much levy do we pay?")
    assert ctx.status == Status.ANSWERED and "can't use that" in ctx.answer and ctx.cards == []
    assert ctx.slots["tool_missing"] == ["pay_bill"]


def test_general_levy_question_is_left_to_search():
    for question in (
        "What percentage of our pay bill is the apprenticeship levy?",
        "How do levy transfers work?",
    ):
        ctx = turn(question)
        assert ctx.status is None and "answered=False" in ctx.notes


def test_unrelated_question_after_a_tool_question_is_left_to_search():
    first = turn("how much levy do we pay?")
    ctx = then(first, "What are T Levels?")
    assert ctx.status is None


def test_apprentice_cost_asks_for_age_then_levy_status_then_answers():
    first = turn("What will it cost us to take on an apprentice? The funding band is £12,000.")
    assert "How old" in first.answer
    second = then(first, "she will be 25")
    assert "pay the apprenticeship levy" in second.answer
    third = then(second, "no, we don't")
    # 25, non-levy, start 25 Nov 2026: 5% × 12,000 = 600.
    assert "you pay £600" in third.answer and third.cards[0]["tool"] == "apprentice_cost"
    assert "starting from 1 April 2019" in third.answer


def test_young_care_leaver_apprentice_shows_incentives_and_date_basis():
    ctx = turn(
        "How much would an apprentice aged 22 who is a care leaver cost us? Band £9,000,"
        " we don't pay the levy, starting 1 September 2026"
    )
    assert "you pay £0" in ctx.answer and "starting from 1 August 2026" in ctx.answer
    assert "£3,000 to the apprentice" in ctx.answer and "£1,000 to the employer" in ctx.answer


def test_without_a_price_the_shares_and_incentives_are_given_and_the_band_asked_for():
    ctx = turn(
        "We're a 40-person firm and don't pay the levy. If we take on a 17-year-old apprentice, what will the"
        " training cost us and is there any money we get back?"
    )
    assert "the government pays all the training" in ctx.answer and "£1,000 to the employer" in ctx.answer
    assert "funding band maximum" in ctx.answer.split("For exact figures:")[1]
    assert ctx.slots["tool_missing"] == ["band_max"]
    # The band in the next message completes it: 17, non-levy, 100% funded → £0.
    assert "you pay £0" in then(ctx, "the band is £12,000").answer


def test_levy_payer_with_nothing_left_pays_25_percent_from_august_2026():
    # 30, levy payer, no funds, start Jan 2027: 25% × 12,000 = 3,000.
    ctx = turn(
        "We're a levy payer with nothing left in the account. Apprentice aged 30, funding band £12,000,"
        " starting January 2027 - what's our share?"
    )
    assert "you pay £3,000" in ctx.answer


def test_learner_eligibility_question_says_may_be_eligible_and_confirm_with_provider():
    ctx = turn("I'm 24 and have no level 3. I earn £21,000 - can I get a free level 3 course?")
    assert ctx.route == "eligibility" and ctx.cards[0]["tool"] == "eligibility"
    assert "may be eligible" in ctx.answer.lower() and "Confirm with the provider" in ctx.answer
    assert "Free Courses for Jobs" in ctx.answer and "£26,800" in ctx.answer


def test_eligibility_asks_for_age_and_takes_a_bare_number():
    first = turn("Am I eligible for any free courses?")
    assert "How old are you" in first.answer
    assert "16 to 19 Bursary Fund: may be eligible" in then(first, "17").answer


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("£4.2m", 4_200_000),
        ("4,200,000", 4_200_000),
        ("£420k", 420_000),
        ("£3 million", 3_000_000),
        ("£12,000", 12_000),
    ],
)
def test_amounts_are_read_in_common_forms(text: str, value: float):
    assert [a.value for a in extract.amounts(f"it is {text} a year")] == [value]


def test_ages_levels_and_flags_are_read():
    assert extract.age_of("an apprentice aged 23") == 23 and extract.age_of("a 19-year-old") == 19
    assert extract.levels_of("I have no level 3") == {"highest_qualification_level": 2}
    assert extract.levels_of("a level 3 course") == {"course_level": 3}
    flags = extract.flags_of("she is a care leaver with an EHC plan and we don't pay the levy")
    assert flags == {"care_leaver": True, "ehc_plan": True, "levy_payer": False}
    assert extract.date_in("starting 1 September 2026") == date(2026, 9, 1)
    assert extract.amounts("aged 23, level 3, 12 months") == []


@pytest.mark.parametrize(
    ("text", "flags"),
    [
        ("we're under the levy threshold, what do we pay?", {"levy_payer": False}),
        ("we are too small to pay the levy", {"levy_payer": False}),
        ("our pay bill is below the £3m threshold", {"levy_payer": False}),
        ("we pay the levy", {"levy_payer": True}),
        # Questions about the levy state nothing about the asker.
        ("do we pay the levy? we're 40 people", {}),
        ("what is the levy threshold?", {}),
        ("what can we spend under the levy?", {}),
    ],
)
def test_levy_payer_is_read_only_from_what_the_employer_says_of_itself(text: str, flags: dict[str, bool]):
    assert extract.flags_of(text) == flags


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("tools-chat") / "data")
    build_index(settings, embedder)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def chat(client: TestClient, message: str, session_id: str | None = None) -> dict:
    body = {"message": message, **({"session_id": session_id} if session_id else {})}
    response = client.post("/v1/chat", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    return response.json()


def test_chat_api_asks_for_the_pay_bill_and_completes_it_in_the_session(client: TestClient):
    first = chat(client, "How much levy do we pay?")
    assert first["status"] == "answered" and "pay bill" in first["answer"]
    second = chat(client, "about £4.2m", first["session_id"])
    assert second["route"] == "levy", (first, second)
    assert "£6,000 a year" in second["answer"]
    assert second["cards"][0]["type"] == "tool" and second["sources"]
