"""Reading course-finder filters out of a chat message ("level 3 digital courses near Anytown, part-time").

filters = filters_from_text("any evening accounting course in Anytown?", gazetteer)
# {"subject": "accounting", "mode": "evening", "near": "Anytown"}
"""

from __future__ import annotations

import importlib.util
import re
from datetime import date
from typing import Any

from connector.answer_words import anywhere, word_set, words
from connector.courses.normalise import modes_from_text
from connector.courses.places import POSTCODE_IN_TEXT, Gazetteer
from connector.courses.subjects import SUBJECTS, subjects_in_text
from connector.glossary import everyday_in

# The word lists are data in corpus/answering/words.yaml, each with why it stays: words that make a message
# about courses.
COURSE_WORDS = anywhere("course_words")
# Any number after "level" is read, so "level 9" is answered with what levels exist, not ignored.
LEVEL = re.compile(r"\blevel\s?(\d{1,2})\b|\bl([1-8])\b|\b(entry)[\s-]level\b", re.IGNORECASE)
RADIUS = re.compile(r"\bwithin\s+(\d{1,3}(?:\.\d)?)\s*(?:miles?|mi)\b", re.IGNORECASE)
FREE = re.compile(r"\b(free|fully funded|no cost|funded)\b", re.IGNORECASE)
PLACE_PHRASE = re.compile(
    r"\b(?:in|near|around|at|close to)\s+([A-Z][a-zA-Z'-]{2,}(?:[ -][A-Z][a-zA-Z'-]+)*)"
)
POSTCODE_PHRASE = re.compile(
    r"\b(?:in|near|around|at|close to)\s+([A-Z]{1,2}\d{1,2}[A-Z]?)(?:\s*\d[A-Z]{2})?\b", re.IGNORECASE
)
MONTHS = words("months")
START_MONTH = re.compile(
    rf"\b(?:start(?:s|ing)?|from|in)\s+({'|'.join(MONTHS)})(?:\s+(20\d\d))?\b", re.IGNORECASE
)
# Words that carry no wish about the course itself.
FILLER = word_set("course_search_filler")
# A subject's own name says nothing more than the subject filter does.
GENERIC = frozenset(
    word for key, (label, _) in SUBJECTS.items() for word in re.findall(r"[a-z]+", f"{key} {label.lower()}")
)
NOT_PLACES = {m.title() for m in MONTHS} | {"England", "The", "My", "Our", "September", "Level"}


def looks_like_course_search(text: str, filters: dict[str, Any]) -> bool:
    """A turn that reads as a search for courses: course words with a filter or a place ("level 3
    plumbing in Anytown"). The route itself is chosen by meaning (connector/routing.py); this tells the
    follow-up step and the conversation whether a turn's filters belong to a course search."""
    if not COURSE_WORDS.search(text):
        return False
    # Words we merely prefer, or who the learner is, do not make a question a search by themselves.
    searched = set(filters) - {
        "prefer",
        "age",
        "annual_earnings",
        "highest_qualification_level",
        "employment_status",
    }
    return bool(searched or PLACE_PHRASE.search(text))


def filters_from_text(text: str, gazetteer: Gazetteer, today: date | None = None) -> dict[str, Any]:
    """The filters a message states; absent ones are left out (so follow-ups can keep earlier ones)."""
    filters: dict[str, Any] = {}
    learner = learner_from_text(text)
    level = LEVEL.search(text)
    if level and "highest_qualification_level" not in learner:
        filters["level"] = "entry" if level.group(3) else int(level.group(1) or level.group(2))
    elif learner.get("course_level") is not None:
        filters["level"] = learner["course_level"]
    # A subject in everyday words ("welders", "a mechanic") is found by the words pages use for it.
    subjects = subjects_in_text(_without_course_words(text)) or subjects_in_text(_page_words(text))
    if subjects:
        filters["subject"] = subjects[0]
    modes = modes_from_text(text)
    if modes:
        filters["mode"] = _main_mode(modes)
    place = gazetteer.find_in_text(text)
    if place:
        filters["near"] = place.name
    radius = RADIUS.search(text)
    if radius:
        filters["radius_miles"] = float(radius.group(1))
    if FREE.search(text):
        filters["free_only"] = True
    # Who is asking: used when the search is (or becomes) "free for me".
    filters.update({k: v for k, v in learner.items() if k != "course_level"})
    month = _start_month(text, today or date.today())
    if month:
        filters["start_month"] = month
    words = _content_words(text, gazetteer)
    if words:
        filters["prefer"] = words
    return filters


def _page_words(text: str) -> str:
    """The words pages use for the everyday words of the text (corpus/glossary/everyday.yaml)."""
    return " ".join(form for forms in everyday_in(text).values() for form in forms)


def learner_from_text(text: str) -> dict[str, Any]:
    """Age, earnings, highest qualification and work status a learner states ("I'm 24 and earn £21k"),
    read with the funding tools' extractors when they are installed; {} otherwise."""
    if importlib.util.find_spec("connector.tools.extract") is None:
        return {}
    from connector.tools import extract
    from connector.tools.intents import EARNINGS_BEFORE

    levels = extract.levels_of(text)
    found = {
        "age": extract.age_of(text),
        "annual_earnings": extract.amount_near(text, EARNINGS_BEFORE),
        "highest_qualification_level": levels.get("highest_qualification_level"),
        "employment_status": extract.employment_of(text),
        "course_level": levels.get("course_level"),
    }
    return {k: v for k, v in found.items() if v is not None}


def unknown_place(text: str, gazetteer: Gazetteer) -> str | None:
    """A place the message names ("in Narnia") that the gazetteer does not know, if any."""
    for match in PLACE_PHRASE.finditer(text):
        name = match.group(1)
        first = name.split()[0]
        if first in NOT_PLACES or first.lower() in gazetteer.regions or gazetteer.find_in_text(name):
            continue
        return name
    for match in POSTCODE_PHRASE.finditer(text):
        if match.group(1).upper() not in gazetteer.districts and not LEVEL.fullmatch(match.group(1)):
            return match.group(1).upper()
    return None


def _main_mode(modes: list[str]) -> str:
    # "part-time evening": evening is the more specific wish; apprenticeship/bootcamp/online likewise.
    for preferred in ("apprenticeship", "bootcamp", "online", "evening", "distance", "blended"):
        if preferred in modes:
            return preferred
    return modes[0]


def _start_month(text: str, today: date) -> str | None:
    match = START_MONTH.search(text)
    if not match:
        return None
    month = MONTHS.index(match.group(1).lower()) + 1
    year = int(match.group(2)) if match.group(2) else (today.year if month >= today.month else today.year + 1)
    return f"{year}-{month:02d}"


def _without_course_words(text: str) -> str:
    # "care" must not come from "career", nor "it" from "is it free?": subjects only from content words.
    cleaned = re.sub(r"\b(is|was|does|can|will) it\b", " ", text, flags=re.IGNORECASE)
    return COURSE_WORDS.sub(" ", cleaned)


def _content_words(text: str, gazetteer: Gazetteer) -> str:
    """What is left once places, filters and filler are taken out: "welding", "AAT", "cyber security"."""
    cleaned = COURSE_WORDS.sub(" ", text)
    for name in sorted((key for key in gazetteer.towns if " " in key or "-" in key), key=len, reverse=True):
        cleaned = re.sub(rf"(?<![\w-]){re.escape(name)}(?![\w-])", " ", cleaned, flags=re.IGNORECASE)
    for pattern in (LEVEL, RADIUS, FREE, START_MONTH, POSTCODE_IN_TEXT):
        cleaned = pattern.sub(" ", cleaned)
    words = [
        word
        for word in re.findall(r"[A-Za-z][A-Za-z+#-]{1,}", cleaned)
        if word.lower() not in FILLER | GENERIC | gazetteer.regions and not gazetteer.find_in_text(word)
    ]
    return " ".join(words[:8])
