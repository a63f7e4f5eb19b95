"""Embeds texts once: an LRU of vectors in front of the embedder (questions, answer sentences).

vectors = VectorCache(embedder, max_items=4096)
vectors.remember({"a sentence": stored_vector})  # vectors computed elsewhere (at ingest)
vectors.many(["a sentence", "another"])          # only "another" reaches the model
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence

from connector.embedder import Embedder

# Texts reach the model in small groups of similar length: one long sentence in a batch pads every other
# text to its length, which made a request's dozen answer sentences cost up to four times as much.
GROUP_SIZE = 4


class VectorCache:
    """Thread-safe; only texts not seen recently reach the model, in groups of similar length."""

    def __init__(self, embedder: Embedder, max_items: int = 4096) -> None:
        self.embedder = embedder
        self.max_items = max_items
        self._vectors: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = threading.Lock()

    def one(self, text: str) -> list[float]:
        return self.many([text])[0]

    def many(self, texts: Sequence[str]) -> list[list[float]]:
        missing = self.unknown(texts)
        if missing:
            self.remember(dict(zip(missing, self._embed(missing), strict=True)))
        with self._lock:
            found = [self._vectors.get(t) for t in texts]
        # A vector evicted by another thread in between is simply embedded again.
        return [
            vector if vector is not None else self.embedder.embed_query(t)
            for t, vector in zip(texts, found, strict=True)
        ]

    def unknown(self, texts: Iterable[str]) -> list[str]:
        """The texts (each once) that the cache does not hold."""
        with self._lock:
            return list(dict.fromkeys(t for t in texts if t not in self._vectors))

    def remember(self, vectors: dict[str, list[float]]) -> None:
        with self._lock:
            for text, vector in vectors.items():
                self._vectors[text] = vector
                self._vectors.move_to_end(text)
            while len(self._vectors) > self.max_items:
                self._vectors.popitem(last=False)

    def _embed(self, texts: list[str]) -> list[list[float]]:
        """Vectors for texts in their order, embedded in groups of similar length."""
        order = sorted(range(len(texts)), key=lambda n: len(texts[n]))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), GROUP_SIZE):
            group = order[start : start + GROUP_SIZE]
            for n, vector in zip(group, self.embedder.embed_texts([texts[n] for n in group]), strict=True):
                vectors[n] = vector
        return vectors


def similarity(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two normalised vectors (the embedder normalises them)."""
    return sum(x * y for x, y in zip(a, b, strict=True))
