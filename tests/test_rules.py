"""Rules as data: the bundled rules load and validate; a rule change is a data change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from connector.errors import ConfigError, ToolInputError
from connector.tools.levy import LevyInput, calculate_levy
from connector.tools.rules import load_rulebook, load_rulebook_from

RULE = """  - id: levy.{id}
    title: Test rule
    value: {value}
    effective_from: {start}
    {end}
    source: https://www.gov.uk/example
    summary: A rule used only in this test.
"""


def write_rules(folder: Path, entries: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "levy.yaml").write_text("rules:\n" + "".join(entries), encoding="utf-8")
    return folder


# Rules whose latest period has ended with no successor held yet; `connector corpus check` warns about
# each. Adding one here is a deliberate choice: the tools then say the current value is not held.
ENDED_WITHOUT_SUCCESSOR = {"loan.plan5_interest_rate"}  # the rate from 1 September 2026 is not confirmed


def test_bundled_rules_have_sources_summaries_and_no_gaps_today():
    book = load_rulebook()
    for rule_id in book.ids():
        periods = book.periods(rule_id)
        assert all(r.source.startswith("http") and len(r.summary) > 10 for r in periods)
        in_force = book.find(rule_id, date(2026, 11, 25)) is not None
        assert in_force != (rule_id in ENDED_WITHOUT_SUCCESSOR), rule_id


def test_overlapping_periods_are_refused(tmp_path: Path):
    folder = write_rules(
        tmp_path,
        [
            RULE.format(id="rate", value=0.005, start="2017-04-06", end="effective_to: 2027-01-01"),
            RULE.format(id="rate", value=0.006, start="2026-12-01", end=""),
        ],
    )
    with pytest.raises(ConfigError, match="overlap"):
        load_rulebook_from(folder)


def test_rule_without_source_is_refused(tmp_path: Path):
    folder = write_rules(
        tmp_path,
        [
            RULE.format(id="rate", value=1, start="2020-01-01", end="").replace(
                "    source: https://www.gov.uk/example\n", ""
            )
        ],
    )
    with pytest.raises(ConfigError, match="rule #1"):
        load_rulebook_from(folder)


def test_a_new_rate_is_a_data_change(tmp_path: Path):
    # A hypothetical 0.6% rate from 6 April 2027: 0.6% × 4,200,000 = 25,200 − 15,000 = 10,200.
    bundled = Path(__file__).resolve().parent.parent / "corpus" / "rules" / "levy.yaml"
    text = bundled.read_text(encoding="utf-8").replace(
        "    value: 0.005\n    effective_from: 2017-04-06\n",
        "    value: 0.005\n    effective_from: 2017-04-06\n    effective_to: 2027-04-05\n",
    )
    text += RULE.format(id="rate", value=0.006, start="2027-04-06", end="")
    (tmp_path / "levy.yaml").write_text(text, encoding="utf-8")
    book = load_rulebook_from(tmp_path)
    before = calculate_levy(LevyInput(pay_bill=4_200_000, on_date=date(2027, 4, 5)), rules=book)
    after = calculate_levy(LevyInput(pay_bill=4_200_000, on_date=date(2027, 4, 6)), rules=book)
    assert (before.annual_levy, after.annual_levy) == (6000.0, 10200.0)


def test_date_before_the_rules_held_is_a_tool_input_error():
    with pytest.raises(ToolInputError) as err:
        load_rulebook().rule_on("levy.transfer_share", date(2018, 1, 1), "on_date")
    assert err.value.field == "on_date" and "1 April 2018" in err.value.message


def test_levy_history_holds_the_first_transfer_cap_and_the_24_month_expiry_from_2017():
    book = load_rulebook()
    assert book.rule_on("levy.transfer_share", date(2018, 9, 1)).value == 0.10
    assert book.rule_on("levy.transfer_share", date(2019, 4, 1)).value == 0.25
    assert book.rule_on("levy.expiry_months", date(2017, 9, 1)).value == 24


def test_care_leaver_bursary_follows_the_start_date():
    book = load_rulebook()
    before = book.rule_on("apprenticeship.care_leaver_bursary", date(2023, 7, 31))
    after = book.rule_on("apprenticeship.care_leaver_bursary", date(2023, 8, 1))
    assert (before.get("apprentice"), after.get("apprentice")) == (1000, 3000)
    assert book.find("apprenticeship.care_leaver_bursary", date(2018, 7, 31)) is None


def test_off_the_job_rule_before_august_2025_caps_full_time_hours_at_a_30_hour_week():
    book = load_rulebook()
    rule = book.rule_on("apprenticeship.off_the_job", date(2024, 9, 1))
    weekly = rule.get("share") * rule.get("full_time_weekly_hours")  # 20% × 30 hours = 6 hours a week
    assert weekly == pytest.approx(rule.get("full_time_minimum_weekly_hours"))
    assert "share" in book.rule_on("apprenticeship.off_the_job", date(2021, 9, 1)).value


def test_unknown_top_level_key_in_a_rules_file_is_refused(tmp_path: Path):
    folder = write_rules(tmp_path, [RULE.format(id="rate", value=1, start="2020-01-01", end="")])
    text = (folder / "levy.yaml").read_text(encoding="utf-8")
    (folder / "levy.yaml").write_text("reviewd: 2026-01-01\n" + text, encoding="utf-8")
    with pytest.raises(ConfigError, match="reviewd"):
        load_rulebook_from(folder)
