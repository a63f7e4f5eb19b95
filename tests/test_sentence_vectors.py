"""Each passage's sentences and words are embedded at ingest, so answering a question embeds only the
question: real ingest, real Chroma, the real model."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from conftest import make_settings

from connector.passage_words import words_of
from connector.pipeline import ask_sync
from connector.services import Services
from connector.store import SENTENCES_COMPLETE, WORDS_COMPLETE, ChunkStore, sentence_units
from connector.types import Status
from connector.vector_cache import similarity
from ingest.run import run_ingest

GUIDE = """# Hiring an apprentice

## Paying for training
Employers who pay the apprenticeship levy spend their levy funds on the training. An employer below the
levy threshold pays 5% of the training cost and the government pays the other 95%.

## Time off for study
An apprentice spends at least six hours a week in off-the-job training. The employer pays the apprentice
for this time, college days included.
"""

BURSARY = """# Help with costs

Learners aged 19 or over on a low income can ask the college for a bursary. It can pay towards travel,
childcare and equipment. Ask the student services team before the course starts.
"""


class RecordingEmbedder:
    """The real embedder, recording every text it is asked to embed."""

    def __init__(self, embedder) -> None:
        self._embedder = embedder
        self.texts: list[str] = []

    def count_tokens(self, text: str) -> int:
        return self._embedder.count_tokens(text)

    def embed_texts(self, texts):
        self.texts.extend(texts)
        return self._embedder.embed_texts(texts)

    def embed_query(self, text):
        return self.embed_texts([text])[0]


@pytest.fixture
def guides(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "apprentices.md").write_text(GUIDE, encoding="utf-8")
    (docs / "bursary.md").write_text(BURSARY, encoding="utf-8")
    return docs


def test_ingest_stores_a_vector_for_every_sentence_of_every_passage(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    store = ChunkStore.open(settings)
    chunks = list(store.iter_chunks())
    stored = store.sentence_vectors(chunks)
    expected = {text for chunk in chunks for text in sentence_units(chunk)}
    assert len(expected) >= 6 and set(stored) == expected
    # The same vector as embedding the sentence when answering (the ingest batches texts differently).
    for text in expected:
        assert similarity(stored[text], embedder.embed_query(text)) > 0.999
    assert store.sentences_complete()


def test_answering_embeds_the_question_and_none_of_the_sentences(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    services = Services.build(settings)
    recording = RecordingEmbedder(services.retriever.vectors.embedder)
    services.retriever.vectors.embedder = recording  # type: ignore[assignment]
    services.retriever.meanings.embedder = recording  # type: ignore[assignment]
    question = "Do we have to pay our apprentice for college days?"
    result = ask_sync(services, question)
    assert result.ctx.status == Status.ANSWERED and "college days included" in result.ctx.answer
    chunks = list(ChunkStore.open(settings).iter_chunks())
    sentences = {text for chunk in chunks for text in sentence_units(chunk)}
    assert recording.texts and question in recording.texts
    assert not sentences & set(recording.texts)
    # The focus check's word meanings: the passages' words are read from the index, only the others
    # ("fees", in no passage) are embedded.
    recording.texts.clear()
    words = sorted({word for chunk in chunks for word in words_of(chunk)})
    assert services.retriever.meanings.closest("fees", words)[0]
    assert recording.texts == ["fees"]


def test_ingest_stores_a_vector_for_every_word_of_every_passage(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    store = ChunkStore.open(settings)
    words = sorted({word for chunk in store.iter_chunks() for word in words_of(chunk)})
    assert {"bursary", "childcare", "off-the-job", "apprentices"} <= set(words)  # title, text, file name
    stored = store.word_vectors([*words, "unheard-of-word"])
    assert set(stored) == set(words) and store.words_complete()
    for word in ("bursary", "childcare", "levy"):
        assert similarity(stored[word], embedder.embed_query(word)) > 0.999
    assert store.unstored_words(["levy", "unheard-of-word"]) == ["unheard-of-word"]


def test_an_index_without_sentence_vectors_gets_them_at_its_next_run(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    store = ChunkStore.open(settings)
    chunks = list(store.iter_chunks())
    sentences = {text for chunk in chunks for text in sentence_units(chunk)}
    # An index as it was before sentence vectors were kept: no sentences, no mark.
    store.delete_sentences([chunk.id for chunk in chunks])
    store._set_metadata(SENTENCES_COMPLETE, "")
    assert store.sentence_vectors(chunks) == {} and not store.sentences_complete()

    recording = RecordingEmbedder(embedder)
    report = run_ingest(settings, [str(guides)], embedder=recording)  # type: ignore[arg-type]
    assert report.chunks_added == 0  # the passages are unchanged: only their sentences were embedded
    assert set(recording.texts) == sentences
    reopened = ChunkStore.open(settings)
    assert set(reopened.sentence_vectors(chunks)) == sentences and reopened.sentences_complete()

    again = RecordingEmbedder(embedder)
    run_ingest(settings, [str(guides)], embedder=again)  # type: ignore[arg-type]
    assert again.texts == []  # once complete, an unchanged run embeds nothing


def test_a_removed_passage_takes_its_sentences_with_it(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    (guides / "bursary.md").unlink()
    store = ChunkStore.open(settings)
    bursary = [chunk for chunk in store.iter_chunks() if "bursary" in chunk.text]
    assert bursary and store.sentence_vectors(bursary)
    run_ingest(settings, [str(guides)], embedder=embedder)
    assert ChunkStore.open(settings).sentence_vectors(bursary) == {}


def test_a_sentence_stored_under_other_words_is_embedded_afresh(settings, embedder, guides):
    """Sentence vectors are found by their passage and position; if the sentence splitter has changed
    since the ingest, the text at a position differs and the stored vector is not used."""
    run_ingest(settings, [str(guides)], embedder=embedder)
    store = ChunkStore.open(settings)
    chunk = next(chunk for chunk in store.iter_chunks() if "bursary" in chunk.text)
    first = sentence_units(chunk)[0]
    reworded = replace(chunk, text=chunk.text.replace(first, "A sentence the ingest never saw at all."))
    found = store.sentence_vectors([reworded])
    assert "A sentence the ingest never saw at all." not in found
    assert set(found) == set(sentence_units(reworded)[1:])


def test_a_store_opened_for_another_area_keeps_its_own_sentences(tmp_path, embedder, guides):
    essex = make_settings(tmp_path / "data", collection_name="skills-essex")
    norfolk = make_settings(tmp_path / "data", collection_name="skills-norfolk")
    run_ingest(essex, [str(guides)], embedder=embedder)
    chunks = list(ChunkStore.open(essex).iter_chunks())
    assert ChunkStore.open(essex).sentence_vectors(chunks)
    assert ChunkStore.open(norfolk).sentence_vectors(chunks) == {}


def test_each_candidate_passage_is_measured_by_its_closest_sentence(settings, embedder, guides):
    """The passage model's `sentence_similarity`: the question's cosine to the passage's closest sentence,
    from the stored vectors; without them (an index not yet given its sentences) the passage's own."""
    run_ingest(settings, [str(guides)], embedder=embedder)
    services = Services.build(settings)
    question = "Can the college help with childcare costs?"
    ranked = services.retriever.ranked(question)
    assert len(ranked) >= 2
    target = embedder.embed_query(question)
    for hit in ranked:
        closest = max(similarity(target, embedder.embed_query(text)) for text in sentence_units(hit.chunk))
        assert hit.features["sentence_similarity"] == pytest.approx(closest, abs=1e-3)
    # Not the passage's own cosine, which stands in only when the sentences are missing (below).
    assert any(
        abs(hit.features["sentence_similarity"] - hit.features["dense_similarity"]) > 0.01 for hit in ranked
    )

    store = ChunkStore.open(settings)
    store.delete_sentences([hit.chunk.id for hit in ranked])
    bare = Services.build(settings).retriever.ranked(question)
    assert all(hit.features["sentence_similarity"] == hit.features["dense_similarity"] for hit in bare)


def test_an_index_without_word_vectors_gets_them_at_its_next_run(settings, embedder, guides):
    run_ingest(settings, [str(guides)], embedder=embedder)
    store = ChunkStore.open(settings)
    words = {word for chunk in store.iter_chunks() for word in words_of(chunk)}
    # An index as it was before word vectors were kept: none, and no mark.
    store._words.delete(ids=sorted(words))
    store._set_metadata(WORDS_COMPLETE, "")
    assert store.word_vectors(sorted(words)) == {} and not store.words_complete()

    recording = RecordingEmbedder(embedder)
    report = run_ingest(settings, [str(guides)], embedder=recording)  # type: ignore[arg-type]
    assert report.chunks_added == 0 and set(recording.texts) == words
    reopened = ChunkStore.open(settings)
    assert set(reopened.word_vectors(sorted(words))) == words and reopened.words_complete()
