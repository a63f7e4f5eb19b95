"""Server-side sessions: bounded in turns and count, expiring, ids issued by the server."""

from __future__ import annotations

from connector.context import Turn
from connector.conversation import Topic
from connector.sessions import SessionStore


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_new_session_gets_a_random_server_issued_id() -> None:
    store = SessionStore(max_sessions=10, ttl_seconds=60, max_turns=3)
    first, history = store.history(None)
    second, _ = store.history("chosen-by-client")
    assert history == [] and len(first) >= 20 and second != "chosen-by-client" and first != second


def test_turns_are_kept_in_order_and_capped() -> None:
    store = SessionStore(max_sessions=10, ttl_seconds=60, max_turns=2)
    session_id, _ = store.history(None)
    for n in range(3):
        store.append(session_id, Turn(question=f"q{n}", answer=""))
    same_id, history = store.history(session_id)
    assert same_id == session_id and [t.question for t in history] == ["q1", "q2"]


def test_idle_session_expires() -> None:
    clock = Clock()
    store = SessionStore(max_sessions=10, ttl_seconds=60, max_turns=3, clock=clock)
    session_id, _ = store.history(None)
    store.append(session_id, Turn(question="q", answer=""))
    clock.now = 61
    new_id, history = store.history(session_id)
    assert new_id != session_id and history == []


def test_oldest_session_is_dropped_when_full() -> None:
    store = SessionStore(max_sessions=10, ttl_seconds=600, max_turns=3)
    ids = [store.history(None)[0] for _ in range(12)]
    assert len(store) == 10
    assert store.history(ids[0])[0] != ids[0] and store.history(ids[-1])[0] == ids[-1]


def test_history_is_a_copy_callers_cannot_change() -> None:
    store = SessionStore(max_sessions=10, ttl_seconds=60, max_turns=3)
    session_id, history = store.history(None)
    history.append(Turn(question="sneaky", answer=""))
    assert store.history(session_id)[1] == []


def test_the_session_keeps_the_last_topic_and_a_request_for_more_leaves_it() -> None:
    store = SessionStore(max_sessions=10, ttl_seconds=60, max_turns=3)
    session_id, _ = store.history(None)
    assert store.topic(session_id) is None
    topic = Topic("level 3 digital courses near Colchester", "courses", {"level": 3, "near": "Colchester"})
    store.append(session_id, Turn(question=topic.question, answer="..."), topic)
    store.append(session_id, None, None)  # a request for more: no turn, the same topic
    _, history = store.history(session_id)
    assert len(history) == 1 and store.topic(session_id) == topic
    assert (topic.level, topic.place, topic.subject, topic.mode) == (3, "Colchester", None, None)
