"""Hybrid retrieval: the dense (Chroma) and lexical (BM25) lists' passages ranked by a fitted model.

    retriever = Retriever(settings, embedder, store, LexicalCache(settings, store))
    hits = retriever.search("can we transfer unused levy?", audience="employer")
    retriever.is_relevant(hits)   # False -> answer no_answer instead of guessing

`mode="dense"` gives the plain dense ranking, for the evaluation's side-by-side comparison.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Literal

from connector.embedder import Embedder
from connector.glossary import expanded
from connector.lexical import LexicalCache
from connector.passage_model import Asked, passage_features, passage_model
from connector.sentence_rows import SentenceRows
from connector.sentences import split_units
from connector.settings import Settings
from connector.store import ChunkStore
from connector.types import Hit
from connector.vector_cache import VectorCache, similarity
from connector.word_meaning import WordMeanings

Mode = Literal["hybrid", "dense"]

# At most this many passages from one page, so the top few cover more than one page.
MAX_PER_URL = 2
# Further passages of the best pages handed to the composer (beyond the per-page cap).
MORE_FROM_PAGES = 4
# A sentence this long that this many candidate pages carry word for word is a site's stock text (two
# pages may be the same course at two campuses, sharing real facts).
STOCK_MIN_WORDS = 10
STOCK_MIN_PAGES = 3
# Passages whose single sentences are compared with the question when the passages as a whole fall short.
SENTENCE_DEPTH = 4


class Retriever:
    """Finds the passages that best match a question."""

    def __init__(
        self,
        settings: Settings,
        embedder: Embedder,
        store: ChunkStore,
        lexical: LexicalCache,
        mode: Mode = "hybrid",
    ) -> None:
        self.settings = settings
        self.mode = mode  # "dense" gives the plain dense baseline the evaluation compares against
        self.embedder = embedder
        self.store = store
        self.lexical = lexical
        self._blocked = [re.compile(pattern) for pattern in settings.blocked_source_urls]
        # Shared with the composer, which scores sentences against the same question vector.
        self.vectors = VectorCache(embedder)
        self.query_vector = self.vectors.one
        # Word vectors, for the focus check's words that a page says in its own words.
        self.meanings = WordMeanings(embedder, stored=store.word_vectors)
        # Each candidate passage's sentence vectors (stored at ingest): its closest sentence to the
        # question is a feature of the passage model, and the composer compares single sentences too.
        self.sentence_rows = SentenceRows(store)

    def search(
        self, query: str, audience: str | None = None, k: int | None = None, mode: Mode | None = None
    ) -> list[Hit]:
        """The top k passages, best first, at most MAX_PER_URL from one page."""
        return self.search_with_pages(query, audience, k, mode)[0]

    def search_with_pages(
        self,
        query: str,
        audience: str | None = None,
        k: int | None = None,
        mode: Mode | None = None,
        prefer: Sequence[str] = (),
    ) -> tuple[list[Hit], list[Hit]]:
        """The top k passages as `search` gives them, and the further candidate passages of the two best
        pages that the per-page cap left out, best first: the composer reads a page's other sections
        (the answer to "how many days?" often sits in the section after the one that matched best).
        Passages of the `prefer` pages (those the conversation's last answer cited) move up, so "what are
        the entry requirements?" is answered from the course just discussed."""
        k = k or self.settings.retrieval_top_k
        ranked = self.ranked(query, audience, mode, prefer)
        allowed = [hit for hit in ranked if not self.is_blocked(hit.chunk.url)]
        _mark_repeated(allowed)
        hits = _diverse(allowed, k)
        top_pages = list(dict.fromkeys(hit.chunk.url for hit in hits))[:2]
        chosen = {id(hit) for hit in hits}
        more = [hit for hit in allowed if hit.chunk.url in top_pages and id(hit) not in chosen]
        return hits, more[:MORE_FROM_PAGES]

    def ranked(
        self, query: str, audience: str | None = None, mode: Mode | None = None, prefer: Sequence[str] = ()
    ) -> list[Hit]:
        """Every candidate passage of both searches, best first, before the per-page cap; `prefer` are the
        pages the conversation's last answer cited."""
        depth = self.settings.retrieval_candidates
        # Both forms of an acronym the question uses ("EV", "electric vehicle") are searched for; the page
        # words for its everyday words ("cars": "vehicle") only by the lexical side, as extra terms to
        # match, since they would pull the question's meaning towards them.
        question = self.query_vector(expanded(query, everyday_words=False))
        dense = self.store.query(question, k=depth)
        if (mode or self.mode) == "dense":
            return dense
        lexical = self.lexical.current().search(expanded(query), depth)
        return self._fuse(Asked.of(query, audience, prefer), dense, lexical, question)

    def is_blocked(self, url: str) -> bool:
        return any(pattern.search(url) for pattern in self._blocked)

    def _fuse(
        self, asked: Asked, dense: list[Hit], lexical: list[tuple[str, float]], question: list[float]
    ) -> list[Hit]:
        """Both lists' passages, ranked by the fitted passage model (connector/passage_model.py)."""
        hits = {hit.chunk.id: hit for hit in dense}
        missing = [chunk_id for chunk_id, _ in lexical if chunk_id not in hits]
        for chunk in self.store.get(missing):
            hits[chunk.id] = Hit(chunk=chunk, score=0.0)
        best_lexical = max((score for _, score in lexical), default=0.0)
        lexical_scores: dict[str, float] = {}
        for rank, (chunk_id, score) in enumerate(lexical):
            if chunk_id in hits:
                hits[chunk_id].lexical_rank = rank
                lexical_scores[chunk_id] = score / best_lexical if best_lexical > 0 else 0.0
        lowest_dense = min((hit.dense_score for hit in dense if hit.dense_score is not None), default=0.0)
        model = passage_model()
        closest = self.sentence_rows.closest(question, [hit.chunk for hit in hits.values()])
        for chunk_id, hit in hits.items():
            hit.features = passage_features(
                hit, asked, lexical_scores.get(chunk_id, 0.0), lowest_dense, closest.get(chunk_id)
            )
            # Positive, and proportional to the fitted probability that the passage holds the answer.
            hit.score = math.exp(model.score(hit.features))
        return sorted(hits.values(), key=lambda hit: hit.score, reverse=True)

    def is_relevant(self, hits: Sequence[Hit], follow_up: bool = False) -> bool:
        """Whether the passages are relevant enough to answer from (docs/decisions/relevance-floor.md).

        Passages ranked by the fitted passage model are relevant when the best one clears its calibrated
        floor: the model weighs meaning, word overlap, headings and the kind of fact together, so no
        separate rule on any one of them is needed. A follow-up continues a conversation already in
        scope, so a fair dense match is enough for it. Passages ranked by meaning alone (the dense-only
        baseline) need a strong dense match. The focus check (connector/focus.py) runs after this.
        """
        best = max((hit.dense_score for hit in hits if hit.dense_score is not None), default=-1.0)
        if follow_up:
            return self.clears_passage_floor(hits) or best >= self.settings.retrieval_min_similarity
        if any(hit.features for hit in hits):
            return self.clears_passage_floor(hits)
        return best >= self.settings.retrieval_strong_similarity

    def clears_passage_floor(self, hits: Sequence[Hit]) -> bool:
        """The best passage's fitted score reaches `retrieval_passage_floor`: the passage model weighs
        meaning, word overlap and the kind of fact together, so a question whose best passage scores low
        on all of them is not answered by the site. Passages ranked without the model (dense-only) pass."""
        model = passage_model()
        # Without the kind of source, so the floor means the same with or without the bundled guides.
        scored = [math.log(hit.score) - model.source_term(hit.features) for hit in hits if hit.features]
        return not scored or max(scored) >= self.settings.retrieval_passage_floor

    def has_close_sentence(self, query: str, hits: Sequence[Hit]) -> bool:
        """One sentence of the top passages is a strong match for the question on its own: a long passage
        that covers several things scores lower as a whole than the one sentence of it that answers
        ("help with childcare costs" inside a page section on learner support). The passages must still
        clear the passage model's floor, which weighs more than meaning alone."""
        if not self.clears_passage_floor(hits):
            return False
        sentences = sorted({text for hit in hits[:SENTENCE_DEPTH] for text in _sentences(hit.chunk.text)})
        if not sentences:
            return False
        self.load_sentence_vectors(hits[:SENTENCE_DEPTH])
        question = self.query_vector(query)
        best = max(similarity(question, vector) for vector in self.vectors.many(sentences))
        return best >= self.settings.retrieval_strong_similarity

    def load_sentence_vectors(self, hits: Sequence[Hit]) -> None:
        """Put the vectors stored at ingest for these passages' sentences in the cache, so that comparing
        the question with single sentences embeds none of them (only a sentence the index lacks)."""
        unread = [hit.chunk for hit in hits if self.vectors.unknown(_sentences(hit.chunk.text))]
        if unread:
            # The ranking read these passages' vectors from the index already: no second read.
            self.vectors.remember(self.sentence_rows.vectors(unread))


@lru_cache(maxsize=8192)
def _sentences(text: str) -> frozenset[str]:
    """A passage's sentences (cached: the same passages come back question after question)."""
    return frozenset(unit for unit, _ in split_units(text))


def _mark_repeated(candidates: Sequence[Hit]) -> None:
    """Set each candidate's `repeated`: its sentences of STOCK_MIN_WORDS or more that STOCK_MIN_PAGES
    candidate pages carry word for word. The candidates (both rankings' top passages) often include a
    subject's sibling pages, which share the site's stock text; a short line such as "Aged 19 or over."
    is a fact that many pages state for themselves."""
    units = {id(hit): _sentences(hit.chunk.text) for hit in candidates}
    pages: dict[str, set[str]] = {}
    for hit in candidates:
        for text in units[id(hit)]:
            pages.setdefault(text, set()).add(hit.chunk.url)
    for hit in candidates:
        hit.repeated = frozenset(
            text
            for text in units[id(hit)]
            if len(pages[text]) >= STOCK_MIN_PAGES and len(text.split()) >= STOCK_MIN_WORDS
        )


def _diverse(ranked: Sequence[Hit], k: int) -> list[Hit]:
    """The first k hits, skipping repeats of a text and capping passages per page."""
    chosen: list[Hit] = []
    per_url: dict[str, int] = {}
    seen_text: set[str] = set()
    for hit in ranked:
        text_key = " ".join(hit.chunk.text.split()).lower()
        if text_key in seen_text or per_url.get(hit.chunk.url, 0) >= MAX_PER_URL:
            continue
        seen_text.add(text_key)
        per_url[hit.chunk.url] = per_url.get(hit.chunk.url, 0) + 1
        chosen.append(hit)
        if len(chosen) == k:
            break
    return chosen
