"""Course data found while ingesting: schema.org JSON-LD on pages and XCRI-CAP feeds, into the catalogue.

    hooks = CourseIngest(CourseCatalogue.open(settings))
    hooks.observe_page(page)                 # a crawled or local page with JSON-LD Course objects
    hooks.handle_feed(url, body)             # True when `body` was an XCRI-CAP feed and was stored
    hooks.load_folder(Path("areas/<name>/courses"))  # every .xml feed in a folder; removed files drop out

Each page or feed replaces its own courses as a whole, so a changed feed never leaves stale courses.
Importing this module registers `observe_page`, `take_feed` and `page_gone` with `connector ingest`
(ingest/run.py imports it at the start of a run), so the catalogue follows crawled pages, feeds and local
files as they appear, change and go.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from connector.courses.catalogue import CourseCatalogue
from connector.courses.jsonld import courses_from_jsonld, has_course_nodes
from connector.courses.model import Course
from connector.courses.places import Gazetteer
from connector.courses.xcri import is_xcri_feed, parse_xcri
from connector.errors import SourceError
from connector.settings import Settings
from connector.types import FetchResult, Page

log = logging.getLogger(__name__)

MAX_JSON_BYTES = 10_000_000
FEED_SUFFIXES = (".xml", ".json", ".jsonld")


def courses_from_page(page: Page, gazetteer: Gazetteer | None = None) -> list[Course]:
    """The courses a page's JSON-LD describes (none for most pages)."""
    if not page.structured:
        return []
    return courses_from_jsonld(page.structured, page.canonical_url or page.url, gazetteer)


def courses_from_feed(body: bytes, url: str, gazetteer: Gazetteer | None = None) -> list[Course] | None:
    """The courses of an XCRI-CAP feed or a JSON-LD document of schema.org Courses; None when the
    document is neither (so other handlers may try)."""
    if is_xcri_feed(body):
        return parse_xcri(body, url, gazetteer)
    objects = _json_objects(body)
    if objects is None or not has_course_nodes(objects):
        return None
    return courses_from_jsonld(objects, url, gazetteer)


def _json_objects(body: bytes) -> list | None:
    if len(body) > MAX_JSON_BYTES or body.lstrip()[:1] not in (b"{", b"["):
        return None
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, list) else [data]


@dataclass
class CourseIngest:
    """Writes what ingest finds into the catalogue; counts what it did for the run summary."""

    catalogue: CourseCatalogue
    stored: int = 0
    removed: int = 0
    sources: set[str] = field(default_factory=set)

    def observe_page(self, page: Page) -> None:
        """Store a page's courses; a page that no longer has any loses the ones it had."""
        source = page.canonical_url or page.url
        courses = courses_from_page(page)
        if courses or source in self._known_sources():
            self._replace(source, courses)

    def handle_feed(self, url: str, body: bytes) -> bool:
        """Store a course feed's courses; False when the body is not a course feed."""
        try:
            courses = courses_from_feed(body, url)
        except SourceError as exc:
            log.warning("course feed unreadable url=%s reason=%s", url, exc.reason)
            return False
        if courses is None:
            return False
        self._replace(url, courses)
        return True

    def source_gone(self, url: str) -> None:
        """A page or feed that no longer exists (404/410, deleted file): forget its courses."""
        self.removed += self.catalogue.remove_source(url)

    def load_folder(self, folder: Path) -> int:
        """Load every course feed file under a folder; files removed since last time drop out."""
        folder = folder.resolve()
        seen = []
        for path in sorted(p for p in folder.rglob("*") if p.suffix.lower() in FEED_SUFFIXES):
            url = path.as_uri()
            if self.handle_feed(url, path.read_bytes()):
                seen.append(url)
        self.removed += self.catalogue.prune_sources(folder.as_uri() + "/", seen)
        return len(seen)

    def prune_missing_files(self) -> int:
        """Forget courses read from local files that no longer exist (a deleted sample feed)."""
        gone = [url for url in self._known_sources() if url.startswith("file://") and not _file_exists(url)]
        removed = sum(self.catalogue.remove_source(url) for url in gone)
        self.removed += removed
        return removed

    def summary(self) -> dict[str, int]:
        return {
            "course_sources": len(self.sources),
            "courses_stored": self.stored,
            "courses_removed": self.removed,
        }

    def _replace(self, source: str, courses: list[Course]) -> None:
        stored, removed = self.catalogue.replace_source(source, courses)
        self.stored += stored
        self.removed += removed
        self.sources.add(source)

    def _known_sources(self) -> set[str]:
        return set(self.catalogue.source_urls())


def _file_exists(url: str) -> bool:
    return Path(unquote(urlsplit(url).path)).exists()


# -- hooks for `connector ingest` (see ingest/run.py) -----------------------------------------------
_catalogues: dict[Path, CourseCatalogue] = {}


def _hooks(settings: Settings) -> CourseIngest:
    path = (settings.data_dir / "courses.sqlite").resolve()
    if path not in _catalogues or not path.exists():
        _catalogues[path] = CourseCatalogue.open(settings)
    return CourseIngest(_catalogues[path])


def observe_page(page: Page, settings: Settings) -> None:
    """PAGE_OBSERVERS hook: keep the catalogue in step with the courses a page publishes as JSON-LD."""
    hooks = _hooks(settings)
    if not page.url.startswith(("http://", "https://")):
        hooks.prune_missing_files()  # a local run: feeds deleted from a folder drop out even if none is left
    hooks.observe_page(page)


def take_feed(document: FetchResult | bytes, url: str, settings: Settings) -> int:
    """FEED_HANDLERS hook: store a course feed's courses (XCRI-CAP or JSON-LD); 0 when it is not one."""
    body = document.body if isinstance(document, FetchResult) else document
    hooks = _hooks(settings)
    if url.startswith("file://"):
        hooks.prune_missing_files()
    if not hooks.handle_feed(url, body):
        return 0
    return max(hooks.stored, 1)  # an empty feed still counts as read: its courses were all withdrawn


def page_gone(url: str, settings: Settings) -> None:
    """GONE_OBSERVERS hook: a page that no longer exists takes its courses with it."""
    _hooks(settings).source_gone(url)


def _register() -> None:
    from ingest import run

    if observe_page not in run.PAGE_OBSERVERS:
        run.PAGE_OBSERVERS.append(observe_page)
    if take_feed not in run.FEED_HANDLERS:
        run.FEED_HANDLERS.append(take_feed)
    gone_observers = getattr(run, "GONE_OBSERVERS", None)
    if gone_observers is not None and page_gone not in gone_observers:
        gone_observers.append(page_gone)


_register()
