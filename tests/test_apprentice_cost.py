"""Apprentice cost: who pays what by start date, age and circumstances; checked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from connector.errors import ToolInputError
from connector.tools.apprentice_cost import ApprenticeCostInput, apprentice_cost

BEFORE = date(2026, 7, 31)  # last day of the 2025-26 funding rules
AFTER = date(2026, 8, 1)  # first day of the 2026-27 funding rules


def cost(**kw: object):
    kw.setdefault("band_max", 12_000)
    kw.setdefault("levy_payer", False)
    return apprentice_cost(ApprenticeCostInput(**kw), today=date(2026, 11, 25))


@pytest.mark.parametrize(
    ("age", "start", "employer_pays"),
    [
        (21, BEFORE, 0.0),  # 16-21 fully funded at non-levy employers since April 2024
        (22, BEFORE, 600.0),  # 5% × 12,000 = 600 (22-24 only with an EHC plan or as a care leaver)
        (24, BEFORE, 600.0),
        (22, AFTER, 0.0),  # from August 2026 fully funded up to 24
        (24, AFTER, 0.0),
        (25, AFTER, 600.0),  # 25+: still 5% × 12,000 = 600
        (25, BEFORE, 600.0),
    ],
)
def test_non_levy_employer_share_by_age_either_side_of_august_2026(
    age: int, start: date, employer_pays: float
):
    r = cost(age=age, start_date=start)
    assert r.employer_pays_total == employer_pays
    assert r.government_pays == 12_000 - employer_pays


def test_ehc_plan_or_care_leaver_aged_22_to_24_was_fully_funded_before_august_2026():
    assert cost(age=24, ehc_plan=True, start_date=BEFORE).employer_pays_total == 0.0
    assert cost(age=23, care_leaver=True, start_date=BEFORE).employer_pays_total == 0.0
    # 25 with an EHC plan: outside the band, 5% × 12,000 = 600.
    assert cost(age=25, ehc_plan=True, start_date=BEFORE).employer_pays_total == 600.0


def test_date_basis_names_the_rule_period():
    assert "starting from 1 August 2026" in cost(age=22, start_date=AFTER).date_basis
    assert "starting 1 April 2024 to 31 July 2026" in cost(age=21, start_date=BEFORE).date_basis


def test_price_above_band_is_paid_by_employer_in_full():
    # Price 13,000, band 12,000, age 30: 5% × 12,000 = 600, plus 1,000 above the band = 1,600.
    r = cost(price=13_000, age=30, start_date=AFTER)
    assert (r.employer_co_investment, r.above_band, r.employer_pays_total, r.government_pays) == (
        600.0,
        1000.0,
        1600.0,
        11400.0,
    )


def test_levy_payer_out_of_funds_pays_25_percent_from_august_2026_and_5_percent_before():
    # Funds 4,000 cover part of 12,000; 8,000 left. After: 25% × 8,000 = 2,000, govt 6,000.
    after = cost(age=30, levy_payer=True, levy_funds_available=4_000, start_date=AFTER)
    assert (after.from_levy_funds, after.employer_pays_total, after.government_pays) == (
        4000.0,
        2000.0,
        6000.0,
    )
    # Before: 5% × 8,000 = 400, govt 7,600.
    before = cost(age=30, levy_payer=True, levy_funds_available=4_000, start_date=BEFORE)
    assert (before.employer_pays_total, before.government_pays) == (400.0, 7600.0)


def test_levy_payer_with_enough_funds_pays_nothing_extra():
    r = cost(age=40, levy_payer=True, levy_funds_available=50_000, start_date=AFTER)
    assert (r.from_levy_funds, r.employer_pays_total, r.government_pays) == (12000.0, 0.0, 0.0)


def test_young_apprentice_brings_1000_to_employer_and_provider_in_two_halves():
    r = cost(age=17, start_date=date(2026, 9, 1))
    payments = {(p.to_whom, p.amount) for p in r.incentives}
    assert payments == {("the employer", 1000.0), ("the provider", 1000.0)}
    # Day 90 after 1 September 2026 = 30 November 2026.
    assert all("30 November 2026" in p.when for p in r.incentives)


def test_ages_19_to_24_get_additional_payments_only_with_ehc_plan_or_care():
    assert cost(age=21, start_date=AFTER).incentives == []
    assert len(cost(age=24, ehc_plan=True, start_date=AFTER).incentives) == 2
    assert cost(age=25, ehc_plan=True, start_date=AFTER).incentives == []


def test_care_leaver_gets_3000_bursary_and_additional_payments():
    r = cost(age=22, care_leaver=True, start_date=AFTER)
    amounts = sorted((p.to_whom, p.amount) for p in r.incentives)
    assert amounts == [("the apprentice", 3000.0), ("the employer", 1000.0), ("the provider", 1000.0)]


def test_unconfirmed_sme_incentive_is_mentioned_but_not_counted():
    r = cost(age=19, start_date=AFTER)
    assert all(p.amount != 2000 for p in r.incentives)
    assert any("not confirmed" in note for note in r.notes)
    assert not any("not confirmed" in note for note in cost(age=19, start_date=BEFORE).notes)


def test_level_7_over_21_is_not_funded_from_january_2026():
    r = cost(
        band_max=20_000,
        age=30,
        level=7,
        levy_payer=True,
        levy_funds_available=40_000,
        start_date=date(2026, 2, 1),
    )
    assert (r.publicly_funded, r.from_levy_funds, r.employer_pays_total) == (False, 0.0, 20000.0)
    young = cost(band_max=20_000, age=21, level=7, start_date=date(2026, 2, 1))
    assert young.publicly_funded and young.employer_pays_total == 0.0
    # Started before 1 January 2026: the levy funds still pay.
    old = cost(
        band_max=20_000,
        age=30,
        level=7,
        levy_payer=True,
        levy_funds_available=40_000,
        start_date=date(2025, 12, 1),
    )
    assert old.from_levy_funds == 20000.0


def test_foundation_apprenticeship_adds_up_to_2000_for_employer():
    r = cost(band_max=4_000, age=19, foundation=True, start_date=AFTER)
    assert ("Foundation apprenticeship employer incentive", 2000.0) in {
        (p.label, p.amount) for p in r.incentives
    }


def test_before_april_2024_small_employer_size_mattered():
    # 2023: under 50 staff and aged 17 → fully funded; 60 staff → 5% × 12,000 = 600.
    assert cost(age=17, employees=40, start_date=date(2023, 9, 1)).employer_pays_total == 0.0
    assert cost(age=17, employees=60, start_date=date(2023, 9, 1)).employer_pays_total == 600.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"band_max": None, "age": 20}, "band_max"),
        ({"band_max": 30_000, "age": 20}, "band_max"),
        ({"band_max": 12_000, "price": -5, "age": 20}, "price"),
        ({"age": 15}, "age"),
        ({"age": 20, "level": 9}, "level"),
        ({"age": 20, "levy_payer": True}, "levy_funds_available"),
        ({"age": 17, "start_date": date(2023, 9, 1)}, "employees"),
        ({"age": 26, "foundation": True, "band_max": 4000}, "age"),
        ({"age": 20, "start_date": date(2018, 1, 1)}, "start_date"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str):
    with pytest.raises(ToolInputError) as err:
        cost(**kwargs)
    assert err.value.field == field
