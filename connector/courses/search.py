"""Course search: filters (text, level, subject, place + radius, mode, start, free) then ranking.

query = CourseQuery.from_params(level="3", subject="digital", near="Anytown", mode="part-time")
result = search_courses(catalogue.courses(), query)
[match.course.title for match in result.matches]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from connector.courses.free_for_me import Learner, free_for_me
from connector.courses.model import ENTRY_LEVEL, MODES, Course
from connector.courses.places import Gazetteer, Place, haversine_miles
from connector.courses.subjects import SUBJECTS, normalise_subject, subject_label
from connector.errors import ToolInputError

LEARNER_FIELDS = ("age", "highest_qualification_level", "annual_earnings", "employment_status")
DEFAULT_RADIUS_MILES = 10.0
MAX_RADIUS_MILES = 100.0
_STOPWORDS = (
    "a an and any are at course courses for i in is me my near of on or please the to with what which"
)
STOPWORDS = frozenset(_STOPWORDS.split() + ["can", "do", "find", "show", "there", "level"])
MODE_WORDS = {
    "full time": "full-time",
    "fulltime": "full-time",
    "part time": "part-time",
    "parttime": "part-time",
    "evenings": "evening",
    "remote": "online",
    "distance learning": "distance",
    "apprenticeships": "apprenticeship",
    "bootcamps": "bootcamp",
}


class CourseQuery(BaseModel):
    """Validated search filters; every bad value raises ToolInputError naming the field."""

    q: str = ""
    level: int | None = None
    subject: str | None = None
    near: str | None = None
    radius_miles: float = DEFAULT_RADIUS_MILES
    mode: str | None = None
    starts_after: date | None = None
    start_month: str | None = None  # "2027-01"
    free_only: bool = False
    # Words that lift matching courses up the list without excluding others (the chat's "welding").
    prefer: str = ""
    learner: Learner | None = None  # with free_only: "free for me", checked against the funding rules
    limit: int = Field(default=10, ge=1, le=50)

    @classmethod
    def from_params(cls, **params: Any) -> CourseQuery:
        """Build from loose values (query strings, chat slots), checking each field."""
        values: dict[str, Any] = {k: v for k, v in params.items() if v not in (None, "")}
        learner = Learner.from_params(**{k: values.pop(k, None) for k in LEARNER_FIELDS})
        if learner is not None:
            values["learner"] = learner
        if "q" in values:
            values["q"] = str(values["q"]).strip()[:200]
        if "level" in values:
            values["level"] = parse_level(values["level"])
        if "subject" in values:
            values["subject"] = _parse_subject(str(values["subject"]))
        if "mode" in values:
            values["mode"] = parse_mode(str(values["mode"]))
        if "radius_miles" in values:
            values["radius_miles"] = _parse_radius(values["radius_miles"])
        if "start_month" in values:
            values["start_month"] = _parse_month(str(values["start_month"]))
        if "limit" in values and not 1 <= int(values["limit"]) <= 50:
            raise ToolInputError("limit", "limit must be between 1 and 50")
        return cls(**values)

    def filters(self, place: Place | None = None) -> dict[str, Any]:
        """The filters as applied, for the response (so a user sees what was understood)."""
        shown = self.model_dump(exclude_defaults=True, exclude={"limit", "learner", "prefer"}, mode="json")
        if self.learner is not None:
            shown["free_for"] = self.learner.model_dump(exclude_none=True)
        if self.near:
            shown["near"] = place.name if place else self.near
            shown["radius_miles"] = self.radius_miles
        if self.level is not None:
            shown["level"] = "entry" if self.level == ENTRY_LEVEL else self.level
        return shown


@dataclass
class CourseMatch:
    course: Course
    distance_miles: float | None
    text_score: float
    free_reason: str | None = None  # why it may be free for this learner ("free for me" searches)
    preference: float = 0.0  # how well it matches the query's `prefer` words
    remote: bool = False  # taken online or at a distance, so ranked after nearby courses


@dataclass
class SearchResult:
    matches: list[CourseMatch]  # the first `limit`, best first
    total: int  # how many matched before the limit
    place: Place | None
    query: CourseQuery

    def cards(self, today: date | None = None) -> list[dict[str, Any]]:
        cards = []
        for match in self.matches:
            card = match.course.card(distance_miles=match.distance_miles, today=today)
            if match.free_reason:
                card["free_for_me"] = match.free_reason
            cards.append(card)
        return cards


def parse_level(value: Any) -> int:
    """'3', 3, 'Level 3', 'L3', 'entry' -> 0..8; anything else raises ToolInputError('level')."""
    text = str(value).strip().lower()
    if text in ("entry", "entry level", "e", "0"):
        return ENTRY_LEVEL
    match = re.fullmatch(r"(?:level\s*|l)?(\d{1,2})", text)
    if not match or not 1 <= int(match.group(1)) <= 8:
        raise ToolInputError(
            "level", f"level must be 'entry' or a number from 1 to 8, not {str(value)[:20]!r}"
        )
    return int(match.group(1))


def parse_mode(value: str) -> str:
    text = " ".join(value.strip().lower().replace("_", " ").split())
    mode = MODE_WORDS.get(text, text.replace(" ", "-"))
    if mode not in MODES:
        raise ToolInputError("mode", f"mode must be one of {', '.join(MODES)}")
    return mode


def _parse_subject(value: str) -> str:
    key = normalise_subject(value)
    if key is None:
        raise ToolInputError("subject", f"unknown subject; try one of {', '.join(sorted(SUBJECTS))}")
    return key


def _parse_radius(value: Any) -> float:
    try:
        radius = float(value)
    except (TypeError, ValueError):
        raise ToolInputError("radius_miles", "radius_miles must be a number of miles") from None
    if not 0 < radius <= MAX_RADIUS_MILES:
        raise ToolInputError("radius_miles", f"radius_miles must be above 0 and at most {MAX_RADIUS_MILES:g}")
    return radius


def _parse_month(value: str) -> str:
    if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", value.strip()):
        raise ToolInputError("start_month", "start_month must look like 2027-01")
    return value.strip()


def search_courses(
    courses: list[Course], query: CourseQuery, gazetteer: Gazetteer | None = None, today: date | None = None
) -> SearchResult:
    """Courses passing every filter, ranked by text match, preferred words, nearness, then soonest start."""
    gazetteer = gazetteer or Gazetteer.load()
    today = today or date.today()
    place = gazetteer.resolve(query.near) if query.near else None
    terms, preferred = query_terms(query.q), query_terms(query.prefer)
    matches = []
    for course in courses:
        if not _passes_filters(course, query, today):
            continue
        distance = _distance(course, place, gazetteer)
        if place and not _within_radius(course, distance, query.radius_miles):
            continue
        score = text_score(course, terms)
        if terms and score == 0:
            continue
        free_reason = None
        if query.free_only and query.learner is not None:
            free, free_reason = free_for_me(course, query.learner, today)
            if not free:
                continue
        remote = place is not None and _is_remote(course)
        preference = title_score(course, preferred)
        matches.append(CourseMatch(course, distance, score, free_reason, preference, remote))
    matches.sort(key=lambda m: _rank_key(m, today))
    return SearchResult(matches[: query.limit], len(matches), place, query)


def _passes_filters(course: Course, query: CourseQuery, today: date) -> bool:
    if query.level is not None and course.level != query.level:
        return False
    if query.subject and course.subject != query.subject:
        return False
    if query.mode and query.mode not in course.modes:
        return False
    if query.free_only and query.learner is None and not course.free:
        return False
    if course.start_dates and max(course.start_dates) < today:
        return False  # every run has already started
    return _passes_start(course, query)


def _passes_start(course: Course, query: CourseQuery) -> bool:
    if query.starts_after and not any(d >= query.starts_after for d in course.start_dates):
        return False
    return not (
        query.start_month and not any(d.isoformat()[:7] == query.start_month for d in course.start_dates)
    )


def _distance(course: Course, place: Place | None, gazetteer: Gazetteer) -> float | None:
    if place is None:
        return None
    lat, lon = course.latitude, course.longitude
    if lat is None or lon is None:
        located = course_place(course, gazetteer)
        if located is None:
            return None
        lat, lon = located.latitude, located.longitude
    return haversine_miles(place.latitude, place.longitude, lat, lon)


def course_place(course: Course, gazetteer: Gazetteer) -> Place | None:
    """Where a course without coordinates is, from its postcode district or town, if known."""
    for name in (course.postcode_district, course.town):
        if name:
            try:
                return gazetteer.resolve(name)
            except ToolInputError:
                continue
    return None


def _within_radius(course: Course, distance: float | None, radius: float) -> bool:
    if _is_remote(course):
        return True  # online and distance-learning courses can be taken from anywhere
    return distance is not None and distance <= radius


def _is_remote(course: Course) -> bool:
    return "online" in course.modes or "distance" in course.modes


def query_terms(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9£&+#]+", text.lower())
    return [w for w in words if w not in STOPWORDS and len(w) > 1]


def text_score(course: Course, terms: list[str]) -> float:
    """Share of the query's words found, weighted: title 2, subject/provider/code 1, description 0.5."""
    if not terms:
        return 0.0
    about = f"{subject_label(course.subject)} {course.subject} {course.provider} {course.course_code}"
    fields = (
        (course.title.lower(), 2.0),
        (about.lower(), 1.0),
        (f"{course.description} {course.funding}".lower(), 0.5),
    )
    score = 0.0
    for term in terms:
        pattern = re.compile(rf"\b{re.escape(term)}")
        score += max((weight for text, weight in fields if pattern.search(text)), default=0.0)
    return score / (2.0 * len(terms))


def title_score(course: Course, terms: list[str]) -> float:
    """Share of the words found in the title, code or subject (not the description: "first aid" must
    not match "first full level 3")."""
    if not terms:
        return 0.0
    text = f"{course.title} {course.course_code} {subject_label(course.subject)}".lower()
    return sum(1 for term in terms if re.search(rf"\b{re.escape(term)}", text)) / len(terms)


def _rank_key(match: CourseMatch, today: date) -> tuple[float, float, bool, float, str, str]:
    """Text match first, then preferred words, then nearby before online, then distance, then soonest."""
    start = match.course.next_start(today)
    distance = match.distance_miles if match.distance_miles is not None else float("inf")
    return (
        -round(match.text_score, 3),
        -round(match.preference, 3),
        match.remote,
        distance,
        start.isoformat() if start else "9999",
        match.course.title,
    )
