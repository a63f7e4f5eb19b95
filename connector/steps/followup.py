"""Follow-up step: a short follow-up ("and part-time?", "what about in Chelmsford?", "what will it teach?")
is rewritten into a standalone question using the previous turn of the session.

Rule-based, so it works without a language model: the previous standalone question is kept and the new
constraint added; a new place ("in Chelmsford") replaces the old one. The previous turn's slots (town,
level, tool inputs) are carried over for the deterministic handlers to refine.
"""

from __future__ import annotations

import re

from connector.context import Context, Turn
from connector.lexical import tokenize
from connector.services import Services

LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|right|so|and|but|also|or|then)[, ]+)*"
    r"(?:what about|how about|what if|is that|is it|does that|does it|and|but|also|or)?\s*",
    re.IGNORECASE,
)
STARTS_AS_FOLLOW_UP = re.compile(r"^(and|but|also|or|what about|how about|what if|same for)\b", re.IGNORECASE)
ANAPHORA = re.compile(r"\b(it|its|that|this|they|them|those|these|there|one|ones|the same)\b", re.IGNORECASE)
PLACE = re.compile(r"\b(in|near|around|at|close to)\s+((?:[A-Z][\w'-]+)(?:[ -](?:on[ -]Sea|[A-Z][\w'-]+))*)")
# A follow-up relying on a pronoun is short; longer questions are taken as standalone.
MAX_ANAPHORA_WORDS = 8
# Words that name no subject: a short question made only of these ("How can our company get involved?")
# is about whatever the conversation was about.
_GENERIC_TEXT = """
    company firm business organisation employer staff people someone us we our you i me my get getting
    involved involve help join apply start started starting work works cost costs pay paid long take
    takes need needs much many more tell else other next step steps sign up contact find out does do can
    could should would will free eligible qualify mean means happen happens
    entry requirements requirement fee fees price day days time times evening evenings night nights when
    where start starts date dates learn teach taught assessed assessment duration course class
"""
GENERIC_WORDS = frozenset(_GENERIC_TEXT.split())
GENERIC_TOKENS = frozenset(tokenize(" ".join(GENERIC_WORDS)))
MAX_GENERIC_WORDS = 7


def is_follow_up(question: str, history: list[Turn]) -> bool:
    """Whether the question only makes sense against the previous turn."""
    if not history:
        return False
    if STARTS_AS_FOLLOW_UP.match(question):
        return True
    words = question.split()
    if len(words) <= MAX_GENERIC_WORDS and not [t for t in tokenize(question) if t not in GENERIC_TOKENS]:
        return True
    return len(words) <= MAX_ANAPHORA_WORDS and bool(ANAPHORA.search(question))


def constraint_of(question: str) -> str:
    """The new part of a follow-up: "And what about part-time?" -> "part-time"."""
    return LEAD.sub("", question.strip()).rstrip(" ?.!") or question.strip().rstrip(" ?.!")


def rewrite(question: str, previous: Turn) -> str:
    """The follow-up as a standalone question, built from the previous standalone question."""
    base = previous.question.strip().rstrip(" ?.!")
    constraint = constraint_of(question)
    new_place = PLACE.search(constraint)
    if new_place and PLACE.search(base):
        base = PLACE.sub(new_place.group(0), base, count=1)
        constraint = PLACE.sub("", constraint, count=1).strip(" ,")
        if not constraint or constraint.lower() in ("in", "near", "what", "about"):
            return f"{base}?"
    else:
        moved = _moved_town(base, constraint)  # a town written in lower case, or without "in"
        if moved is not None:
            return moved
    return f"{base} {constraint}?" if constraint else f"{base}?"


def _moved_town(base: str, constraint: str) -> str | None:
    """ "and the Basildon group?" after a question about Harlow: the same question with the town swapped,
    however either is written ("harlow", "Harlow"); None when the follow-up names no other known town."""
    from connector.courses.places import Gazetteer  # the towns the course finder knows

    gazetteer = Gazetteer.load()
    old, new = gazetteer.find_in_text(base), gazetteer.find_in_text(constraint)
    if old is None or new is None or old.name == new.name or old.kind != "town" or new.kind != "town":
        return None
    swapped = re.sub(rf"\b{re.escape(old.name)}\b", new.name, base, count=1, flags=re.IGNORECASE)
    return f"{swapped}?" if swapped != base else None


def run(ctx: Context, services: Services) -> None:
    """Set ctx.standalone_question (and carry slots) when the question is a follow-up."""
    if not is_follow_up(ctx.question, ctx.history):
        ctx.standalone_question = ctx.question
        return
    previous = ctx.history[-1]
    ctx.standalone_question = rewrite(ctx.question, previous)
    ctx.slots = {**previous.slots, **ctx.slots}
    ctx.notes.append("follow_up")
