"""Where things are: the area's towns and postcode districts with approximate centroids, and distances.

gazetteer = Gazetteer.load()                # the places.yaml of the area this process serves
place = gazetteer.resolve("AB1")            # a postcode district, a town name, or a full postcode
haversine_miles(place.latitude, place.longitude, 51.57, 0.49)
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from connector.errors import ToolInputError

EARTH_RADIUS_MILES = 3958.8
# An outward code (CO4, SS14, CM77, EN9) optionally followed by an inward code (3SQ).
POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(?:\s*(\d[A-Z]{2}))?$")
POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}\d{1,2}[A-Z]?)(?:\s*\d[A-Z]{2})?\b", re.IGNORECASE)


class UnknownPlaceError(ToolInputError):
    """A town or postcode the gazetteer does not know; names the request field."""


@dataclass(frozen=True)
class Place:
    name: str  # a town ("Norwich") or a postcode district ("NR2")
    latitude: float
    longitude: float
    kind: str  # "town" | "district"
    districts: tuple[str, ...] = ()
    town: str = ""  # for a district: the town it is usually named by


@dataclass
class Gazetteer:
    towns: dict[str, Place] = field(default_factory=dict)  # keyed by lower-case name and alias
    districts: dict[str, Place] = field(default_factory=dict)  # keyed by upper-case outward code
    # Names of the whole area or its counties (lower-case): they say where, not what, and are no town.
    regions: frozenset[str] = frozenset()

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """The gazetteer from a YAML file (default: the served area's places.yaml), read once per path."""
        return _load_cached(Path(path or _area_places()).resolve())

    def example(self) -> str:
        """A town and a district this gazetteer knows, for messages: "Norwich or NR1"."""
        town = next(iter(self.towns.values()), None)
        if town is None:
            return "a town or a postcode district"
        return f"{town.name} or {town.districts[0]}" if town.districts else town.name

    def resolve(self, text: str, field_name: str = "near") -> Place:
        """A town name, postcode district or full postcode -> its Place; UnknownPlaceError otherwise."""
        cleaned = " ".join(text.split()).strip(" ,.")
        if not cleaned:
            raise UnknownPlaceError(field_name, f"give a town or postcode district, e.g. {self.example()}")
        town = self.towns.get(cleaned.lower())
        if town:
            return town
        match = POSTCODE.match(cleaned.upper())
        if match:
            return self._district(match.group(1), field_name)
        return self._unknown_town(cleaned, field_name)

    def _district(self, outward: str, field_name: str) -> Place:
        place = self.districts.get(outward)
        if place is None:
            raise UnknownPlaceError(
                field_name, f"unknown postcode district {outward!r}; this finder covers the area's districts"
            )
        return place

    def _unknown_town(self, text: str, field_name: str) -> Place:
        names = sorted({place.name for place in self.towns.values()})
        close = difflib.get_close_matches(text.title(), names, n=3, cutoff=0.75)
        hint = (
            f"; did you mean {', '.join(close)}?"
            if close
            else f"; try a nearby town or a postcode district, e.g. {self.example()}"
        )
        raise UnknownPlaceError(field_name, f"unknown town {text[:60]!r}{hint}")

    def find_in_text(self, text: str) -> Place | None:
        """The first town (longest name wins) or known postcode district mentioned in free text."""
        lowered = f" {text.lower()} "
        best: tuple[int, int, Place] | None = None
        for key, place in self.towns.items():
            found = standalone(key).search(lowered)
            if found and (best is None or (found.start(), -len(key)) < (best[0], best[1])):
                best = (found.start(), -len(key), place)
        for match in POSTCODE_IN_TEXT.finditer(text):
            district = self.districts.get(match.group(1).upper())
            if district and (best is None or match.start() + 1 < best[0]):
                best = (match.start() + 1, 0, district)
        return best[2] if best else None


# Enough for every town, alias and subject word of an area: each is compiled once, not per question.
@lru_cache(maxsize=8192)
def standalone(word: str) -> re.Pattern[str]:
    """The word or phrase standing alone: not inside a longer word or a hyphenated one."""
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in miles between two WGS84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(a))


def district_of(postcode: str) -> str:
    """The outward code of a UK postcode ("co4 3sq" -> "CO4"); "" when it is not one."""
    match = POSTCODE.match(" ".join(postcode.upper().split()))
    return match.group(1) if match else ""


def _area_places() -> Path:
    from connector.settings import get_settings

    return get_settings().area_config.places_file


@lru_cache(maxsize=4)
def _load_cached(path: Path) -> Gazetteer:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    gazetteer = Gazetteer(regions=frozenset(name.lower() for name in data.get("regions") or []))
    for name, entry in (data.get("towns") or {}).items():
        place = Place(
            name, float(entry["lat"]), float(entry["lon"]), "town", tuple(entry.get("districts", []))
        )
        for key in [name, *entry.get("aliases", [])]:
            gazetteer.towns[key.lower()] = place
    for code, entry in (data.get("districts") or {}).items():
        gazetteer.districts[code.upper()] = Place(
            code.upper(),
            float(entry["lat"]),
            float(entry["lon"]),
            "district",
            (code.upper(),),
            entry.get("town", ""),
        )
    return gazetteer
