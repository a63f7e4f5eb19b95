"""How close the closest sentence of each candidate passage is to the question, from the sentence vectors
stored at ingest (connector/store.py): a passage that covers several things scores lower as a whole than
the one sentence of it that answers.

    rows = SentenceRows(store)
    rows.closest(question_vector, chunks)   # {chunk id: best sentence cosine}
    rows.vectors(chunks)                    # {sentence: its vector}, for the composer's similarities

A passage's vectors are read from the index once, as one matrix, and kept for the next questions and for
the later steps of the same question.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from connector.store import ChunkStore, sentence_units
from connector.types import Chunk

# Passages whose sentence matrices are kept (about 10 sentences of 384 floats each: some 15 kB apiece).
MAX_PASSAGES = 8192


@dataclass(frozen=True)
class Rows:
    """A passage's stored sentences and their vectors, one row per sentence."""

    texts: tuple[str, ...]
    matrix: np.ndarray


class SentenceRows:
    """Thread-safe LRU of each passage's sentence vectors as a matrix (None: the index holds none)."""

    def __init__(self, store: ChunkStore, max_passages: int = MAX_PASSAGES) -> None:
        self.store = store
        self.max_passages = max_passages
        self._rows: OrderedDict[str, Rows | None] = OrderedDict()
        self._lock = threading.Lock()

    def closest(self, question: Sequence[float], chunks: Sequence[Chunk]) -> dict[str, float]:
        """The best cosine between the question and a sentence of each passage, for the passages whose
        sentences the index holds."""
        vector = np.asarray(question, dtype=np.float32)
        return {
            chunk_id: float((rows.matrix @ vector).max())
            for chunk_id, rows in self._matrices(chunks).items()
            if rows is not None
        }

    def vectors(self, chunks: Sequence[Chunk]) -> dict[str, list[float]]:
        """The stored vector of each sentence of these passages, by its text."""
        return {
            text: row.tolist()
            for rows in self._matrices(chunks).values()
            if rows is not None
            for text, row in zip(rows.texts, rows.matrix, strict=True)
        }

    def _matrices(self, chunks: Sequence[Chunk]) -> dict[str, Rows | None]:
        with self._lock:
            found = {chunk.id: self._rows[chunk.id] for chunk in chunks if chunk.id in self._rows}
            for chunk_id in found:
                self._rows.move_to_end(chunk_id)
        unread = list({chunk.id: chunk for chunk in chunks if chunk.id not in found}.values())
        if unread:
            vectors = self.store.sentence_vectors(unread)
            fresh: dict[str, Rows | None] = {}
            for chunk in unread:
                texts = tuple(text for text in sentence_units(chunk) if text in vectors)
                matrix = np.asarray([vectors[text] for text in texts], dtype=np.float32)
                fresh[chunk.id] = Rows(texts, matrix) if texts else None
            with self._lock:
                self._rows.update(fresh)
                while len(self._rows) > self.max_passages:
                    self._rows.popitem(last=False)
            found.update(fresh)
        return found
