"""Our exceptions. Core code raises these; only the CLI and the API turn them into exit codes or HTTP
errors."""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every error the product raises on purpose."""


class ConfigError(ConnectorError):
    """Settings or sources.yaml are wrong; start-up stops and names the problem."""


class IndexMismatchError(ConnectorError):
    """The index was built with another embedding model."""


class IngestLockedError(ConnectorError):
    """Another ingest run holds the lock for this data dir."""


class SourceError(ConnectorError):
    """A source could not be read; carries the URL, stage and reason."""

    def __init__(self, url: str, stage: str, reason: str) -> None:
        super().__init__(f"{stage} failed for {url}: {reason}")
        self.url = url
        self.stage = stage
        self.reason = reason


class UnsafeURLError(SourceError):
    """A URL or redirect points somewhere the crawler must not go (private address, other scheme)."""


class ToolInputError(ConnectorError):
    """A tool was given an input it cannot use; names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class IndexUnavailableError(ConnectorError):
    """The search index cannot be reached (a Chroma server down or unreachable); it may come back."""


class DatabaseError(ConnectorError):
    """The product's database cannot be opened, migrated or written (names the URL, password hidden)."""
