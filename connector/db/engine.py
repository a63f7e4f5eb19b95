"""One Database per URL: the engine, connection settings per backend, and migration on first open.

database = Database.open(settings)         # migrated to the newest revision
database = Database.at("sqlite:////tmp/x.sqlite", migrate=False)
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from connector.errors import DatabaseError
from connector.settings import Settings

log = logging.getLogger(__name__)

_open: dict[str, Database] = {}
_open_lock = threading.Lock()


def database_url(settings: Settings) -> str:
    """CONNECTOR_DATABASE_URL, or the SQLite file under the data dir."""
    if settings.database_url:
        return settings.database_url
    return f"sqlite:///{settings.app_db_path.resolve()}"


def may_hold_data(settings: Settings) -> bool:
    """False only when nothing was ever stored: no database URL and no SQLite file yet. A reader can then
    answer "nothing" without creating the database to say so."""
    return bool(settings.database_url) or settings.app_db_path.exists()


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the API read while another process writes; the busy timeout waits out short write locks.
    # synchronous=NORMAL: a commit survives the process being killed; only a power cut can lose the last
    # few (PostgreSQL is the choice where that matters). FULL made every chat request wait for the disk.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def new_engine(url: str) -> Engine:
    """An engine of its own for `url` (Database.at shares one per URL; a test may want a second)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled connections: reopening (and re-running the pragmas) cost more than the queries themselves.
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def first_line(error: Exception) -> str:
    """The driver's own message, first line: what a person needs without SQLAlchemy's wrapping."""
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {lines[0] if lines else ''}"


class Database:
    """The engine of one database URL; open() shares it across the process and migrates it once."""

    def __init__(self, url: str, engine: Engine) -> None:
        self.url = url
        self.engine = engine

    @classmethod
    def open(cls, settings: Settings) -> Database:
        """The settings' database, migrated to the newest revision."""
        return cls.at(database_url(settings))

    @classmethod
    def at(cls, url: str, migrate: bool = True) -> Database:
        """The database at `url` (one shared object per URL in a process)."""
        with _open_lock:
            database = _open.get(url)
            if database is None:
                database = cls(url, new_engine(url))
                if migrate:
                    database.upgrade()
                _open[url] = database
            return database

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success and rolled back on an exception."""
        with self.engine.begin() as conn:
            yield conn

    def upgrade(self, revision: str = "head") -> str:
        """Apply migrations up to `revision`; returns the revision the database is at."""
        from connector.db.migrate import upgrade

        try:
            return upgrade(self, revision)
        except SQLAlchemyError as error:
            raise DatabaseError(
                f"cannot migrate the database {self.safe_url}: {first_line(error)}"
            ) from error

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden, for messages and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        """Close pooled connections and forget this URL (tests; a process normally keeps it)."""
        with _open_lock:
            _open.pop(self.url, None)
        self.engine.dispose()
