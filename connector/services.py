"""The heavy parts of the answer pipeline, built once per process and passed to every step.

services = Services.build(settings)
ctx = await answer(Context(question="..."), services)
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from connector.db import Database
from connector.embedder import Embedder
from connector.glossary import everyday, glossary
from connector.language_id import language_identifier
from connector.lexical import LexicalCache
from connector.llm import build_llm
from connector.questions import QuestionLog
from connector.retrieve import Retriever
from connector.sessions import SessionStore
from connector.settings import Settings
from connector.store import ChunkStore

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    embedder: Embedder
    store: ChunkStore
    retriever: Retriever
    courses: Any | None = None  # the course catalogue, when one is available
    llm: Any | None = None  # a LangChain chat model, when CONNECTOR_LLM is set
    sessions: SessionStore | None = None
    questions: QuestionLog | None = None
    database: Database | None = None  # the product's own tables (connector/db)
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(
        cls, settings: Settings, llm: Any | None = None, courses: Any | None = None, serving: bool = False
    ) -> Services:
        """Load the model, open the index, warm the lexical index; `llm` overrides CONNECTOR_LLM (tests).

        `serving`: a long-running API process, which starts once and then embeds a request's sentences
        many times, so it takes the encoder that is faster per batch over the one that starts faster,
        one thread per encode (the answer slots run answers side by side).
        """
        started = time.perf_counter()
        settings.ensure_data_dir()
        embedder = Embedder.load_serving(settings) if serving else Embedder.load(settings)
        store = ChunkStore.open(settings)
        lexical = LexicalCache(settings, store)
        lexical.current()
        glossary(), everyday()  # read and checked now: a malformed glossary stops the start, clearly
        language_identifier()  # loaded now, so that the first question does not wait for it
        database = Database.open(settings)  # migrated here, so a new version upgrades itself at start-up
        services = cls(
            settings=settings,
            embedder=embedder,
            store=store,
            retriever=Retriever(settings, embedder, store, lexical),
            courses=courses if courses is not None else _load_courses(settings),
            llm=llm if llm is not None else build_llm(settings),
            sessions=SessionStore(
                settings.session_max_count,
                settings.session_ttl_seconds,
                settings.session_max_turns,
                database=database,
            ),
            questions=QuestionLog(database),
            database=database,
        )
        log.info("services ready chunks=%d ms=%.0f", store.count(), (time.perf_counter() - started) * 1000)
        return services


def _load_courses(settings: Settings) -> Any | None:
    """The course catalogue (SQLite under the data dir), if that part of the product is installed."""
    try:
        from connector.courses.catalogue import CourseCatalogue
    except ImportError:
        return None
    return CourseCatalogue.open(settings)
