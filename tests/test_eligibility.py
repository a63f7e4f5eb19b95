"""Learner funding eligibility: which schemes may apply, with why, date basis, source and next step."""

from __future__ import annotations

from datetime import date

import pytest

from connector.errors import ToolInputError
from connector.tools.eligibility import EligibilityInput, check_eligibility

TODAY = date(2026, 11, 25)


def outcomes(**kw: object) -> dict[str, str]:
    result = check_eligibility(EligibilityInput(**kw), today=TODAY)
    return {s.scheme: s.outcome for s in result.schemes}


FCFJ = "Free Courses for Jobs (level 3)"
L3 = "First full level 3 entitlement (19 to 23)"
BOOT = "Skills Bootcamps"
LOAN = "Advanced Learner Loan"
BURSARY = "16 to 19 Bursary Fund"


def test_colchester_24_year_old_on_low_pay_may_get_free_level_3_but_not_the_19_23_entitlement():
    o = outcomes(
        age=24,
        highest_qualification_level=2,
        annual_earnings=21_000,
        employment_status="employed",
        course_level=3,
    )
    assert o[FCFJ] == "may_be_eligible"  # 21,000 < 26,800 (2026-27 threshold)
    assert o[L3] == "unlikely"  # 24 is over 23
    assert o[BOOT] == "may_be_eligible" and o[LOAN] == "may_be_eligible" and o[BURSARY] == "unlikely"


def test_earnings_threshold_follows_the_funding_year():
    # 26,000: below 26,800 (from 1 Aug 2026), not below 25,750 (2025-26).
    kw = dict(age=30, annual_earnings=26_000, employment_status="employed", course_level=3)
    assert outcomes(**kw, on_date=date(2026, 8, 1))[FCFJ] == "may_be_eligible"
    assert outcomes(**kw, on_date=date(2026, 7, 31))[FCFJ] == "unlikely"


def test_earnings_at_threshold_is_not_below_it():
    assert outcomes(age=30, annual_earnings=26_800, course_level=3)[FCFJ] == "unlikely"


def test_unemployed_adult_meets_the_earnings_test_whatever_they_hold():
    assert (
        outcomes(age=40, highest_qualification_level=6, employment_status="unemployed")[FCFJ]
        == "may_be_eligible"
    )


def test_unknown_earnings_gives_a_conditional_answer_with_the_threshold():
    result = check_eligibility(EligibilityInput(age=30, employment_status="employed"), today=TODAY)
    fcfj = next(s for s in result.schemes if s.scheme == FCFJ)
    assert fcfj.outcome == "may_be_eligible_if" and "£26,800" in fcfj.why


@pytest.mark.parametrize(
    ("age", "expected"),
    [(18, "unlikely"), (19, "may_be_eligible"), (23, "may_be_eligible"), (24, "unlikely")],
)
def test_first_full_level_3_is_for_19_to_23_without_a_level_3(age: int, expected: str):
    assert outcomes(age=age, highest_qualification_level=2, course_level=3)[L3] == expected


def test_first_full_level_3_not_for_someone_who_holds_one():
    assert outcomes(age=20, highest_qualification_level=3, course_level=3)[L3] == "unlikely"


def test_loan_notes_that_a_first_full_level_3_may_be_free():
    result = check_eligibility(
        EligibilityInput(age=21, highest_qualification_level=2, course_level=3), today=TODAY
    )
    loan = next(s for s in result.schemes if s.scheme == LOAN)
    assert "don't need one" in loan.why


def test_loans_and_bootcamps_depend_on_course_level():
    o = outcomes(age=30, course_level=7)
    assert o[LOAN] == "unlikely" and o[BOOT] == "unlikely"
    assert outcomes(age=30, course_level=2)[BOOT] == "may_be_eligible_if"


def test_care_leaver_aged_17_may_get_the_vulnerable_bursary():
    result = check_eligibility(EligibilityInput(age=17, care_leaver=True), today=TODAY)
    bursary = next(s for s in result.schemes if s.scheme == BURSARY)
    assert bursary.outcome == "may_be_eligible" and "£1,200" in bursary.why


def test_19_plus_with_ehc_plan_may_get_the_bursary():
    assert outcomes(age=20, ehc_plan=True)[BURSARY] == "may_be_eligible"
    assert outcomes(age=20)[BURSARY] == "unlikely"


def test_outside_england_nothing_applies():
    assert set(outcomes(age=24, lives_in_england=False).values()) == {"unlikely"}


def test_every_scheme_has_why_date_basis_source_and_provider_next_step():
    result = check_eligibility(EligibilityInput(age=24), today=TODAY)
    assert result.funding_year == "2026-27"
    for s in result.schemes:
        assert s.why and "rule in force" in s.date_basis and s.source.startswith("http")
        assert "provider confirms" in s.next_step
    assert any("may be eligible" in note for note in result.notes)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"age": 12}, "age"),
        ({"age": 30, "course_level": 9}, "course_level"),
        ({"age": 30, "highest_qualification_level": -1}, "highest_qualification_level"),
        ({"age": 30, "annual_earnings": -100}, "annual_earnings"),
        ({"age": 30, "on_date": date(2023, 1, 1)}, "on_date"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str):
    with pytest.raises(ToolInputError) as err:
        check_eligibility(EligibilityInput(**kwargs), today=TODAY)
    assert err.value.field == field


def test_adults_without_gcse_grade_4_may_study_english_and_maths_free_up_to_level_2():
    assert outcomes(age=40)["English and maths entitlement"] == "may_be_eligible_if"
    assert outcomes(age=40, course_level=3)["English and maths entitlement"] == "unlikely"
    assert outcomes(age=17)["English and maths entitlement"] == "unlikely"


def test_a_first_full_level_2_is_free_from_19_to_23_for_those_without_one():
    level2 = "First full level 2 entitlement (19 to 23)"
    assert outcomes(age=20, highest_qualification_level=1, course_level=2)[level2] == "may_be_eligible"
    assert outcomes(age=20, highest_qualification_level=2, course_level=2)[level2] == "unlikely"
    assert outcomes(age=30, highest_qualification_level=1, course_level=2)[level2] == "unlikely"


def test_essential_digital_skills_are_free_for_adults_assessed_below_level_1():
    digital = "Essential digital skills entitlement"
    assert outcomes(age=65)[digital] == "may_be_eligible_if"
    assert outcomes(age=65, course_level=3)[digital] == "unlikely"
