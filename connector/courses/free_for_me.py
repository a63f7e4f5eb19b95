"""Is a course free for this learner? The course's own funding statement, checked against the learner
funding rules (connector/tools/eligibility.py) for the learner's age, earnings and qualifications.

    learner = Learner(age=24, annual_earnings=21_000)
    free, why = free_for_me(course, learner, today)

"Free" stays "may be free": the provider confirms eligibility. When the eligibility rules are not
installed, only the course's own word counts.
"""

from __future__ import annotations

import importlib.util
import logging
from datetime import date

from pydantic import BaseModel, Field

from connector.courses.model import Course
from connector.errors import ToolInputError

log = logging.getLogger(__name__)

ELIGIBILITY_MODULE = "connector.tools.eligibility"
# Our funding scheme keys -> the eligibility tool's scheme names.
TOOL_SCHEMES = {
    "free-courses-for-jobs": "Free Courses for Jobs (level 3)",
    "first-full-level-3": "First full level 3 entitlement (19 to 23)",
    "skills-bootcamp": "Skills Bootcamps",
}
POSSIBLE = ("may_be_eligible", "may_be_eligible_if")
NOT_WORKING = ("unemployed", "not_working")
EMPLOYMENT = ("employed", "self_employed", "unemployed", "not_working", "student")
AGE_16_TO_18 = range(16, 19)


class Learner(BaseModel):
    """What a learner told us; every field optional except the age, which every rule needs."""

    age: int = Field(ge=16, le=100)
    highest_qualification_level: int | None = Field(default=None, ge=0, le=8)
    annual_earnings: float | None = Field(default=None, ge=0)
    employment_status: str | None = None

    @classmethod
    def from_params(cls, **params: object) -> Learner | None:
        """A Learner from loose values; None when no age is given; ToolInputError naming a bad field."""
        values = {k: v for k, v in params.items() if v not in (None, "")}
        if "age" not in values:
            return None
        for name, low, high in (("age", 16, 100), ("highest_qualification_level", 0, 8)):
            if name in values and not (str(values[name]).isdigit() and low <= int(str(values[name])) <= high):
                raise ToolInputError(name, f"{name} must be a whole number from {low} to {high}")
        if values.get("employment_status", EMPLOYMENT[0]) not in EMPLOYMENT:
            raise ToolInputError(
                "employment_status", f"employment_status must be one of {', '.join(EMPLOYMENT)}"
            )
        if "annual_earnings" in values and not _non_negative_number(values["annual_earnings"]):
            raise ToolInputError("annual_earnings", "annual_earnings must be £0 or more a year")
        return cls.model_validate(values)


def free_for_me(course: Course, learner: Learner, today: date | None = None) -> tuple[bool, str]:
    """(may be free for this learner, why) from the course's funding statement and the rules."""
    if not course.free and course.cost_gbp != 0:
        return False, "The provider charges a fee for this course."
    if "apprenticeship" in course.modes:
        return True, "Apprentices pay no training fee; the employer funds the training."
    if not course.funding_schemes:
        return True, "The provider says this course is free."
    outcomes = _scheme_outcomes(course, learner, today or date.today())
    if not outcomes:
        return True, "The provider says this course is free; check its conditions with them."
    possible = [why for scheme, (outcome, why) in outcomes.items() if outcome in POSSIBLE]
    if possible:
        return True, possible[0]
    return False, next(iter(outcomes.values()))[1]


def _scheme_outcomes(course: Course, learner: Learner, today: date) -> dict[str, tuple[str, str]]:
    day = max(course.next_start(today) or today, today)
    results = _tool_outcomes(course, learner, day)
    for scheme in course.funding_schemes:
        if scheme == "16-19":
            outcome = "may_be_eligible" if learner.age in AGE_16_TO_18 else "unlikely"
            results[scheme] = (outcome, "Free for learners aged 16 to 18.")
        elif scheme == "legal-entitlement":
            outcome = "may_be_eligible_if" if learner.age >= 19 else "unlikely"
            results[scheme] = (outcome, "Free for adults 19+ who do not yet have this level in the subject.")
        elif scheme == "adult-skills-fund" or (scheme == "free-courses-for-jobs" and course.level != 3):
            results[scheme] = _low_wage(learner, day)
    return results


def _tool_outcomes(course: Course, learner: Learner, day: date) -> dict[str, tuple[str, str]]:
    wanted = {s: TOOL_SCHEMES[s] for s in course.funding_schemes if s in TOOL_SCHEMES}
    if not wanted or importlib.util.find_spec(ELIGIBILITY_MODULE) is None:
        return {}
    from connector.tools.eligibility import EligibilityInput, check_eligibility

    inp = EligibilityInput(
        age=learner.age, highest_qualification_level=learner.highest_qualification_level,
        annual_earnings=learner.annual_earnings, employment_status=learner.employment_status,  # type: ignore[arg-type]
        course_level=course.level, on_date=day,
    )  # fmt: skip
    try:
        result = check_eligibility(inp)
    except ToolInputError as error:
        log.info("eligibility not checked field=%s", error.field)
        return {}
    by_name = {s.scheme: (s.outcome, s.why) for s in result.schemes}
    return {key: by_name[name] for key, name in wanted.items() if name in by_name}


def _low_wage(learner: Learner, day: date) -> tuple[str, str]:
    """The Adult Skills Fund test: 19+ and unemployed or earning under the threshold in force."""
    threshold = _earnings_threshold(day)
    if learner.age < 19:
        return "unlikely", "Adult funding starts at 19; ask about 16 to 18 study programmes."
    if learner.employment_status in NOT_WORKING:
        return "may_be_eligible", "You are not working, so adult funding may cover this course."
    if learner.annual_earnings is None or threshold is None:
        return (
            "may_be_eligible_if",
            "Free if you are unemployed or earn under the Adult Skills Fund threshold.",
        )
    if learner.annual_earnings < threshold:
        return "may_be_eligible", f"You earn under the £{threshold:,.0f} Adult Skills Fund threshold."
    return "unlikely", f"It is free only for those earning under £{threshold:,.0f} a year."


def _earnings_threshold(day: date) -> float | None:
    if importlib.util.find_spec("connector.tools.rules") is None:
        return None
    from connector.tools.rules import load_rulebook

    rule = load_rulebook().find("learner.earnings_threshold", day)
    return float(rule.value) if rule is not None else None


def _non_negative_number(value: object) -> bool:
    try:
        return float(str(value)) >= 0
    except ValueError:
        return False
