"""Which funding tool a chat message is for, and the tool inputs it states.

    tool_for("our pay bill is £4.2m, what do we pay?")  # "levy"
    inputs_for("levy", "our pay bill is £4.2m, 80% of staff in England")  # {"pay_bill": 4200000.0, ...}

Only calculations go to the tools; general questions ("how do levy transfers work?") are left to search.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from connector.tools import extract

LEVY_TOPIC = re.compile(
    r"\blevy\b|\bpay ?bill\b|\bpayroll\b|\bwage bill\b|\btransfer allowance\b", re.IGNORECASE
)
LEVY_SUM = re.compile(
    r"\bhow much (?:apprenticeship )?levy (?:do|will|would|should|must|does) (?:we|i|our \w+)\b"
    r"|\bhow much (?:do|will|would) we (?:have to )?pay (?:in |for |towards )?(?:the |our )?"
    r"(?:apprenticeship )?levy"
    r"|\b(?:work out|calculate) (?:our|my|the) levy|\bwhat(?:'s| is| will be| would be) our levy\b"
    r"|\bwhat (?:do|will|would) we pay in levy\b",
    re.IGNORECASE,
)
PAY_BILL_FIGURE = re.compile(r"\bpay ?bill\b|\bpayroll\b|\bwage bill\b", re.IGNORECASE)
APPRENTICE = re.compile(r"\bapprentices?\b|\bapprentice's\b", re.IGNORECASE)
APPRENTICE_COST = re.compile(
    r"\bcost|\bco-?invest|\bcontribut|\bwho pays\b|\bfully funded\b|\bour share\b"
    r"|\bpay (?:towards|for) (?:the |their |his |her )?training"
    r"|\bwhat (?:do|will|would|does) (?:we|it) (?:have to )?(?:pay|cost)\b",
    re.IGNORECASE,
)
NOT_TRAINING_COST = re.compile(r"\bwages?\b|\bsalary\b|\bnational insurance\b|\bNICs?\b|\bminimum\b|\bNI\b")
ELIGIBILITY = re.compile(
    r"\beligib|\bqualify for\b|\bentitled\b"
    r"|\bcan i (?:get|have|apply for|do)\b.*\b(?:free|fund|loan|bursary|bootcamp)"
    r"|\b(?:free|funded) for me\b|\bdo i (?:have|need) to pay\b|\bfunding (?:for|can) (?:me|i)\b"
    r"|\bhelp (?:paying|to pay) for\b|\bpay for (?:my|a|the) course\b|\bwhat funding\b.*\b(?:i|me)\b",
    re.IGNORECASE,
)
LOAN_TOPIC = re.compile(r"\b(?:advanced )?learner loans?\b|(?-i:\bALL\b)|\bstudent loans?\b", re.IGNORECASE)
LOAN_REPAY = re.compile(r"\brepa(?:y|ying|yment|yments|id)\b|\bpay(?:ing)? (?:it |this |that )?back\b", re.I)
COURSE_START = re.compile(r"\b(?:start|began|begin|enrol)\w*|\bsince\b", re.IGNORECASE)
BEFORE_DATE = re.compile(r"\bbefore\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+)?[a-z]+\.?\s+20\d\d", re.I)
BARE_YEAR = re.compile(r"(?<![\d-])(20[1-3]\d)(?![\d-])")
FIRST_PERSON = re.compile(r"\b(?:i|i'm|i am|me|my)\b", re.IGNORECASE)
WHAT_IF = re.compile(
    r"^\s*(?:and |but |ok,? |so )?(?:what if|what about|how about|and if|and for|same for)\b", re.I
)
YES = re.compile(r"^\s*(?:yes|yeah|yep|we do|we are|correct|it does|they are|he is|she is)\b", re.IGNORECASE)
NO = re.compile(r"^\s*(?:no|nope|we don'?t|we do not|not|none|it doesn'?t|they aren'?t)\b", re.IGNORECASE)

NO_FUNDS = re.compile(
    r"\bnothing left\b|\bno (?:levy )?funds\b|\brun out\b|\bused (?:it |them )?(?:all )?up\b|\bempty\b",
    re.IGNORECASE,
)
EARNINGS_BEFORE = r"\bearn|\bsalary|\bincome|\bpaid\b|\bwage|\bon (?:about |around |roughly )?$"
PER_YEAR = r"^\s*(?:a|per) (?:year|yr|annum)\b|^\s*p\.?a\.?\b"
PAY_BILL_WORDS = r"pay ?bill|payroll|wage bill|salar(?:y|ies)|pay(?:ing)? out|spend on pay"


def tool_for(text: str) -> str | None:
    """ "levy", "apprentice_cost", "eligibility" or "loan" when the message asks for that calculation."""
    has_amount = bool(extract.amounts(text))
    if has_amount and LOAN_TOPIC.search(text) and LOAN_REPAY.search(text):
        return "loan"
    if PAY_BILL_FIGURE.search(text) and has_amount:
        return "levy"
    if _asks_apprentice_cost(text, has_amount):
        return "apprentice_cost"
    if LEVY_TOPIC.search(text) and (has_amount or LEVY_SUM.search(text)):
        return "levy"
    if ELIGIBILITY.search(text) and FIRST_PERSON.search(text):
        return "eligibility"
    return None


def _asks_apprentice_cost(text: str, has_amount: bool) -> bool:
    """An apprentice's training cost with at least one figure (an amount or an age) to work from."""
    if not (APPRENTICE.search(text) and APPRENTICE_COST.search(text)):
        return False
    if NOT_TRAINING_COST.search(text) and not re.search(r"\bband\b", text, re.IGNORECASE):
        return False
    return has_amount or extract.age_of(text) is not None


def on_topic(tool: str, text: str) -> bool:
    """Whether a message talks about the subject of `tool` at all."""
    topic = {
        "levy": LEVY_TOPIC,
        "apprentice_cost": APPRENTICE,
        "eligibility": FIRST_PERSON,
        "loan": LOAN_TOPIC,
    }[tool]
    return bool(topic.search(text))


def is_what_if(text: str) -> bool:
    return bool(WHAT_IF.match(text))


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
    values = [a.value for a in extract.amounts(text)]
    return max(values) if values else None


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None
