"""What the index holds, per URL: SQLite in WAL mode under the data dir.

    manifest = Manifest.open(settings.manifest_path)
    row = manifest.get(url)                 # PageRecord or None
    manifest.save([record, ...])            # one transaction
    manifest.referenced_ids()               # every chunk id some URL still uses

The manifest is the truth about what should be in Chroma; the index is reconciled against it at the start
and end of every run, so a killed run leaves nothing missing and nothing orphaned.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    chunk_ids TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL,
    last_seen TEXT,
    error TEXT,
    sitemap_lastmod TEXT
);
CREATE INDEX IF NOT EXISTS pages_source ON pages(source);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY,
    status INTEGER NOT NULL,
    body BLOB NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started TEXT NOT NULL,
    finished TEXT,
    dry_run INTEGER NOT NULL,
    report TEXT
);
"""

OK = "ok"
FAILED = "failed"  # a transient failure: chunk_ids still hold the last good version


@dataclass
class PageRecord:
    url: str
    source: str
    status: str = OK
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    chunk_ids: list[str] = field(default_factory=list)
    last_seen: str | None = None
    error: str | None = None
    sitemap_lastmod: str | None = None  # the page's sitemap <lastmod> when it was last read


@dataclass(frozen=True)
class StoredRobots:
    """A robots.txt response kept for its cache lifetime (status 2xx with a body, or 4xx: none)."""

    status: int
    body: bytes
    expires: float  # time.time() after which it is fetched again


_COLUMNS = (
    "url, source, title, etag, last_modified, content_hash, chunk_ids, status, last_seen, error,"
    " sitemap_lastmod"
)
# Columns added after the first release: (name, type), added to an older manifest when it is opened.
_ADDED_COLUMNS = (("sitemap_lastmod", "TEXT"),)


def _add_new_columns(db: sqlite3.Connection) -> None:
    """Bring a manifest written by an older version up to this schema (columns are only ever added)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(pages)")}
    for name, kind in _ADDED_COLUMNS:
        if name not in present:
            db.execute(f"ALTER TABLE pages ADD COLUMN {name} {kind}")
    db.commit()


def _record(row: sqlite3.Row) -> PageRecord:
    values = dict(row)
    values["chunk_ids"] = json.loads(values["chunk_ids"] or "[]")
    return PageRecord(**values)


class Manifest:
    """One SQLite connection; every write is its own short transaction."""

    def __init__(self, connection: sqlite3.Connection, read_only: bool) -> None:
        self._db = connection
        self.read_only = read_only
        self._lock = threading.RLock()  # the run reads while a worker thread writes
        # A dry run may read an older manifest it must not change: missing columns read as NULL.
        present = {row[1] for row in connection.execute("PRAGMA table_info(pages)")}
        self._select = ", ".join(
            name if name in present else f"NULL AS {name}" for name in _COLUMNS.replace(" ", "").split(",")
        )

    @classmethod
    def open(cls, path: Path, read_only: bool = False) -> Manifest:
        """Open (creating if needed); read-only mode never creates or writes the file (dry runs)."""
        if read_only:
            if not path.exists():
                db = sqlite3.connect(":memory:", check_same_thread=False)
                db.executescript(SCHEMA)
            else:
                db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.executescript(SCHEMA)
            _add_new_columns(db)
        db.row_factory = sqlite3.Row
        return cls(db, read_only)

    def close(self) -> None:
        self._db.close()

    def get(self, url: str) -> PageRecord | None:
        with self._lock:
            row = self._db.execute(f"SELECT {self._select} FROM pages WHERE url = ?", (url,)).fetchone()
        return _record(row) if row else None

    def records(self, source: str | None = None) -> list[PageRecord]:
        query = f"SELECT {self._select} FROM pages"
        args: tuple[str, ...] = ()
        if source is not None:
            query, args = query + " WHERE source = ?", (source,)
        with self._lock:
            return [_record(row) for row in self._db.execute(query + " ORDER BY url", args)]

    def referenced_ids(self) -> set[str]:
        ids: set[str] = set()
        with self._lock:
            rows = self._db.execute("SELECT chunk_ids FROM pages").fetchall()
        for (raw,) in rows:
            ids.update(json.loads(raw or "[]"))
        return ids

    def users_of(self, ids: set[str]) -> dict[str, PageRecord]:
        """For each of these chunk ids, one page (the first by URL) that still uses it."""
        users: dict[str, PageRecord] = {}
        for record in self.records():
            for chunk_id in ids.intersection(record.chunk_ids):
                users.setdefault(chunk_id, record)
        return users

    def save(self, records: Iterable[PageRecord]) -> None:
        """Insert or replace rows in one transaction."""
        rows = [
            (r.url, r.source, r.title, r.etag, r.last_modified, r.content_hash, json.dumps(r.chunk_ids),
             r.status, r.last_seen, r.error, r.sitemap_lastmod)
            for r in records
        ]  # fmt: skip
        with self._lock, self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO pages ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows
            )

    def robots(self, origin: str) -> StoredRobots | None:
        """The robots.txt kept for this origin, if it has not expired."""
        with self._lock:
            row = self._db.execute(
                "SELECT status, body, expires FROM robots WHERE origin = ?", (origin,)
            ).fetchone()
        if row is None or row[2] <= time.time():
            return None
        return StoredRobots(int(row[0]), bytes(row[1]), float(row[2]))

    def keep_robots(self, origin: str, stored: StoredRobots) -> None:
        """Keep a robots.txt response until it expires (not in a read-only, dry-run manifest)."""
        if self.read_only:
            return
        with self._lock, self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO robots (origin, status, body, expires) VALUES (?, ?, ?, ?)",
                (origin, stored.status, stored.body, stored.expires),
            )

    def remove(self, urls: Iterable[str]) -> None:
        with self._lock, self._db:
            self._db.executemany("DELETE FROM pages WHERE url = ?", [(u,) for u in urls])

    def invalidate(self, urls: Iterable[str]) -> None:
        """Forget validators and hashes so these pages are fetched and embedded again."""
        with self._lock, self._db:
            self._db.executemany(
                "UPDATE pages SET etag = NULL, last_modified = NULL, content_hash = NULL,"
                " sitemap_lastmod = NULL WHERE url = ?",
                [(u,) for u in urls],
            )

    def start_run(self, started: str, dry_run: bool) -> int:
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO runs (started, dry_run) VALUES (?, ?)", (started, int(dry_run))
            )
        return int(cursor.lastrowid or 0)

    def finish_run(self, run_id: int, finished: str, report: dict) -> None:
        with self._lock, self._db:
            self._db.execute(
                "UPDATE runs SET finished = ?, report = ? WHERE id = ?",
                (finished, json.dumps(report), run_id),
            )

    def previous_run_finished(self) -> bool:
        """False when the last run started but never finished (killed or crashed)."""
        with self._lock:
            row = self._db.execute(
                "SELECT finished FROM runs WHERE dry_run = 0 ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return row is None or row[0] is not None

    def last_finished(self) -> str | None:
        """When the last real (not dry) run finished, as stored (ISO 8601), or None if none has."""
        with self._lock:
            row = self._db.execute(
                "SELECT finished FROM runs WHERE dry_run = 0 AND finished IS NOT NULL"
                " ORDER BY id DESC LIMIT 1"
            ).fetchone()
        return str(row[0]) if row else None

    def last_report(self) -> dict | None:
        with self._lock:
            row = self._db.execute(
                "SELECT report FROM runs WHERE report IS NOT NULL ORDER BY id DESC LIMIT 1"
            )
            row = row.fetchone()
        return json.loads(row[0]) if row else None
