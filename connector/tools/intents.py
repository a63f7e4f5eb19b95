"""The tool inputs a chat message states, for the funding tool the route step chose by meaning.

inputs_for("levy", "our pay bill is £4.2m, 80% of staff in England")  # {"pay_bill": 4200000.0, ...}
yes_no("no, we don't")  # False: a reply to a yes/no question the chat asked
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from connector.tools import extract

COURSE_START = re.compile(r"\b(?:start|began|begin|enrol)\w*|\bsince\b", re.IGNORECASE)
BEFORE_DATE = re.compile(r"\bbefore\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z]+\.?\s+20\d\d", re.I)
BARE_YEAR = re.compile(r"(?<![\d-])(20[1-3]\d)(?![\d-])")
YES = re.compile(r"^\s*(?:yes|yeah|yep|we do|we are|correct|it does|they are|he is|she is)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(?:no|nope|we don'?t|we do not|not|none|it doesn'?t|they aren'?t)\b", re.IGNORECASE)

NO_FUNDS = re.compile(
    r"\bnothing left\b|\bno (?:levy )?funds\b|\brun out\b|\bused (?:it |them )?(?:all )?up\b|\bempty\b",
    re.IGNORECASE,
)
EARNINGS_BEFORE = r"\bearn|\bsalary|\bincome|\bpaid\b|\bwage|\bon (?:about |around |roughly )?$"
PER_YEAR = r"^\s*(?:a|per) (?:year|yr|annum)\b|^\s*p\.?a\.?\b"
PAY_BILL_WORDS = r"pay ?bill|payroll|wage bill|salar(?:y|ies)|pay(?:ing)? out|spend on pay"
# What follows a sum of levy, not of pay: "£30k of our unused levy", "£12,000 in levy funds".
LEVY_SUM = re.compile(
    r"\s*(?:of|in)\s+(?:(?:our|the|your|my|its|their)\s+)?(?:\w+\s+)?(?:levy|funds?)\b", re.I
)


def yes_no(text: str) -> bool | None:
    """A bare yes or no reply to a question the chat asked."""
    if NO.match(text):
        return False
    if YES.match(text):
        return True
    return None


def inputs_for(tool: str, text: str) -> dict[str, Any]:
    """The inputs of `tool` that the message states (JSON-safe: dates as ISO strings)."""
    found = {
        "levy": _levy_inputs,
        "apprentice_cost": _apprentice_inputs,
        "eligibility": _eligibility_inputs,
        "loan": _loan_inputs,
    }[tool](text)
    return {key: value for key, value in found.items() if value is not None}


def _levy_inputs(text: str) -> dict[str, Any]:
    flags = extract.flags_of(text)
    pay_bill = extract.amount_near(text, PAY_BILL_WORDS) or _largest_amount(text)
    return {
        "pay_bill": pay_bill,
        "english_percent": extract.percent_near(text, r"england|english"),
        "connected_companies": flags.get("connected_companies"),
        "allowance_share_percent": extract.percent_near(text, r"allowance"),
        "on_date": _iso(extract.date_in(text)),
    }


def _apprentice_inputs(text: str) -> dict[str, Any]:
    flags = extract.flags_of(text)
    band = extract.amount_near(text, r"\bband")
    funds = extract.amount_near(text, r"\bfunds?\b|\baccount\b|\blevy pot\b|\bbalance\b|\bleft\b")
    price = extract.amount_near(text, r"\bprice|\bcosts?\b|\bcharg|\bquot|\bfees?\b")
    if band is None and price is None:
        rest = [a.value for a in extract.amounts(text) if a.value != funds]
        price = rest[0] if len(rest) == 1 else None
    if funds is None and flags.get("levy_payer") and NO_FUNDS.search(text):
        funds = 0.0
    levels = extract.levels_of(text)
    return {
        "band_max": band,
        "price": price if price != band else None,
        "age": extract.age_of(text),
        "care_leaver": flags.get("care_leaver"),
        "ehc_plan": flags.get("ehc_plan"),
        "levy_payer": flags.get("levy_payer"),
        "levy_funds_available": funds,
        "employees": extract.employees_of(text),
        "level": levels.get("course_level"),
        "foundation": flags.get("foundation"),
        "start_date": _iso(extract.date_in(text)),
    }


def _eligibility_inputs(text: str) -> dict[str, Any]:
    flags = extract.flags_of(text)
    levels = extract.levels_of(text)
    return {
        "age": extract.age_of(text),
        "highest_qualification_level": levels.get("highest_qualification_level"),
        "course_level": levels.get("course_level"),
        "annual_earnings": extract.amount_near(text, EARNINGS_BEFORE)
        or extract.amount_before(text, PER_YEAR),
        "employment_status": extract.employment_of(text),
        "care_leaver": flags.get("care_leaver"),
        "ehc_plan": flags.get("ehc_plan"),
        "lives_in_england": flags.get("lives_in_england"),
        "on_date": _iso(extract.date_in(text)),
    }


def _loan_inputs(text: str) -> dict[str, Any]:
    amounts = [a.value for a in extract.amounts(text)]
    income = extract.amount_near(text, EARNINGS_BEFORE) or extract.amount_before(text, PER_YEAR)
    return {
        "annual_income": income if income is not None else (amounts[0] if len(amounts) == 1 else None),
        "course_start_date": _iso(_course_start(text)),
    }


def _course_start(text: str) -> date | None:
    """The course start date; "before August 2023" is the day before, so it falls in the earlier plan."""
    day = extract.date_in(text)
    if day is None:
        return _course_start_year(text)
    return day - timedelta(days=1) if BEFORE_DATE.search(text) else day


def _course_start_year(text: str) -> date | None:
    """A bare year for when the course started ("it started in 2022", or just "2022" as a reply).

    Plan 2 covers courses before 1 August 2023 and Plan 5 those from it, so any year but 2023 settles
    the plan (1 September of that year is used); "2023" alone does not, and the chat asks for the month."""
    for match in BARE_YEAR.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        short_reply = len(text.split()) <= 4
        year = int(match.group(1))
        if year != 2023 and (short_reply or COURSE_START.search(before)):
            return date(year, 9, 1)
    return None


def _largest_amount(text: str) -> float | None:
    """The largest sum the message states, other than a sum of levy itself ("£30k of our unused levy")."""
    values = [a.value for a in extract.amounts(text) if not LEVY_SUM.match(text[a.end :])]
    return max(values) if values else None


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
