"""Apprenticeship levy arithmetic under the rules in force on a date.

    result = calculate_levy(LevyInput(pay_bill=4_200_000))
    result.annual_levy, result.transfer_allowance  # 6000.0, 3300.0 (on 25 November 2026)

Annual levy = rate × pay bill − (allowance × this company's share of it), never below 0.
Funds entering the account = levy × English share × (1 + top-up in force).
Transfer allowance = transfer share × the funds that entered in the previous tax year.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

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

MAX_PAY_BILL = 100_000_000_000  # £100bn: larger than any UK employer's pay bill, so a typing slip
PENNY = Decimal("0.01")


class LevyInput(BaseModel):
    pay_bill: float = Field(description="Annual UK pay bill in pounds (earnings liable to employer NICs).")
    english_percent: float = Field(
        default=100, description="Share of the workforce living in England, 0-100."
    )
    connected_companies: bool = Field(
        default=False, description="Part of a group sharing one levy allowance."
    )
    allowance_share_percent: float | None = Field(
        default=None,
        description="Share of the £15,000 allowance this company takes (connected companies), 0-100.",
    )
    on_date: date | None = Field(default=None, description="Date the rules apply to; today when omitted.")


class LevyResult(BaseModel):
    on_date: date
    pays_levy: bool
    annual_levy: float
    monthly_levy: float
    allowance_applied: float
    english_percent: float
    top_up_rate: float
    monthly_funds: float
    annual_funds: float
    transfer_share: float
    transfer_tax_year: str
    transfer_allowance: float
    expiry_months: int
    working: list[str]
    notes: list[str]
    date_basis: str
    rules_used: list[RuleUsed]


def calculate_levy(inp: LevyInput, rules: RuleBook | None = None, today: date | None = None) -> LevyResult:
    """The levy, the funds it puts in the apprenticeship service account and the transfer allowance."""
    book = rules or load_rulebook()
    day = inp.on_date or today or date.today()
    share = _validate(inp)
    rate, allowance = (
        book.rule_on("levy.rate", day, "on_date"),
        book.rule_on("levy.allowance", day, "on_date"),
    )
    top_up = book.rule_on("levy.top_up", day, "on_date")
    expiry = book.rule_on("levy.expiry_months", day, "on_date")
    transfer = book.rule_on("levy.transfer_share", day, "on_date")
    english = Decimal(str(inp.english_percent)) / 100
    pay_bill = Decimal(str(inp.pay_bill))

    gross = pay_bill * Decimal(str(rate.value))
    allowance_applied = Decimal(str(allowance.value)) * share
    annual = _money(max(Decimal(0), gross - allowance_applied))
    monthly = _money(annual / 12)
    monthly_funds = _money(monthly * english * (1 + Decimal(str(top_up.value))))
    annual_funds = _money(annual * english * (1 + Decimal(str(top_up.value))))
    tax_year, prior_factor, prior_expression, prior_rules = _previous_year_top_up(book, day)
    transfer_allowance = _money(annual * english * prior_factor * Decimal(str(transfer.value)))

    working = [
        f"Levy before the allowance: {format_percent(rate.value)} × {format_money(pay_bill)} = "
        f"{format_money(gross)}",
        _allowance_line(allowance, share, allowance_applied),
        f"Annual levy: {format_money(gross)} − {format_money(allowance_applied)} = {format_money(annual)}"
        + (" (never below £0)" if gross < allowance_applied else ""),
        f"Monthly levy: {format_money(annual)} ÷ 12 = {format_money(monthly)}",
        f"Funds entering your account each month: {format_money(monthly)} × {format_percent(english)} "
        "English share"
        f" × {_factor(top_up.value)} top-up factor = {format_money(monthly_funds)}",
        f"Funds entering a year at that rate: {format_money(annual)} × {format_percent(english)}"
        f" × {_factor(top_up.value)} = {format_money(annual_funds)}",
        f"Transfer allowance for tax year {tax_year}: {format_percent(transfer.value)} × "
        f"{format_money(annual)}"
        f" × {format_percent(english)} × {prior_expression} (top-up factor over the previous tax year, "
        "month by month)"
        f" = {format_money(transfer_allowance)}",
    ]
    used = rules_used([rate, allowance, top_up, *prior_rules, expiry, transfer])
    return LevyResult(
        on_date=day,
        pays_levy=annual > 0,
        annual_levy=float(annual),
        monthly_levy=float(monthly),
        allowance_applied=float(_money(allowance_applied)),
        english_percent=inp.english_percent,
        top_up_rate=float(top_up.value),
        monthly_funds=float(monthly_funds),
        annual_funds=float(annual_funds),
        transfer_share=float(transfer.value),
        transfer_tax_year=tax_year,
        transfer_allowance=float(transfer_allowance),
        expiry_months=int(expiry.value),
        working=working,
        notes=_notes(annual, expiry, top_up, transfer, day, today or date.today()),
        date_basis=f"Rules in force on {format_date(day)}: levy funds {_top_up_words(top_up)}; "
        f"{_expiry_words(expiry)}.",
        rules_used=used,
    )


def _validate(inp: LevyInput) -> Decimal:
    """Checks the inputs; returns the share of the allowance this company takes (0-1)."""
    if inp.pay_bill < 0:
        raise ToolInputError("pay_bill", "the pay bill cannot be negative")
    if inp.pay_bill > MAX_PAY_BILL:
        raise ToolInputError("pay_bill", "the pay bill is over £100bn; give the annual pay bill in pounds")
    if not 0 <= inp.english_percent <= 100:
        raise ToolInputError(
            "english_percent", "the English share of the workforce must be between 0 and 100"
        )
    share = inp.allowance_share_percent
    if share is not None and not 0 <= share <= 100:
        raise ToolInputError(
            "allowance_share_percent", "the share of the allowance must be between 0 and 100"
        )
    if inp.connected_companies and share is None:
        raise ToolInputError(
            "allowance_share_percent",
            "connected companies share one £15,000 allowance: say what share of it this company takes",
        )
    if not inp.connected_companies and share not in (None, 100):
        raise ToolInputError("allowance_share_percent", "only connected companies split the allowance")
    return Decimal(str(100 if share is None else share)) / 100


def _previous_year_top_up(book: RuleBook, day: date) -> tuple[str, Decimal, str, list[Rule]]:
    """The tax year `day` falls in, and the average top-up factor over the tax year before it.

    The transfer allowance is built from the funds that entered in the previous tax year, so each of its
    twelve months (6th to 5th) counts with the top-up in force when that month starts."""
    start_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    prior_months = [date(start_year - 1 + (m > 12), (m - 1) % 12 + 1, 6) for m in range(4, 16)]  # tax months
    prior_rules = [book.rule_on("levy.top_up", month, "on_date") for month in prior_months]
    factor = sum((1 + Decimal(str(rule.value)) for rule in prior_rules), Decimal(0)) / 12
    counts: dict[float, int] = {}
    for rule in prior_rules:
        counts[rule.value] = counts.get(rule.value, 0) + 1
    if len(counts) == 1:
        expression = _factor(prior_rules[0].value)
    else:
        expression = "(" + " + ".join(f"{n} × {_factor(rate)}" for rate, n in counts.items()) + ") ÷ 12"
    return f"{start_year}-{(start_year + 1) % 100:02d}", factor, expression, prior_rules


def _allowance_line(allowance: Rule, share: Decimal, applied: Decimal) -> str:
    if share == 1:
        return f"Levy allowance: {format_money(allowance.value)} a year"
    return (
        f"Levy allowance: {format_percent(share)} of the shared {format_money(allowance.value)} = "
        f"{format_money(applied)}"
    )


def _notes(annual: Decimal, expiry: Rule, top_up: Rule, transfer: Rule, day: date, today: date) -> list[str]:
    notes = []
    if annual == 0:
        notes.append(
            "With a pay bill of £3m or less (after the allowance) you pay no levy; training is co-funded "
            "instead."
        )
    notes.append(
        "The transfer allowance assumes last tax year's pay bill and English share were the same as the "
        "figures given."
    )
    notes.append(
        f"Unused funds expire {expiry.value} months after they enter the account; the oldest are used first."
    )
    notes.extend(rule.caveat for rule in (top_up, transfer) if rule.caveat)
    if day > today:
        notes.append("That date is in the future: the rules could change before then.")
    return notes


def _top_up_words(top_up: Rule) -> str:
    if top_up.value:
        return f"get a {format_percent(top_up.value)} top-up ({top_up.describe_period()})"
    return f"entering accounts {top_up.describe_period()} get no top-up"


def _expiry_words(expiry: Rule) -> str:
    return f"funds entering {expiry.describe_period()} expire after {expiry.value} months"


def _factor(top_up: float) -> str:
    return _decimal_text(1 + Decimal(str(top_up)))


def _decimal_text(value: Decimal) -> str:
    """1.1 / 1 / 1.0333 (four places at most, no trailing zeros)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text


def _money(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)
