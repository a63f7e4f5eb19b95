"""The words the code speaks: what ingest produces and what answering consumes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

DOC_TYPES = ("course", "toolkit", "guidance", "careers", "news", "other")
AUDIENCES = ("employer", "learner", "provider")


class Status(StrEnum):
    """How an answer ended; part of the public API."""

    ANSWERED = "answered"
    NO_ANSWER = "no_answer"
    REFUSED = "refused"


def content_hash(text: str) -> str:
    """A stable id for a piece of content (sha256, hex, 32 chars)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@dataclass
class FetchResult:
    """One HTTP(S) or local fetch. `body` is raw bytes; decoding is the parser's job."""

    url: str  # the URL asked for
    final_url: str  # after redirects
    status: int  # HTTP status; 0 when the request never completed
    content_type: str = ""  # lower-case media type without parameters
    charset: str | None = None  # from the Content-Type header, if any
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False  # a 304 for a conditional GET
    error: str | None = None  # why it failed, in a few words
    transient: bool = False  # a timeout or 5xx: keep what we had
    robots_tag: str | None = None  # the X-Robots-Tag header (e.g. "noindex"), if any
    max_age: float | None = None  # seconds the response may be kept (Cache-Control), if it says


@dataclass
class Section:
    """A run of text under one heading path (or on one PDF page)."""

    heading_path: list[str]
    text: str
    page_number: int | None = None


@dataclass
class Page:
    """A parsed document, ready to chunk."""

    url: str
    title: str
    sections: list[Section]
    canonical_url: str | None = None
    doc_type: str = "other"
    audiences: list[str] = field(default_factory=list)
    fetched_at: str | None = None  # ISO 8601
    last_modified: str | None = None
    links: list[str] = field(default_factory=list)  # absolute links found on the page, for crawling
    structured: list[dict] = field(default_factory=list)  # JSON-LD objects (e.g. schema.org Course)

    @property
    def text(self) -> str:
        return "\n\n".join(section.text for section in self.sections)


@dataclass
class Chunk:
    """A passage stored in the index. `id` is the content hash of `text`, so shared boilerplate is stored
    once."""

    id: str
    url: str
    title: str
    heading_path: list[str]
    text: str  # what is shown and quoted
    doc_type: str = "other"
    audiences: list[str] = field(default_factory=list)
    page_number: int | None = None

    @property
    def crawled(self) -> bool:
        """Fetched from a site by the crawler, not one of the bundled guides (whose URLs are paths)."""
        return self.url.startswith(("http://", "https://"))

    @property
    def embed_text(self) -> str:
        """What is embedded: the text prefixed with its title and heading path, for context."""
        trail = " > ".join([self.title, *self.heading_path]) if self.title else " > ".join(self.heading_path)
        return f"{trail}\n{self.text}" if trail else self.text


@dataclass
class Hit:
    """A retrieved chunk with its fused score and the ranks that produced it."""

    chunk: Chunk
    score: float
    dense_score: float | None = None  # cosine similarity, 1 is identical
    dense_rank: int | None = None
    lexical_rank: int | None = None
    # Sentences of this passage that other pages among the candidates repeat word for word: a site's
    # stock text (a department's blurb on each of its course pages) says nothing about one page.
    repeated: frozenset[str] = frozenset()
    # What the passage ranking measured of it (connector/passage_model.py), when hybrid search ranked it.
    features: dict[str, float] = field(default_factory=dict)
