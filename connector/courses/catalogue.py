"""The course catalogue: courses stored in SQLite under the data dir, grouped by the source they came from.

catalogue = CourseCatalogue.open(settings)
catalogue.replace_source("https://college.example/xcri.xml", courses)  # the feed's courses, and only them
catalogue.courses()
catalogue.searchable()   # what searches use: real courses, or the samples while there are none
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from connector.courses.model import Course
from connector.settings import Settings

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS courses (
    id TEXT PRIMARY KEY,
    source_url TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS courses_by_source ON courses (source_url);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('version', 0);
"""
BUMP_VERSION = "UPDATE meta SET value = value + 1 WHERE key = 'version'"


class CourseCatalogue:
    """Courses keyed by id; each source's set is replaced as a whole so removed courses disappear."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Every write bumps a version; readers keep the parsed courses until it changes (any process).
        self._cache: tuple[int, list[Course]] = (-1, [])
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.executescript(SCHEMA)

    @classmethod
    def open(cls, settings: Settings) -> CourseCatalogue:
        """The catalogue of this data dir (`<data_dir>/courses.sqlite`), created if missing."""
        return cls(settings.ensure_data_dir() / "courses.sqlite")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            with conn:  # one transaction: committed on success, rolled back on error
                yield conn
        finally:
            conn.close()

    def replace_source(self, source_url: str, courses: Iterable[Course]) -> tuple[int, int]:
        """Make the source's courses exactly `courses`, atomically; returns (stored, removed)."""
        items = {course.id: course for course in courses if course.source_url == source_url}
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._connect() as conn:
            old = {
                row[0] for row in conn.execute("SELECT id FROM courses WHERE source_url = ?", (source_url,))
            }
            conn.execute("DELETE FROM courses WHERE source_url = ?", (source_url,))
            conn.executemany(
                "INSERT OR REPLACE INTO courses (id, source_url, data, updated_at) VALUES (?, ?, ?, ?)",
                [(cid, source_url, course.model_dump_json(), now) for cid, course in items.items()],
            )
            conn.execute(BUMP_VERSION)
        removed = len(old - items.keys())
        log.info("course source replaced source=%s stored=%d removed=%d", source_url, len(items), removed)
        return len(items), removed

    def remove_source(self, source_url: str) -> int:
        """Forget every course read from a source (the feed or page is gone); returns how many."""
        with self._connect() as conn:
            removed = conn.execute("DELETE FROM courses WHERE source_url = ?", (source_url,)).rowcount
            conn.execute(BUMP_VERSION)
        if removed:
            log.info("course source removed source=%s removed=%d", source_url, removed)
        return removed

    def prune_sources(self, prefix: str, keep: Iterable[str]) -> int:
        """Remove the courses of sources under `prefix` (e.g. a folder's file:// URL) not in `keep`."""
        keep_set = set(keep)
        stale = [url for url in self.source_urls() if url.startswith(prefix) and url not in keep_set]
        return sum(self.remove_source(url) for url in stale)

    def source_urls(self) -> list[str]:
        with self._connect() as conn:
            return [row[0] for row in conn.execute("SELECT DISTINCT source_url FROM courses ORDER BY 1")]

    def courses(self) -> list[Course]:
        """Every stored course; rows that no longer validate are skipped and logged, never fatal."""
        with self._connect() as conn:
            version = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()[0]
            if version == self._cache[0]:
                return list(self._cache[1])
            rows = conn.execute("SELECT id, data FROM courses ORDER BY id").fetchall()
        courses = [course for course in (_load(cid, data) for cid, data in rows) if course is not None]
        self._cache = (version, courses)
        return list(courses)

    def searchable(self) -> list[Course]:
        """The courses a search looks at: the real ones once any real provider's courses are stored, else
        the sample catalogue. Fictional sample courses are a demonstration for a fresh install; once a
        Chamber crawls real feeds or pages, showing them next to real courses would mislead."""
        courses = self.courses()
        return [course for course in courses if not course.sample] or courses

    def get(self, course_id: str) -> Course | None:
        with self._connect() as conn:
            row = conn.execute("SELECT id, data FROM courses WHERE id = ?", (course_id,)).fetchone()
        return _load(*row) if row else None

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM courses").fetchone()[0])


def _load(course_id: str, data: str) -> Course | None:
    try:
        return Course.model_validate(json.loads(data))
    except (ValueError, ValidationError) as exc:
        log.warning("stored course unreadable id=%s reason=%s", course_id, str(exc)[:200])
        return None
