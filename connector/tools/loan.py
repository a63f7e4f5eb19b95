"""Advanced Learner Loan repayments under the plan the course start date puts the loan on.

    result = loan_repayment(LoanInput(annual_income=32_000, course_start_date=date(2024, 9, 1)),
                            today=date(2026, 11, 25))
    result.plans[0].plan, result.plans[0].monthly  # 5, 52.5: 9% × (£32,000 − £25,000) ÷ 12

Yearly repayment = rate × (income − the plan's threshold in force on the date), never below £0; monthly is
a twelfth of it. The course start date picks the plan (Plan 2 before 1 August 2023, Plan 5 from then); the
tax year of the repayment picks the threshold. Without a start date both plans are worked out, because the
answer depends on it.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pydantic import BaseModel, Field

from connector.errors import ToolInputError
from connector.tools.rules import (
    Rule,
    RuleBook,
    RuleUsed,
    format_date,
    format_money,
    format_percent,
    load_rulebook,
    rules_used,
)

MAX_INCOME = 10_000_000
PENNY = Decimal("0.01")


class LoanInput(BaseModel):
    annual_income: float = Field(description="Income before tax, £ a year.")
    course_start_date: date | None = Field(
        default=None, description="When the course the loan paid for started; both plans when omitted."
    )
    on_date: date | None = Field(default=None, description="Date the repayment is for; today when omitted.")


class PlanRepayment(BaseModel):
    plan: int
    applies_to: str
    threshold: float
    rate: float
    yearly: float
    monthly: float
    repaying: bool
    write_off: str
    interest: str
    working: str


class LoanResult(BaseModel):
    on_date: date
    annual_income: float
    course_start_date: date | None
    plans: list[PlanRepayment]
    notes: list[str]
    date_basis: str
    rules_used: list[RuleUsed]


def loan_repayment(inp: LoanInput, rules: RuleBook | None = None, today: date | None = None) -> LoanResult:
    """The repayment on the plan the course start puts the loan on (or on both plans when it is not known)."""
    book = rules or load_rulebook()
    day = inp.on_date or today or date.today()
    _validate(inp)
    starts = [inp.course_start_date] if inp.course_start_date else _plan_starts(book)
    plans, used = [], []
    for start in starts:
        repayment, plan_rules = _plan_repayment(book, Decimal(str(inp.annual_income)), start, day)
        plans.append(repayment)
        used.extend(plan_rules)
    return LoanResult(
        on_date=day,
        annual_income=inp.annual_income,
        course_start_date=inp.course_start_date,
        plans=plans,
        notes=_notes(inp, used),
        date_basis=_date_basis(inp, day),
        rules_used=rules_used(used),
    )


def _validate(inp: LoanInput) -> None:
    if not 0 <= inp.annual_income <= MAX_INCOME:
        raise ToolInputError("annual_income", "give your income before tax in pounds a year (£0 or more)")


def _plan_starts(book: RuleBook) -> list[date]:
    """One course start date inside each plan period, newest plan first."""
    return [rule.effective_from for rule in reversed(book.periods("loan.repayment_plan"))]


def _plan_repayment(
    book: RuleBook, income: Decimal, start: date, day: date
) -> tuple[PlanRepayment, list[Rule]]:
    plan_rule = book.rule_on("loan.repayment_plan", start, "course_start_date")
    plan = int(plan_rule.get("plan"))
    write_off = book.rule_on("loan.write_off_years", start, "course_start_date")
    interest, interest_rules = _interest(book, plan, day)
    common: dict[str, Any] = {
        "plan": plan,
        "applies_to": _applies_to(plan_rule),
        "write_off": f"{write_off.value} years after the April you were first due to repay",
        "interest": interest,
    }
    repayments_from = plan_rule.value.get("repayments_from")
    if repayments_from and day < repayments_from:
        working = f"No Plan {plan} repayments were due before {format_date(repayments_from)}."
        none_due = PlanRepayment(
            **common, threshold=0, rate=0, yearly=0, monthly=0, repaying=False, working=working
        )
        return none_due, [plan_rule, write_off, *interest_rules]
    terms = book.rule_on(f"loan.plan{plan}_repayment", day, "on_date")
    threshold, rate = Decimal(str(terms.get("threshold"))), Decimal(str(terms.get("rate")))
    yearly = _money(max(Decimal(0), income - threshold) * rate)
    monthly = _money(yearly / 12)
    if income > threshold:
        working = (
            f"Plan {plan}: {format_percent(rate)} × ({format_money(income)} − {format_money(threshold)}) = "
            f"{format_money(yearly)} a year; ÷ 12 = {format_money(monthly)} a month"
        )
    else:
        working = (
            f"Plan {plan}: {format_money(income)} is not above the {format_money(threshold)} threshold, so "
            "nothing is repaid"
        )
    repayment = PlanRepayment(
        **common,
        threshold=float(threshold),
        rate=float(rate),
        yearly=float(yearly),
        monthly=float(monthly),
        repaying=income > threshold,
        working=working,
    )
    return repayment, [plan_rule, terms, write_off, *interest_rules]


def _interest(book: RuleBook, plan: int, day: date) -> tuple[str, list[Rule]]:
    """Interest in words, with the rate in force when one is held."""
    if plan == 2:
        rule = book.find("loan.plan2_interest", day) or book.periods("loan.plan2_interest")[-1]
        return f"{rule.get('basis')} (after you leave the course)", [rule]
    basis = book.rule_on("loan.plan5_interest", day, "on_date")
    rate = book.find("loan.plan5_interest_rate", day)
    if rate is not None:
        return f"{format_percent(rate.value)} ({rate.describe_period()}): the Retail Prices Index", [
            basis,
            rate,
        ]
    last = book.periods("loan.plan5_interest_rate")[-1]
    after = (last.effective_to or day) + timedelta(days=1)
    words = (
        f"the Retail Prices Index, set each 1 September; the rate from {format_date(after)} is not held"
        f" here (it was {format_percent(last.value)} from {last.describe_period()})"
    )
    return words, [basis, last]


def _applies_to(plan_rule: Rule) -> str:
    if plan_rule.effective_to is None:
        return f"courses started on or after {format_date(plan_rule.effective_from)}"
    return f"courses started {plan_rule.describe_period()}"


def _date_basis(inp: LoanInput, day: date) -> str:
    tax_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    start = (
        f"a course that started in {inp.course_start_date:%B %Y}"
        if inp.course_start_date
        else "a course start date not given"
    )
    return (
        f"Thresholds in force on {format_date(day)} (tax year {tax_year}-{(tax_year + 1) % 100:02d}); "
        f"plan chosen by the course start date ({start})."
    )


def _notes(inp: LoanInput, used: list[Rule]) -> list[str]:
    notes = [
        "You repay only from the April after you finish or leave the course, and only while your income is"
        " over the threshold; your employer takes repayments from your pay with your tax.",
        "Repayments are worked out on each pay period against a monthly threshold, so a payslip can differ"
        " by a few pence from this yearly figure divided by 12.",
    ]
    notes.extend(
        dict.fromkeys(rule.caveat for rule in used if rule.caveat and rule.id.endswith("_repayment"))
    )
    return notes


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
