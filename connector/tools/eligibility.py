"""Which learner funding schemes may apply to someone, why, on what date basis, and what to do next.

    result = check_eligibility(EligibilityInput(age=24, highest_qualification_level=2, annual_earnings=21_000,
                                                employment_status="employed", course_level=3))
    [s.scheme for s in result.schemes if s.outcome != "unlikely"]
    # ['Free Courses for Jobs (level 3)', 'Skills Bootcamps', 'Advanced Learner Loan']

The answer is always "may be eligible": the provider checks the evidence and confirms.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from connector.errors import ToolInputError
from connector.tools.eligibility_schemes import SCHEMES, Check
from connector.tools.rules import RuleBook, RuleUsed, format_date, load_rulebook, rules_used

Outcome = Literal["may_be_eligible", "may_be_eligible_if", "unlikely"]
EmploymentStatus = Literal["employed", "self_employed", "unemployed", "not_working", "student"]


class EligibilityInput(BaseModel):
    age: int = Field(description="Age in years (on the course start date).")
    highest_qualification_level: int | None = Field(
        default=None, description="Highest qualification held: 0 (none or entry level) to 8."
    )
    annual_earnings: float | None = Field(default=None, description="Gross annual earnings, £.")
    employment_status: EmploymentStatus | None = None
    course_level: int | None = Field(default=None, description="Level of the course wanted: 0 (entry) to 8.")
    care_leaver: bool = False
    ehc_plan: bool = False
    lives_in_england: bool = True
    on_date: date | None = Field(default=None, description="Course start date; today when omitted.")


class SchemeResult(BaseModel):
    scheme: str
    outcome: Outcome
    why: str
    date_basis: str
    source: str
    next_step: str


class EligibilityResult(BaseModel):
    on_date: date
    funding_year: str
    schemes: list[SchemeResult]
    notes: list[str]
    date_basis: str
    rules_used: list[RuleUsed]


def check_eligibility(
    inp: EligibilityInput, rules: RuleBook | None = None, today: date | None = None
) -> EligibilityResult:
    """Each scheme with its outcome, the reason, the rule dates, the source and the next step."""
    book = rules or load_rulebook()
    day = inp.on_date or today or date.today()
    _validate(inp)
    results, used = [], []
    for name, check in SCHEMES:
        outcome, why, next_step, rule = _run(check, inp, book, day)
        used.append(rule)
        results.append(
            SchemeResult(
                scheme=name,
                outcome=outcome,
                why=why,
                date_basis=f"{rule.title}: rule in force {rule.describe_period()}",
                source=rule.source,
                next_step=f"{next_step} The provider confirms whether you qualify.",
            )
        )
    used.append(book.rule_on("learner.earnings_threshold", day, "on_date"))
    year = funding_year(day)
    return EligibilityResult(
        on_date=day,
        funding_year=year,
        schemes=results,
        notes=_notes(inp, used),
        date_basis=f"For courses starting on {format_date(day)} ({year} funding year, August to July).",
        rules_used=rules_used(used),
    )


def _run(check: Callable[..., Check], inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    if not inp.lives_in_england:
        outcome, _, next_step, rule = check(inp, book, day)
        why = (
            "These schemes are for people living in England; Scotland, Wales and Northern Ireland have "
            "their own."
        )
        return "unlikely", why, "Ask a careers adviser in the nation where you live.", rule
    return check(inp, book, day)


def _validate(inp: EligibilityInput) -> None:
    if not 16 <= inp.age <= 100:
        raise ToolInputError("age", "these schemes are for people aged 16 and over (give the age in years)")
    for field, level in (
        ("highest_qualification_level", inp.highest_qualification_level),
        ("course_level", inp.course_level),
    ):
        if level is not None and not 0 <= level <= 8:
            raise ToolInputError(field, "qualification levels run from 0 (entry level) to 8")
    if inp.annual_earnings is not None and not 0 <= inp.annual_earnings <= 100_000_000:
        raise ToolInputError("annual_earnings", "earnings must be £0 or more a year")


def _notes(inp: EligibilityInput, used: list) -> list[str]:
    notes = ["Everything here says 'may be eligible': the provider checks your evidence and confirms."]
    notes.extend(dict.fromkeys(rule.caveat for rule in used if rule.caveat))
    if inp.highest_qualification_level is None:
        notes.append("Your highest qualification was not given; some schemes depend on it.")
    return notes


def funding_year(day: date) -> str:
    """Funding years run 1 August to 31 July: 25 November 2026 -> "2026-27"."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
