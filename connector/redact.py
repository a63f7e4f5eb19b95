"""Personal data patterns (email, UK phone, National Insurance number, postcode, card number).

    redact_pii("email me at jo@example.com")  # -> "email me at [email]"

Used before a question is stored in the question log or shown to a language model.
"""

from __future__ import annotations

import re

# Ordered: the most specific patterns first, so a card number is not half-read as a phone number.
PII_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.IGNORECASE)),
    ("card", re.compile(r"\b(?:\d[ -]?){13,16}\b")),
    # Looser than the official allocation rules, so the common example "QQ 12 34 56 C" is caught too.
    ("ni_number", re.compile(r"\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b", re.IGNORECASE)),
    ("phone", re.compile(r"(?<![\w£])(?:\+44\s?\(?0?\)?\s?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}\b")),
    (
        "postcode",
        re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE),
    ),
)


def redact_pii(text: str, kinds: tuple[str, ...] | None = None) -> str:
    """The text with personal data (of the given kinds, default all) replaced by a [kind] marker."""
    for kind, pattern in PII_PATTERNS:
        if kinds is None or kind in kinds:
            text = pattern.sub(f"[{kind}]", text)
    return text


def pii_kinds(text: str) -> list[str]:
    """Which kinds of personal data the text contains (for a log count, never the values)."""
    return [kind for kind, pattern in PII_PATTERNS if pattern.search(text)]
