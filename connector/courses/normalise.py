"""Turning providers' free text into the catalogue's values: level, modes, cost, funding schemes.

Feeds and pages say the same thing many ways ("L3", "Level 3 Diploma", "RQF level 3"); these functions are
the one place that reads them. Word lists are data; add to them with a test.
"""

from __future__ import annotations

import re
from datetime import date

from connector.courses.model import ENTRY_LEVEL
from connector.courses.places import standalone

# Qualification names that carry a level even when the text gives no number.
QUALIFICATION_LEVELS = (
    ("entry level", ENTRY_LEVEL),
    ("t level", 3),
    ("access to he", 3),
    ("hnc", 4),
    ("higher national certificate", 4),
    ("hnd", 5),
    ("higher national diploma", 5),
    ("foundation degree", 5),
)
MODE_WORDS = (
    ("full-time", ("full time", "full-time", "fulltime", "ft")),
    ("part-time", ("part time", "part-time", "parttime", "pt")),
    ("online", ("online", "remote", "e-learning", "virtual", "distance without attendance")),
    ("distance", ("distance learning", "distance with attendance")),
    ("evening", ("evening", "evenings", "twilight")),
    ("blended", ("blended", "mixed mode", "hybrid")),
    ("apprenticeship", ("apprenticeship", "apprenticeships")),
    ("bootcamp", ("bootcamp", "bootcamps", "skills bootcamp")),
)
# XCRI-CAP 1.2 vocabulary codes (studyMode, attendanceMode, attendancePattern).
XCRI_MODE_CODES = {
    "FT": "full-time",
    "PT": "part-time",
    "DS": "online",
    "DA": "distance",
    "MM": "blended",
    "EV": "evening",
    "TW": "evening",
}
SCHEME_WORDS = (
    ("free-courses-for-jobs", ("free courses for jobs", "fcfj")),
    ("adult-skills-fund", ("adult skills fund", "asf", "adult education budget")),
    ("first-full-level-3", ("first full level 3", "without a full level 3")),
    ("legal-entitlement", ("legal entitlement",)),
    ("skills-bootcamp", ("skills bootcamp",)),
    ("advanced-learner-loan", ("advanced learner loan", "learner loan")),
    ("apprenticeship", ("apprenticeship levy", "apprenticeship funding", "co-investment")),
    ("16-19", ("16-19", "16 to 19", "aged 16-18", "16-18")),
    ("tuition-fee-loan", ("tuition fee loan", "student finance", "lifelong learning entitlement")),
)
FREE_WORDS = ("free", "fully funded", "no fee", "no cost", "£0", "nil")
PRICE = re.compile(r"(?:£|gbp\s?)\s?(\d[\d,]*(?:\.\d{1,2})?)", re.IGNORECASE)


def level_from_text(*texts: str) -> int | None:
    """The first RQF level stated in the texts: "Level 3", "L3", "RQF level 4", "Entry 3", "HNC" -> 4."""
    for text in texts:
        lowered = (text or "").lower()
        if re.search(r"\bentry[\s-]+(?:level|[1-3]\b)", lowered) or lowered.strip() == "entry":
            return ENTRY_LEVEL
        match = re.search(r"\b(?:rqf\s+|nvq\s+)?(?:level|l)\s?([1-8])\b", lowered)
        if match:
            return int(match.group(1))
        if re.fullmatch(r"\s*([1-8])\s*", lowered):
            return int(lowered.strip())
        for words, level in QUALIFICATION_LEVELS:
            if re.search(rf"\b{re.escape(words)}\b", lowered):
                return level
    return None


def modes_from_text(*texts: str) -> list[str]:
    """Every mode named in the texts (a course may be part-time AND evening)."""
    found: list[str] = []
    for text in texts:
        lowered = f" {(text or '').lower()} "
        for mode, words in MODE_WORDS:
            if mode not in found and any(standalone(w).search(lowered) for w in words):
                found.append(mode)
    return found


def schemes_from_text(*texts: str) -> list[str]:
    lowered = " ".join(texts).lower()
    found = [scheme for scheme, words in SCHEME_WORDS if any(w in lowered for w in words)]
    if "first-full-level-3" in found and "legal-entitlement" in found:
        found.remove("legal-entitlement")  # "first full level 3 legal entitlement" is the level 3 one
    return found


def price_from_text(text: str) -> float | None:
    """The course fee in a cost text ("£1,250 per year" -> 1250.0), skipping earnings thresholds
    ("earning under £26,800"); None when there is no fee."""
    for match in PRICE.finditer(text or ""):
        before = (text[max(0, match.start() - 30) : match.start()]).lower()
        if not re.search(r"\b(under|below|earn\w*|salary|income|threshold|up to|over|above)\W*$", before):
            return float(match.group(1).replace(",", ""))
    return None


def says_free(text: str) -> bool:
    """True when the provider's own words say the course is free (perhaps to eligible learners)."""
    lowered = (text or "").lower()
    if re.search(r"\b(not free|non-refundable|fee applies)\b", lowered):
        return False
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", lowered) for w in FREE_WORDS) or _zero_price(
        lowered
    )


def _zero_price(text: str) -> bool:
    price = price_from_text(text)
    return price == 0.0


def parse_date(text: str) -> date | None:
    """An ISO date or date-time (or a year-month) -> date; None for anything else."""
    cleaned = (text or "").strip()
    for candidate, fmt_len in ((cleaned[:10], 10), (cleaned[:7] + "-01", 10)):
        if len(candidate) == fmt_len:
            try:
                return date.fromisoformat(candidate)
            except ValueError:
                continue
    return None


def clean_text(text: str, limit: int = 2000) -> str:
    """Whitespace collapsed and cut to a sane length (crawled text is untrusted)."""
    return " ".join((text or "").split())[:limit]
