"""Hybrid retrieval over a real Chroma index and a real BM25 index built from it."""

from __future__ import annotations

import pytest
from answer_corpus import build_index, passage_chunks
from conftest import make_settings

from connector.lexical import LexicalCache, LexicalIndex, stem, tokenize
from connector.retrieve import Retriever
from connector.types import content_hash


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, embedder):
    settings = make_settings(tmp_path_factory.mktemp("retrieve") / "data")
    store = build_index(settings, embedder)
    return settings, store, Retriever(settings, embedder, store, LexicalCache(settings, store))


def test_hybrid_search_puts_the_page_that_answers_first(indexed) -> None:
    _, _, retriever = indexed
    hits = retriever.search("Can we transfer some of our levy to a supplier?")
    assert hits[0].chunk.url == "/corpus/levy-transfers"
    assert hits[0].dense_rank is not None and hits[0].lexical_rank is not None


def test_exact_terms_are_found_by_the_lexical_side(indexed) -> None:
    _, _, retriever = indexed
    hits = retriever.search("315 hours industry placement")
    assert hits[0].chunk.url == "/corpus/t-levels" and hits[0].lexical_rank == 0


def test_dense_only_mode_uses_no_lexical_ranks(indexed) -> None:
    _, _, retriever = indexed
    hits = retriever.search("apprentice minimum wage", mode="dense")
    assert hits and all(hit.lexical_rank is None for hit in hits)


def test_no_more_than_two_passages_from_one_page(indexed) -> None:
    _, _, retriever = indexed
    urls = [hit.chunk.url for hit in retriever.search("apprenticeship levy funds", k=8)]
    assert max(urls.count(url) for url in urls) <= 2


def test_audience_boost_prefers_passages_for_that_audience(indexed) -> None:
    _, _, retriever = indexed
    question = "free courses and training for adults"
    learner = retriever.search(question, audience="learner")
    assert "learner" in learner[0].chunk.audiences


def test_relevance_floor_rejects_an_unrelated_question_and_accepts_a_related_one(indexed) -> None:
    _, _, retriever = indexed
    unrelated, related = "How do I get a mortgage for a flat?", "Who gives free careers advice?"
    assert not retriever.is_relevant(retriever.search(unrelated))
    assert retriever.is_relevant(retriever.search(related))


def test_a_typed_acronym_finds_passages_over_the_floor_and_an_unknown_code_does_not(indexed) -> None:
    _, _, retriever = indexed
    assert retriever.is_relevant(retriever.search("HGV"))
    assert not retriever.is_relevant(retriever.search("XQZ9 dates"))
    dense = retriever.search("HGV", mode="dense")
    assert all(hit.lexical_rank is None for hit in dense)


def test_blocked_source_is_never_returned(indexed, embedder) -> None:
    settings, store, _ = indexed
    blocked = settings.model_copy(update={"blocked_source_urls": ["/corpus/hostile"]})
    retriever = Retriever(blocked, embedder, store, LexicalCache(settings, store))
    assert all(
        "hostile" not in hit.chunk.url for hit in retriever.search("first aid courses in Basildon", k=8)
    )


def test_lexical_index_is_cached_on_disk_and_rebuilt_when_the_store_changes(indexed, embedder) -> None:
    settings, store, _ = indexed
    cache = LexicalCache(settings, store)
    first = cache.current()
    assert (settings.data_dir / "lexical" / "ids.json").exists()
    assert LexicalCache(settings, store).current().key == first.key  # loaded, not rebuilt
    extra = passage_chunks()[0]
    extra.text = "Welding bootcamps in Harlow start every January."
    extra.id = content_hash(extra.text)
    store.upsert([extra], embedder.embed_texts([extra.embed_text]))
    store.mark_updated()
    rebuilt = cache.current()
    assert rebuilt.key != first.key and extra.id in rebuilt.ids
    assert rebuilt.search("welding Harlow January", 3)[0][0] == extra.id


def test_empty_index_gives_no_lexical_hits() -> None:
    assert LexicalIndex.build([], "0-0").search("levy", 5) == []


def test_tokenizer_matches_plurals_and_keeps_figures() -> None:
    assert stem("courses") == stem("course") and stem("funding") == stem("funded")
    assert tokenize("The levy is 0.5% of a £3m pay bill") == [stem("levy"), "0.5%", "£3m", "pay", "bill"]


def test_a_typed_course_code_is_one_lexical_term_as_well_as_its_parts() -> None:
    tokens = tokenize("Course code EL3-BAS-2627, fees for 2026-27")
    assert "el3-bas-2627" in tokens and "el3" in tokens
    assert "2026-27" not in tokens  # a span of years is not a code


def test_possessive_s_is_dropped_so_who_s_is_a_stopword() -> None:
    assert tokenize("who's the college's adviser?") == [stem("college"), stem("adviser")]
