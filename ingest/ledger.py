"""When each configured source was last ingested, in the product's database; which sources are due.

    ledger = SourceLedger(Database.open(settings))
    ledger.started("south-essex-college")
    ledger.succeeded("south-essex-college")          # or ledger.failed(name, "reason")
    due = ledger.due(enabled_sources)                # those whose `refresh` has passed since the last success

A source with no `refresh` is due only until it has been ingested once; one never ingested is always due.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from connector.db import Database
from connector.db.tables import source_ingests
from connector.db.types import utc_now
from ingest.sources import SourceConfig

ERROR_MAX_CHARS = 500


class SourceLedger:
    """One row per source name; every method is one short transaction."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def started(self, name: str) -> None:
        with self.database.begin() as conn:
            self._ensure(conn, name)
            conn.execute(
                update(source_ingests).where(source_ingests.c.name == name).values(last_started_at=utc_now())
            )

    def succeeded(self, name: str) -> None:
        with self.database.begin() as conn:
            self._ensure(conn, name)
            done = {"last_success_at": utc_now(), "last_error": None}
            conn.execute(update(source_ingests).where(source_ingests.c.name == name).values(**done))

    def failed(self, name: str, reason: str) -> None:
        with self.database.begin() as conn:
            self._ensure(conn, name)
            error = reason[:ERROR_MAX_CHARS]
            conn.execute(update(source_ingests).where(source_ingests.c.name == name).values(last_error=error))

    def last_success(self) -> dict[str, datetime]:
        """Source name -> when it was last ingested successfully."""
        query = select(source_ingests.c.name, source_ingests.c.last_success_at)
        with self.database.begin() as conn:
            return {name: at for name, at in conn.execute(query) if at is not None}

    def due(self, sources: Sequence[SourceConfig], now: datetime | None = None) -> list[SourceConfig]:
        """The sources whose refresh interval has passed since their last success, in the given order."""
        now = now or utc_now()
        done = self.last_success()
        return [s for s in sources if s.name not in done or (s.refresh and now - done[s.name] >= s.refresh)]

    def _ensure(self, conn: Connection, name: str) -> None:
        # Insert-if-missing inside the caller's transaction; a concurrent insert of the same name (two
        # workers' first run) loses on the primary key and simply updates the row the other made.
        present = conn.execute(select(source_ingests.c.name).where(source_ingests.c.name == name)).first()
        if present is None:
            with contextlib.suppress(IntegrityError), conn.begin_nested():
                conn.execute(source_ingests.insert().values(name=name))
