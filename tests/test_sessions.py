"""Server-side sessions in the database: bounded in turns and count, expiring, ids issued by the server,
shared by every process that opens the same database. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable

from connector.context import Turn
from connector.conversation import Topic
from connector.db import Database, database_url
from connector.db.engine import new_engine
from connector.sessions import SessionStore


class Clock:
    def __init__(self, step: float = 0.0) -> None:
        self.now = 1_000.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def store(
    database: Database,
    max_sessions: int = 10,
    ttl: float = 60,
    turns: int = 3,
    clock: Callable[[], float] = time.time,
) -> SessionStore:
    return SessionStore(max_sessions, ttl, turns, clock, database=database)


def test_new_session_gets_a_random_server_issued_id(database: Database) -> None:
    sessions = store(database)
    first, history = sessions.history(None)
    second, _ = sessions.history("chosen-by-client")
    assert history == [] and len(first) >= 20 and second != "chosen-by-client" and first != second


def test_turns_are_kept_in_order_and_capped(database: Database) -> None:
    sessions = store(database, turns=2)
    session_id, _ = sessions.history(None)
    for n in range(3):
        sessions.append(session_id, Turn(question=f"q{n}", answer=""))
    same_id, history = sessions.history(session_id)
    assert same_id == session_id and [t.question for t in history] == ["q1", "q2"]


def test_idle_session_expires(database: Database) -> None:
    clock = Clock()
    sessions = store(database, clock=clock)
    session_id, _ = sessions.history(None)
    sessions.append(session_id, Turn(question="q", answer=""))
    clock.now += 61
    new_id, history = sessions.history(session_id)
    assert new_id != session_id and history == []


def test_oldest_session_is_dropped_when_full(database: Database) -> None:
    sessions = store(database, ttl=600, clock=Clock(step=1))
    ids = [sessions.history(None)[0] for _ in range(12)]
    assert len(sessions) == 10
    assert sessions.history(ids[0])[0] != ids[0] and sessions.history(ids[-1])[0] == ids[-1]


def test_history_is_a_copy_callers_cannot_change(database: Database) -> None:
    sessions = store(database)
    session_id, history = sessions.history(None)
    history.append(Turn(question="sneaky", answer=""))
    assert sessions.history(session_id)[1] == []


def test_the_session_keeps_the_last_topic_and_a_request_for_more_leaves_it(database: Database) -> None:
    sessions = store(database)
    session_id, _ = sessions.history(None)
    assert sessions.topic(session_id) is None
    topic = Topic("level 3 digital courses near Colchester", "courses", {"level": 3, "near": "Colchester"})
    sessions.append(session_id, Turn(question=topic.question, answer="..."), topic)
    sessions.append(session_id, None, None)  # a request for more: no turn, the same topic
    _, history = sessions.history(session_id)
    assert len(history) == 1 and sessions.topic(session_id) == topic
    assert (topic.level, topic.place, topic.subject, topic.mode) == (3, "Colchester", None, None)


def test_two_processes_share_one_conversation_through_the_database(db_settings) -> None:
    # Two stores over two engines, as two API processes behind a load balancer would have them.
    first_process = store(Database.open(db_settings))
    url = database_url(db_settings)
    second_process = store(Database(url, new_engine(url)))
    session_id, _ = first_process.history(None)
    turn = Turn("level 2 welding near Grays", "Two courses...", "courses", {"near": "Grays"}, ["/c/1"])
    first_process.append(session_id, turn, Topic(turn.question, "courses", {"level": 2, "near": "Grays"}))

    same_id, history = second_process.history(session_id)
    second_process.append(session_id, Turn("and part-time?", "One course...", "courses"))

    assert same_id == session_id and history == [turn]
    topic = second_process.topic(session_id)
    assert topic is not None and (topic.level, topic.place) == (2, "Grays")
    assert [t.question for t in first_process.history(session_id)[1]] == [turn.question, "and part-time?"]


def test_expired_sessions_are_purged(database: Database) -> None:
    clock = Clock()
    sessions = store(database, clock=clock)
    old_id, _ = sessions.history(None)
    clock.now += 30
    live_id, _ = sessions.history(None)
    clock.now += 40  # the first is 70 s idle, the second 40 s
    assert sessions.purge_expired() == 1
    assert sessions.history(live_id)[0] == live_id
