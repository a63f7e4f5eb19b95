"""Lexical (BM25) retrieval over the same chunks as the dense index, built with bm25s.

    lexical = LexicalIndex.open(settings, store)   # loads the cached index or builds it
    lexical.search("ST0116 level 3 digital support", k=30)  # [(chunk_id, score), ...] best first

The index is cached on disk under the data dir, keyed by the store's version and size, and rebuilt
when ingest changes the store. Titles and headings are indexed twice, so a question that names a
page's subject ranks that page first.

Words are stemmed with the Snowball English stemmer (PyStemmer, in C): "caring" and "care" meet, and
"car" stays apart; "classes" meets "class", "nursing" meets "nurse".
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import bm25s
import Stemmer

from connector.settings import Settings
from connector.store import ChunkStore
from connector.types import Chunk

log = logging.getLogger(__name__)

TOKEN = re.compile(r"[a-z0-9£]+(?:[.'][a-z0-9]+)*%?")
_STOPWORD_TEXT = """
    a an and are as at be but by can could do does for from has have how i if in into is it its me my of
    on or our so than that the their them then there these they this to us was we what when where which
    who why will with would you your yours about any all also get much many
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# Stems already worked out: a passage's words repeat, and a lookup is about three times quicker than
# stemming again (measured on 100k corpus tokens). Bounded, so odd input cannot grow it without limit.
STEM_CACHE_SIZE = 1 << 16
# A PyStemmer object keeps state while it works and must not be shared by threads running at once
# (the lexical index is built, and questions answered, in worker threads): one per thread.
_STEMMERS = threading.local()


def _english_stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = Stemmer.Stemmer("english", 0)  # 0: no cache of its own, ours is below
    return stemmer


@lru_cache(maxsize=STEM_CACHE_SIZE)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word ("courses" and "course" -> "cours", "caring" ->
    "care"); a token with digits or signs in it (a code, a figure, "£3m", "0.5%") is kept as it is."""
    return _english_stemmer().stemWord(word) if word.isalpha() else word


# A hyphenated code with letters and digits ("EL3-BAS-2627", "ST0116-2"): also kept whole, so a question
# that types a course code finds that course, not every page sharing the code's parts.
HYPHENATED_CODE = re.compile(r"\b(?=[a-z0-9-]*[a-z])(?=[a-z0-9-]*\d)[a-z0-9]+(?:-[a-z0-9]+)+\b")
# Bumped when tokenize changes, so an index saved with the old tokens is rebuilt.
TOKENIZER_VERSION = "4"
# "who's", "college's", "when's": the word without its 's.
POSSESSIVE = re.compile(r"'s$")


# Texts whose tokens are kept: each answer tokenizes its ~50 candidate passages and their sentences, and
# the same passages come back question after question (a third of an answer's Python time went here).
TOKENS_CACHE_SIZE = 1 << 14


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stopwords, stemmed; hyphenated codes also whole."""
    return list(_tokens(text))


@lru_cache(maxsize=TOKENS_CACHE_SIZE)
def _tokens(text: str) -> tuple[str, ...]:
    lowered = text.lower().replace("’", "'")
    words = (POSSESSIVE.sub("", token) for token in TOKEN.findall(lowered))
    stems = (stem(word) for word in words if word and word not in STOPWORDS)
    tokens = [token for token in stems if token not in STOPWORDS]  # "having" is "have": a stopword
    return (*tokens, *HYPHENATED_CODE.findall(lowered))


def lexical_text(chunk: Chunk) -> str:
    """What BM25 sees: title and headings twice (they name the subject), then the passage."""
    trail = " ".join([chunk.title, *chunk.heading_path])
    return f"{trail} {trail} {chunk.text}"


class LexicalIndex:
    """A BM25 index whose rows line up with a list of chunk ids."""

    def __init__(self, model: bm25s.BM25 | None, ids: list[str], key: str) -> None:
        self._model = model
        self.ids = ids
        self.key = key

    @classmethod
    def build(cls, chunks: Iterable[Chunk], key: str) -> LexicalIndex:
        ids: list[str] = []
        corpus: list[list[str]] = []
        for chunk in chunks:
            ids.append(chunk.id)
            corpus.append(tokenize(lexical_text(chunk)) or ["_"])
        if not ids:
            return cls(None, [], key)
        model = bm25s.BM25()
        model.index(corpus, show_progress=False)
        return cls(model, ids, key)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        """Chunk ids with a positive BM25 score, best first."""
        tokens = tokenize(query)
        if self._model is None or not tokens:
            return []
        found, scores = self._model.retrieve(
            [tokens], k=min(k, len(self.ids)), show_progress=False, n_threads=1
        )
        return [
            (self.ids[int(row)], float(score))
            for row, score in zip(found[0], scores[0], strict=True)
            if score > 0
        ]

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        if self._model is not None:
            self._model.save(str(folder), show_progress=False)
        (folder / "ids.json").write_text(json.dumps({"key": self.key, "ids": self.ids}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LexicalIndex:
        meta = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
        model = bm25s.BM25.load(str(folder), show_progress=False) if meta["ids"] else None
        return cls(model, meta["ids"], meta["key"])


def store_key(store: ChunkStore) -> str:
    """Changes whenever ingest changes the store (its version) or its size."""
    return f"{store.index_version()}-{store.count()}-t{TOKENIZER_VERSION}"


class LexicalCache:
    """Keeps the lexical index in step with the store: loaded from disk, rebuilt when the store changes."""

    def __init__(self, settings: Settings, store: ChunkStore) -> None:
        self.folder = settings.data_dir / "lexical"
        self.store = store
        self._index: LexicalIndex | None = None
        self._lock = threading.Lock()

    def current(self) -> LexicalIndex:
        """The index for the store as it is now (built at most once per store version)."""
        key = store_key(self.store)
        index = self._index
        if index is not None and index.key == key:
            return index
        with self._lock:
            if self._index is None or self._index.key != key:
                self._index = self._load_or_build(key)
            return self._index

    def _load_or_build(self, key: str) -> LexicalIndex:
        try:
            index = LexicalIndex.load(self.folder)
            if index.key == key:
                return index
        except (OSError, ValueError, KeyError):
            pass  # missing or unreadable cache: build it
        started = time.perf_counter()
        index = LexicalIndex.build(self.store.iter_chunks(), key)
        shutil.rmtree(self.folder, ignore_errors=True)
        index.save(self.folder)
        log.info(
            "lexical index built chunks=%d ms=%.0f", len(index.ids), (time.perf_counter() - started) * 1000
        )
        return index
