"""Which providers can help with an employer's need: ranked by meaning, level and distance.

    matcher = ProviderMatcher(embedder, settings)
    matches = matcher.match(Need("two bricklayers", level=2, postcode_district="SS14"), providers)
    [m.provider.name for m in matches]

Relevance is the embedding similarity between the need (in the employer's words, with its sector) and the
provider's closest course (title, subject and description), so "brickies" finds a bricklaying diploma
without a word list. The score multiplies relevance by how well the provider's levels fit and by
nearness; a provider below the relevance floor is not matched however near it is. See
docs/decisions/enquiry-matching.md for why these three and how they combine.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from connector.courses.model import Course
from connector.courses.places import Gazetteer, Place, haversine_miles
from connector.courses.search import course_place
from connector.courses.subjects import subject_label
from connector.errors import ToolInputError
from connector.providers import Provider
from connector.settings import Settings


@dataclass(frozen=True)
class Need:
    """What the employer asked for, as the matcher reads it."""

    text: str
    sector: str | None = None
    level: int | None = None
    postcode_district: str | None = None

    def query(self) -> str:
        return f"{self.text}. {self.sector}" if self.sector else self.text


@dataclass(frozen=True)
class ProviderMatch:
    provider: Provider
    relevance: float  # cosine similarity of the need to the provider's closest course
    level_fit: float
    distance_miles: float | None
    score: float
    courses: tuple[str, ...]  # the provider's courses closest to the need, best first

    def summary(self) -> dict[str, Any]:
        """What the employer is shown (no addresses)."""
        return {
            "id": self.provider.id,
            "name": self.provider.name,
            "courses": list(self.courses),
            "distance_miles": round(self.distance_miles, 1) if self.distance_miles is not None else None,
            "sample": self.provider.entry.sample,
        }

    def record(self) -> dict[str, Any]:
        """What is stored with the enquiry (and shown to staff): the summary, the address and the score."""
        return {**self.summary(), "email": self.provider.email, "score": round(self.score, 3)}


class ProviderMatcher:
    """Ranks providers for a need; course vectors are computed once per distinct text and kept."""

    def __init__(self, embedder: Any, settings: Settings, gazetteer: Gazetteer | None = None) -> None:
        self.embedder = embedder
        self.settings = settings
        self.gazetteer = gazetteer or Gazetteer.load()
        self._vectors: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def match(self, need: Need, providers: list[Provider]) -> list[ProviderMatch]:
        """The best `enquiry_max_providers` providers above the relevance floor, best first."""
        place = self._place(need.postcode_district)
        query = self.embedder.embed_query(need.query())
        found = []
        for provider in providers:
            texts = provider_texts(provider)
            if not texts:
                continue
            vectors = self._texts_to_vectors(list(texts))
            similarities = sorted(
                ((_dot(query, vector), text) for text, vector in zip(texts, vectors, strict=True)),
                reverse=True,
            )
            relevance = similarities[0][0]
            if relevance < self.settings.enquiry_min_similarity:
                continue
            distance = self._distance(provider, place)
            level_fit = self._level_fit(provider, need.level)
            score = relevance * level_fit * self._nearness(distance)
            courses = tuple(texts[text] for _, text in similarities[:2] if texts[text])
            found.append(ProviderMatch(provider, relevance, level_fit, distance, score, courses))
        found.sort(key=lambda m: (-m.score, m.provider.name))
        return found[: self.settings.enquiry_max_providers]

    def _texts_to_vectors(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            missing = [text for text in texts if text not in self._vectors]
        if missing:
            computed = self.embedder.embed_texts(missing)
            with self._lock:
                self._vectors.update(zip(missing, computed, strict=True))
        with self._lock:
            return [self._vectors[text] for text in texts]

    def _place(self, district: str | None) -> Place | None:
        if not district:
            return None
        try:
            return self.gazetteer.resolve(district, "postcode_district")
        except ToolInputError:
            return None  # outside the gazetteer: ranked without distance rather than refused

    def _distance(self, provider: Provider, place: Place | None) -> float | None:
        """Miles from the employer to the provider's nearest course or area served; 0 inside an area."""
        if place is None:
            return None
        areas = {area.upper() for area in provider.entry.areas}
        if place.name.upper() in areas or (place.town and place.town.upper() in areas):
            return 0.0
        points = [self._course_point(course) for course in provider.courses]
        points += [self._area_point(area) for area in provider.entry.areas]
        miles = [
            haversine_miles(place.latitude, place.longitude, lat, lon)
            for lat, lon in (p for p in points if p is not None)
        ]
        return min(miles) if miles else None

    def _course_point(self, course: Course) -> tuple[float, float] | None:
        if course.latitude is not None and course.longitude is not None:
            return course.latitude, course.longitude
        located = course_place(course, self.gazetteer)
        return (located.latitude, located.longitude) if located else None

    def _area_point(self, area: str) -> tuple[float, float] | None:
        try:
            located = self.gazetteer.resolve(area)
        except ToolInputError:
            return None
        return located.latitude, located.longitude

    def _level_fit(self, provider: Provider, level: int | None) -> float:
        # Unknown on either side counts as a fit: a provider is not marked down for a level nobody stated.
        if level is None or not provider.levels or level in provider.levels:
            return 1.0
        return self.settings.enquiry_other_level_factor

    def _nearness(self, distance: float | None) -> float:
        # Halves at the scale distance; unknown distance counts as one scale away, neither near nor far.
        scale = self.settings.enquiry_distance_scale_miles
        return 1.0 / (1.0 + (scale if distance is None else distance) / scale)


def provider_texts(provider: Provider) -> dict[str, str]:
    """The texts that describe what a provider offers -> the course title each stands for ('' for a
    subject the directory names without courses)."""
    texts = {
        f"{course.title}. {subject_label(course.subject)}. {course.description}".strip(): course.title
        for course in provider.courses
    }
    for key in provider.entry.subjects:
        texts.setdefault(f"Courses in {subject_label(key)}", "")
    return texts


def _dot(a: list[float], b: list[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=True)))
