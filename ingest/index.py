"""Write pages' chunks to Chroma and the manifest in an order that survives a kill at any point.

    indexer = Indexer(store, embedder, manifest)
    indexer.reconcile()                       # at the start and end of a run
    embedded = indexer.embed(chunks)          # may run in a worker thread
    removed = indexer.commit(updates, chunks, embedded)  # upsert -> manifest -> delete unreferenced

Each chunk's sentences are embedded with it, and its words that no stored passage had before, so answering
a question embeds only the question (the answer step compares the question with single sentences, and the
focus check its words with the passages' words). An index built before sentence or word vectors were kept
gets them all at the start of its next run (`reconcile`).

Order of writes: (1) upsert the new chunks (their sentences first), (2) commit the manifest rows that
reference them, (3) delete chunks no manifest row references any more (their sentences with them). A kill
after (1) leaves orphans, after (2) leaves stale chunks: both are unreferenced and `reconcile` deletes
them. Chunks the manifest references but Chroma lacks (a crash inside Chroma) make their pages be
processed again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from connector.passage_words import words_of
from connector.store import ChunkStore, sentence_units
from connector.types import Chunk
from ingest.manifest import Manifest, PageRecord

log = logging.getLogger(__name__)

# Stored chunks whose sentences are embedded at once when an older index gets its sentence vectors.
BACKFILL_BATCH = 256


@dataclass
class PageUpdate:
    """A manifest row to write, with the chunks it references (empty when the chunks are already stored)."""

    record: PageRecord
    chunks: list[Chunk] = field(default_factory=list)
    old_ids: list[str] = field(default_factory=list)
    remove: bool = False  # the page is gone: drop its row


@dataclass
class Reconciled:
    orphans_deleted: int = 0
    pages_invalidated: list[str] = field(default_factory=list)


def unique_chunks(chunks: Sequence[Chunk]) -> list[Chunk]:
    seen: dict[str, Chunk] = {}
    for chunk in chunks:
        seen.setdefault(chunk.id, chunk)
    return list(seen.values())


@dataclass
class Embedded:
    """What one call to the model gave for a batch of chunks."""

    vectors: list[list[float]]  # each chunk's own
    sentences: list[list[list[float]]]  # for each chunk, one per sentence (store.sentence_units)
    words: dict[str, list[float]] = field(default_factory=dict)  # the words no stored passage had


def embed_sentences(embedder: Any, chunks: Sequence[Chunk]) -> list[list[list[float]]]:
    """For each chunk, a vector per sentence (store.sentence_units); a sentence several chunks share is
    embedded once."""
    return _embed(embedder, chunks, with_chunks=False).sentences


def _embed(embedder: Any, chunks: Sequence[Chunk], with_chunks: bool, words: Sequence[str] = ()) -> Embedded:
    """The chunks' own vectors (when `with_chunks`), each chunk's sentence vectors and the words' vectors,
    in one call to the model: it sorts the texts by length before batching, so short sentences and words
    are not padded to a chunk's length, and one call for all costs less than several."""
    units = [sentence_units(chunk) for chunk in chunks]
    sentences = list(dict.fromkeys(text for chunk_units in units for text in chunk_units))
    own = [chunk.embed_text for chunk in chunks] if with_chunks else []
    texts = own + sentences + list(words)
    vectors = embedder.embed_texts(texts) if texts else []
    by_sentence = dict(zip(sentences, vectors[len(own) : len(own) + len(sentences)], strict=True))
    return Embedded(
        vectors[: len(own)],
        [[by_sentence[text] for text in chunk_units] for chunk_units in units],
        dict(zip(words, vectors[len(own) + len(sentences) :], strict=True)),
    )


def new_words(store: ChunkStore, chunks: Sequence[Chunk]) -> list[str]:
    """The chunks' words (connector/passage_words.py) that the index has no vector for yet."""
    words = sorted({word for chunk in chunks for word in words_of(chunk)})
    return store.unstored_words(words) if words else []


class Indexer:
    """The only writer of the index during a run."""

    def __init__(self, store: ChunkStore, embedder: Any, manifest: Manifest) -> None:
        self.store = store
        self.embedder = embedder
        self.manifest = manifest

    def reconcile(self) -> Reconciled:
        """Delete chunks no page references; mark pages whose chunks are missing for re-processing."""
        referenced = self.manifest.referenced_ids()
        present = self.store.all_ids()
        orphans = sorted(present - referenced)
        if orphans:
            self.store.delete(orphans)
        missing = referenced - present
        urls = [r.url for r in self.manifest.records() if missing.intersection(r.chunk_ids)]
        if urls:
            self.manifest.invalidate(urls)
        if orphans or urls:
            log.info("index reconciled orphans_deleted=%d pages_invalidated=%d", len(orphans), len(urls))
        if not self.store.sentences_complete():
            self._add_missing_sentences()
        if not self.store.words_complete():
            self._add_missing_words()
        return Reconciled(len(orphans), urls)

    def _add_missing_sentences(self) -> None:
        """Embed and store the sentences of every stored chunk (an index built before they were kept)."""
        log.info("index sentence vectors missing: embedding the sentences of chunks=%d", self.store.count())
        batch: list[Chunk] = []
        for chunk in self.store.iter_chunks():
            batch.append(chunk)
            if len(batch) == BACKFILL_BATCH:
                self.store.upsert_sentences(batch, embed_sentences(self.embedder, batch))
                batch = []
        if batch:
            self.store.upsert_sentences(batch, embed_sentences(self.embedder, batch))
        self.store.mark_sentences_complete()
        log.info("index sentence vectors complete")

    def _add_missing_words(self) -> None:
        """Embed and store the words of every stored chunk that have no vector (an index built before
        word vectors were kept)."""
        log.info("index word vectors missing: embedding the words of chunks=%d", self.store.count())
        words = new_words(self.store, list(self.store.iter_chunks()))
        for start in range(0, len(words), BACKFILL_BATCH):
            part = words[start : start + BACKFILL_BATCH]
            self.store.upsert_words(part, self.embedder.embed_texts(part))
        self.store.mark_words_complete()
        log.info("index word vectors complete words=%d", len(words))

    def chunks_to_embed(self, updates: Sequence[PageUpdate]) -> list[Chunk]:
        """New chunks of these updates that the index does not hold yet, each id once."""
        chunks = unique_chunks([c for u in updates if not u.remove for c in u.chunks])
        present = self.store.existing_ids([c.id for c in chunks])
        return [c for c in chunks if c.id not in present]

    def embed(self, chunks: Sequence[Chunk]) -> Embedded:
        """Each chunk's vector, for each chunk a vector per sentence, and the vectors of the chunks' words
        the index lacks (one call to the model)."""
        return _embed(self.embedder, chunks, with_chunks=True, words=new_words(self.store, chunks))

    def commit(self, updates: Sequence[PageUpdate], chunks: Sequence[Chunk], embedded: Embedded) -> int:
        """Apply one batch; returns how many chunks were deleted."""
        if embedded.words:
            self.store.upsert_words(list(embedded.words), list(embedded.words.values()))
        if chunks:
            self.store.upsert_sentences(chunks, embedded.sentences)
            self.store.upsert(chunks, embedded.vectors)
        self.manifest.save([u.record for u in updates if not u.remove])
        self.manifest.remove([u.record.url for u in updates if u.remove])
        dropped: set[str] = set()
        left: set[str] = set()  # pages that dropped some of their chunks
        for update in updates:
            gone = set(update.old_ids) - (set() if update.remove else set(update.record.chunk_ids))
            dropped |= gone
            left |= {update.record.url} if gone else set()
        if not dropped:
            return 0
        referenced = self.manifest.referenced_ids()
        unreferenced = sorted(dropped - referenced)
        self.store.delete(unreferenced)
        self._relabel(dropped & referenced, left)
        return len(unreferenced)

    def _relabel(self, shared: set[str], left: set[str]) -> None:
        """A paragraph shared with other pages stays; if it was labelled with a page that dropped it, it now
        cites a page that still has it."""
        stale = [c for c in self.store.get(sorted(shared)) if c.url in left] if shared else []
        users = self.manifest.users_of({c.id for c in stale})
        relabelled = [
            replace(c, url=users[c.id].url, title=users[c.id].title) for c in stale if c.id in users
        ]
        if relabelled:
            self.store.update_metadata(relabelled)
