"""What a course is, whichever feed or page it came from.

course = Course(provider="Sample: Anytown Skills Hub", title="Level 2 Bricklaying", level=2, ...)
course.card(distance_miles=3.2)  # the dict the chat and the API show
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from connector.types import content_hash

ENTRY_LEVEL = 0  # "Entry level" is stored as 0; levels 1-8 follow the RQF.
LEVEL_NAMES = {ENTRY_LEVEL: "Entry level", **{n: f"Level {n}" for n in range(1, 9)}}

# Ways a course can be taken; a course may have several (part-time AND evening).
MODES = ("full-time", "part-time", "online", "evening", "blended", "distance", "apprenticeship", "bootcamp")

# What pays for it, as the source says; the eligibility rules decide who qualifies.
FUNDING_SCHEMES = (
    "free-courses-for-jobs",
    "adult-skills-fund",
    "first-full-level-3",
    "legal-entitlement",  # English, maths and essential digital skills for adults who lack them
    "skills-bootcamp",
    "advanced-learner-loan",
    "apprenticeship",
    "16-19",
    "tuition-fee-loan",
)


class Course(BaseModel):
    """One course (or one run of it) as published by a provider."""

    model_config = ConfigDict(extra="forbid")

    provider: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    level: int | None = Field(default=None, ge=ENTRY_LEVEL, le=8)
    subject: str = ""  # subject area key, e.g. "digital" (see connector.courses.subjects)
    modes: list[str] = Field(default_factory=list)
    town: str = ""
    postcode_district: str = ""
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    duration: str = ""
    start_dates: list[date] = Field(default_factory=list)
    cost_gbp: float | None = Field(default=None, ge=0)  # None when the source gives no price
    free: bool = False  # True only when the source says the course is free (perhaps to eligible learners)
    funding: str = ""  # the source's own funding notes
    funding_schemes: list[str] = Field(default_factory=list)
    entry_requirements: str = ""
    description: str = ""
    url: str = Field(min_length=1)
    source_url: str = Field(min_length=1)  # the feed or page the course was read from
    sample: bool = False  # demonstration data, not a real provider's course
    course_code: str = ""

    @field_validator("modes")
    @classmethod
    def _known_modes(cls, value: list[str]) -> list[str]:
        unknown = [mode for mode in value if mode not in MODES]
        if unknown:
            raise ValueError(f"unknown mode(s) {unknown}; expected some of {list(MODES)}")
        return sorted(set(value), key=MODES.index)

    @field_validator("funding_schemes")
    @classmethod
    def _known_schemes(cls, value: list[str]) -> list[str]:
        unknown = [scheme for scheme in value if scheme not in FUNDING_SCHEMES]
        if unknown:
            raise ValueError(f"unknown funding scheme(s) {unknown}")
        return sorted(set(value))

    @field_validator("start_dates")
    @classmethod
    def _sorted_dates(cls, value: list[date]) -> list[date]:
        return sorted(set(value))

    @property
    def id(self) -> str:
        """Stable id of this offering: the same course, mode and place from the same source keeps its id
        across re-ingests (new start dates do not change it)."""
        key = self.course_code or f"{self.url}|{self.title}"
        offering = f"{','.join(self.modes)}|{self.town}|{self.postcode_district}"
        return content_hash(f"{self.source_url}|{key}|{self.provider}|{offering}")

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES.get(self.level, "") if self.level is not None else ""

    def next_start(self, today: date | None = None) -> date | None:
        """The first start date on or after today, else the latest one known."""
        today = today or date.today()
        upcoming = [d for d in self.start_dates if d >= today]
        if upcoming:
            return upcoming[0]
        return self.start_dates[-1] if self.start_dates else None

    def cost_label(self) -> str:
        """How the cost reads on a card: "Free", "£1,250" or "Ask the provider"."""
        if (self.free or self.cost_gbp == 0) and not self.cost_gbp:
            return "No fee for the apprentice" if "apprenticeship" in self.modes else "Free"
        if self.free:
            return f"Free for eligible learners (otherwise £{self.cost_gbp:,.0f})"
        if self.cost_gbp is None:
            return "Ask the provider"
        return "Free" if self.cost_gbp == 0 else f"£{self.cost_gbp:,.0f}"

    def card(self, distance_miles: float | None = None, today: date | None = None) -> dict[str, Any]:
        """The course card the chat and the API return (see INTERFACES.md)."""
        start = self.next_start(today)
        return {
            "type": "course",
            "id": self.id,
            "title": self.title,
            "provider": self.provider,
            "town": self.town,
            "postcode_district": self.postcode_district,
            "level": self.level_name,
            "mode": ", ".join(self.modes),
            "start": start.isoformat() if start else "",
            "duration": self.duration,
            "cost": self.cost_label(),
            "funding": self.funding,
            "entry_requirements": self.entry_requirements,
            "url": self.url,
            "sample": self.sample,
            "distance_miles": round(distance_miles, 1) if distance_miles is not None else None,
        }
