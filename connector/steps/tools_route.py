"""The funding tools' side of the route step: levy, apprentice cost, learner eligibility and loan sums.

    propose(ctx, "levy")                       # answer from the figures stated, or ask for one
    reply_inputs(ctx, meaning="search")        # ("levy", {...}) when the message replies to the last ask

The route step (connector/steps/route.py) decides which tool a question is for, by meaning; here the
tool reads its inputs from the question and answers, or asks for the first missing input, never
guessing it, and remembers what it knows in ctx.slots so the next message ("about £4.2m") completes it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from connector.context import Context, Source
from connector.errors import ToolInputError
from connector.tools import intents, present
from connector.tools.apprentice_cost import ApprenticeCostInput, apprentice_cost, apprentice_shares
from connector.tools.eligibility import EligibilityInput, check_eligibility
from connector.tools.levy import LevyInput, calculate_levy
from connector.tools.loan import LoanInput, loan_repayment
from connector.types import Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ToolSpec:
    run: Callable[[dict[str, Any], date], Any]
    answer: Callable[[Any], str]
    card: Callable[[Any], dict[str, Any]]
    required: tuple[str, ...]
    follow_ups: tuple[str, ...]


QUESTIONS = {
    "pay_bill": "What is your organisation's annual UK pay bill (for example £4.2m)?",
    "allowance_share_percent": "Connected companies share one £15,000 allowance: what share of it does"
    " this company take (for example 50%)?",
    "band_max": "What is the funding band maximum for the apprenticeship standard, or the price agreed with"
    " the training provider (for example £12,000)?",
    "age": "How old will the apprentice be when they start?",
    "levy_payer": "Does your organisation pay the apprenticeship levy (a UK pay bill over £3m)?",
    "levy_funds_available": "How much is in your levy account to spend on this apprenticeship"
    " (£0 if nothing)?",
    "employees": "How many employees do you have?",
    "learner_age": "How old are you (or will you be when the course starts)?",
    "english_percent": "What share of your employees live in England (0 to 100%)?",
    "on_date": "Which date should I work to (for example 1 September 2026)?",
    "start_date": "When will the apprentice start (for example 1 September 2026)?",
    "level": "What level is the apprenticeship (2 to 7)?",
    "price": "What price has the training provider quoted (for example £12,000)?",
    "course_level": "What level is the course you want (0 for entry level, up to 8)?",
    "highest_qualification_level": "What is the highest qualification you hold"
    " (for example level 2, or none)?",
    "annual_earnings": "Roughly how much do you earn a year?",
    "annual_income": "Roughly how much do you earn a year, before tax?",
    "course_start_date": "When did the course your loan paid for start (month and year, for example"
    " September 2024)? Loans for courses that started on or after 1 August 2023 are repaid on Plan 5,"
    " earlier ones on Plan 2.",
}


# Bundled guides (corpus/docs) that explain each tool's rules in words: (title, slug).
GUIDES: dict[str, tuple[tuple[str, str], ...]] = {
    "levy": (
        ("The apprenticeship levy - who pays and how much", "apprenticeship-levy"),
        ("Transferring apprenticeship levy funds to other employers", "levy-transfers"),
        ("Using your levy funds - what they pay for and when they expire", "levy-funds-and-expiry"),
    ),
    "apprentice_cost": (
        ("Co-investment - what small employers pay for apprenticeship training", "co-investment"),
        (
            "Apprenticeship incentive payments and other help with apprentice costs",
            "apprenticeship-incentive-payments",
        ),
        (
            "Apprenticeship funding bands and the 2025-2026 funding rule changes",
            "apprenticeship-funding-bands",
        ),
    ),
    "eligibility": (
        ("Free Courses for Jobs and free level 3 courses for adults", "free-courses-for-jobs"),
        ("Skills Bootcamps - free short courses with a job interview", "skills-bootcamps"),
        ("Advanced Learner Loans for courses at levels 3 to 6", "advanced-learner-loans"),
        ("The 16 to 19 Bursary Fund - help with the costs of staying in education", "16-19-bursary"),
    ),
    "loan": (("Advanced Learner Loans for courses at levels 3 to 6", "advanced-learner-loans"),),
}


def today() -> date:
    """The date the rules apply to when none is given."""
    return date.today()


def _levy(known: dict[str, Any], day: date) -> Any:
    return calculate_levy(LevyInput(**known), today=day)


def _apprentice(known: dict[str, Any], day: date) -> Any:
    return apprentice_cost(ApprenticeCostInput(**known), today=day)


def _eligibility(known: dict[str, Any], day: date) -> Any:
    return check_eligibility(EligibilityInput(**known), today=day)


def _loan(known: dict[str, Any], day: date) -> Any:
    return loan_repayment(LoanInput(**known), today=day)


TOOLS: dict[str, ToolSpec] = {
    "levy": ToolSpec(
        _levy,
        present.levy_answer,
        present.levy_card,
        ("pay_bill",),
        ("How do levy transfers work?", "What will an apprentice cost us?"),
    ),
    "apprentice_cost": ToolSpec(
        _apprentice,
        present.apprentice_cost_answer,
        present.apprentice_cost_card,
        ("band_max", "age", "levy_payer"),
        ("How do I take on an apprentice?", "What incentive payments are there?"),
    ),
    "eligibility": ToolSpec(
        _eligibility,
        present.eligibility_answer,
        present.eligibility_card,
        ("age",),
        ("Show me level 3 courses near me", "How do Advanced Learner Loans work?"),
    ),
    "loan": ToolSpec(
        _loan,
        present.loan_answer,
        present.loan_card,
        ("annual_income", "course_start_date"),
        ("How do Advanced Learner Loans work?", "Could I get my course free instead?"),
    ),
}


def propose(ctx: Context, tool: str, known: dict[str, Any] | None = None) -> None:
    """Answer with `tool` from the inputs the question states (or `known`), or ask for the first one
    missing."""
    known = intents.inputs_for(tool, ctx.query) if known is None else known
    ctx.route = tool
    missing = _missing(tool, known)
    if missing == ["band_max"] and tool == "apprentice_cost" and _answer_shares(ctx, known):
        pass
    elif missing == ["course_start_date"] and tool == "loan":
        _answer(ctx, tool, known, ask_next="course_start_date")  # both plans, then ask which applies
    elif missing:
        _ask(ctx, tool, known, missing[0])
    else:
        _answer(ctx, tool, known)
    log.info("tool route tool=%s missing=%s", tool, ",".join(missing) or "-")


def states_inputs(route: str, text: str) -> bool:
    """Whether `text` gives the tool `route` any of its inputs (any other route needs none)."""
    return route not in TOOLS or bool(intents.inputs_for(route, text))


def reply_inputs(ctx: Context, meaning: str) -> tuple[str, dict[str, Any]] | None:
    """The previous turn's tool and its inputs updated from this message, when the message replies to it.

    A reply states an input of that tool ("35" fills the age the tool asked for; "what if it was £10m?"
    changes the pay bill) and is either a bare answer to the question asked, or a short message that
    would otherwise go to search, or a message whose own meaning is that tool. `meaning` is the route
    the message would take on its own: a message that means another tool or the course finder is a
    new question, however short."""
    pending = _previous_tool_slots(ctx)
    if pending is None:
        return None
    tool, known = pending["tool"], dict(pending.get("tool_inputs", {}))
    missing = pending.get("tool_missing", [])
    stated = intents.inputs_for(tool, ctx.question)
    if missing and missing[0] not in stated:
        stated.update(_reply_value(ctx.question, missing[0]))
    if not stated:
        return None
    words = len(ctx.question.split())
    answers_the_question = bool(missing) and missing[0] in stated and words <= MAX_BARE_REPLY_WORDS
    if meaning == tool or answers_the_question or (meaning == "search" and words <= MAX_REPLY_WORDS):
        return tool, {**known, **stated}
    return None


def _previous_tool_slots(ctx: Context) -> dict[str, Any] | None:
    if not ctx.history:
        return None
    slots = ctx.history[-1].slots
    return slots if slots.get("tool") in TOOLS else None


# A reply to the tool's own question is short: "35", "yes", "she will be 25", "about £4.2m".
MAX_BARE_REPLY_WORDS = 5
# A longer message that still reads as an aside to the calculation ("what if the pay bill was £10m?").
MAX_REPLY_WORDS = 12
MONEY_FIELDS = {"pay_bill", "band_max", "price", "levy_funds_available", "annual_earnings", "annual_income"}
PERCENT_FIELDS = {"english_percent", "allowance_share_percent"}
NUMBER_FIELDS = {"age", "employees", "level", "course_level", "highest_qualification_level"}


def _reply_value(text: str, field: str) -> dict[str, Any]:
    """A short reply to the question asked about `field`: "£0", "80%", "19", "yes", "1 September 2026"."""
    extract = intents.extract
    if field in MONEY_FIELDS:
        values = [a.value for a in extract.amounts(text)] or _bare_numbers(text)
        if values:
            return {field: values[0]}
        return {field: 0.0} if field == "levy_funds_available" and intents.yes_no(text) is False else {}
    if field in PERCENT_FIELDS:
        match = extract.PERCENT.search(text)
        return {field: float(match.group(1))} if match else {}
    if field in NUMBER_FIELDS:
        numbers = _bare_numbers(text)
        return {field: int(numbers[0])} if numbers else {}
    if field == "levy_payer":
        answer = intents.yes_no(text)
        return {} if answer is None else {field: answer}
    day = extract.date_in(text)
    return {field: day.isoformat()} if day else {}


def _bare_numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"(?<![\w.])(\d{1,3}(?:\.\d+)?)(?![\w.%])", text)]


def _missing(tool: str, known: dict[str, Any]) -> list[str]:
    missing = [f for f in TOOLS[tool].required if f not in known]
    if tool == "apprentice_cost" and "band_max" in missing and "price" in known:
        missing.remove("band_max")
    if tool == "apprentice_cost" and known.get("levy_payer") and "levy_funds_available" not in known:
        missing.append("levy_funds_available")
    if tool == "levy" and known.get("connected_companies") and "allowance_share_percent" not in known:
        missing.append("allowance_share_percent")
    return missing


def _ask(ctx: Context, tool: str, known: dict[str, Any], field: str, problem: str = "") -> None:
    question = QUESTIONS["learner_age" if (tool, field) == ("eligibility", "age") else field]
    intro = {
        "levy": "I can work out your levy.",
        "apprentice_cost": "I can work out who pays for the apprenticeship.",
        "loan": "I can work out your Advanced Learner Loan repayments.",
    }
    lead = problem or intro.get(tool, "I can check which funding you may be eligible for.")
    ctx.status = Status.ANSWERED
    ctx.answer = f"{lead} {question}"
    ctx.sources, ctx.cards, ctx.follow_ups = [], [], []
    ctx.slots = {"tool": tool, "tool_inputs": known, "tool_missing": [field]}


def _answer_shares(ctx: Context, known: dict[str, Any]) -> bool:
    """Without a price: who pays which share and the extra payments, then ask for the band."""
    try:
        result = apprentice_shares(ApprenticeCostInput(**known), today=today())
    except ToolInputError:
        return False
    _ask(ctx, "apprentice_cost", known, "band_max")
    ctx.answer = f"{present.apprentice_shares_answer(result)}\n\nFor exact figures: {QUESTIONS['band_max']}"
    ctx.sources = _sources("apprentice_cost", result.rules_used)
    return True


def _sources(tool: str, used: list[Any]) -> list[Source]:
    """The bundled guides on the topic first, then the rules' own sources."""
    guides = [Source(title=title, url=f"/corpus/{slug}") for title, slug in GUIDES[tool]]
    return guides + [Source(title=r.title, url=r.source, snippet=r.summary) for r in used]


def _answer(ctx: Context, tool: str, known: dict[str, Any], ask_next: str | None = None) -> None:
    """The tool's answer; with `ask_next`, the question for that input follows and its reply continues."""
    spec = TOOLS[tool]
    try:
        result = spec.run(known, today())
    except ToolInputError as exc:
        kept = {
            k: v
            for k, v in known.items()
            if k != exc.field and not (exc.field == "band_max" and k == "price")
        }
        problem = f"I can't use that: {exc.message}." if exc.field in known else ""
        _ask(ctx, tool, kept, exc.field if exc.field in QUESTIONS else spec.required[0], problem)
        return
    ctx.status = Status.ANSWERED
    ctx.answer = spec.answer(result)
    ctx.cards = [spec.card(result)]
    ctx.sources = _sources(tool, result.rules_used)
    ctx.follow_ups = list(spec.follow_ups)
    ctx.slots = {"tool": tool, "tool_inputs": known, "tool_missing": [ask_next] if ask_next else []}
    if ask_next:
        ctx.answer += f"\n\n{QUESTIONS[ask_next]}"
