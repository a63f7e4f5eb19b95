"""Levy calculator: worked examples checked by hand, boundaries and bad input."""

from __future__ import annotations

from datetime import date

import pytest

from connector.errors import ToolInputError
from connector.tools.intents import inputs_for
from connector.tools.levy import LevyInput, calculate_levy

TODAY = date(2026, 11, 25)


def levy(pay_bill: float, on: date = TODAY, **kw: object):
    return calculate_levy(LevyInput(pay_bill=pay_bill, on_date=on, **kw), today=TODAY)


def test_pay_bill_of_4_2m_after_august_2026_has_no_top_up_and_transfer_uses_last_years_top_up():
    # 0.5% × 4,200,000 = 21,000; − 15,000 allowance = 6,000 a year; ÷ 12 = 500 a month.
    # Funds in from Aug 2026: 500 × 100% × 1.00 = 500 a month, 6,000 a year.
    # Tax year 2026-27 transfer: previous year 2025-26 had the 10% top-up all year:
    # 50% × 6,000 × 1.10 = 3,300.
    r = levy(4_200_000)
    assert (r.annual_levy, r.monthly_levy) == (6000.0, 500.0)
    assert (r.monthly_funds, r.annual_funds, r.top_up_rate) == (500.0, 6000.0, 0.0)
    assert (r.transfer_tax_year, r.transfer_allowance, r.transfer_share) == ("2026-27", 3300.0, 0.5)
    assert r.expiry_months == 12
    assert "from 1 August 2026" in r.date_basis
    assert any("£21,000 − £15,000 = £6,000" in line for line in r.working)


def test_top_up_applies_before_august_2026():
    # 31 July 2026: 500 × 1.10 = 550 a month; 6,000 × 1.10 = 6,600 a year; funds expire after 24 months.
    r = levy(4_200_000, date(2026, 7, 31))
    assert (r.monthly_funds, r.annual_funds, r.top_up_rate, r.expiry_months) == (550.0, 6600.0, 0.1, 24)
    after = levy(4_200_000, date(2026, 8, 1))
    assert (after.monthly_funds, after.annual_funds, after.expiry_months) == (500.0, 6000.0, 12)


def test_transfer_allowance_in_2027_28_counts_four_months_of_top_up_in_previous_year():
    # 2026-27 months Apr-Jul at 1.10 and Aug-Mar at 1.00: (4 × 1.1 + 8 × 1) ÷ 12 = 12.4 ÷ 12.
    # 50% × 6,000 × 12.4 ÷ 12 = 3,100.
    r = levy(4_200_000, date(2027, 6, 1))
    assert r.transfer_tax_year == "2027-28"
    assert r.transfer_allowance == 3100.0
    assert any("(4 × 1.1 + 8 × 1) ÷ 12" in line for line in r.working)


def test_transfer_cap_was_25_percent_before_april_2024():
    # 31 March 2024 (tax year 2023-24): 25% × 6,000 × 1.10 = 1,650. From 6 April 2024: 50% → 3,300.
    assert levy(4_200_000, date(2024, 3, 31)).transfer_allowance == 1650.0
    assert levy(4_200_000, date(2024, 4, 10)).transfer_allowance == 3300.0


def test_pay_bill_of_exactly_3m_pays_no_levy():
    # 0.5% × 3,000,000 = 15,000 − 15,000 = 0.
    r = levy(3_000_000)
    assert (r.annual_levy, r.monthly_levy, r.annual_funds, r.transfer_allowance) == (0.0, 0.0, 0.0, 0.0)
    assert r.pays_levy is False
    assert any("£3m or less" in note for note in r.notes)


def test_pay_bill_just_above_3m_pays_a_little_levy():
    # 0.5% × 3,000,100 = 15,000.50 − 15,000 = 0.50 a year.
    r = levy(3_000_100)
    assert r.annual_levy == 0.5 and r.pays_levy


def test_small_pay_bill_never_gives_negative_levy():
    assert levy(1_000_000).annual_levy == 0.0


def test_english_share_scales_funds_not_levy():
    # 10m: 0.5% × 10,000,000 = 50,000 − 15,000 = 35,000 levy. 80% English, no top-up: 28,000 a year.
    # Transfer 2026-27: 50% × 35,000 × 80% × 1.10 = 15,400.
    r = levy(10_000_000, english_percent=80)
    assert (r.annual_levy, r.annual_funds, r.transfer_allowance) == (35000.0, 28000.0, 15400.0)
    # Monthly: 35,000 ÷ 12 = 2,916.67 (pence rounded, as declared); × 80% = 2,333.336 → 2,333.34.
    assert (r.monthly_levy, r.monthly_funds) == (2916.67, 2333.34)


def test_connected_company_uses_only_its_share_of_the_allowance():
    # 4.2m, 40% of the £15,000 = 6,000 allowance: 21,000 − 6,000 = 15,000 levy; 1,250 a month.
    r = levy(4_200_000, connected_companies=True, allowance_share_percent=40)
    assert (r.allowance_applied, r.annual_levy, r.monthly_levy) == (6000.0, 15000.0, 1250.0)


def test_connected_company_with_no_share_pays_levy_below_3m():
    # 2m, no allowance: 0.5% × 2,000,000 = 10,000.
    assert levy(2_000_000, connected_companies=True, allowance_share_percent=0).annual_levy == 10000.0


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"pay_bill": -1}, "pay_bill"),
        ({"pay_bill": 100_000_000_001}, "pay_bill"),
        ({"pay_bill": 4e6, "english_percent": 101}, "english_percent"),
        ({"pay_bill": 4e6, "english_percent": -5}, "english_percent"),
        ({"pay_bill": 4e6, "connected_companies": True}, "allowance_share_percent"),
        (
            {"pay_bill": 4e6, "connected_companies": True, "allowance_share_percent": 150},
            "allowance_share_percent",
        ),
        ({"pay_bill": 4e6, "on_date": date(2016, 1, 1)}, "on_date"),
    ],
)
def test_bad_input_names_the_field(kwargs: dict, field: str):
    with pytest.raises(ToolInputError) as err:
        calculate_levy(LevyInput(**kwargs), today=TODAY)
    assert err.value.field == field


def test_every_rule_used_has_a_source_and_period():
    r = levy(4_200_000)
    assert {u.id for u in r.rules_used} >= {
        "levy.rate",
        "levy.allowance",
        "levy.top_up",
        "levy.transfer_share",
    }
    assert all(u.source.startswith("http") and u.period for u in r.rules_used)


def test_first_days_of_april_2019_use_the_2018_19_tax_year():
    # 2 April 2019 is in tax year 2018-19; its previous year (2017-18) had the 10% top-up from 6 April 2017.
    # The 25% cap applies from 1 April 2019: 25% × 6,000 × 1.10 = 1,650.
    r = levy(4_200_000, date(2019, 4, 2))
    assert (r.transfer_tax_year, r.transfer_allowance) == ("2018-19", 1650.0)


def test_a_sum_of_levy_is_never_read_as_the_pay_bill():
    assert inputs_for("levy", "We're giving £30k of our unused levy. Where does it go?") == {}
    assert inputs_for("levy", "We have £12,000 in levy funds left.") == {}
    # A pay bill stated beside the levy is still the pay bill.
    assert inputs_for("levy", "Our pay bill is £4m, what's our levy?")["pay_bill"] == 4_000_000
    assert inputs_for("levy", "£5m, how much levy is that?")["pay_bill"] == 5_000_000
