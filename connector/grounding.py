"""What an answer may carry only when its passages carry it too: contact details and web addresses.

    answer = without_unsourced_details(answer, passages)   # in the check step

An email address, phone number, National Insurance or card number, or a site's address in an answer must
appear in the passages the answer was made from. A sentence with one that does not is dropped: it came
from the model's imagination, from another visitor's words, or from an instruction (an attacker's "send
your bank details to refunds@..."), and a person would act on it. Markup is also taken out: answers are
plain text, and a widget or chat client must never be handed a tag or a script link.
"""

from __future__ import annotations

import re

from connector.redact import CONTACT_KINDS, PII_PATTERNS

SENTENCE_END = re.compile(r"((?<=[.!?\]])\s+)")
# A site named without a scheme ("cheap-certs.example", "www.gov.uk/apply"); the last label is letters.
SITE = re.compile(r"\b(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/[^\s)\]]*)?", re.IGNORECASE)
TAG = re.compile(r"</?\s*[a-z][a-z0-9]*\b[^<>]*>", re.IGNORECASE)
SCRIPT_LINK = re.compile(r"\b(?:javascript|vbscript)\s*:[^\s)\]]*|\bdata:[a-z]+/[^\s)\]]*", re.IGNORECASE)
CONTACT_PATTERNS = [pattern for kind, pattern in PII_PATTERNS if kind in CONTACT_KINDS]


def digits_and_letters(text: str) -> str:
    return re.sub(r"[^a-z0-9@.]", "", text.lower())


def unsourced(sentence: str, passages: str) -> bool:
    """The sentence gives a contact detail or a site that the passages do not."""
    flat = digits_and_letters(passages)
    for pattern in CONTACT_PATTERNS:
        if any(digits_and_letters(m.group(0)) not in flat for m in pattern.finditer(sentence)):
            return True
    lowered = passages.lower()
    return any(_host(m.group(0)) not in lowered for m in SITE.finditer(sentence))


def _host(address: str) -> str:
    host = re.sub(r"^https?://", "", address.lower()).split("/", 1)[0]
    return host.removeprefix("www.")


def without_markup(answer: str) -> str:
    return SCRIPT_LINK.sub("", TAG.sub("", answer))


def without_unsourced_details(answer: str, passages: str) -> str:
    """The answer, markup removed, without sentences giving details its passages do not hold."""
    pieces = SENTENCE_END.split(without_markup(answer))  # sentence, separator, sentence, ...
    kept = [piece for i, piece in enumerate(pieces) if i % 2 or not unsourced(piece, passages)]
    return "".join(kept)
