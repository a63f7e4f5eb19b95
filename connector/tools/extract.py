"""Pull the figures and facts the funding tools need out of a chat message.

    amounts("pay bill £4.2m, £420k in funds")  # [Amount(4200000.0, ...), Amount(420000.0, ...)]
    age_of("I'm 24 with no level 3")  # 24
    flags_of("he is a care leaver and we don't pay the levy")  # {"care_leaver": True, "levy_payer": False}

Only what is said is taken; nothing is guessed. Wording that is ambiguous yields nothing, so the chat asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

MULTIPLIERS = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
AMOUNT = re.compile(
    r"(?P<pound>£)?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mult>k|thousand|mn|m|million|bn|billion)\b)?",
    re.IGNORECASE,
)
PERCENT = re.compile(r"(\d{1,3}(?:\.\d+)?)\s?(?:%|per ?cent)", re.IGNORECASE)
AGE_PATTERNS = (
    r"\baged?\s+(\d{1,3})\b",
    r"\b(\d{1,3})[- ]years?[- ]old\b",
    r"\b(?:i'?m|i am|he'?s|she'?s|they'?re|he is|she is|they are|will be)\s+(\d{1,3})\b"
    r"(?!\s*(?:%|k\b|£|staff|employees))",
    r"\bage\s+(?:of\s+)?(\d{1,3})\b",
    r"\b(?:apprentice|learner|student|son|daughter)\s+(?:is|will be|who is)\s+(\d{1,2})\b(?!\s*(?:%|k\b|£))",
)
LEVEL = re.compile(r"\b(?:level|l)\s?([0-9]|one|two|three|four|five|six|seven|eight)\b", re.IGNORECASE)
LEVEL_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
MONTHS = {
    m: i
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
    )
}
DATE_ISO = re.compile(r"\b(20\d\d)-(\d\d)-(\d\d)\b")
DATE_WORDS = re.compile(
    r"\b(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(20\d\d)\b",
    re.IGNORECASE,
)
EMPLOYEES = re.compile(r"\b(\d{1,7})[- ]?(?:staff|employees|people|person|strong)\b", re.IGNORECASE)

FLAG_PATTERNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "care_leaver": (
        (r"\bcare[- ]leaver|\b(?:was|were|been|is|are) in (?:local[- ]authority )?care\b", True),
    ),
    "ehc_plan": ((r"\behc ?p\b|\behcp\b|\behc plan|education,? health and care plan", True),),
    "levy_payer": (
        (
            r"\b(?:don'?t|do not|doesn'?t|does not|never) pay (?:the |any )?levy"
            r"|\bnon[- ]levy|not a levy[- ]pay|\bno levy\b"
            # Below the £3m pay bill that makes an employer pay: said as a threshold or as size.
            r"|\b(?:under|below) the (?:apprenticeship levy|levy|£3 ?m(?:illion)?) threshold"
            r"|\bwe(?:'re| are) (?:under|below) the (?:apprenticeship )?levy\b"
            r"|\btoo small (?:to|for) (?:pay )?the levy",
            False,
        ),
        (
            r"\bwe(?:'re| are) (?:a )?levy[- ]pay|(?<!do )\bwe pay (?:the )?levy"
            r"|\blevy[- ]paying (?:employer|company|firm)",
            True,
        ),
    ),
    "connected_companies": ((r"\bconnected compan|\bgroup of companies|\bpart of a group\b", True),),
    "foundation": ((r"\bfoundation apprentice", True),),
    "lives_in_england": ((r"\b(?:live|living|based) in (?:scotland|wales|northern ireland)\b", False),),
}
EMPLOYMENT = (
    (r"\bunemployed\b|\bout of work\b|\bnot working\b|\bjobless\b|\blooking for work\b", "unemployed"),
    (r"\bself[- ]employed\b|\bfreelanc", "self_employed"),
    (r"\bi (?:work|am employed|'m employed)\b|\bmy job\b|\bi earn\b|\bemployed\b", "employed"),
)


@dataclass(frozen=True)
class Amount:
    value: float
    start: int
    end: int
    has_pound: bool


def amounts(text: str) -> list[Amount]:
    """Money amounts: "£4.2m", "4,200,000", "£420k", "3 million"; bare small numbers are not money."""
    found = []
    for m in AMOUNT.finditer(text):
        raw, mult, pound = m.group("num"), m.group("mult"), bool(m.group("pound"))
        if not (pound or mult or "," in raw):
            continue
        if mult and mult.lower() == "m" and not pound and _looks_like_minutes(text, m.end()):
            continue
        value = float(raw.replace(",", "")) * MULTIPLIERS.get((mult or "").lower(), 1)
        found.append(Amount(value, m.start(), m.end(), pound))
    return found


def _looks_like_minutes(text: str, end: int) -> bool:
    return bool(re.match(r"\s*(?:in|of)\b", text[end:]))


def amount_near(text: str, keywords: str, window: int = 40) -> float | None:
    """The first amount whose preceding words (within `window` characters) match `keywords`."""
    pattern = re.compile(keywords, re.IGNORECASE)
    for amount in amounts(text):
        before = text[max(0, amount.start - window) : amount.start]
        if pattern.search(before):
            return amount.value
    return None


def amount_before(text: str, following: str) -> float | None:
    """The first amount directly followed by words matching `following` ("£24k a year")."""
    pattern = re.compile(following, re.IGNORECASE)
    return next((a.value for a in amounts(text) if pattern.search(text[a.end : a.end + 20])), None)


def percent_near(text: str, keywords: str, window: int = 50) -> float | None:
    """A percentage with `keywords` shortly before or after it."""
    pattern = re.compile(keywords, re.IGNORECASE)
    for m in PERCENT.finditer(text):
        around = text[max(0, m.start() - window) : m.end() + window]
        if pattern.search(around):
            return float(m.group(1))
    return None


def age_of(text: str) -> int | None:
    """ "aged 23", "23 years old", "23-year-old", "I'm 24", "age 19"."""
    for pattern in AGE_PATTERNS:
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return int(m.group(1))
    return None


def levels_of(text: str) -> dict[str, int]:
    """highest_qualification_level / course_level: "no level 3", "I have a level 2", "a level 3 course"."""
    found: dict[str, int] = {}
    lowered = text.lower()
    if re.search(r"\bno (?:formal )?qualifications\b", lowered):
        found["highest_qualification_level"] = 0
    for m in LEVEL.finditer(text):
        level = _level_number(m.group(1))
        before = lowered[max(0, m.start() - 30) : m.start()]
        if re.search(
            r"\b(?:no|without|not got|don'?t have|haven'?t got)\s+(?:a\s+|any\s+)?(?:full\s+)?$", before
        ):
            found.setdefault("highest_qualification_level", max(level - 1, 0))
        elif re.search(
            # "have" is the learner's own ("I'm 24, have level 2"), not a provider's ("do you have level 3").
            r"(?:(?:\bi|\balready|\band|,|^)\s*have|\bi've got|\bi hold|\bhighest is|\bgot)"
            r"\s+(?:a\s+|an\s+)?$",
            before,
        ):
            found.setdefault("highest_qualification_level", level)
        else:
            found.setdefault("course_level", level)
    return found


def _level_number(token: str) -> int:
    return int(token) if token.isdigit() else LEVEL_WORDS[token.lower()]


def date_in(text: str) -> date | None:
    """ "2026-09-01", "1 September 2026", "September 2026" (the 1st); None when absent or impossible."""
    m = DATE_ISO.search(text)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = DATE_WORDS.search(text)
        if m:
            return date(int(m.group(3)), MONTHS[m.group(2).lower()[:3]], int(m.group(1) or 1))
    except ValueError:
        return None
    return None


def employees_of(text: str) -> int | None:
    m = EMPLOYEES.search(text)
    return int(m.group(1)) if m else None


def flags_of(text: str) -> dict[str, bool]:
    """Yes/no facts stated: care leaver, EHC plan, levy payer, connected, foundation, lives in England."""
    flags: dict[str, bool] = {}
    for name, options in FLAG_PATTERNS.items():
        for pattern, value in options:
            if re.search(pattern, text, re.IGNORECASE):
                flags[name] = value
                break
    return flags


def employment_of(text: str) -> str | None:
    for pattern, status in EMPLOYMENT:
        if re.search(pattern, text, re.IGNORECASE):
            return status
    return None
