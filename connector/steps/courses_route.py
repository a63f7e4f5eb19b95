"""Course-finder handler for the route step: "level 3 digital courses near Anytown, part-time".

    handled = handle_courses(ctx, services)   # the route chose the course finder; False: search instead

The route step decides by meaning that a question asks for a list of courses; here the filters are read
from the message (and, for a follow-up such as "and part-time?" or "what about Anytown?", from the
previous turn's slots), the catalogue is searched and the answer is a set of course cards.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from connector.context import Context, Source
from connector.courses.catalogue import CourseCatalogue
from connector.courses.model import Course
from connector.courses.places import Gazetteer
from connector.courses.search import CourseQuery, SearchResult, search_courses
from connector.courses.understand import (
    COURSE_WORDS,
    filters_from_text,
    unknown_place,
)
from connector.errors import ToolInputError
from connector.types import Status

log = logging.getLogger(__name__)

ROUTE = "courses"
SHOWN_IN_TEXT = 3
WIDER_RADIUS_MILES = 25.0
MAX_REFINEMENT_WORDS = 10
FOLLOW_UP_LEAD = re.compile(
    r"^\s*(and|or|but|also|what about|how about|only|just|same|now|then|ok|okay)\b", re.I
)
# An unknown "place" with one of these words names a provider ("at Anytown College"), not a town:
# the documents answer such questions, or the answer is an honest no_answer.
INSTITUTION = re.compile(r"\b(college|academy|school|university|institute|centre|center|campus)\b", re.I)
SAMPLE_CAVEAT = (
    "These come from the sample catalogue that demonstrates this finder: the providers are fictional, "
    "so check real courses with a college or training provider."
)
FREE_FOR_ME_CAVEAT = (
    "I checked these against the learner funding rules for what you told me: you may be eligible, and the "
    "provider confirms."
)
FREE_CAVEAT = (
    "'Free' means the provider says so; many courses are free only to eligible learners, "
    "so ask them to confirm. Tell me your age (and earnings) and I can check which may be free for you."
)


def handle_courses(ctx: Context, services: Any, today: date | None = None, chosen: bool = True) -> bool:
    """Answer with course cards: a refinement of the previous course search ("and part-time?"), or, when
    the route chose the course finder (`chosen`), a search with the filters the question states. False,
    with the answer untouched, when it is neither, or when the catalogue has nothing of the kind asked."""
    gazetteer = Gazetteer.load()
    stated = filters_from_text(ctx.question, gazetteer, today)
    previous = _previous_filters(ctx)
    if previous is not None and _is_refinement(ctx.question, stated, ctx.notes):
        if len(stated) > 1:
            stated.pop("prefer", None)  # "and in Anytown?" changes a filter; its other words are filler
        filters = {**previous, **stated}
    elif chosen:
        # The follow-up step may have rewritten a short follow-up into a full question: read that.
        filters = stated if ctx.query == ctx.question else filters_from_text(ctx.query, gazetteer, today)
    else:
        return False
    place = unknown_place(ctx.question, gazetteer)
    if place and "near" not in stated:
        if INSTITUTION.search(place):
            ctx.notes.append("courses: names a provider, not a place")
            return False
        ctx.route = ROUTE
        return _ask_for_place(ctx, place, filters)
    return _answer(ctx, services, filters, today)


def _previous_filters(ctx: Context) -> dict[str, Any] | None:
    """The filters of the conversation's last course search: the session's topic, else the last turn."""
    if ctx.topic is not None:
        return dict(ctx.topic.filters) if ctx.topic.route == ROUTE else None
    if not ctx.history or ctx.history[-1].route != ROUTE:
        return None
    found = ctx.history[-1].slots.get("course_filters")
    return dict(found) if isinstance(found, dict) else None


def _is_refinement(question: str, stated: dict[str, Any], notes: list[str] | None = None) -> bool:
    """A short message that only changes the filters ("and part-time?", "what about Anytown?"): as the
    follow-up step judged it, or by its wording when that step has not run."""
    if notes and "relation=refine" in notes:
        return True
    if not stated or len(question.split()) > MAX_REFINEMENT_WORDS:
        return False
    return bool(FOLLOW_UP_LEAD.match(question)) or not COURSE_WORDS.search(question)


def _answer(ctx: Context, services: Any, filters: dict[str, Any], today: date | None) -> bool:
    try:
        query = CourseQuery.from_params(**filters, limit=5)
        courses = _catalogue(services).searchable()
        result = search_courses(courses, query, today=today)
    except ToolInputError as error:
        kept = {k: v for k, v in filters.items() if k != error.field}  # a follow-up can then put it right
        ctx.route = ROUTE
        ctx.slots = {**ctx.slots, "course_filters": kept}
        ctx.stop(Status.ANSWERED, f"I could not search with that: {error.message}.")
        return True
    if not courses or _names_something_else(query, result):
        # An empty catalogue, or a course it does not have: the documents answer, or say honestly not.
        ctx.notes.append("courses: nothing in the catalogue for this")
        return False
    ctx.route = ROUTE
    ctx.cards = result.cards(today)
    ctx.sources = [_source(match.course) for match in result.matches]
    ctx.slots = {**ctx.slots, "course_filters": filters}
    ctx.follow_ups = _follow_ups(query)
    text = _found_text(result, today) if result.matches else _none_text(result, courses, today)
    ctx.stop(Status.ANSWERED, text)
    ctx.notes.append(f"courses total={result.total}")
    log.info("course search answered total=%d shown=%d", result.total, len(result.matches))
    return True


def _names_something_else(query: CourseQuery, result: SearchResult) -> bool:
    """The question names a kind of course ("first aid", "pottery") that no course in reach matches."""
    return bool(query.prefer) and not query.subject and not any(m.preference > 0 for m in result.matches)


def _catalogue(services: Any) -> CourseCatalogue:
    catalogue = getattr(services, "courses", None)
    if catalogue is None:
        catalogue = CourseCatalogue.open(services.settings)
        if hasattr(services, "courses"):
            services.courses = catalogue  # opened once, reused by later questions
    return catalogue


def describe(query: CourseQuery, place_name: str | None, count: int = 2) -> str:
    """ "level 3 digital courses (part-time) within 10 miles of Anytown" from the filters."""
    words = ["free"] if query.free_only and query.learner is None else []
    if query.level is not None:
        words.append("entry level" if query.level == 0 else f"level {query.level}")
    if query.subject:
        words.append(query.subject.replace("-", " "))
    phrase = " ".join([*words, "course" if count == 1 else "courses"])
    if query.free_only and query.learner is not None:
        phrase += " that may be free for you"
    if query.mode:
        phrase += f" ({query.mode})"
    if query.start_month:
        phrase += f" starting in {date.fromisoformat(query.start_month + '-01'):%B %Y}"
    if place_name:
        phrase += f" within {query.radius_miles:g} miles of {place_name}"
    return phrase


def _found_text(result: SearchResult, today: date | None) -> str:
    place = result.place.name if result.place else None
    count = f"{result.total} {describe(result.query, place, result.total)}"
    lead = (
        "Here are the first few"
        if result.total > SHOWN_IN_TEXT
        else ("Here it is" if result.total == 1 else "Here they are")
    )
    lines = [f"I found {count}. {lead}:"]
    if result.place and result.matches[0].remote:  # nearby courses rank first, so none are nearby
        online = f"{result.total} online course{'s' if result.total != 1 else ''}"
        nearby = f"within {result.query.radius_miles:g} miles of {place}"
        lines = [f"I found nothing on site {nearby}, but {online} you can take from anywhere:"]
    for n, match in enumerate(result.matches[:SHOWN_IN_TEXT], start=1):
        line = _course_line(match.course, match.distance_miles, today)
        lines.append(
            f"{n}. {line} Why it may be free for you: {match.free_reason}"
            if match.free_reason
            else f"{n}. {line}"
        )
    if any(m.course.sample for m in result.matches):
        lines.append(SAMPLE_CAVEAT)
    if result.query.free_only and result.query.learner is not None:
        lines.append(FREE_FOR_ME_CAVEAT)
    elif result.query.free_only:
        lines.append(FREE_CAVEAT)
    return "\n".join(lines)


def _course_line(course: Course, distance: float | None, today: date | None) -> str:
    start = course.next_start(today)
    where = course.town or "online"
    if "online" in course.modes:
        where = "online"
    elif distance is not None:
        where += f", {distance:.1f} miles away"
    when = f"starts {start:%-d %B %Y}" if start else "start date on request"
    return f"{course.title}, {course.provider} ({where}); {when}; {course.cost_label()}."


def _none_text(result: SearchResult, courses: list[Course], today: date | None) -> str:
    place = result.place.name if result.place else None
    text = f"I could not find any {describe(result.query, place)} in the catalogue."
    hints = []
    if result.place and result.query.radius_miles < WIDER_RADIUS_MILES:
        wider = result.query.model_copy(update={"radius_miles": WIDER_RADIUS_MILES})
        found = search_courses(courses, wider, today=today).total
        if found:
            hints.append(f"there {'is' if found == 1 else 'are'} {found} within {WIDER_RADIUS_MILES:g} miles")
    named = [
        name
        for name, used in (
            ("level", result.query.level is not None),
            ("mode", result.query.mode),
            ("subject", result.query.subject),
        )
        if used
    ]
    if named:
        hints.append(f"try without the {' or the '.join(named)}, or ask for online courses")
    hint = "; ".join(hints) or "try a wider area, another subject or online courses"
    return f"{text} To widen the search: {hint}. A careers adviser can also help you find a course."


def _follow_ups(query: CourseQuery) -> list[str]:
    options = []
    if query.mode != "part-time":
        options.append("And part-time?")
    if not query.free_only:
        options.append("Only free ones?")
    if query.near and query.radius_miles < WIDER_RADIUS_MILES:
        options.append(f"Within {WIDER_RADIUS_MILES:g} miles?")
    return options[:3]


def _source(course: Course) -> Source:
    return Source(
        title=f"{course.title} - {course.provider}", url=course.url, snippet=course.description[:200]
    )


def _ask_for_place(ctx: Context, place: str, filters: dict[str, Any]) -> bool:
    ctx.slots = {**ctx.slots, "course_filters": filters}
    ctx.stop(
        Status.ANSWERED,
        f"I don't know where {place[:40]} is. The course finder covers this area's towns: give one "
        f"such as {Gazetteer.load().example()}, or a postcode district.",
    )
    return True
