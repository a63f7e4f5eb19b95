"""Server-side conversation memory: bounded in turns and sessions, expiring after a quiet spell.

    sessions = SessionStore(max_sessions=10_000, ttl_seconds=3600, max_turns=6)
    session_id, history = sessions.history(request_session_id)   # unknown or expired -> a new id
    sessions.append(session_id, Turn(question=..., answer=...), topic)
    sessions.topic(session_id)     # what the last answered turn was about (connector/conversation.py)

Ids are random and issued by the server; a client cannot choose one, so it cannot read another's history.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from connector.context import Turn
from connector.conversation import Topic


@dataclass
class _Session:
    turns: list[Turn] = field(default_factory=list)
    topic: Topic | None = None
    touched: float = 0.0


class SessionStore:
    """An LRU of sessions; the oldest is dropped when full, any session expires after ttl_seconds idle."""

    def __init__(
        self,
        max_sessions: int,
        ttl_seconds: float,
        max_turns: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_sessions = max_sessions
        self.ttl_seconds = ttl_seconds
        self.max_turns = max_turns
        self._clock = clock
        self._sessions: OrderedDict[str, _Session] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def history(self, session_id: str | None) -> tuple[str, list[Turn]]:
        """The id to use and a copy of its turns; an unknown or expired id gets a fresh session."""
        now = self._clock()
        with self._lock:
            self._expire(now)
            session = self._sessions.get(session_id) if session_id else None
            if session is None or session_id is None:
                session_id = secrets.token_urlsafe(16)
                session = self._new(session_id, now)
            session.touched = now
            self._sessions.move_to_end(session_id)
            return session_id, list(session.turns)

    def topic(self, session_id: str) -> Topic | None:
        """The topic and filters of the session's last answered turn, if any."""
        with self._lock:
            session = self._sessions.get(session_id)
            return session.topic if session is not None else None

    def append(self, session_id: str, turn: Turn | None, topic: Topic | None = None) -> None:
        """Add a turn (None: keep the turns, as after a request for more), keeping only the last max_turns;
        and set the session's topic when one is given."""
        now = self._clock()
        with self._lock:
            session = self._sessions.get(session_id) or self._new(session_id, now)
            if turn is not None:
                session.turns = [*session.turns, turn][-self.max_turns :]
            if topic is not None:
                session.topic = topic
            session.touched = now
            self._sessions.move_to_end(session_id)

    def _new(self, session_id: str, now: float) -> _Session:
        session = _Session(touched=now)
        self._sessions[session_id] = session
        while len(self._sessions) > self.max_sessions:
            self._sessions.popitem(last=False)
        return session

    def _expire(self, now: float) -> None:
        # Sessions are kept in order of use, so expired ones sit at the front.
        while self._sessions:
            oldest_id, oldest = next(iter(self._sessions.items()))
            if now - oldest.touched <= self.ttl_seconds:
                return
            del self._sessions[oldest_id]
