"""How close in meaning two words are, by the embedding model: "creating" and "developing", "gym" and
"fitness", "salary" and "wage". The question's words are compared with the words of the passages, so a
question in everyday words is not judged off-topic because the page says the same thing in its own.

    meanings = WordMeanings(embedder)
    meanings.closest("creating", {"developing", "board", "chair"})   # ("developing", 0.66)

The passages' words are embedded at ingest (connector/store.py keeps their vectors), so a word is read
from the index before it is embedded; the few left (mostly the question's own) go to the model in one
batch. Each word's vector is kept in memory (a site's vocabulary is a few thousand words).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from connector.embedder import Embedder

# Words kept at most (about 1.5 KB each): a large site's vocabulary fits; the oldest go first.
MAX_WORDS = 50_000


class WordMeanings:
    """Thread-safe cache of word vectors in front of the embedder."""

    def __init__(
        self,
        embedder: Embedder,
        max_words: int = MAX_WORDS,
        stored: Callable[[Sequence[str]], dict[str, list[float]]] | None = None,
    ) -> None:
        self.embedder = embedder
        self.max_words = max_words
        self.stored = stored  # the index's word vectors (ChunkStore.word_vectors), read before embedding
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def vectors(self, words: Iterable[str]) -> dict[str, np.ndarray]:
        """The vector of each word (lower-cased), embedding the unknown ones in one batch."""
        wanted = list(dict.fromkeys(word.lower() for word in words))
        with self._lock:
            unknown = [word for word in wanted if word not in self._vectors]
        if unknown:
            fresh = self.stored(unknown) if self.stored is not None else {}
            left = [word for word in unknown if word not in fresh]
            fresh.update(zip(left, self.embedder.embed_texts(left), strict=True))
            with self._lock:
                for word in unknown:
                    self._vectors[word] = np.asarray(fresh[word], dtype=np.float32)
                while len(self._vectors) > self.max_words:  # dicts keep insertion order: oldest first
                    self._vectors.pop(next(iter(self._vectors)))
        with self._lock:
            found = {word: self._vectors.get(word) for word in wanted}
        return {word: vector for word, vector in found.items() if vector is not None}

    def closest(self, word: str, candidates: Iterable[str]) -> tuple[str, float]:
        """The candidate closest in meaning to the word, and its cosine similarity ("", -1.0 for none)."""
        pool = [candidate.lower() for candidate in candidates if candidate.lower() != word.lower()]
        known = self.vectors([word, *pool])
        target = known.get(word.lower())
        names = [candidate for candidate in dict.fromkeys(pool) if candidate in known]
        if target is None or not names:
            return "", -1.0
        scores = np.stack([known[name] for name in names]) @ target
        best = int(np.argmax(scores))
        return names[best], float(scores[best])
