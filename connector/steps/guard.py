"""Guard step: stops empty, oversized or non-text messages, jailbreak and prompt-injection attempts, and
requests outside the product's scope, each with a short, friendly message.

The patterns are data: add a phrase to a tuple and a labelled example to tests/test_guard.py.
Personal data is not refused (people type it innocently); it is redacted before logging and before a
language model sees the question.
"""

from __future__ import annotations

import re
import unicodedata

from connector.contact import human_route_text
from connector.context import Context
from connector.redact import redact_pii
from connector.services import Services
from connector.types import Status

# Invisible characters used to smuggle instructions: zero-width, bidi controls and Unicode tag characters.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\U000e0000-\U000e007f]")

INJECTION_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompts?|guidelines|"
        r"directions|guardrails|restrictions|programming|sources|context|the above|everything above)\b",
        r"\b(system|hidden|initial|original|developer)\s+(prompt|message|instructions?)\b",
        r"\b(reveal|show|print|repeat|output|leak|tell me)\b.{0,30}\b(your|the)\s+(prompt|instructions|"
        r"configuration|rules)\b",
        r"\byou are (now|no longer)\b",
        r"\b(jailbreak|jailbroken|DAN mode|developer mode|god mode|unfiltered mode)\b",
        r"\b(pretend|act|behave)\b.{0,25}\b(no|without)\s+(rules|restrictions|limits|filters)\b",
        r"\bapi[\s_-]?keys?\b",
        r"\b(your|the)\s+(admin|access|secret)\s+(token|key|password)s?\b",
        r"\brepeat (the|all) (text|words|everything) above\b",
        r"<\s*/?\s*(system|sys|instructions?|prompt)\s*>",
        r"\bnew instructions?\s*:",
        r"\b(paste|dump|list)\b.{0,30}\b(every|all)\b.{0,30}\b(documents?|urls|sources|database|enquir\w+)\b",
    )
)

OFF_TOPIC_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(write|compose|make up|give me)\b.{0,30}"
        r"\b(poem|poetry|song|lyrics|limerick|haiku|rap|story|joke)s?\b",
        r"\btell me (a|another) (joke|story|riddle)\b",
        r"\b(do|solve|finish|answer|complete)\b.{0,20}\bmy\b.{0,15}\b(homework|assignment|coursework|essay|exam)\b",
        r"\b(solve|simplify|differentiate|integrate|factori[sz]e)\b.{0,30}(\d\s*[x=+*/^]|\bequation\b|\bx\b)",
        r"\b(what'?s|what is|how'?s) the weather\b|\bweather (forecast|tomorrow|today)\b",
        r"\b(football|match|cricket) (scores?|results?)\b|\bhoroscope\b|\blottery numbers\b",
        r"\brecipe for\b|\bhow (do i|to) (cook|bake)\b",
        r"\b(stock|share|crypto|bitcoin) (tips|prices?|predictions?)\b",
        r"^\s*(hi|hello|hey|hiya|good (morning|afternoon|evening)|how are you|what'?s up|thanks?|thank you)"
        r"[\s!.?]*(there|bot)?[\s!.?]*$",
        r"\b(who|what) (are|r) (you|u)\b\s*\??$",
        r"\bwho (will|should) i vote\b|\bwhat is the capital of\b|\bmeaning of life\b",
        r"\b(premier league|champions league|world cup|who(?:'s| is) going to win)\b",
        r"\b(write|debug|fix)\b.{0,20}\b(code|python|javascript|sql|program|script)\b",
        r"\btranslate\b.{0,40}\b(into|to) (french|spanish|german|polish|romanian|italian)\b",
    )
)

CONTACT_DETAILS = ("email", "card", "ni_number", "phone")

SCOPE_MESSAGE = (
    "I can help with skills, training, courses, apprenticeships and funding for employers and learners in "
    '{area}, for example "How does the apprenticeship levy work?" or "Are there free courses for adults '
    'near Colchester?"'
)
INJECTION_MESSAGE = "I can't help with that request. " + SCOPE_MESSAGE
EMPTY_MESSAGE = 'Please type a question, for example "What funding is there for apprenticeships?"'
TOO_LONG_MESSAGE = "Please keep your question under {limit} characters."
NOT_TEXT_MESSAGE = "I couldn't read that as a question. Please type it in words."


def clean_text(text: str) -> str:
    """NFKC-normalised text without invisible characters, control characters or runs of spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def looks_like_injection(text: str) -> bool:
    """Whether the text tries to steer the assistant (also used on retrieved passages)."""
    return any(pattern.search(text) for pattern in INJECTION_PATTERNS)


def looks_off_topic(text: str) -> bool:
    return any(pattern.search(text) for pattern in OFF_TOPIC_PATTERNS)


def refusal_reason(text: str, max_chars: int) -> str | None:
    """Why a (cleaned) message must be refused: empty, too_long, not_text, injection, off_topic; or None."""
    if not text:
        return "empty"
    if len(text) > max_chars:
        return "too_long"
    if sum(ch.isalpha() for ch in text) < 2:
        return "not_text"
    if looks_like_injection(text):
        return "injection"
    if looks_off_topic(text):
        return "off_topic"
    return None


def run(ctx: Context, services: Services) -> None:
    """Clean the question; stop with a refusal and the reason in ctx.notes when it must not be answered."""
    settings = services.settings
    ctx.question = clean_text(ctx.question)
    reason = refusal_reason(ctx.question, settings.max_message_chars)
    if reason is None:
        # Contact details never help answer and must not travel further (search, a model, the session).
        # A postcode stays: the course finder can use it; logs and the question log redact it.
        redacted = redact_pii(ctx.question, kinds=CONTACT_DETAILS)
        if redacted != ctx.question:
            ctx.question = redacted
            ctx.notes.append("pii_redacted")
        return
    ctx.notes.append(f"guard={reason}")
    scope = SCOPE_MESSAGE.format(area=settings.area_name)
    messages = {
        "empty": EMPTY_MESSAGE,
        "too_long": TOO_LONG_MESSAGE.format(limit=settings.max_message_chars),
        "not_text": NOT_TEXT_MESSAGE,
        "injection": INJECTION_MESSAGE.format(area=settings.area_name),
        "off_topic": scope,
    }
    ctx.route = "guard"
    ctx.stop(Status.REFUSED, f"{messages[reason]} {human_route_text(settings)}")
