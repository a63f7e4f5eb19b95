"""Which apprenticeship funding rules apply to one start: the employer's share and the extra payments.

Kept apart from the arithmetic in apprentice_cost.py; every age band, rate and amount comes from
corpus/rules/apprenticeships.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from connector.errors import ToolInputError
from connector.tools.rules import Rule, RuleBook, format_date, format_money, format_percent

if TYPE_CHECKING:
    from connector.tools.apprentice_cost import ApprenticeCostInput


class Payment(BaseModel):
    label: str
    amount: float
    to_whom: str
    when: str
    source: str
    confirmed: bool = True


@dataclass
class FundingDecision:
    publicly_funded: bool
    employer_share: Decimal
    share_text: str
    key_rule: Rule
    rules: list[Rule] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def in_age_band(age: int, band: Rule, has_extra_need: bool) -> bool:
    """Within min_age..max_age, or up to eligible_max_age with an EHC plan or as a care leaver."""
    if age < band.value.get("min_age", 16):
        return False
    return age <= band.get("max_age") or (has_extra_need and age <= band.get("eligible_max_age"))


def decide_funding(inp: ApprenticeCostInput, book: RuleBook, start: date) -> FundingDecision:
    """The employer's share of the fundable price under the rules in force on the start date."""
    extra_need = inp.care_leaver or inp.ehc_plan
    _check_foundation(inp, book, start, extra_need)
    level7 = book.find("apprenticeship.level7_funding", start) if inp.level == 7 else None
    if level7 is not None and not in_age_band(inp.age, level7, extra_need):
        note = (
            f"Level 7 apprenticeships starting from {format_date(level7.effective_from)} are funded only "
            "for apprentices "
            f"aged under {level7.get('max_age') + 1}, or up to {level7.get('eligible_max_age')} with an EHC "
            "plan or "
            "for care leavers; the employer can still pay for the training itself."
        )
        return FundingDecision(False, Decimal(1), "100%", level7, [level7], [note])
    rules = [level7] if level7 else []
    if inp.levy_payer:
        rule = book.rule_on("apprenticeship.levy_payer_no_funds_employer_share", start, "start_date")
        return _share(rule, rules, "levy payer once its funds are used up")
    full = book.rule_on("apprenticeship.full_funding", start, "start_date")
    max_staff = full.value.get("max_employees")
    if max_staff is not None and inp.employees is None:
        raise ToolInputError(
            "employees",
            f"for starts up to {format_date(full.effective_to or start)} the number of employees matters",
        )
    small_enough = max_staff is None or (inp.employees or 0) <= max_staff
    if small_enough and in_age_band(inp.age, full, extra_need):
        return FundingDecision(
            True, Decimal(0), "0% (fully funded: young apprentice, non-levy employer)", full, [*rules, full]
        )
    rule = book.rule_on("apprenticeship.co_investment_employer_share", start, "start_date")
    decision = _share(rule, [*rules, full], "employer that does not pay the levy")
    if (
        rule.caveat and full.effective_to is None
    ):  # the latest rules: the caveat is about whether 5% still holds
        decision.notes.append(rule.caveat)
    return decision


def _share(rule: Rule, earlier: list[Rule], who: str) -> FundingDecision:
    share = Decimal(str(rule.value))
    text = f"{format_percent(share)} ({who}; government {format_percent(1 - share)})"
    return FundingDecision(True, share, text, rule, [*earlier, rule])


def _check_foundation(inp: ApprenticeCostInput, book: RuleBook, start: date, extra_need: bool) -> None:
    if not inp.foundation:
        return
    rule = book.rule_on("apprenticeship.foundation_eligibility", start, "start_date")
    if inp.level is not None and inp.level != rule.get("level"):
        raise ToolInputError("level", f"foundation apprenticeships are at level {rule.get('level')}")
    if not in_age_band(inp.age, rule, extra_need):
        raise ToolInputError(
            "age",
            f"foundation apprenticeships are for ages {rule.get('min_age')} to {rule.get('max_age')}, or up "
            "to "
            f"{rule.get('eligible_max_age')} with an EHC plan or for care leavers",
        )


def incentives_for(
    inp: ApprenticeCostInput, book: RuleBook, start: date
) -> tuple[list[Payment], list[Rule], list[str]]:
    """Extra payments for this start (never from levy funds), the rules behind them, and notes."""
    payments: list[Payment] = []
    used: list[Rule] = []
    extra_need = inp.care_leaver or inp.ehc_plan
    extra = book.find("apprenticeship.additional_payment", start)
    if extra and in_age_band(inp.age, extra, extra_need):
        days = extra.get("instalment_days")
        for who in ("employer", "provider"):
            payments.append(
                _payment(
                    extra, extra.get(who), f"the {who}", f"two halves, at day {days[0]} and day {days[1]}"
                )
            )
        used.append(extra)
    bursary = book.find("apprenticeship.care_leaver_bursary", start)
    if bursary and inp.care_leaver and in_age_band(inp.age, bursary, False):
        payments.append(
            _payment(
                bursary,
                bursary.get("apprentice"),
                "the apprentice",
                _instalments(bursary.get("instalment_days")),
            )
        )
        used.append(bursary)
    foundation = book.find("apprenticeship.foundation_incentive", start) if inp.foundation else None
    if foundation:
        payments.append(
            _payment(
                foundation,
                foundation.get("employer"),
                "the employer",
                "3 instalments; the last on progression",
            )
        )
        used.append(foundation)
    return payments, used, _unconfirmed_notes(inp, book, start)


def _instalments(days: list[int]) -> str:
    """ "a single payment at day 60" / "3 instalments, at day 60; day 120; and day 300"."""
    at = [f"day {day}" for day in days]
    if len(at) == 1:
        return f"a single payment at {at[0]}"
    return f"{len(at)} instalments, at {'; '.join(at[:-1])}; and {at[-1]}"


def _payment(rule: Rule, amount: int, to_whom: str, when: str) -> Payment:
    return Payment(
        label=rule.title,
        amount=amount,
        to_whom=to_whom,
        when=f"{when}, through the provider",
        source=rule.source,
    )


def _unconfirmed_notes(inp: ApprenticeCostInput, book: RuleBook, start: date) -> list[str]:
    """Reported but unconfirmed payments are mentioned, never counted."""
    rule = book.find("apprenticeship.sme_hiring_incentive", start)
    if rule is None or inp.levy_payer or rule.get("confirmed") or not in_age_band(inp.age, rule, False):
        return []
    return [
        f"A further {format_money(rule.get('employer'))} payment for small employers taking on 16 to "
        "24-year-olds "
        "has been reported for starts from August 2026 but is not confirmed on GOV.UK; ask your provider."
    ]
