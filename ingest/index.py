"""Write pages' chunks to Chroma and the manifest in an order that survives a kill at any point.

    indexer = Indexer(store, embedder, manifest)
    indexer.reconcile()                       # at the start and end of a run
    vectors, sentences = indexer.embed(chunks)  # may run in a worker thread
    removed = indexer.commit(updates, chunks, vectors, sentences)  # upsert -> manifest -> delete unreferenced

Each chunk's sentences are embedded with it, so answering a question embeds only the question (the answer
step compares the question with single sentences). An index built before sentence vectors were kept gets
them all at the start of its next run (`reconcile`).

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


def embed_sentences(embedder: Any, chunks: Sequence[Chunk]) -> list[list[list[float]]]:
    """For each chunk, a vector per sentence (store.sentence_units); a sentence several chunks share is
    embedded once."""
    return _embed(embedder, chunks, with_chunks=False)[1]


def _embed(
    embedder: Any, chunks: Sequence[Chunk], with_chunks: bool
) -> tuple[list[list[float]], list[list[list[float]]]]:
    """The chunks' own vectors (when `with_chunks`) and each chunk's sentence vectors, in one call to the
    model: it sorts the texts by length before batching, so short sentences are not padded to a chunk's
    length, and one call for all costs less than two."""
    units = [sentence_units(chunk) for chunk in chunks]
    sentences = list(dict.fromkeys(text for chunk_units in units for text in chunk_units))
    own = [chunk.embed_text for chunk in chunks] if with_chunks else []
    vectors = embedder.embed_texts(own + sentences) if own or sentences else []
    by_sentence = dict(zip(sentences, vectors[len(own) :], strict=True))
    return vectors[: len(own)], [[by_sentence[text] for text in chunk_units] for chunk_units in units]


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

    def chunks_to_embed(self, updates: Sequence[PageUpdate]) -> list[Chunk]:
        """New chunks of these updates that the index does not hold yet, each id once."""
        chunks = unique_chunks([c for u in updates if not u.remove for c in u.chunks])
        present = self.store.existing_ids([c.id for c in chunks])
        return [c for c in chunks if c.id not in present]

    def embed(self, chunks: Sequence[Chunk]) -> tuple[list[list[float]], list[list[list[float]]]]:
        """Each chunk's vector, and for each chunk a vector per sentence (one call to the model)."""
        return _embed(self.embedder, chunks, with_chunks=True)

    def commit(
        self, updates: Sequence[PageUpdate], chunks: Sequence[Chunk], vectors: Sequence, sentences: Sequence
    ) -> int:
        """Apply one batch; returns how many chunks were deleted."""
        if chunks:
            self.store.upsert_sentences(chunks, sentences)
            self.store.upsert(chunks, vectors)
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
