"""LSIP areas: everything that differs between areas lives in one folder each, `areas/<name>/`.

    area = load_area("norfolk-suffolk")        # validated at start-up; AreaError names the file and field
    area.info.chamber.name, area.places_file, area.sector_ids
    known_areas()                              # the folder names, sorted

A folder holds `area.yaml` (name, Chamber, contact, LSIP sectors, widget title and colour, each fact with
its public source), `places.yaml` (the course finder's towns and postcode districts), `sectors.yaml`
(example questions per sector for the demand report), `sources.yaml` (what `connector ingest` reads), and
optionally `guides/` (the area's own guides), `courses/` and `providers.yaml`. Shared national guides and
rules stay in `corpus/`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

AREAS_DIR = PROJECT_ROOT / "areas"
AREA_KEY = r"^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$"

HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https://[^\s/]+\.[^\s]+$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
SectorId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,59}$")]
Postcode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{1,2}\d[A-Z\d]?$")]
# Reserved or made-up domains (example.org, anything.example, *.test): a placeholder, never a real person.
PLACEHOLDER_DOMAIN = re.compile(r"(^|[.-])example([.-]|$)|\.(test|invalid|localhost)$", re.IGNORECASE)


M = TypeVar("M", bound=BaseModel)


class AreaError(ConfigError):
    """An area that is unknown or whose files are malformed: names the file and the field."""


class Strict(BaseModel):
    # Unknown keys are errors, so a typo in a Chamber's file never passes silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(Strict):
    """A public fact and the public page it comes from."""

    value: Text
    source: HttpsUrl


class Email(Sourced):
    @field_validator("value")
    @classmethod
    def _real_address(cls, value: str) -> str:
        local, at, domain = value.partition("@")
        if not (local and at and "." in domain) or any(c.isspace() for c in value):
            raise ValueError("must be an email address")
        if PLACEHOLDER_DOMAIN.search(domain):
            raise ValueError(f"{domain} is a placeholder domain, not a real contact")
        return value


class Phone(Sourced):
    @field_validator("value")
    @classmethod
    def _uk_number(cls, value: str) -> str:
        digits = "".join(c for c in value if c.isdigit())
        if not 10 <= len(digits) <= 13 or any(c not in "0123456789 +()-" for c in value):
            raise ValueError("must be a telephone number, e.g. 01245 123456")
        return value


class Page(Sourced):
    value: HttpsUrl


class Contact(Strict):
    """The human route offered when the product cannot help; each part only with a public source."""

    page: Page | None = None
    email: Email | None = None
    phone: Phone | None = None


class LeadBody(Strict):
    name: Text
    website: HttpsUrl | None = None
    source: HttpsUrl


class Chamber(Strict):
    name: Text  # as answers name it: "the <name> skills team"
    source: HttpsUrl
    lead_bodies: list[LeadBody] = Field(default_factory=list)


class Lsip(Strict):
    title: Text
    source: HttpsUrl


class Sector(Strict):
    id: SectorId
    name: Text
    source: HttpsUrl


class Widget(Strict):
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
    # White text sits on it: the widget falls back to a safe blue for a colour that fails contrast.
    accent: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]


class AreaInfo(Strict):
    """`area.yaml`."""

    name: Text  # the LSIP area as answers name it
    lsip: Lsip
    chamber: Chamber
    contact: Contact = Field(default_factory=Contact)
    sectors: list[Sector] = Field(min_length=1)
    widget: Widget

    @field_validator("sectors")
    @classmethod
    def _unique_ids(cls, sectors: list[Sector]) -> list[Sector]:
        ids = [sector.id for sector in sectors]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"sector ids repeated: {', '.join(repeated)}")
        return sectors


class Town(Strict):
    lat: float = Field(ge=49.8, le=55.9)  # England
    lon: float = Field(ge=-6.5, le=1.9)
    districts: list[Postcode] = Field(default_factory=list)
    aliases: list[Text] = Field(default_factory=list)


class District(Strict):
    lat: float = Field(ge=49.8, le=55.9)
    lon: float = Field(ge=-6.5, le=1.9)
    town: Text


class Places(Strict):
    """`places.yaml`: the course finder's gazetteer."""

    source: HttpsUrl
    regions: list[Text] = Field(default_factory=list)  # the area's own and its counties' names
    towns: dict[Text, Town] = Field(min_length=1)
    districts: dict[Postcode, District] = Field(default_factory=dict)


class SectorExamples(BaseModel):
    """`sectors.yaml`: only what must agree with area.yaml is checked here (connector/tags.py reads it)."""

    fallback: str = "none"
    labels: dict[str, Any] = Field(min_length=1)


@dataclass(frozen=True)
class Area:
    """One area's folder, validated."""

    key: str  # the folder name, CONNECTOR_AREA: "norfolk-suffolk"
    folder: Path
    info: AreaInfo

    @property
    def places_file(self) -> Path:
        return self.folder / "places.yaml"

    @property
    def sources_file(self) -> Path:
        return self.folder / "sources.yaml"

    @property
    def sectors_file(self) -> Path:
        return self.folder / "sectors.yaml"

    @property
    def guides_dir(self) -> Path:
        return self.folder / "guides"

    @property
    def providers_file(self) -> Path:
        return self.folder / "providers.yaml"

    @property
    def sector_ids(self) -> list[str]:
        return [sector.id for sector in self.info.sectors]

    @property
    def has_contact(self) -> bool:
        contact = self.info.contact
        return bool(contact.page or contact.email or contact.phone)


def bundled_sources(area: Area) -> list[str]:
    """The local folders and files the area's sources.yaml enables (shared guides, its own guides and
    sample courses), as absolute paths: what the product answers from before any site is crawled."""
    from ingest.sources import load_sources

    enabled = [s for s in load_sources(area.sources_file) if s.enabled and s.path]
    return [str((PROJECT_ROOT / (s.path or "")).resolve()) for s in enabled]


def known_areas(areas_dir: Path = AREAS_DIR) -> list[str]:
    """The area folders (those with an area.yaml), sorted."""
    if not areas_dir.is_dir():
        return []
    return sorted(p.name for p in areas_dir.iterdir() if (p / "area.yaml").is_file())


def load_area(key: str, areas_dir: Path = AREAS_DIR) -> Area:
    """The validated area; AreaError for an unknown area (naming the known ones) or a malformed file."""
    return _load_cached(key, areas_dir.resolve())


@lru_cache(maxsize=16)
def _load_cached(key: str, areas_dir: Path) -> Area:
    known = known_areas(areas_dir)
    if key not in known:
        names = ", ".join(known) or "none"
        raise AreaError(f"unknown area {key!r} (CONNECTOR_AREA); the areas in {areas_dir} are: {names}")
    folder = areas_dir / key
    info = _validated(folder / "area.yaml", AreaInfo)
    _validated(folder / "places.yaml", Places)
    examples = _validated(folder / "sectors.yaml", SectorExamples)
    unknown = sorted(set(examples.labels) - {examples.fallback} - {s.id for s in info.sectors})
    if unknown:
        raise AreaError(f"{folder / 'sectors.yaml'}: labels: not sectors of area.yaml: {', '.join(unknown)}")
    if not (folder / "sources.yaml").is_file():
        raise AreaError(f"{folder / 'sources.yaml'}: missing (what `connector ingest` reads for this area)")
    return Area(key=key, folder=folder, info=info)


def _validated(path: Path, model: type[M]) -> M:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AreaError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AreaError(f"{path}: not readable YAML: {str(exc).splitlines()[0]}") from None
    try:
        return model.model_validate(data if data is not None else {})
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "(top level)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise AreaError(f"{path}: {where}: {first['msg']}{more}") from None
