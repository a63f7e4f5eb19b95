"""The one module that talks to Chroma.

    store = ChunkStore.open(settings)
    store.upsert(chunks, vectors)
    store.upsert_sentences(chunks, sentence_vectors)  # each passage's sentences, embedded at ingest
    hits = store.query(vector, k=8)
    store.sentence_vectors(hit.chunk for hit in hits)  # {sentence: vector}, read back for answering

Local `PersistentClient` under the data dir by default; `HttpClient` when CONNECTOR_CHROMA_URL is set.
Vectors are always given by us: Chroma's default embedding function would try to download a model.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlparse

import chromadb
import httpx
import numpy as np
from chromadb.config import Settings as ChromaSettings

from connector.errors import ConfigError, IndexMismatchError, IndexUnavailableError
from connector.sentences import split_units
from connector.settings import Settings
from connector.types import Chunk, Hit

log = logging.getLogger(__name__)

# Chroma caps one write; keep batches well under it.
WRITE_BATCH = 256
# The collection of each passage's sentence vectors is named after the passages' collection.
SENTENCES_SUFFIX = "-sentences"
# Set on the passages' collection once every passage's sentences are in the sentence collection (an index
# built before sentence vectors were stored gets them at its next ingest).
SENTENCES_COMPLETE = "sentence_vectors"
# The collection of the passages' words (connector/passage_words.py), each embedded alone: the focus check
# compares a question's words with them in meaning. Named after the passages' collection too.
WORDS_SUFFIX = "-words"
# Set on the passages' collection once every stored passage's words are in the words collection.
WORDS_COMPLETE = "word_vectors"
# Ids asked of Chroma in one read.
READ_BATCH = 1000


def sentence_units(chunk: Chunk) -> list[str]:
    """The sentences of a passage as the answer step reads them (connector/sentences.py): what is embedded
    at ingest, so that answering embeds only the question."""
    return [unit for unit, _ in split_units(chunk.text)]


def _sentence_id(chunk_id: str, position: int) -> str:
    return f"{chunk_id}:{position}"


def _client(settings: Settings) -> Any:
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        parsed = urlparse(settings.chroma_url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ConfigError(f"CONNECTOR_CHROMA_URL is not an http(s) URL: {settings.chroma_url!r}")
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 80),
            ssl=parsed.scheme == "https",
            settings=chroma_settings,
        )
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def _metadata(chunk: Chunk) -> dict[str, Any]:
    # Chroma metadata values are scalars; lists travel as JSON, audiences also as flags for filtering.
    meta: dict[str, Any] = {
        "url": chunk.url,
        "title": chunk.title,
        "heading_path": json.dumps(chunk.heading_path),
        "doc_type": chunk.doc_type,
        "audiences": json.dumps(chunk.audiences),
    }
    for audience in chunk.audiences:
        meta[f"aud_{audience}"] = True
    if chunk.page_number is not None:
        meta["page_number"] = chunk.page_number
    return meta


def _chunk(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        url=meta.get("url", ""),
        title=meta.get("title", ""),
        heading_path=json.loads(meta.get("heading_path") or "[]"),
        text=text,
        doc_type=meta.get("doc_type", "other"),
        audiences=json.loads(meta.get("audiences") or "[]"),
        page_number=meta.get("page_number"),
    )


@contextmanager
def reaching_the_index() -> Iterator[None]:
    """A Chroma server that cannot be reached becomes IndexUnavailableError, which the API answers with
    503 and /readyz names; the client reconnects by itself once the server is back."""
    try:
        yield
    except (httpx.TransportError, ConnectionError) as error:
        raise IndexUnavailableError(f"the search index cannot be reached: {type(error).__name__}") from error


class ChunkStore:
    """A Chroma collection of chunks, tied to one embedding model."""

    def __init__(self, collection: Any, client: Any, model_name: str, sentences: Any, words: Any) -> None:
        self._collection = collection
        self._client = client
        self.model_name = model_name
        self._sentences = sentences  # the collection of the passages' sentence vectors
        self._words = words  # the collection of the passages' word vectors, by the word

    @classmethod
    def open(cls, settings: Settings) -> ChunkStore:
        """Open (or create) the collection; refuse one built with another embedding model."""
        client = _client(settings)
        collection = client.get_or_create_collection(
            name=settings.collection_name,
            metadata={"embedding_model": settings.embedding_model, "hnsw:space": "cosine"},
            embedding_function=None,
        )
        recorded = (collection.metadata or {}).get("embedding_model")
        if recorded and recorded != settings.embedding_model:
            raise IndexMismatchError(
                f"the index in {settings.collection_name!r} was built with {recorded!r}, "
                f"not {settings.embedding_model!r}; use another CONNECTOR_DATA_DIR or rebuild the index"
            )
        sentences, words = (
            client.get_or_create_collection(
                name=settings.collection_name + suffix,
                metadata={"embedding_model": settings.embedding_model, "hnsw:space": "cosine"},
                embedding_function=None,
            )
            for suffix in (SENTENCES_SUFFIX, WORDS_SUFFIX)
        )
        return cls(collection, client, settings.embedding_model, sentences, words)

    def count(self) -> int:
        with reaching_the_index():
            return int(self._collection.count())

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]]) -> None:
        """Add or replace chunks with their vectors."""
        for start in range(0, len(chunks), WRITE_BATCH):
            part = chunks[start : start + WRITE_BATCH]
            self._collection.upsert(
                ids=[c.id for c in part],
                documents=[c.text for c in part],
                metadatas=[_metadata(c) for c in part],
                embeddings=[list(map(float, v)) for v in vectors[start : start + WRITE_BATCH]],
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Delete passages and their sentence vectors."""
        for start in range(0, len(ids), WRITE_BATCH):
            part = list(ids[start : start + WRITE_BATCH])
            self.delete_sentences(part)
            self._collection.delete(ids=part)

    def delete_sentences(self, chunk_ids: Sequence[str]) -> None:
        """Delete the sentence vectors of these passages."""
        if chunk_ids:
            self._sentences.delete(where={"chunk": {"$in": list(chunk_ids)}})

    # -- each passage's sentences, embedded at ingest ------------------------------------------
    def upsert_sentences(self, chunks: Sequence[Chunk], vectors: Sequence[Sequence[Sequence[float]]]) -> None:
        """Store each passage's sentence vectors (`vectors[n]` holds one per sentence_units(chunks[n])).
        Written before the passages themselves, so a stored passage always has its sentences."""
        rows = [
            (_sentence_id(chunk.id, position), text, chunk.id, vector)
            for chunk, chunk_vectors in zip(chunks, vectors, strict=True)
            for position, (text, vector) in enumerate(zip(sentence_units(chunk), chunk_vectors, strict=True))
        ]
        for start in range(0, len(rows), WRITE_BATCH):
            part = rows[start : start + WRITE_BATCH]
            self._sentences.upsert(
                ids=[row[0] for row in part],
                documents=[row[1] for row in part],
                metadatas=[{"chunk": row[2]} for row in part],
                embeddings=[list(map(float, row[3])) for row in part],
            )

    def sentence_vectors(self, chunks: Iterable[Chunk]) -> dict[str, list[float]]:
        """The stored vector of each sentence of these passages, by its text. A sentence stored under
        other words (the sentence splitter changed since the ingest) is left out, to be embedded afresh."""
        wanted = {
            _sentence_id(chunk.id, position): text
            for chunk in chunks
            for position, text in enumerate(sentence_units(chunk))
        }
        if not wanted:
            return {}
        with reaching_the_index():
            got = self._sentences.get(ids=list(wanted), include=["documents", "embeddings"])
        # `tolist` on the array Chroma returns: the same floats, about ten times faster than one by one
        # (a new topic's passages bring a few hundred sentences).
        return {
            text: np.asarray(vector, dtype=np.float64).tolist()
            for sentence_id, text, vector in zip(got["ids"], got["documents"], got["embeddings"], strict=True)
            if wanted.get(sentence_id) == text
        }

    def sentences_complete(self) -> bool:
        """Every passage's sentences are stored (false for an index built before they were)."""
        return bool((self._collection.metadata or {}).get(SENTENCES_COMPLETE))

    def mark_sentences_complete(self) -> None:
        self._set_metadata(SENTENCES_COMPLETE, "1")

    # -- the passages' words, embedded at ingest --------------------------------------------------
    def upsert_words(self, words: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Store word vectors. A word's vector is the model's, whatever page it came from, so words are
        never deleted with a page: a word a page dropped costs only its row."""
        for start in range(0, len(words), WRITE_BATCH):
            self._words.upsert(
                ids=list(words[start : start + WRITE_BATCH]),
                embeddings=[list(map(float, v)) for v in vectors[start : start + WRITE_BATCH]],
            )

    def word_vectors(self, words: Sequence[str]) -> dict[str, list[float]]:
        """The stored vector of each of these words that has one."""
        found: dict[str, list[float]] = {}
        for start in range(0, len(words), READ_BATCH):
            with reaching_the_index():
                got = self._words.get(ids=list(words[start : start + READ_BATCH]), include=["embeddings"])
            for word, vector in zip(got["ids"], got["embeddings"], strict=True):
                found[word] = np.asarray(vector, dtype=np.float64).tolist()
        return found

    def unstored_words(self, words: Sequence[str]) -> list[str]:
        """Which of these words have no stored vector yet, in the order given."""
        stored: set[str] = set()
        for start in range(0, len(words), READ_BATCH):
            stored.update(self._words.get(ids=list(words[start : start + READ_BATCH]), include=[])["ids"])
        return [word for word in words if word not in stored]

    def words_complete(self) -> bool:
        """Every stored passage's words are in the words collection (false for an index built before)."""
        return bool((self._collection.metadata or {}).get(WORDS_COMPLETE))

    def mark_words_complete(self) -> None:
        self._set_metadata(WORDS_COMPLETE, "1")

    def existing_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these ids are in the index."""
        found: set[str] = set()
        for start in range(0, len(ids), WRITE_BATCH):
            found.update(self._collection.get(ids=list(ids[start : start + WRITE_BATCH]), include=[])["ids"])
        return found

    def update_metadata(self, chunks: Sequence[Chunk]) -> None:
        """Re-label stored chunks (url, title, ...) without re-embedding them."""
        for start in range(0, len(chunks), WRITE_BATCH):
            part = chunks[start : start + WRITE_BATCH]
            self._collection.update(ids=[c.id for c in part], metadatas=[_metadata(c) for c in part])

    def all_ids(self) -> set[str]:
        return set(self._collection.get(include=[])["ids"])

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []
        got = self._collection.get(ids=list(ids), include=["documents", "metadatas"])
        return [
            _chunk(i, d, m) for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]

    def iter_chunks(self, batch: int = 2000) -> Iterator[Chunk]:
        """Every chunk in the index, in pages (for the lexical index and for checks)."""
        offset = 0
        while True:
            got = self._collection.get(include=["documents", "metadatas"], limit=batch, offset=offset)
            if not got["ids"]:
                return
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                yield _chunk(i, d, m)
            offset += len(got["ids"])

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[Hit]:
        """Nearest chunks by cosine similarity, best first."""
        # Chroma answers an empty collection, or k above its size, with what it has: no count() first,
        # which would cost a second round trip per question against a Chroma server.
        if k <= 0:
            return []
        with reaching_the_index():
            got = self._collection.query(
                query_embeddings=[list(map(float, vector))],
                n_results=k,
                where=where,
                include=["documents", "metadatas", "distances"],
            )
        hits = []
        for rank, (i, d, m, dist) in enumerate(
            zip(got["ids"][0], got["documents"][0], got["metadatas"][0], got["distances"][0], strict=True)
        ):
            similarity = 1.0 - float(dist)
            hits.append(Hit(chunk=_chunk(i, d, m), score=similarity, dense_score=similarity, dense_rank=rank))
        return hits

    # The index version lets readers (the lexical index, a running server) notice that ingest changed it.
    def index_version(self) -> str:
        return str((self._collection.metadata or {}).get("index_version", "0"))

    def mark_updated(self) -> str:
        """Record that the content changed; returns the new version."""
        version = f"{time.time():.6f}"
        self._set_metadata("index_version", version)
        return version

    def _set_metadata(self, key: str, value: str) -> None:
        metadata = dict(self._collection.metadata or {})
        metadata.pop("hnsw:space", None)  # cannot be modified after creation
        metadata[key] = value
        self._collection.modify(metadata=metadata)
