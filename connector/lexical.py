"""Lexical (BM25) retrieval over the same chunks as the dense index, built with bm25s.

    lexical = LexicalIndex.open(settings, store)   # loads the cached index or builds it
    lexical.search("ST0116 level 3 digital support", k=30)  # [(chunk_id, score), ...] best first

The index is cached on disk under the data dir, keyed by the store's version and size, and rebuilt
when ingest changes the store. Titles and headings are indexed twice, so a question that names a
page's subject ranks that page first.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path

import bm25s

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
# Suffixes stripped by the light stemmer, longest first ("funding" -> "fund", "courses" -> "course").
SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", "e"), ("s", ""))


def stem(word: str) -> str:
    """A light English stemmer: enough to match plurals and -ing/-ed forms."""
    if len(word) <= 4 or word[-1].isdigit():
        return word
    for suffix, replacement in SUFFIXES:
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + replacement
    return word


# A hyphenated code with letters and digits ("EL3-BAS-2627", "ST0116-2"): also kept whole, so a question
# that types a course code finds that course, not every page sharing the code's parts.
HYPHENATED_CODE = re.compile(r"\b(?=[a-z0-9-]*[a-z])(?=[a-z0-9-]*\d)[a-z0-9]+(?:-[a-z0-9]+)+\b")
# Bumped when tokenize changes, so an index saved with the old tokens is rebuilt.
TOKENIZER_VERSION = "3"
# "who's", "college's", "when's": the word without its 's.
POSSESSIVE = re.compile(r"'s$")


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens without stopwords, lightly stemmed; hyphenated codes also whole."""
    lowered = text.lower().replace("’", "'")
    words = (POSSESSIVE.sub("", token) for token in TOKEN.findall(lowered))
    tokens = [stem(word) for word in words if word and word not in STOPWORDS]
    return tokens + HYPHENATED_CODE.findall(lowered)


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
