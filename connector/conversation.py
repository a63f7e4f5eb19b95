"""What a conversation is about after each turn, and what a new message says of its own, so a follow-up
changes only what it names.

    topic = topic_after(ctx, previous)        # after a turn: its question, route, filters, tool slots, pages
    sessions.append(session_id, turn, topic)  # kept with the session, read back as ctx.topic
    said = read_message("and in Anytown?")   # Said(filters={"near": "Anytown"}, words="")

The filters are read with the course finder's own understanding (connector/courses/understand.py): the
subject, level, place (town or postcode district), mode (part-time, evening, online, ...), free, radius and
start month a message states, and the words left once those and filler are taken out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from connector.context import Context
from connector.courses.places import Gazetteer
from connector.courses.understand import filters_from_text, looks_like_course_search

# Filters that describe the learner rather than the course: carried, but not a topic by themselves.
LEARNER_FILTERS = frozenset({"age", "annual_earnings", "highest_qualification_level", "employment_status"})
# Filters that say where: they change a course search, and mean nothing to a guide's answer.
PLACE_FILTERS = frozenset({"near", "radius_miles"})


@dataclass
class Topic:
    """The last answered turn's topic: its standalone question and the filters it was answered with."""

    question: str
    route: str = "search"
    filters: dict[str, Any] = field(
        default_factory=dict
    )  # course-finder filters: subject, level, near, mode..
    tool_slots: dict[str, Any] = field(default_factory=dict)  # a funding tool's inputs and what it asked for
    pages: list[str] = field(default_factory=list)  # the pages a search answer cited, best first

    @property
    def subject(self) -> str | None:
        return self.filters.get("subject")

    @property
    def level(self) -> int | str | None:
        return self.filters.get("level")

    @property
    def place(self) -> str | None:
        return self.filters.get("near")

    @property
    def mode(self) -> str | None:
        return self.filters.get("mode")

    @property
    def refinable(self) -> bool:
        """A course search (answered by the finder, or a search for courses the documents answered)."""
        return self.route == "courses" or looks_like_course_search(self.question, self.filters)

    @property
    def waiting_for_reply(self) -> bool:
        """The turn asked the user for something (a tool's missing input): the reply belongs to it."""
        return bool(self.tool_slots.get("tool_missing"))


@dataclass
class Said:
    """What one message states of its own: filters, and the words left once those and filler are out."""

    filters: dict[str, Any]
    words: str

    @property
    def nothing(self) -> bool:
        """Neither a filter nor a word of content ("and?", "what about it?")."""
        return not self.filters and not self.words

    @property
    def only_place(self) -> bool:
        """Only where ("CO4", "and in Anytown?")."""
        return bool(self.filters) and not self.words and set(self.filters) <= PLACE_FILTERS

    @property
    def only_filters(self) -> bool:
        """Filters and nothing else ("and in Anytown?", "what about level 3?", "part-time?", "CO4")."""
        return bool(self.filters) and not self.words


def read_message(text: str) -> Said:
    """The filters and content words of a message, as the course finder reads them."""
    found = filters_from_text(text, Gazetteer.load())
    words = str(found.pop("prefer", ""))
    if found and words and _only_filler_beside(found, words):
        words = ""
    return Said(filters=found, words=words)


def _only_filler_beside(filters: dict[str, Any], words: str) -> bool:
    # "is there anything in Anytown": one leftover word beside a stated filter adds no topic of its own.
    return len(words.split()) == 1 and bool(set(filters) - LEARNER_FILTERS)


def topic_after(ctx: Context, previous: Topic | None) -> Topic | None:
    """The topic to remember after a turn; a turn that only asked for more keeps the previous one."""
    if ctx.route == "guard":
        return previous
    if ctx.route == "clarify":
        return ctx.topic
    slots = dict(ctx.slots)
    course_filters = slots.pop("course_filters", None)
    stated = isinstance(course_filters, dict)
    filters = dict(course_filters) if stated else read_message(ctx.query).filters
    pages = [source.url for source in ctx.sources] if ctx.route == "search" else []
    tool_slots = slots if slots.get("tool") else {}
    question = ctx.query
    asked_again = "follow_up" in ctx.notes and "relation=refine" not in ctx.notes
    if previous is not None and asked_again:
        # The same topic asked about again: keep its question, so follow-ups do not pile up into a chain.
        question, pages = previous.question, pages or previous.pages
    return Topic(question, ctx.route, filters, tool_slots, pages)
