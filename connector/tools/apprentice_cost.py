"""Who pays for an apprentice's training and assessment, and which extra payments apply, by start date.

    result = apprentice_cost(ApprenticeCostInput(band_max=12_000, age=19, levy_payer=False,
                                                 start_date=date(2026, 9, 1)))
    result.employer_pays_total  # 0.0: non-levy employer, apprentice aged 16-24, start from August 2026

Cost to the employer = employer share × (the price up to the band maximum, less any levy funds used)
+ everything above the band maximum. The employer share comes from the rules in force on the start date.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from pydantic import BaseModel, Field

from connector.errors import ToolInputError
from connector.tools.apprentice_rules import FundingDecision, Payment, decide_funding, incentives_for
from connector.tools.rules import RuleBook, RuleUsed, format_date, format_money, load_rulebook, rules_used

MAX_PRICE = 1_000_000
MAX_FUNDS = 100_000_000_000
PENNY = Decimal("0.01")


class ApprenticeCostInput(BaseModel):
    band_max: float | None = Field(default=None, description="The standard's funding band maximum, £.")
    price: float | None = Field(
        default=None, description="The price agreed with the provider, £ (band maximum if omitted)."
    )
    age: int = Field(description="The apprentice's age on the start date.")
    care_leaver: bool = Field(default=False, description="The apprentice is or was in local-authority care.")
    ehc_plan: bool = Field(
        default=False, description="The apprentice has an education, health and care plan."
    )
    levy_payer: bool = Field(description="The employer pays the apprenticeship levy.")
    levy_funds_available: float | None = Field(
        default=None, description="Levy funds in the account, £ (levy payers)."
    )
    employees: int | None = Field(
        default=None, description="Number of employees (matters for starts before April 2024)."
    )
    level: int | None = Field(default=None, description="Apprenticeship level, 2 to 7.")
    foundation: bool = Field(
        default=False, description="A foundation apprenticeship (level 2, from August 2025)."
    )
    start_date: date | None = Field(default=None, description="Start date; today when omitted.")


class ApprenticeCostResult(BaseModel):
    start_date: date
    price: float
    band_max: float
    fundable: float
    above_band: float
    from_levy_funds: float
    government_pays: float
    employer_share_rate: float
    employer_co_investment: float
    employer_pays_total: float
    fully_funded: bool
    publicly_funded: bool
    incentives: list[Payment]
    working: list[str]
    notes: list[str]
    date_basis: str
    rules_used: list[RuleUsed]


def apprentice_cost(
    inp: ApprenticeCostInput, rules: RuleBook | None = None, today: date | None = None
) -> ApprenticeCostResult:
    """The split of the price between levy funds, government and employer, plus incentive payments."""
    book = rules or load_rulebook()
    start = inp.start_date or today or date.today()
    _validate(inp)
    price, band = _price_and_band(inp, book, start)
    decision = decide_funding(inp, book, start)
    fundable = min(price, band) if decision.publicly_funded else Decimal(0)
    above_band = price - fundable
    funds = Decimal(str(inp.levy_funds_available or 0)) if inp.levy_payer else Decimal(0)
    from_levy = min(fundable, funds)
    remaining = fundable - from_levy
    employer_co = _money(remaining * decision.employer_share)
    government = remaining - employer_co
    total = employer_co + above_band
    payments, payment_rules, payment_notes = incentives_for(inp, book, start)
    working = _working(inp, price, band, decision, from_levy, remaining, employer_co, above_band, total)
    key = decision.key_rule
    return ApprenticeCostResult(
        start_date=start,
        price=float(price),
        band_max=float(band),
        fundable=float(fundable),
        above_band=float(above_band),
        from_levy_funds=float(from_levy),
        government_pays=float(government),
        employer_share_rate=float(decision.employer_share),
        employer_co_investment=float(employer_co),
        employer_pays_total=float(total),
        fully_funded=decision.publicly_funded and decision.employer_share == 0,
        publicly_funded=decision.publicly_funded,
        incentives=[_dated(p, start) for p in payments],
        working=working,
        notes=[*decision.notes, *payment_notes, *_band_notes(inp)],
        date_basis=f"For apprenticeships starting {key.describe_period()} (this start: "
        f"{format_date(start)}): {key.summary}",
        rules_used=rules_used([*decision.rules, *payment_rules]),
    )


class ApprenticeSharesResult(BaseModel):
    """Who pays which share, before the price is known."""

    start_date: date
    publicly_funded: bool
    employer_share_rate: float
    share_text: str
    incentives: list[Payment]
    notes: list[str]
    date_basis: str
    rules_used: list[RuleUsed]


def apprentice_shares(
    inp: ApprenticeCostInput, rules: RuleBook | None = None, today: date | None = None
) -> ApprenticeSharesResult:
    """The employer's share of the price up to the band, and the extra payments; no price needed."""
    book = rules or load_rulebook()
    start = inp.start_date or today or date.today()
    _validate(inp, need_price=False)
    decision = decide_funding(inp, book, start)
    payments, payment_rules, payment_notes = incentives_for(inp, book, start)
    key = decision.key_rule
    return ApprenticeSharesResult(
        start_date=start,
        publicly_funded=decision.publicly_funded,
        employer_share_rate=float(decision.employer_share),
        share_text=decision.share_text,
        incentives=[_dated(p, start) for p in payments],
        notes=[*decision.notes, *payment_notes],
        date_basis=f"For apprenticeships starting {key.describe_period()} (this start: "
        f"{format_date(start)}): {key.summary}",
        rules_used=rules_used([*decision.rules, *payment_rules]),
    )


def _validate(inp: ApprenticeCostInput, need_price: bool = True) -> None:
    if need_price and inp.band_max is None and inp.price is None:
        raise ToolInputError("band_max", "give the standard's funding band maximum or the agreed price")
    for field, value in (("band_max", inp.band_max), ("price", inp.price)):
        if value is not None and not 0 < value <= MAX_PRICE:
            raise ToolInputError(field, f"must be more than £0 and at most {format_money(MAX_PRICE)}")
    if not 16 <= inp.age <= 99:
        raise ToolInputError("age", "an apprentice must be at least 16 (and the age must be realistic)")
    if inp.level is not None and not 2 <= inp.level <= 7:
        raise ToolInputError("level", "apprenticeship levels run from 2 to 7")
    if inp.employees is not None and not 1 <= inp.employees <= 10_000_000:
        raise ToolInputError("employees", "the number of employees must be at least 1")
    if inp.levy_funds_available is not None and not 0 <= inp.levy_funds_available <= MAX_FUNDS:
        raise ToolInputError("levy_funds_available", "levy funds must be £0 or more")
    if inp.levy_payer and inp.levy_funds_available is None:
        raise ToolInputError("levy_funds_available", "say how much is in your levy account (0 if nothing)")
    if not inp.levy_payer and inp.levy_funds_available:
        raise ToolInputError(
            "levy_funds_available", "only levy payers have levy funds (use 0 or leave it out)"
        )


def _price_and_band(inp: ApprenticeCostInput, book: RuleBook, start: date) -> tuple[Decimal, Decimal]:
    price = Decimal(str(inp.price if inp.price is not None else inp.band_max))
    band = Decimal(str(inp.band_max if inp.band_max is not None else inp.price))
    if inp.band_max is not None:
        bands = (
            book.find("apprenticeship.funding_band_range", start)
            or book.periods("apprenticeship.funding_band_range")[0]
        )
        if not bands.get("min") <= inp.band_max <= bands.get("max"):
            raise ToolInputError(
                "band_max",
                f"funding bands run from {format_money(bands.get('min'))} to "
                f"{format_money(bands.get('max'))}",
            )
    return price, band


def _working(
    inp: ApprenticeCostInput,
    price: Decimal,
    band: Decimal,
    decision: FundingDecision,
    from_levy: Decimal,
    remaining: Decimal,
    employer_co: Decimal,
    above_band: Decimal,
    total: Decimal,
) -> list[str]:
    lines = [f"Price {format_money(price)}; funding band maximum {format_money(band)}"]
    if not decision.publicly_funded:
        lines.append(
            f"No levy or government funding for this start, so the employer pays {format_money(price)}"
        )
        return lines
    lines.append(f"Part the funding can cover: the lower of the two = {format_money(min(price, band))}")
    if inp.levy_payer:
        lines.append(
            f"Paid from your levy funds: {format_money(from_levy)}; left to co-fund: "
            f"{format_money(remaining)}"
        )
    lines.append(
        f"Employer share of {format_money(remaining)}: {decision.share_text} = {format_money(employer_co)};"
        f" government pays {format_money(remaining - employer_co)}"
    )
    if above_band:
        lines.append(
            f"Above the band the employer pays in full: {format_money(price)} − {format_money(band)} = "
            f"{format_money(above_band)}"
        )
    lines.append(
        f"Employer pays in total: {format_money(employer_co)} + {format_money(above_band)} = "
        f"{format_money(total)}"
    )
    return lines


def _band_notes(inp: ApprenticeCostInput) -> list[str]:
    if inp.band_max is None:
        return ["No funding band was given: this assumes the price is within the standard's band."]
    return []


def _dated(payment: Payment, start: date) -> Payment:
    """Fill instalment days ("day 90") with calendar dates counted from the start."""

    def dated(match: re.Match[str]) -> str:
        days = int(match.group(1))
        return f"day {days}, about {format_date(start + timedelta(days=days))}"

    return payment.model_copy(update={"when": re.sub(r"\bday (\d+)\b", dated, payment.when)})


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
