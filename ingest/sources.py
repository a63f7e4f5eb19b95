"""Sources to ingest: the area's `sources.yaml`, or URLs and paths given on the command line.

    sources = load_sources(settings.sources_file)          # every entry, typed and validated
    enabled = [s for s in sources if s.enabled]
    source = source_from_argument("https://college.example/", settings)

A mistake in the file (unknown key, wrong type, missing path/url) raises ConfigError naming the field.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT, Settings
from connector.types import AUDIENCES

DURATION = re.compile(r"(\d+)\s*([mhdw])")
DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
MIN_REFRESH = timedelta(minutes=1)

DocType = Literal["course", "toolkit", "guidance", "careers", "news", "other"]


class SourceConfig(BaseModel):
    """One entry of sources.yaml: a local file/folder (`path`) or a web source (`url`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=100)
    path: str | None = None
    url: str | None = None
    enabled: bool = True
    doc_type: DocType | None = None
    audiences: list[str] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    max_pages: int | None = Field(default=None, ge=1)
    max_depth: int | None = Field(default=None, ge=0)
    allow_private: bool = False  # may reach private/loopback/link-local addresses (an intranet site)
    refresh: timedelta | None = None  # `connector ingest --due` ingests it again this long after the last

    @field_validator("refresh", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        """'30m', '6h', '1d', '2w' (or anything pydantic reads as a duration, e.g. 'PT6H')."""
        if isinstance(value, str) and (match := DURATION.fullmatch(value.strip())):
            return timedelta(**{DURATION_UNITS[match[2]]: int(match[1])})
        return value

    @field_validator("refresh")
    @classmethod
    def _positive(cls, value: timedelta | None) -> timedelta | None:
        if value is not None and value < MIN_REFRESH:
            raise ValueError("must be at least 1 minute (e.g. 30m, 6h, 1d, 2w)")
        return value

    @field_validator("audiences")
    @classmethod
    def _known_audiences(cls, value: list[str]) -> list[str]:
        unknown = [a for a in value if a not in AUDIENCES]
        if unknown:
            raise ValueError(f"unknown audience {unknown[0]!r}; use {', '.join(AUDIENCES)}")
        return value

    @field_validator("include", "exclude")
    @classmethod
    def _valid_patterns(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a regular expression: {exc}") from exc
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None:
            parsed = urlparse(value)
            if parsed.scheme not in ("http", "https") or not parsed.hostname:
                raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @model_validator(mode="after")
    def _path_or_url(self) -> SourceConfig:
        if (self.path is None) == (self.url is None):
            raise ValueError("give exactly one of 'path' or 'url'")
        if self.allow_private and self.url is None:
            raise ValueError("'allow_private' applies only to a 'url' entry")
        return self

    @property
    def is_local(self) -> bool:
        return self.path is not None

    def local_path(self, root: Path = PROJECT_ROOT) -> Path:
        """The file or folder, relative paths taken from the project root."""
        path = Path(self.path or "").expanduser()
        return path if path.is_absolute() else root / path


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[SourceConfig]


def _field_name(location: tuple[Any, ...]) -> str:
    """('sources', 2, 'doc_type') -> 'sources[2].doc_type'."""
    name = ""
    for item in location:
        name += f"[{item}]" if isinstance(item, int) else (f".{item}" if name else str(item))
    return name


def parse_sources(data: Any, origin: str) -> list[SourceConfig]:
    """Validate already-loaded YAML; raise ConfigError naming the first bad field."""
    try:
        sources = SourcesFile.model_validate(data).sources
    except ValidationError as exc:
        first = exc.errors()[0]
        raise ConfigError(f"{origin}: {_field_name(first['loc']) or 'top level'}: {first['msg']}") from None
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"{origin}: sources.name: {duplicates[0]!r} is used more than once")
    slashed = [n for n in names if is_ad_hoc_name(n)]
    if slashed:
        raise ConfigError(
            f"{origin}: sources.name: {slashed[0]!r} may not contain '/' or '\\' (use a short name)"
        )
    return sources


def is_ad_hoc_name(name: str) -> bool:
    """Sources named on the command line are named by their URL or path; configured names have neither
    '/' nor '\\'."""
    return "/" in name or "\\" in name


def load_sources(path: Path) -> list[SourceConfig]:
    """Read and validate sources.yaml."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path} (set CONNECTOR_SOURCES_FILE)") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read: {str(exc).splitlines()[0]}") from None
    return parse_sources(data, str(path))


def source_from_argument(argument: str, settings: Settings) -> SourceConfig:
    """A command-line SOURCE: a name from sources.yaml, an http(s) URL, or a local file or folder.
    A URL typed by the operator may be local (testing, an intranet); one from sources.yaml may be only
    when its entry says `allow_private: true`."""
    if settings.sources_file.exists():
        for source in load_sources(settings.sources_file):
            if source.name == argument:
                return source
    if urlparse(argument).scheme in ("http", "https"):
        return SourceConfig(name=argument, url=argument, allow_private=True)
    path = Path(argument).expanduser().resolve()
    if not path.exists():
        raise ConfigError(
            f"source not found: {argument!r} is not a configured name, a URL or an existing path"
        )
    return SourceConfig(name=str(path), path=str(path))


def resolve_sources(settings: Settings, arguments: list[str]) -> list[SourceConfig]:
    """The sources of a run: those named on the command line, else every enabled one in sources.yaml."""
    if arguments:
        return [source_from_argument(argument, settings) for argument in arguments]
    enabled = [source for source in load_sources(settings.sources_file) if source.enabled]
    if not enabled:
        raise ConfigError(f"{settings.sources_file}: no enabled sources; nothing to ingest")
    return enabled
