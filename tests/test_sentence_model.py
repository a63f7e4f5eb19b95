"""The sentence model: its shipped weights, how it scores, and the fitting procedure on known data."""

from __future__ import annotations

import json

import numpy as np

from connector.evaluation.fit_sentences import Question, fit, held_out, on_scale_of, precision
from connector.steps.sentence_model import FEATURES, MODEL_FILE, SentenceModel, load


def test_shipped_weights_cover_every_feature_and_say_how_they_were_fitted():
    data = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(FEATURES)
    assert data["dev_sets"] and "fit_sentences" in data["procedure"]
    model = load(MODEL_FILE)
    # Measured on the dev sets: meaning and shared words both point to the answer, stock text away from it.
    assert model.weights["similarity"] > 0 and model.weights["overlap"] > 0
    assert model.weights["shared"] < 0


def test_score_is_the_weighted_sum_and_can_leave_a_feature_out():
    model = SentenceModel({"similarity": 0.5, "overlap": 0.25})
    values = {"similarity": 0.8, "overlap": 0.4, "unknown": 9.0}
    assert model.score(values) == 0.5 * 0.8 + 0.25 * 0.4
    assert model.score(values, without="similarity") == 0.25 * 0.4


def _questions(rng: np.random.Generator, group: str, count: int) -> list[Question]:
    """Synthetic questions whose answer sentence is the one with the most overlap (plus noise elsewhere)."""
    made = []
    for _ in range(count):
        features = rng.random((8, len(FEATURES)))
        labels = np.zeros(8)
        labels[int(np.argmax(features[:, FEATURES.index("overlap")]))] = 1
        made.append(Question(group, features, labels, answerable=True, floor=True, focus_gap=False))
    return made


def test_fit_finds_the_feature_that_marks_the_answer_and_generalises_to_a_left_out_site():
    rng = np.random.default_rng(7)
    questions = _questions(rng, "a", 150) + _questions(rng, "b", 150)
    weights = fit(questions)
    assert int(np.argmax(weights)) == FEATURES.index("overlap")
    assert precision(questions, weights)[0] >= 0.9
    first, _, sites = held_out(questions)
    assert sites == 2 and first >= 0.8
    # Scaling keeps the ranking and takes the size of the reference weights.
    scaled = on_scale_of(weights, np.full(len(FEATURES), 0.1))
    assert np.isclose(np.abs(scaled).sum(), 0.1 * len(FEATURES))
    assert precision(questions, scaled) == precision(questions, weights)
