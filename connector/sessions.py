"""Conversation memory in the product's database: bounded in turns and sessions, expiring when idle.

    sessions = SessionStore(max_sessions=10_000, ttl_seconds=3600, max_turns=6, database=database)
    session_id, history = sessions.history(request_session_id)   # unknown or expired -> a new id
    sessions.append(session_id, Turn(question=..., answer=...), topic)
    sessions.topic(session_id)     # what the last answered turn was about (connector/conversation.py)

Stored, so every API process behind a load balancer continues the same conversation. Ids are random and
issued by the server; a client cannot choose one, so it cannot read another's history.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from connector.context import Turn
from connector.conversation import Topic
from connector.db import Database
from connector.db.tables import sessions


def _plain(value: Any) -> Any:
    # Slots and filters are JSON-like already; a stray value (a date, a set) is kept as its text.
    return json.loads(json.dumps(value, default=str))


class SessionStore:
    """Sessions in a table; the least recently used is dropped when full, any expires after ttl_seconds."""

    def __init__(
        self,
        max_sessions: int,
        ttl_seconds: float,
        max_turns: int,
        clock: Callable[[], float] = time.time,
        *,
        database: Database,
    ) -> None:
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns
        # Wall-clock seconds: processes on one machine (or synchronised machines) agree on them.
        self._clock = clock
        self.database = database

    def __len__(self) -> int:
        now = self._clock()
        query = select(func.count()).select_from(sessions).where(sessions.c.touched >= now - self.ttl_seconds)
        with self.database.begin() as conn:
            return int(conn.execute(query).scalar_one())

    def history(self, session_id: str | None) -> tuple[str, list[Turn]]:
        """The id to use and a copy of its turns; an unknown or expired id gets a fresh session."""
        now = self._clock()
        with self.database.begin() as conn:
            row = self._live(conn, session_id, now) if session_id else None
            if row is None or session_id is None:
                return self._new(conn, now), []
            conn.execute(update(sessions).where(sessions.c.id == session_id).values(touched=now))
            return session_id, [Turn(**turn) for turn in row["turns"]]

    def topic(self, session_id: str) -> Topic | None:
        """The topic and filters of the session's last answered turn, if any."""
        with self.database.begin() as conn:
            row = self._live(conn, session_id, self._clock())
        return Topic(**row["topic"]) if row is not None and row["topic"] else None

    def append(self, session_id: str, turn: Turn | None, topic: Topic | None = None) -> None:
        """Add a turn (None: keep the turns, as after a request for more), keeping only the last max_turns;
        and set the session's topic when one is given."""
        now = self._clock()
        with self.database.begin() as conn:
            row = self._live(conn, session_id, now, lock=True)
            turns = list(row["turns"]) if row is not None else []
            if turn is not None:
                turns = [*turns, _plain(asdict(turn))][-self.max_turns :]
            values: dict[str, Any] = {"turns": turns, "touched": now}
            if topic is not None:
                values["topic"] = _plain(asdict(topic))
            if row is None:
                conn.execute(delete(sessions).where(sessions.c.id == session_id))
                conn.execute(sessions.insert().values(id=session_id, **values))
                self._trim(conn, now)
            else:
                conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))

    def purge_expired(self) -> int:
        """Delete sessions idle for longer than the TTL; returns how many went."""
        with self.database.begin() as conn:
            return _delete_idle(conn, self._clock() - self.ttl_seconds)

    def _live(self, conn: Connection, session_id: str, now: float, lock: bool = False) -> Any:
        query = select(sessions).where(sessions.c.id == session_id)
        if lock:  # PostgreSQL: two processes appending to one session take turns
            query = query.with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None or now - row["touched"] > self.ttl_seconds:
            return None
        return row

    def _new(self, conn: Connection, now: float) -> str:
        session_id = secrets.token_urlsafe(16)
        conn.execute(sessions.insert().values(id=session_id, turns=[], topic=None, touched=now))
        self._trim(conn, now)
        return session_id

    def _trim(self, conn: Connection, now: float) -> None:
        # Expired sessions go first; then, past max_sessions, the least recently used.
        _delete_idle(conn, now - self.ttl_seconds)
        count = conn.execute(select(func.count()).select_from(sessions)).scalar_one()
        if count > self.max_sessions:
            oldest = select(sessions.c.id).order_by(sessions.c.touched).limit(count - self.max_sessions)
            conn.execute(delete(sessions).where(sessions.c.id.in_(oldest.scalar_subquery())))


def _delete_idle(conn: Connection, touched_before: float) -> int:
    return conn.execute(delete(sessions).where(sessions.c.touched < touched_before)).rowcount
