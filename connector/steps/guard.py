"""Guard step: stops empty, oversized or non-text messages, jailbreak and prompt-injection attempts, and
requests outside the product's scope, each with a short, friendly message.

The patterns are data: add a phrase to a tuple and a labelled example to tests/test_guard.py.
Personal data is not refused (people type it innocently); it is redacted before logging and before a
language model sees the question.

A question written in another language gets a short reply in that language (corpus/languages.yaml) saying
that the assistant answers in English only, with the human contact: the pages and every check on an answer
are English. The language is decided only when sure: by the script for Urdu, Bengali and other non-Latin
writing, and for Latin writing by py3langid on a question of at least three words that has no common
English word and that the detector puts far from English. Anything less sure is answered as English.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from connector.contact import CAREERS_NAME, CAREERS_PHONE, CAREERS_URL, human_route_text
from connector.context import Context
from connector.data_files import data_mapping
from connector.errors import ConfigError
from connector.guard_patterns import deception_patterns
from connector.language_id import language_identifier
from connector.redact import redact_pii
from connector.services import Services
from connector.settings import PROJECT_ROOT, Settings
from connector.types import Status

# Invisible characters used to smuggle instructions: zero-width, bidi controls and Unicode tag characters.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\U000e0000-\U000e007f]")

INJECTION_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # Overriding the assistant's own instructions. Words only an assistant has (its prompt, sources)
        # count with any determiner; words a funding scheme has too (rules, restrictions) only when the
        # question says whose, so "can we ignore the rules on off-the-job training?" is still a question.
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|prompts?|sources|context|"
        r"programming|guardrails)\b",
        r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(your|previous|prior|above|earlier|preceding|"
        r"initial|original|system|all)\b.{0,20}\b(rules|guidelines|directions|restrictions)\b",
        r"\b(ignore|disregard|forget)\b.{0,10}\b(the above|everything above|all of the above)\b",
        r"\b(system|hidden|initial|original|developer)\s+(prompt|message|instructions?)\b",
        r"\b(reveal|show|print|repeat|output|leak|tell me)\b.{0,30}\b(your\s+(prompt|instructions|"
        r"configuration|rules|guidelines|settings)|the\s+(prompt|configuration)\b|the\s+instructions\s+"
        r"(above|you were given))",
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
        # asking what the assistant is for: answered with what it can help with
        r"^\s*(help|help me|what can (you|i) (do|ask)( here| you)?|what do you do)[\s!.?]*$",
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
    'near me?"'
)
INJECTION_MESSAGE = "I can't help with that request. " + SCOPE_MESSAGE
FRAUD_MESSAGE = (
    "I can't help with that: it would mean deceiving someone. If you think funding or a qualification is "
    "being misused, Action Fraud (0300 123 2040) and the Department for Education take reports."
)
EMPTY_MESSAGE = 'Please type a question, for example "What funding is there for apprenticeships?"'
TOO_LONG_MESSAGE = "Please keep your question under {limit} characters."
NOT_TEXT_MESSAGE = "I couldn't read that as a question. Please type it in words."
# A figure on its own, with no conversation it could answer: ask what it is about, never guess.
NUMBER_ONLY_MESSAGE = (
    "Could you tell me a little more? A figure on its own could be an age, a pay bill or a course price. "
    'For example: "I\'m 35, can I get a free course?" or "Our pay bill is £4m, how much levy do we pay?"'
)


LANGUAGES_FILE = PROJECT_ROOT / "corpus" / "languages.yaml"
# Placeholders a reply may use; one has {route}, or all of the contact ones (see corpus/languages.yaml).
REPLY_FIELDS = frozenset({"chamber", "contact", "careers", "careers_url", "careers_phone", "route"})
CONTACT_FIELDS = frozenset({"chamber", "contact", "careers_url", "careers_phone"})
OTHER_LANGUAGE = "other"  # any language without its own reply: the English fallback line

# Latin writing: a question this short ("35", "Anytown", "level 3 plumbing", "yes please") is never taken
# for another language, however the detector labels it.
MIN_WORDS = 3
MIN_LETTERS = 15
# The detector (py3langid, 140 languages) must give its top language at least this probability and English
# at most this. Measured on 405 English questions (the eval sets, the guard's labelled set, place names,
# acronyms, codes, postcodes, misspellings) and on 1,898 English sentences and 4,990 three- to six-word
# fragments of the corpus and the college site: no English text passes both (the lowest English probability
# of any of them was 0.008, with a top probability of 0.12), while 68 of 69 short questions in 11 other
# Latin-script languages do (top at least 0.34, English at most 0.003).
MIN_CONFIDENCE = 0.3
MAX_ENGLISH = 0.01
# Labels that are English in effect: Nigerian Pidgin (English-based) and "no language" (codes, numbers).
ENGLISH_LIKE = frozenset({"en", "pcm", "zxx"})
# Common English words that none of the reply languages uses: one of them means the question is English,
# or English enough to answer ("cursos para adultos near Anytown?").
_ENGLISH_MARKER_TEXT = """
    the what how where which when why who does there you your with about near please need want would could
    should this that have and any get
"""
ENGLISH_MARKERS = frozenset(_ENGLISH_MARKER_TEXT.split())
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# Non-Latin writing: this many letters, most of the question's letters, say the language by themselves.
MIN_SCRIPT_LETTERS = 3
# Letters of Urdu that Arabic and Persian do not use (ٹ ڈ ڑ ں ھ ہ ے).
URDU_LETTERS = frozenset("\u0679\u0688\u0691\u06ba\u06be\u06c1\u06d2")
# Languages the detector may name for a script, for the scripts several languages share.
SCRIPT_LANGUAGES = {
    "ARABIC": ("ur", "ar", "fa", "ps", "ug", "sdh", "ary", "arz"),
    "CYRILLIC": ("uk", "ru", "bg", "sr", "mk", "be", "kk", "ky", "mn", "tg", "tt", "ba"),
}
SCRIPT_LANGUAGE = {"BENGALI": "bn", "CJK": "zh"}
KANA = frozenset({"HIRAGANA", "KATAKANA"})
ARABIC_DIALECTS = {"ary": "ar", "arz": "ar"}


@dataclass(frozen=True)
class LanguageReplies:
    """The replies of corpus/languages.yaml: language code -> reply template, and the English fallback."""

    replies: dict[str, str]
    fallback: str


def _reply(raw: object, where: str) -> str:
    """An entry's reply, on one line, checked: only known placeholders, and the contact given."""
    if not isinstance(raw, dict) or not isinstance(raw.get("reply"), str) or not raw["reply"].strip():
        raise ConfigError(f"{where}: needs a `name` and a non-empty `reply`")
    reply = " ".join(raw["reply"].split())
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(reply) if name is not None}
    except ValueError as error:
        raise ConfigError(f"{where}: a stray brace in the reply: {error}") from error
    if fields - REPLY_FIELDS:
        raise ConfigError(f"{where}: unknown placeholder(s) {sorted(fields - REPLY_FIELDS)}")
    if "route" not in fields and not fields >= CONTACT_FIELDS:
        missing = sorted(CONTACT_FIELDS - fields)
        raise ConfigError(f"{where}: the reply must give the contact, missing {missing}")
    return reply


@cache
def language_replies(path: Path = LANGUAGES_FILE) -> LanguageReplies:
    """The replies, read and checked once; a missing or malformed file is a configuration error (the file
    is part of the product, and start-up stops naming the problem)."""
    needs = "needs `fallback` and a `languages` map of code -> name and reply"
    raw, languages = data_mapping(path, "the language replies", "languages", needs)
    fallback = _reply(raw.get("fallback"), f"{path}: fallback")
    replies: dict[str, str] = {}
    for code, entry in languages.items():
        if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}", code) or code == "en":
            raise ConfigError(f"{path}: {code!r} is not a language code (ISO 639-1, lower case, not en)")
        replies[code] = _reply(entry, f"{path}: {code}")
    return LanguageReplies(replies=replies, fallback=fallback)


def _script(char: str) -> str:
    """The script of a letter, as the first word of its Unicode name (LATIN, ARABIC, BENGALI, CJK, ...)."""
    return unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]


def question_language(text: str) -> str | None:
    """The language of a question written in another language, when sure: a code of
    corpus/languages.yaml ("pl", "ur", ...) or "other"; None for English, and whenever unsure."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    scripts = Counter(_script(char) for char in letters)
    script, count = scripts.most_common(1)[0]
    if script == "LATIN" or count * 2 < len(letters):
        code = _latin_language(text)
    elif count < MIN_SCRIPT_LETTERS:
        return None
    elif scripts.keys() & KANA:
        code = OTHER_LANGUAGE  # Japanese: kanji with kana, not Chinese
    else:
        code = _script_language(text, script)
    if code is None:
        return None
    return code if code in language_replies().replies else OTHER_LANGUAGE


def _script_language(text: str, script: str) -> str:
    if script == "ARABIC" and URDU_LETTERS & set(text):
        return "ur"
    if script in SCRIPT_LANGUAGE:
        return SCRIPT_LANGUAGE[script]
    if script in SCRIPT_LANGUAGES:
        scores = dict(language_identifier().rank(text))
        best = max(SCRIPT_LANGUAGES[script], key=lambda code: scores.get(code, 0.0))
        return ARABIC_DIALECTS.get(best, best)
    return OTHER_LANGUAGE


def _latin_language(text: str) -> str | None:
    words = [word for word in WORD.findall(text) if not (word.isupper() and len(word) > 1)]  # not acronyms
    if len(words) < MIN_WORDS or sum(len(word) for word in words) < MIN_LETTERS:
        return None
    if any(word.lower() in ENGLISH_MARKERS for word in words):
        return None
    ranked = language_identifier().rank(text)
    top, confidence = ranked[0]
    english = dict(ranked).get("en", 0.0)
    if top in ENGLISH_LIKE or confidence < MIN_CONFIDENCE or english > MAX_ENGLISH:
        return None
    return str(top)


def language_reply(code: str, settings: Settings) -> str:
    """The reply to a question in language `code` (or "other"), with the Chamber's and the National
    Careers Service's contacts filled in."""
    replies = language_replies()
    reach = " / ".join(filter(None, (settings.chamber_contact_email, settings.chamber_contact_phone)))
    return replies.replies.get(code, replies.fallback).format(
        chamber=settings.chamber_name,
        contact=f" ({reach})" if reach else "",
        careers=CAREERS_NAME,
        careers_url=CAREERS_URL,
        careers_phone=CAREERS_PHONE,
        route=human_route_text(settings),
    )


# Read and checked when the step is loaded, as the app starts: a malformed file stops the start, clearly.
language_replies()


def clean_text(text: str) -> str:
    """NFKC-normalised text without invisible characters, control characters or runs of spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    text = "".join(ch if ch.isprintable() or ch in "\n\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()


# The same passages' sentences are checked question after question: each text's verdict is kept.
@lru_cache(maxsize=16384)
def looks_like_injection(text: str) -> bool:
    """Whether the text tries to steer the assistant (also used on retrieved passages)."""
    return any(pattern.search(text) for pattern in INJECTION_PATTERNS)


def asks_to_deceive(text: str) -> bool:
    """Whether the question asks for help to deceive (forge, falsify, claim dishonestly, impersonate);
    the patterns are data in corpus/guard/deception.yaml."""
    return any(pattern.search(text) for pattern in deception_patterns())


def looks_off_topic(text: str) -> bool:
    return any(pattern.search(text) for pattern in OFF_TOPIC_PATTERNS)


def refusal_reason(text: str, max_chars: int, in_conversation: bool = False) -> str | None:
    """Why a (cleaned) message must be refused: empty, too_long, not_text, number_only (a figure with no
    conversation to answer), injection, language (written in another language), fraud (help to deceive),
    off_topic; or None.

    In a conversation a figure alone ("35", "£4.2m", "2022") is a reply to what the assistant asked."""
    if not text:
        return "empty"
    if len(text) > max_chars:
        return "too_long"
    if sum(ch.isalpha() for ch in text) < 2:
        if not any(ch.isdigit() for ch in text):
            return "not_text"
        return None if in_conversation else "number_only"
    if looks_like_injection(text):
        return "injection"
    if question_language(text):
        return "language"
    if asks_to_deceive(text):
        return "fraud"
    if looks_off_topic(text):
        return "off_topic"
    return None


def run(ctx: Context, services: Services) -> None:
    """Clean the question; stop with a refusal and the reason in ctx.notes when it must not be answered."""
    settings = services.settings
    ctx.question = clean_text(ctx.question)
    reason = refusal_reason(ctx.question, settings.max_message_chars, in_conversation=bool(ctx.history))
    if reason is None:
        # Contact details never help answer and must not travel further (search, a model, the session).
        # A postcode stays: the course finder can use it; logs and the question log redact it.
        redacted = redact_pii(ctx.question, kinds=CONTACT_DETAILS)
        if redacted != ctx.question:
            ctx.question = redacted
            ctx.notes.append("pii_redacted")
        return
    ctx.notes.append(f"guard={reason}")
    ctx.route = "guard"
    if reason == "language":
        # Refused, not no_answer: nothing was looked up, and no_answer feeds the report of questions the
        # pages cannot answer, which a question in Polish is not. The widget shows the contact box for
        # both, and the reply (in the question's language) names the same contacts.
        language = question_language(ctx.question) or OTHER_LANGUAGE
        ctx.notes.append(f"language={language}")
        ctx.stop(Status.REFUSED, language_reply(language, settings))
        return
    if reason == "number_only":
        # Not a refusal: the assistant asks what the figure is about, as a tool asks for a missing input.
        ctx.stop(Status.ANSWERED, NUMBER_ONLY_MESSAGE)
        return
    scope = SCOPE_MESSAGE.format(area=settings.area_name)
    messages = {
        "empty": EMPTY_MESSAGE,
        "too_long": TOO_LONG_MESSAGE.format(limit=settings.max_message_chars),
        "not_text": NOT_TEXT_MESSAGE,
        "injection": INJECTION_MESSAGE.format(area=settings.area_name),
        "fraud": FRAUD_MESSAGE,
        "off_topic": scope,
    }
    ctx.stop(Status.REFUSED, f"{messages[reason]} {human_route_text(settings)}")
