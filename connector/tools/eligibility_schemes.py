"""One check per learner funding scheme: (outcome, why, next step, rule applied). Ages, levels and the
earnings threshold come from corpus/rules/learner_funding.yaml."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from connector.tools.rules import Rule, RuleBook, format_money

if TYPE_CHECKING:
    from connector.tools.eligibility import EligibilityInput

Check = tuple[Any, str, str, Rule]
NOT_WORKING = ("unemployed", "not_working")


def free_courses_for_jobs(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.free_courses_for_jobs", day, "on_date")
    threshold_rule = book.rule_on("learner.earnings_threshold", day, "on_date")
    threshold, period = threshold_rule.value, threshold_rule.describe_period()
    step = "Look for 'Free Courses for Jobs' level 3 courses at a college or provider near you."
    if inp.age < rule.get("min_age"):
        return "unlikely", f"It is for adults aged {rule.get('min_age')} and over.", step, rule
    if inp.course_level is not None and inp.course_level != rule.get("course_level"):
        return "unlikely", f"The offer covers level {rule.get('course_level')} courses only.", step, rule
    if inp.employment_status in NOT_WORKING:
        return (
            "may_be_eligible",
            "You are not working, so the earnings test is met whatever you already hold.",
            step,
            rule,
        )
    if inp.annual_earnings is None:
        why = (
            f"Free if you are unemployed or earn less than {format_money(threshold)} a year, the threshold "
            f"{period}."
        )
        return "may_be_eligible_if", why, step, rule
    if inp.annual_earnings < threshold:
        why = (
            f"You earn {format_money(inp.annual_earnings)}, below the {format_money(threshold)} threshold"
            f" in force {period}."
        )
        return "may_be_eligible", why, step, rule
    why = (
        f"You earn {format_money(inp.annual_earnings)}; the course is free only below "
        f"{format_money(threshold)}"
        f" a year (the threshold {period})."
    )
    return "unlikely", why, step, rule


def first_full_level3(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.first_full_level3", day, "on_date")
    low, high = rule.get("min_age"), rule.get("max_age")
    step = (
        "Ask the college or provider to enrol you on a full level 3 course under the adult legal entitlement."
    )
    if not low <= inp.age <= high:
        return "unlikely", f"It is for people aged {low} to {high}; you are {inp.age}.", step, rule
    if inp.course_level is not None and inp.course_level != rule.get("course_level"):
        return "unlikely", f"It pays for a first full level {rule.get('course_level')} only.", step, rule
    level = inp.highest_qualification_level
    if level is None:
        return (
            "may_be_eligible_if",
            "Free if you do not already hold a full level 3 qualification.",
            step,
            rule,
        )
    if level >= 3:
        return "unlikely", "You already hold a level 3 or higher qualification.", step, rule
    return (
        "may_be_eligible",
        f"You are {inp.age} and do not yet hold a full level 3, so your first one is free.",
        step,
        rule,
    )


def skills_bootcamps(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.skills_bootcamps", day, "on_date")
    step = "Search for Skills Bootcamps near you on GOV.UK and apply to the bootcamp provider."
    if inp.age < rule.get("min_age"):
        return "unlikely", f"Bootcamps are for adults aged {rule.get('min_age')} and over.", step, rule
    low, high, areas = rule.get("min_level"), rule.get("max_level"), ", ".join(rule.get("level2_areas"))
    if inp.course_level is None or low <= inp.course_level <= high:
        why = (
            f"Free for adults {rule.get('min_age')}+ whether working or not; usually levels {low} to {high}."
        )
        return "may_be_eligible", why, step, rule
    if inp.course_level == 2:
        return "may_be_eligible_if", f"Level 2 bootcamps exist only in {areas}.", step, rule
    return "unlikely", f"Bootcamps are usually at levels {low} to {high} (level 2 in {areas}).", step, rule


def advanced_learner_loan(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.advanced_learner_loan", day, "on_date")
    low, high = rule.get("min_level"), rule.get("max_level")
    step = (
        "Ask the provider whether the course is approved for a loan, then apply to Student Finance England."
    )
    if inp.age < rule.get("min_age"):
        return (
            "unlikely",
            f"Loans are for people aged {rule.get('min_age')} or over on the first day of the course.",
            step,
            rule,
        )
    if inp.course_level is not None and not low <= inp.course_level <= high:
        return "unlikely", f"Loans cover approved courses at levels {low} to {high}.", step, rule
    if first_full_level3(inp, book, day)[0] == "may_be_eligible":
        why = "You could take a loan, but you probably don't need one: your first full level 3 may be free."
        return "may_be_eligible", why, step, rule
    why = (
        f"Not means-tested, no credit check; for approved level {low} to {high} courses (at least "
        f"{format_money(rule.get('min_amount'))})."
    )
    return "may_be_eligible", why, step, rule


def bursary_16_19(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.bursary_16_19", day, "on_date")
    step = "Ask the student support or finance team at your school or college about the bursary."
    if inp.age < rule.get("min_age"):
        return (
            "unlikely",
            f"It is for students aged {rule.get('min_age')} to {rule.get('max_age')}.",
            step,
            rule,
        )
    if inp.age > rule.get("max_age") and not inp.ehc_plan:
        why = f"It is for ages {rule.get('min_age')} to {rule.get('max_age')}, or 19+ with an EHC plan."
        return "unlikely", why, step, rule
    if inp.care_leaver:
        why = (
            f"As a care leaver you may get the vulnerable bursary of up to "
            f"{format_money(rule.get('vulnerable_max'))} a year."
        )
        return "may_be_eligible", why, step, rule
    why = "Colleges give discretionary bursaries for costs such as travel, meals and equipment, by need."
    return "may_be_eligible", why, step, rule


def english_maths(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.english_maths", day, "on_date")
    top = rule.get("max_level")
    step = "Ask a college or adult learning service about free English or maths (Functional Skills or GCSE)."
    if inp.age < rule.get("min_age"):
        why = "Under 19, English and maths are part of your funded study programme at school or college."
        return "unlikely", why, step, rule
    if inp.course_level is not None and inp.course_level > top:
        return "unlikely", f"The entitlement covers English and maths up to level {top}.", step, rule
    why = (
        f"Free English or maths up to level {top} if you do not have a GCSE at grade 4 (C) or above in that "
        "subject."
    )
    return "may_be_eligible_if", why, step, rule


def first_full_level2(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.first_full_level2", day, "on_date")
    low, high = rule.get("min_age"), rule.get("max_age")
    step = (
        "Ask the college or provider to enrol you on a full level 2 course under the adult legal entitlement."
    )
    if not low <= inp.age <= high:
        return "unlikely", f"It is for people aged {low} to {high}; you are {inp.age}.", step, rule
    if inp.course_level is not None and inp.course_level != rule.get("course_level"):
        return "unlikely", f"It pays for a first full level {rule.get('course_level')} only.", step, rule
    if inp.highest_qualification_level is not None and inp.highest_qualification_level >= 2:
        return "unlikely", "You already hold a level 2 or higher qualification.", step, rule
    if inp.highest_qualification_level is None:
        return (
            "may_be_eligible_if",
            "Free if you do not already hold a full level 2 qualification.",
            step,
            rule,
        )
    return "may_be_eligible", f"You are {inp.age} and do not yet hold a full level 2.", step, rule


def essential_digital_skills(inp: EligibilityInput, book: RuleBook, day: date) -> Check:
    rule = book.rule_on("learner.essential_digital_skills", day, "on_date")
    top = rule.get("max_level")
    step = "Ask a college or adult learning service for a digital skills assessment."
    if inp.age < rule.get("min_age"):
        return "unlikely", f"It is for adults aged {rule.get('min_age')} and over.", step, rule
    if inp.course_level is not None and inp.course_level > top:
        return "unlikely", f"It covers essential digital skills up to level {top}.", step, rule
    why = f"Free essential digital skills courses up to level {top} if you are assessed below level {top}."
    return "may_be_eligible_if", why, step, rule


SCHEMES: list[tuple[str, Callable[..., Check]]] = [
    ("Free Courses for Jobs (level 3)", free_courses_for_jobs),
    ("First full level 3 entitlement (19 to 23)", first_full_level3),
    ("First full level 2 entitlement (19 to 23)", first_full_level2),
    ("English and maths entitlement", english_maths),
    ("Essential digital skills entitlement", essential_digital_skills),
    ("Skills Bootcamps", skills_bootcamps),
    ("Advanced Learner Loan", advanced_learner_loan),
    ("16 to 19 Bursary Fund", bursary_16_19),
]
