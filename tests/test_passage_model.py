"""The passage model: its shipped weights, what it measures of a passage, and the hybrid ranking it gives
on a real index (the real model, Chroma in a temp dir)."""

from __future__ import annotations

import json
import math

import pytest
from answer_corpus import build_index
from conftest import make_settings

from connector.lexical import LexicalCache
from connector.passage_model import (
    FEATURES,
    MODEL_FILE,
    Asked,
    PassageModel,
    load,
    passage_features,
    passage_model,
)
from connector.retrieve import Retriever
from connector.types import Chunk, Hit


def test_shipped_weights_cover_every_feature_and_say_how_they_were_fitted():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert data["dev_sets"] and "fit_passages" in data["procedure"]
    model = load(MODEL_FILE)
    # Measured on the dev sets: closeness in meaning and the question's words both point to the answer.
    assert model.weights["dense_similarity"] > 0 and model.weights["coverage"] > 0
    # A site's own page holds the answer more often than a bundled guide that matches it as well.
    assert model.weights["crawled"] > 0


def test_score_is_the_weighted_sum_of_the_features_it_knows():
    model = PassageModel({"coverage": 2.0, "holds_kind": 0.5})
    assert model.score({"coverage": 0.5, "holds_kind": 1.0, "unknown": 9.0}) == 2.0 * 0.5 + 0.5


def test_the_source_term_is_what_a_crawled_page_adds():
    model = PassageModel({"coverage": 2.0, "crawled": 1.5})
    crawled, bundled = {"coverage": 0.5, "crawled": 1.0}, {"coverage": 0.5, "crawled": 0.0}
    assert model.score(crawled) - model.score(bundled) == model.source_term(crawled) == 1.5
    assert model.source_term(bundled) == 0.0
    assert PassageModel({"coverage": 2.0}).source_term(crawled) == 0.0


def test_features_measure_the_passage_its_headings_and_its_ranks():
    chunk = Chunk(
        id="c1",
        url="/corpus/levy",
        title="Apprenticeship levy",
        heading_path=["Transfers"],
        text="You can transfer up to 25% of your levy funds to another employer each year.",
        audiences=["employer"],
    )
    hit = Hit(chunk=chunk, score=0.0, dense_score=0.62, dense_rank=1, lexical_rank=None)
    question = "What share of the levy can we transfer to another employer?"
    values = passage_features(hit, Asked.of(question, "employer"), 0.0, 0.3)
    assert values["dense_similarity"] == 0.62 and values["dense_reciprocal"] == 0.5
    assert values["lexical_reciprocal"] == 0.0 and values["lexical_score"] == 0.0
    assert values["holds_kind"] == 1.0 and values["audience"] == 1.0
    assert 0 < values["heading_coverage"] < values["coverage"] <= 1.0
    lexical_only = Hit(chunk=chunk, score=0.0, lexical_rank=0)
    found = passage_features(lexical_only, Asked.of("levy transfers in 2024"), 1.0, 0.3)
    # Found only by words: below every passage the dense search returned in meaning, first among words.
    assert found["dense_similarity"] == 0.3 and found["dense_reciprocal"] == 0.0
    assert found["lexical_reciprocal"] == 1.0 and found["holds_kind"] == 0.0 and found["audience"] == 0.0
    assert found["year"] == 0.0 and values["year"] == 0.0
    assert values["crawled"] == found["crawled"] == 0.0  # a bundled guide


def test_a_year_a_code_a_level_and_a_page_cited_before_are_measured_on_the_passage():
    chunk = Chunk(
        id="c2",
        url="https://college.example/courses/plumbing-l2.html",
        title="Plumbing Level 2 (EL3-BAS-2627)",
        heading_path=[],
        text="Fees for 2025 to 2026: £1,200. Course code EL3-BAS-2627.",
    )
    hit = Hit(chunk=chunk, score=0.0, dense_score=0.5, dense_rank=0)
    named = passage_features(
        hit, Asked.of("What is the level 2 plumbing fee for 2025? Code EL3-BAS-2627"), 0.0, 0.5
    )
    assert named["year"] == named["code"] == named["level_in_title"] == 1.0
    assert named["cited_before"] == 0.0
    assert named["crawled"] == 1.0  # a page crawled from a provider's site
    followed = passage_features(hit, Asked.of("and the fee?", None, cited=[chunk.url]), 0.0, 0.5)
    assert followed["cited_before"] == 1.0
    other = passage_features(hit, Asked.of("What is the level 3 plumbing fee for 2023?"), 0.0, 0.5)
    assert other["year"] == other["code"] == other["level_in_title"] == 0.0


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, embedder) -> Retriever:
    settings = make_settings(tmp_path_factory.mktemp("passages") / "data")
    store = build_index(settings, embedder)
    return Retriever(settings, embedder, store, LexicalCache(settings, store))


def test_hybrid_candidates_are_ranked_by_the_model_score(retriever):
    ranked = retriever.ranked("How long does an apprenticeship last at minimum?")
    assert len(ranked) > 5 and all(set(hit.features) == set(FEATURES) for hit in ranked)
    model = passage_model()
    scores = [math.exp(model.score(hit.features)) for hit in ranked]
    assert [hit.score for hit in ranked] == pytest.approx(scores)
    assert scores == sorted(scores, reverse=True)
    assert any(hit.dense_rank is None for hit in ranked) or any(hit.lexical_rank is None for hit in ranked)
