"""Does any retrieved passage speak to what the question is about?

A question can match the index on its names alone: "What grade did Thameside Skills Academy get at its
last Ofsted inspection?" finds the academy's pages, but none of them mentions Ofsted or an inspection.
The question's focus is its content words other than names (capitalised words inside the question) and
the generic words of asking; a focus word counts as present when it appears, stemmed, as a listed
synonym or (with the embedding model's word meanings) as a word close to it in meaning, in the passages
the answer would draw on. Acronyms and codes ("HTQ", "ST0116") count as focus words. Only the words that
carry a constraint are required (a name, a year, a sum checked, the thing asked about, the thing
priced, the focus at the town asked about): how many of the other words are missing is not a test, since
on sites nobody here had read a missing everyday word ("till it's gone") far more often meant other
wording than a question the site does not answer (docs/decisions/answering.md, step 20).

    unsupported_focus("Is there free parking at the Anytown campus?", hits)  # [] or e.g. ["parking"]
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from connector.answer_types import YEAR, YES_NO
from connector.answer_words import word_tokens, words
from connector.courses.places import Gazetteer
from connector.glossary import everyday_in, glossary
from connector.lexical import stem, tokenize
from connector.passage_words import passage_text, words_of
from connector.redact import redact_pii
from connector.types import Hit
from connector.word_meaning import WordMeanings

WORD = re.compile(r"[A-Za-z0-9£][A-Za-z0-9£'.%-]*")
# Ages, amounts and dates ("17", "£4.2m", "24k", "50%"): the tools and the passages' figures deal with them.
FIGURE = re.compile(r"^£?\d[\d,.]*(?:k|m|bn|%|s|th|st|nd|rd)?$|^\d+-years?-old$")
# Contact details, postcodes and links say who or where, not what is asked; "[email]" is a redaction marker.
NOT_ASKED = re.compile(r"\[[a-z_]+\]|https?://\S+|www\.\S+")
POSSESSIVE = re.compile(r"'s?$")
ACRONYM = re.compile(r"^(?:[A-Z0-9]{2,}|[A-Z]{2,}s)$")
# Words of asking and vague words: never a question's focus (corpus/answering/words.yaml says why).
GENERIC = word_tokens("not_the_focus")
# Words a passage may use for a focus word (both directions are checked); stems, as tokenize gives them.
SYNONYMS: dict[str, frozenset[str]] = {}
for _group in words("synonyms"):
    _stems = frozenset(tokenize(_group))
    for _word in _stems:
        SYNONYMS[_word] = SYNONYMS.get(_word, frozenset()) | _stems
# Passages the answer draws on (the composer quotes from the top few).
SUPPORT_DEPTH = 5
# Share of focus words absent from the passages about the town asked about at which they do not answer it.
UNSUPPORTED_SHARE = 0.4
# Cosine at which a passage word counts as saying what a focus word says ("developing" for "creating");
# chosen on the dev sets as described in docs/decisions/answering.md.
WORD_SIMILARITY = 0.65
PREFIX = 5  # "qualified"/"qualification": words sharing this many leading letters count as one
# The sums of money a yes/no question may name.
AMOUNT = re.compile(r"£\s?\d[\d,]*(?:\.\d\d)?(?:k|m)?")
# A question whether something exists, or whether the provider runs it ("do you do a plastering course?"),
# and the word naming the thing.
EXISTENCE = re.compile(
    r"\b(?:is there|are there|have you got|do you (?:have|do|run|offer|teach|provide))\s+(?:an?\s+|any\s+)?"
    r"([A-Za-z][\w-]*)",
    re.I,
)
# A question what or who a thing is ("what's the pass rate ...?", "who is the principal?"), and the word
# naming the thing; read when the question does not ask whether something exists.
WHAT_OR_WHO = re.compile(r"\b(?:what|who)(?:'s| is| are)\s+(?:the|your|their|its)\s+([A-Za-z][\w-]*)", re.I)
# Describing words ("a downloadable list"): the thing is the word after them.
ADJECTIVE = re.compile(r"(able|ible|ful|less|ous)$", re.I)
SENTENCE_START = re.compile(r"(?:^|[.?!:;]\s+)([A-Za-z][\w'-]*)")
# Capitalised words that do not name a subject: broad places (a guide about England answers a question
# about the area, whose own names are the gazetteer's regions), months, days, languages and nationalities.
NOT_SPECIFIC = (
    GENERIC | word_tokens("broad_places") | word_tokens("months") | word_tokens("days_and_languages")
)


def _asked_text(question: str) -> str:
    """The question without personal data, contact details or links, with straight apostrophes."""
    return NOT_ASKED.sub(" ", redact_pii(question.replace("’", "'")))


def focus_terms(question: str) -> list[str]:
    """The question's content words that are not names, numbers or words of asking, stemmed, in order."""
    return list(focus_words(question))


def focus_words(question: str) -> dict[str, str]:
    """The focus terms (stems, in order), each with the word the question typed for it."""
    words = [POSSESSIVE.sub("", word) for word in WORD.findall(_asked_text(question))]
    focus: dict[str, str] = {}
    for index, word in enumerate(words):
        name = index > 0 and word[:1].isupper() and not ACRONYM.match(word)
        for token in tokenize(word):
            if not (name or token in GENERIC or token in focus or FIGURE.match(token)):
                focus[token] = word.lower()
    return focus


def acronym_terms(question: str) -> set[str]:
    """The acronyms and codes a question types ("HGV", "ST0116"), as lexical terms."""
    return {token for word in _names_and_codes(question) if ACRONYM.match(word) for token in tokenize(word)}


def year_terms(question: str) -> set[str]:
    """The years a question names ("in 2024-25" -> "2024"): the period it asks about."""
    return {term for term in specific_terms(question) if YEAR.fullmatch(term)}


def _names_and_codes(question: str) -> list[str]:
    """The question's words, a trailing full stop and possessive 's removed ("GCSEs." -> "GCSEs")."""
    return [POSSESSIVE.sub("", word.rstrip(".")) for word in WORD.findall(_asked_text(question))]


def specific_terms(question: str) -> list[str]:
    """The names (other than places) and years a question asks about: "Ofsted", "Multiply", "2024".
    Passages that contain none of a name are about something else, however well the rest matches."""
    gazetteer = Gazetteer.load()  # the towns and regions the course finder knows are places, not subjects
    towns = gazetteer.towns
    openers = {match.group(1) for match in SENTENCE_START.finditer(_asked_text(question))}
    specific: list[str] = []
    for word in _names_and_codes(question):
        is_name = (
            word[:1].isupper()
            and word not in openers
            and word.lower() not in towns
            and word.lower() not in gazetteer.regions
            and not ACRONYM.match(word)  # acronyms are focus words already
        )
        for token in tokenize(word) if is_name or YEAR.fullmatch(word[:4]) else []:
            ignored = token in NOT_SPECIFIC or token in specific
            if not ignored and (is_name or YEAR.fullmatch(token)):
                specific.append(token)
    return specific


def passage_vocabulary(hits: Sequence[Hit], depth: int | None = SUPPORT_DEPTH) -> set[str]:
    words: set[str] = set()
    for hit in hits[:depth]:
        words.update(tokenize(passage_text(hit.chunk)))
    return words


def _supported(term: str, vocabulary: set[str]) -> bool:
    # "phoning" stems to "phon": its dictionary form may end in the "e" the stemmer dropped.
    forms = (term, stem(term), term.rstrip("s"), term + "e")
    if any(form in vocabulary for form in forms):
        return True
    if any(alias in vocabulary for form in forms for alias in SYNONYMS.get(form, ())):
        return True
    # An acronym is supported by its long form ("hgv" by "heavy goods vehicle").
    if any(set(tokenize(long_form)) <= vocabulary for long_form in glossary().get(term.upper(), ())):
        return True
    if len(term) >= PREFIX + 1 and not term[0].isdigit():
        return any(len(word) > PREFIX and word[:PREFIX] == term[:PREFIX] for word in vocabulary)
    return False


def unsupported_focus(question: str, hits: Sequence[Hit], depth: int | None = SUPPORT_DEPTH) -> list[str]:
    """Focus words of the question that none of the top passages (all of them, with depth None)
    contains."""
    return _unsupported(focus_terms(question), passage_vocabulary(hits, depth))


def _unsupported(terms: list[str], vocabulary: set[str]) -> list[str]:
    return [term for term in terms if not _supported(term, vocabulary)]


def off_focus(question: str, hits: Sequence[Hit]) -> bool:
    """True when the passages match the question's setting, not what it asks about (see focus_gap)."""
    return focus_gap(question, hits) is not None


# The ways a question can be off the passages' focus, as focus_gap names them.
FOCUS_GAPS = ("name", "amount", "price", "thing", "place")


def focus_gap(question: str, hits: Sequence[Hit], meanings: WordMeanings | None = None) -> str | None:
    """Why the top passages do not speak to what the question asks about, or None when they do: a name or
    year the question asks about is in none of them ("name"); a sum a yes/no question checks is not stated
    ("amount"); the thing whose price is asked is named but not priced ("price"); the thing asked about
    (to exist, or what or who it is) is missing ("thing"); the passages about the town asked about lack
    the focus ("place").
    With `meanings`, a focus word is also supported by a passage word close to it in meaning (names are
    not: another name is another thing)."""
    vocabulary = passage_vocabulary(hits)
    if _unsupported(specific_terms(question), vocabulary):
        return "name"
    typed = focus_words(question)
    focus = list(typed)
    plain = _in_page_words(question, vocabulary)
    missing = [term for term in _unsupported(focus, vocabulary) if term not in plain]
    if meanings is not None and missing:
        missing = _not_near(missing, typed, hits, meanings)
    if _amount_unconfirmed(question, hits, missing):
        return "amount"
    if _price_unstated(question, focus, hits, missing):
        return "price"
    if not focus:
        return None
    if _thing_missing(question, focus, missing):
        return "thing"
    return "place" if _off_focus_at_place(question, focus, hits) else None


def passage_words(hits: Sequence[Hit], depth: int | None = SUPPORT_DEPTH) -> set[str]:
    """The passages' words as written (lower-cased), without the commonest words of English."""
    return {word for hit in hits[:depth] for word in words_of(hit.chunk)}


def _not_near(
    missing: list[str], typed: dict[str, str], hits: Sequence[Hit], meanings: WordMeanings
) -> list[str]:
    """The missing focus terms for which no passage word comes within WORD_SIMILARITY in meaning."""
    pool = passage_words(hits)
    return [term for term in missing if meanings.closest(typed[term], pool)[1] < WORD_SIMILARITY]


def _thing_missing(question: str, focus: list[str], missing: list[str]) -> bool:
    """ "Is there a gym at ...?", "what's the pass rate for ...?": the thing asked about is in no passage,
    however well the rest of the question (the campus, the course) matches."""
    asked = _asked_text(question)
    match = EXISTENCE.search(asked) or WHAT_OR_WHO.search(asked)
    if match is None:
        return False
    words = WORD.findall(asked[match.start(1) :])[:3]
    nouns = [token for word in words if not ADJECTIVE.search(word) for token in tokenize(word)]
    thing = nouns[0] if nouns else ""
    return thing in focus and thing in missing


def _in_page_words(question: str, vocabulary: set[str]) -> set[str]:
    """The words of the question's everyday terms whose page words the passages use ("nursery nurse" when
    they say "early years")."""
    return {
        word
        for term, forms in everyday_in(question).items()
        if any(set(tokenize(form)) <= vocabulary for form in forms)
        for word in tokenize(term)
    }


# "How much is the ...?", "what's the price of ...": asks the price of one thing.
PRICE_QUESTION = re.compile(
    r"\bhow much (is|are|does|do|will)\b|\bwhat(?:'s| is) the (price|cost|fee)\b", re.I
)


def _price_unstated(question: str, focus: list[str], hits: Sequence[Hit], missing: list[str]) -> bool:
    """ "How much is the 2-day requalification course?": the passages name the thing (its rarest word
    among them) but none that names it states a sum, so the sums they do state are for other things; or
    a word of the thing's name ("the annual membership fee") is in no passage at all (`missing`)."""
    if not PRICE_QUESTION.search(question):
        return False
    if any(term in missing for term in priced_thing(question)):
        return True  # the thing priced ("the annual membership fee") is named by no passage at all
    passages = [passage_vocabulary([hit]) for hit in hits[:SUPPORT_DEPTH]]
    named = {term: [words for words in passages if _supported(term, words)] for term in focus}
    counts = {term: len(found) for term, found in named.items() if found}
    if not counts:
        return False
    rarest = min(counts, key=lambda term: counts[term])
    if counts[rarest] == len(passages):
        return False  # every passage names it: no word singles the thing out
    priced = [AMOUNT.search(hit.chunk.text) is not None for hit in hits[:SUPPORT_DEPTH]]
    return not any(p and _supported(rarest, words) for p, words in zip(priced, passages, strict=True))


# Where the name of the thing priced ends: "How much is the fee to join ...?", "... for a 19-year-old?".
THING_END = re.compile(r"\b(?:to|for|at|on|in|with|if|when|per|a|an)\b|[?,.]", re.I)


def priced_thing(question: str) -> list[str]:
    """The terms naming the thing a price question asks about, up to where its name ends."""
    asked = _asked_text(question)
    match = PRICE_QUESTION.search(asked)
    if match is None:
        return []
    rest = asked[match.end() :]
    # "How much does it cost to join the chamber?": the thing is what it costs to do.
    rest = re.sub(r"^\s*it\s+cost\s+(?:to|for)\b", "", rest, flags=re.I)
    if re.match(r"\s*(?:it|we|i|you|they|he|she|my|our)\b", rest, re.I):
        return []  # "how much do we pay ...?": the asker's own case, no thing named
    rest = re.sub(r"^\s*(?:of|for)?\s*(?:the|your|their|its|a|an)?\b", "", rest, flags=re.I)
    end = THING_END.search(rest)
    return [
        token for word in WORD.findall(rest[: end.start() if end else None])[:4] for token in tokenize(word)
    ]


def _amount_unconfirmed(question: str, hits: Sequence[Hit], missing: list[str]) -> bool:
    """A yes/no question about a sum ("Do you pay a £500 bonus?") whose sum, or any of whose focus
    words (`missing` are those no passage has), no passage states: it checks a claim, and answering from
    other figures would read as a yes."""
    amounts = AMOUNT.findall(question)
    if not amounts or not YES_NO.match(question):
        return False
    text = " ".join(hit.chunk.text for hit in hits[:SUPPORT_DEPTH])
    return any(amount not in text for amount in amounts) or bool(missing)


def _off_focus_at_place(question: str, focus: list[str], hits: Sequence[Hit]) -> bool:
    """The passages that speak of the town the question names ("at the Anytown campus") lack what it
    asks about there, though another town's page has it ("a cafe" is at Anytown)."""
    place = Gazetteer.load().find_in_text(question)
    if place is None or place.kind != "town":
        return False
    name = place.name.lower()
    local = [
        hit
        for hit in hits[:SUPPORT_DEPTH]
        if name in hit.chunk.text.lower() or name in hit.chunk.title.lower()
    ]
    if not local:
        return False  # the passages do not speak of the place: a general answer may still serve
    return len(_unsupported(focus, passage_vocabulary(local))) / len(focus) >= UNSUPPORTED_SHARE
