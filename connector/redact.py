"""Personal data in a message: emails, UK phones, National Insurance and card numbers, postcodes, names.

    redact_pii("email me at jo@example.com")                    # -> "email me at [email]"
    redact_personal_data("I'm Jane Smith, CM14 4AB, 07700 900123")  # -> "I'm [name], CM14, [phone]"

`redact_pii` replaces contact details and postcodes by a [kind] marker; the answer path uses it before a
question reaches search, a language model or the session. `redact_personal_data` is for what is stored
(the question log, feedback comments): it also takes out names, and cuts a full postcode to its district,
because "CM14" is useful demand data and no longer points at a household.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from connector.names import find_names

# Ordered: the most specific patterns first, so a card number is not half-read as a phone number.
PII_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    # 13 to 19 digits in groups; only a run that passes the Luhn check is a card (see _CHECKS).
    ("card", re.compile(r"(?<![\w.,£])\d(?:[ -]?\d){12,18}(?![\w.,]\d|\w)")),
    # Looser than the official allocation rules, so the common example "QQ 12 34 56 C" is caught too.
    ("ni_number", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),
    (
        "phone",
        re.compile(
            r"(?<![\w£.+])(?:"
            r"(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?\d(?:[ \t-]?\d){8,9}"  # +44 7700 900123, 0044 (0)20 7946 0958
            r"|\(0\d{2,4}\)[\s-]?\d{3,4}[\s-]?\d{3,4}"  # (01245) 123456
            r"|0\d(?:[ \t-]?\d){8,9}"  # 07700 900123, 020-7946-0958, 01245 123456, 0800 100 900
            r")(?!\d)"
        ),
    ),
    (
        "postcode",
        re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE),
    ),
)
CONTACT_KINDS = ("email", "card", "ni_number", "phone")
MARKER = re.compile(r"\[(?:email|card|ni_number|phone|postcode|name)\]")


def luhn_valid(digits: str) -> bool:
    """The Luhn check every payment card number passes (and most course codes and figures fail)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(found: str) -> bool:
    digits = re.sub(r"\D", "", found)
    return 13 <= len(digits) <= 19 and luhn_valid(digits)


_CHECKS: dict[str, Callable[[str], bool]] = {"card": _card}


def _is_kind(kind: str, found: str) -> bool:
    check = _CHECKS.get(kind)
    return check is None or check(found)


def _replace(kind: str, pattern: re.Pattern[str], text: str, marker: str) -> str:
    return pattern.sub(lambda m: marker if _is_kind(kind, m.group()) else m.group(), text)


def redact_pii(text: str, kinds: tuple[str, ...] | None = None) -> str:
    """The text with personal data (of the given kinds, default all) replaced by a [kind] marker."""
    for kind, pattern in PII_PATTERNS:
        if kinds is None or kind in kinds:
            text = _replace(kind, pattern, text, f"[{kind}]")
    return text


def pii_kinds(text: str) -> list[str]:
    """Which kinds of personal data the text contains (for a log count, never the values)."""
    found = ((kind, pattern.finditer(text)) for kind, pattern in PII_PATTERNS)
    return [kind for kind, matches in found if any(_is_kind(kind, m.group()) for m in matches)]


def redact_personal_data(text: str) -> str:
    """The text as it may be stored: contact details and names marked, full postcodes cut to the district."""
    text = redact_pii(text, kinds=CONTACT_KINDS)
    postcode = dict(PII_PATTERNS)["postcode"]
    beside = [m.span() for m in MARKER.finditer(text)] + [m.span() for m in postcode.finditer(text)]
    for start, end in reversed(find_names(text, beside)):
        text = text[:start] + "[name]" + text[end:]
    return postcode.sub(lambda m: m.group(1).upper(), text)
