"""The provider directory (areas/<name>/providers.yaml): who receives employers' enquiries, joined to the
courses each provider offers in the course catalogue.

    directory = ProviderDirectory.load()                  # validated; bad entries raise ConfigError
    providers = directory.with_courses(catalogue.courses())
    [p.name for p in providers if p.email is None]        # kept and reported, never dropped

Subjects and levels are read from the provider's courses rather than written twice; an entry's own
`subjects` only stands in for a provider whose courses are not in the catalogue.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from connector.courses.model import Course
from connector.courses.subjects import SUBJECTS
from connector.errors import ConfigError

# Domains reserved for documentation and tests (RFC 2606, RFC 6761): a sample provider must use one, so a
# demonstration enquiry can never reach a real organisation.
RESERVED_DOMAIN = re.compile(r"(^|\.)(example\.(com|org|net)|example|test|invalid|localhost)$")
EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@([A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$")


def email_problem(value: str) -> str | None:
    """Why `value` is not a usable email address, or None when it is one."""
    if len(value) > 320:
        return "is longer than 320 characters"
    if not EMAIL.match(value):
        return "is not an email address such as name@example.org"
    return None


class ProviderEntry(BaseModel):
    """One entry of the directory file."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,63}$")
    name: str = Field(min_length=1, max_length=200)
    email: str | None = None
    areas: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    source: str = Field(min_length=1, max_length=500)
    sample: bool = False

    @field_validator("email")
    @classmethod
    def _usable_email(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        problem = email_problem(value.strip())
        if problem:
            raise ValueError(f"email {problem}")
        return value.strip()

    @field_validator("subjects")
    @classmethod
    def _known_subjects(cls, value: list[str]) -> list[str]:
        unknown = [key for key in value if key not in SUBJECTS]
        if unknown:
            raise ValueError(f"unknown subject key(s) {unknown}; expected some of {sorted(SUBJECTS)}")
        return value

    @model_validator(mode="after")
    def _samples_on_reserved_domains(self) -> ProviderEntry:
        if self.sample and self.email and not RESERVED_DOMAIN.search(self.email.rsplit("@", 1)[1].lower()):
            raise ValueError(f"sample provider {self.id} must use a reserved domain such as example.org")
        return self


class DirectoryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    last_reviewed: date
    providers: list[ProviderEntry]

    @model_validator(mode="after")
    def _unique_ids(self) -> DirectoryFile:
        ids = [entry.id for entry in self.providers]
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        if repeated:
            raise ValueError(f"provider ids used twice: {repeated}")
        return self


@dataclass(frozen=True)
class Provider:
    """A directory entry with what its courses say it offers."""

    entry: ProviderEntry
    courses: tuple[Course, ...] = ()
    subjects: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def email(self) -> str | None:
        return self.entry.email


@dataclass
class ProviderDirectory:
    entries: list[ProviderEntry]
    path: Path
    last_reviewed: date | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> ProviderDirectory:
        """Read and validate the directory; ConfigError names the file and the bad entry."""
        path = Path(path or _area_directory())
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            parsed = DirectoryFile.model_validate(raw)
        except OSError as error:
            raise ConfigError(f"cannot read the provider directory {path}: {error.strerror}") from error
        except (yaml.YAMLError, ValidationError) as error:
            raise ConfigError(f"the provider directory {path} is not valid: {_first_error(error)}") from error
        directory = cls(parsed.providers, path, parsed.last_reviewed)
        directory.warnings = [
            f"provider {entry.id} ({entry.name}) has no enquiry email: enquiries for it go to the Chamber"
            for entry in parsed.providers
            if entry.email is None
        ]
        return directory

    def without_email(self) -> list[ProviderEntry]:
        """Providers that cannot be emailed: shown to staff, matched all the same."""
        return [entry for entry in self.entries if entry.email is None]

    def with_courses(self, courses: list[Course]) -> list[Provider]:
        """Each entry joined to its catalogue courses by provider name (case and spacing ignored)."""
        by_name: dict[str, list[Course]] = {}
        for course in courses:
            by_name.setdefault(_name_key(course.provider), []).append(course)
        providers = []
        for entry in self.entries:
            own = tuple(by_name.get(_name_key(entry.name), ()))
            subjects = tuple(dict.fromkeys([c.subject for c in own if c.subject] + entry.subjects))
            levels = tuple(sorted({c.level for c in own if c.level is not None}))
            providers.append(Provider(entry, own, subjects, levels))
        return providers


def _name_key(name: str) -> str:
    return " ".join(name.lower().split())


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        return f"{where}: {first.get('msg', 'invalid')}"
    return str(error).splitlines()[0]


def _area_directory() -> Path:
    """The served area's providers.yaml."""
    from connector.settings import get_settings

    return get_settings().area_config.providers_file
