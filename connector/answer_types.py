"""What kind of fact a question asks for, and whether a sentence holds one: an amount of money, a discount,
a day or time, a date, a length of time, a way to get in touch, or which course (its code).

    wanted = asked_types("which evening is the plumbing class?")   # {"day_or_time"}
    holds(wanted, "Days and times: Monday and Thursday, 5:30pm to 9:00pm")   # True

The extractive composer prefers sentences that hold what was asked for: "Adult fee 2026-27: £2,150"
answers "how much is it?" though it shares no word with the question.
"""

from __future__ import annotations

import re

from connector.sentences import SENTENCE_BREAK

_DAYS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
_MONTHS = r"(january|february|march|april|may|june|july|august|september|october|november|december)"
# A year ("2024", "in 2024-25"): the kind of fact "when was it published?" asks for, and the period a
# question names (the passage model and the focus check read a question's years with it too).
YEAR = re.compile(r"\b(?:19|20)\d\d\b")

# (name, what a question asking for it says, what a sentence holding it contains)
TYPES: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    (
        "money",
        re.compile(
            r"\b(how much|cost|costs|price|fees?|charge|pay|paid|afford|set (me|us) back|earn)\b", re.I
        ),
        re.compile(r"£\s?\d"),
    ),
    (
        "discount",
        re.compile(r"\b(discounts?|reductions?|reduced|cheaper|money off)\b", re.I),
        re.compile(r"\d+%\s*(off|discount|less)|\b(discount|reduction|reduced)\b", re.I),
    ),
    (
        "day_or_time",
        re.compile(
            r"\b(which|what)\s+(days?|nights?|evenings?|mornings?|afternoons?|times?)\b|\bwhat time\b"
            r"|\bwhen (is|are) (it|the (class|classes|course|lessons?))\b"
            # "an evening course", "fits round the school run": the answer is when it runs
            r"|\b(evening|night|weekend|daytime)\s+(\w+\s+){0,2}(course|class|classes|lessons?|group)\b"
            r"|\bschool (run|hours)\b|\bfits? (a)?round\b",
            re.I,
        ),
        re.compile(rf"\b{_DAYS}\b|\b\d{{1,2}}(:\d\d)?\s?(am|pm)\b", re.I),
    ),
    (
        "date",
        re.compile(
            r"\bwhen\b[^?]*\b(start|starts|begin|begins|intake|open|close|closes|deadline)\b"
            r"|\bstart dates?\b|\bnext (intake|start)\b|\bwhat date\b",
            re.I,
        ),
        re.compile(rf"\b\d{{1,2}}\s+{_MONTHS}\b|\b{_MONTHS}\s+20\d\d\b", re.I),
    ),
    (
        "duration",
        re.compile(r"\bhow long\b|\bduration\b|\bhow many (weeks|months|years|hours|days)\b", re.I),
        re.compile(r"\b\d+(\.\d+)?\s*(to\s*\d+\s*)?(weeks?|months?|years?|hours?|days?)\b", re.I),
    ),
    (
        "contact",
        re.compile(
            r"\b(phone|ring|call|telephone|e-?mail|contact)\b"
            r"|\bwho (do|should|can) (i|we) (speak|talk|ask)\b"
            r"|\bwho(?:'s| is| are)\b[^?]*"
            r"\b(advisers?|advisors?|contacts?|coordinators?|managers?|officers?|leads?|team)\b",
            re.I,
        ),
        re.compile(r"@|\b0\d{3,4}\s?\d{3}\s?\d{3,4}\b"),
    ),
    (
        # "What share of firms...", "what percentage": a proportion, as a percentage or in words.
        "share",
        re.compile(r"\b(share|proportion|percentage|per ?cent|fraction)\b|%", re.I),
        re.compile(r"\d+(\.\d+)?\s?(%|per ?cent\b)|\b(half|quarter|third|one in \w+)\b", re.I),
    ),
    (
        # "How many apprentices...", "the number of vacancies": a count.
        "count",
        re.compile(r"\bhow many\b|\bnumber of\b", re.I),
        re.compile(r"\b\d[\d,.]*\s?(k|m|million|thousand|bn|billion)?\b", re.I),
    ),
    (
        # "When was the plan published?", "what year": a year or a month.
        "year",
        re.compile(r"\bwhen\b|\b(what|which) year\b|\bhow recent\b", re.I),
        re.compile(rf"{YEAR.pattern}|\b{_MONTHS}\b", re.I),
    ),
    (
        # "Who leads the plan?", "which organisation chairs the board": a name, several capitalised words in
        # a row or an acronym, after the sentence's first word.
        "name",
        # ("who are apprentices?" asks what a word means, not for a name)
        re.compile(
            r"\bwho\b(?!\s+(is|are)\s+(an?\s+)?\w+\W*$)|\bwhich (organi[sz]ation|body|company|group)\b",
            re.I,
        ),
        re.compile(r"\S\s+(?:[A-Z][\w'&-]+\s+(?:(?:of|and|for|the)\s+)?)+[A-Z][\w'&-]+|\S\s+[A-Z]{2,}\b"),
    ),
    (
        # "Where is it taught?", "which town": a place named after "in", "at", "near" or "from".
        "place",
        re.compile(r"\bwhere\b|\bwhich (town|city|area|district|campus|county|region)\b", re.I),
        re.compile(r"\b(in|at|near|from)\s+[A-Z][a-z]+"),
    ),
    (
        # "Which course should I start with?", "Is there an evening course?": the course's code is what
        # the asker quotes to enrol or enquire.
        "course",
        re.compile(r"\b(which|what) (course|class)\b|\bis there an? [^?]*\b(course|class)\b", re.I),
        re.compile(r"\bcode:?\s+[A-Z0-9]+-[A-Z0-9-]+"),
    ),
)


# A question that opens with a verb asks yes or no ("Is she paid when she is at college?"), unless it
# wraps a question of its own ("do you know when ...").
YES_NO = re.compile(
    r"^\s*(do|does|did|is|are|was|were|will|would|can|could|should|must|may|has|have)\b"
    r"(?![^?]*\b(know|tell)\b)",
    re.IGNORECASE,
)


def asked_types(question: str) -> set[str]:
    """The kinds of fact the question asks for (empty when it asks for none of them), sentence by
    sentence (a pattern never reaches from one sentence of the question into the next)."""
    return {
        name
        for sentence in SENTENCE_BREAK.split(question)
        for name, asks, _ in TYPES
        if asks.search(sentence)
    }


def holds(wanted: set[str], sentence: str) -> bool:
    """The sentence contains a fact of one of the wanted kinds."""
    return any(name in wanted and has.search(sentence) for name, _, has in TYPES)
