"""Advanced Learner Loan repayments: Plan 5 for courses from 1 August 2023, Plan 2 before, the threshold in
force on the date; asked for in the chat, over the tools API and through the chat API with a session."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import httpx
import pytest
from answer_corpus import build_index
from conftest import make_settings
from fastapi.testclient import TestClient

from api.app import create_app
from connector.context import Context, Turn
from connector.errors import ToolInputError
from connector.services import Services
from connector.settings import Settings
from connector.steps import route, tools_route
from connector.tools import intents
from connector.tools.loan import LoanInput, loan_repayment

TODAY = date(2026, 11, 25)  # tax year 2026-27: Plan 2 threshold £29,385, Plan 5 £25,000


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tools_route, "today", lambda: TODAY)


def repay(income: float, started: date | None, on: date = TODAY):
    return loan_repayment(LoanInput(annual_income=income, course_start_date=started, on_date=on))


# --- the tool ------------------------------------------------------------------------------------------


def test_course_started_after_august_2023_repays_on_plan_5():
    # 9% × (32,000 − 25,000) = 630 a year = 52.50 a month.
    plan = repay(32_000, date(2024, 9, 1)).plans
    assert [(p.plan, p.yearly, p.monthly, p.threshold) for p in plan] == [(5, 630.0, 52.5, 25_000.0)]
    assert "40 years" in plan[0].write_off


def test_course_started_before_august_2023_repays_on_plan_2_with_the_threshold_in_force():
    # 2026-27: 9% × (32,000 − 29,385) = 235.35 a year = 19.61 a month.
    # 2025-26: 9% × (32,000 − 28,470) = 317.70 a year.
    now = repay(32_000, date(2022, 9, 1)).plans[0]
    last_year = repay(32_000, date(2022, 9, 1), on=date(2026, 3, 1)).plans[0]
    assert (now.plan, now.yearly, now.monthly, now.threshold) == (2, 235.35, 19.61, 29_385.0)
    assert (last_year.yearly, last_year.threshold) == (317.7, 28_470.0)
    assert "30 years" in now.write_off


def test_the_plan_changes_on_1_august_2023():
    assert repay(32_000, date(2023, 7, 31)).plans[0].plan == 2
    assert repay(32_000, date(2023, 8, 1)).plans[0].plan == 5


def test_without_a_start_date_both_plans_are_worked_out():
    result = repay(32_000, None)
    assert [(p.plan, p.monthly) for p in result.plans] == [(5, 52.5), (2, 19.61)]


def test_income_below_the_threshold_repays_nothing():
    plan = repay(24_000, date(2024, 9, 1)).plans[0]
    assert (plan.repaying, plan.monthly) == (False, 0.0) and "not above" in plan.working


def test_no_plan_5_repayment_was_due_before_april_2026():
    plan = repay(32_000, date(2023, 9, 1), on=date(2026, 1, 15)).plans[0]
    assert (plan.plan, plan.monthly) == (5, 0.0) and "6 April 2026" in plan.working


def test_plan_5_interest_says_the_current_rate_is_not_held_once_the_last_one_ended():
    held = repay(32_000, date(2024, 9, 1), on=date(2026, 5, 1)).plans[0].interest
    ended = repay(32_000, date(2024, 9, 1)).plans[0].interest
    assert held.startswith("3.2%") and "1 September 2026 is not held" in ended


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"annual_income": -1}, "annual_income"),
        ({"annual_income": 30_000, "course_start_date": date(2011, 9, 1)}, "course_start_date"),
        (
            {"annual_income": 30_000, "course_start_date": date(2015, 9, 1), "on_date": date(2020, 1, 1)},
            "on_date",
        ),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str):
    with pytest.raises(ToolInputError) as err:
        loan_repayment(LoanInput(**kwargs))
    assert err.value.field == field


# --- the chat route --------------------------------------------------------------------------------------


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
    return ctx


def then(ctx: Context, question: str) -> Context:
    return turn(
        question, [Turn(question=ctx.query, answer=ctx.answer, route=ctx.route, slots=dict(ctx.slots))]
    )


def test_chat_gives_both_plans_and_asks_when_the_course_started():
    ctx = turn("I earn £32,000, how much will I repay on my advanced learner loan?")
    assert ctx.route == "loan" and ctx.cards[0]["tool"] == "loan"
    assert "£52.50 a month" in ctx.answer and "£19.61 a month" in ctx.answer
    assert "When did the course your loan paid for start" in ctx.answer
    assert ctx.slots["tool_missing"] == ["course_start_date"]
    assert ctx.sources[0].url == "/corpus/advanced-learner-loans"


def test_chat_reply_with_a_start_in_september_2024_gives_plan_5():
    first = turn("I earn £32,000, how much will I repay on my advanced learner loan?")
    second = then(first, "my course started in September 2024")
    assert second.route == "loan" and "Plan 5" in second.answer and "£52.50 a month" in second.answer
    assert "£19.61" not in second.answer and second.slots["tool_missing"] == []


def test_chat_reply_with_a_start_in_2022_gives_plan_2_with_its_threshold():
    first = turn("I earn £32,000, how much will I repay on my advanced learner loan?")
    second = then(first, "it started in 2022")
    assert "Plan 2" in second.answer and "£19.61 a month" in second.answer
    assert "£29,385" in second.answer and "£52.50" not in second.answer


def test_chat_question_with_income_and_start_date_is_answered_at_once():
    ctx = turn(
        "My course started in September 2024 and I'm on £32k a year. What will my learner loan repayments be?"
    )
    assert "Plan 5" in ctx.answer and "£52.50 a month" in ctx.answer


def test_started_before_august_2023_is_plan_2():
    assert intents.inputs_for("loan", "it started before August 2023")["course_start_date"] == "2023-07-31"


def test_general_loan_questions_are_left_to_search():
    for question in (
        "What do I have to earn before I start repaying an advanced learner loan?",
        "If I take out an Advanced Learner Loan, how much do I pay back and when do repayments start?",
    ):
        assert turn(question).route == "search"


# --- over HTTP ---------------------------------------------------------------------------------------------


@pytest.fixture
def tools_client(settings: Settings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://testserver"
    )


async def test_loan_repayment_endpoint_by_start_date(tools_client: httpx.AsyncClient):
    async with tools_client:
        plan5 = await tools_client.post(
            "/v1/tools/loan-repayment",
            json={"annual_income": 32_000, "course_start_date": "2024-09-01", "on_date": "2026-11-25"},
        )
        both = await tools_client.post(
            "/v1/tools/loan-repayment", json={"annual_income": 32_000, "on_date": "2026-11-25"}
        )
        bad = await tools_client.post("/v1/tools/loan-repayment", json={"annual_income": -5})
    assert plan5.status_code == 200 and plan5.json()["plans"][0]["monthly"] == 52.5
    assert plan5.json()["card"]["tool"] == "loan"
    assert [p["plan"] for p in both.json()["plans"]] == [5, 2]
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "annual_income"


@pytest.fixture(scope="module")
def chat_client(tmp_path_factory: pytest.TempPathFactory, embedder) -> Iterator[TestClient]:
    settings = make_settings(tmp_path_factory.mktemp("loan-chat") / "data")
    build_index(settings, embedder)
    with TestClient(create_app(settings)) as client:
        yield client


def chat(client: TestClient, message: str, session_id: str | None = None) -> dict:
    body = {"message": message, **({"session_id": session_id} if session_id else {})}
    response = client.post("/v1/chat", content=json.dumps(body), headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    return response.json()


def test_chat_api_asks_for_the_start_date_and_answers_plan_5_then_plan_2(chat_client: TestClient):
    first = chat(chat_client, "I earn £32,000, how much will I repay on my advanced learner loan?")
    assert first["route"] == "loan" and "When did the course" in first["answer"]
    second = chat(chat_client, "my course started in September 2024", first["session_id"])
    assert second["route"] == "loan" and "£52.50 a month" in second["answer"], second
    assert second["cards"][0]["tool"] == "loan"
    other = chat(chat_client, "I earn £32,000, how much will I repay on my advanced learner loan?")
    older = chat(chat_client, "it started in 2022", other["session_id"])
    assert "Plan 2" in older["answer"] and "£19.61 a month" in older["answer"]


def test_chat_api_care_leaver_bursary_follows_the_start_date(chat_client: TestClient):
    question = (
        "How much would an apprentice aged 22 who is a care leaver cost us? Band £9,000, we don't pay the"
        " levy, we have 20 staff, starting 1 September {year}"
    )
    before = chat(chat_client, question.format(year=2022))["answer"]
    after = chat(chat_client, question.format(year=2023))["answer"]
    assert "£1,000 to the apprentice" in before and "a single payment" in before and "£3,000" not in before
    assert "£3,000 to the apprentice" in after and "3 instalments" in after
