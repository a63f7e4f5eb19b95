"""How much a sentence looks like the answer to a question: a linear score over a few measured features
of the sentence, with weights fitted on the dev sets rather than set by hand.

    model = sentence_model()
    model.score({"similarity": 0.61, "overlap": 0.5, ...})

The weights live in corpus/answering/sentence_model.json with the date and the dev sets they were fitted
on. They are refitted by `python -m connector.evaluation.fit_sentences` (the procedure and its figures:
docs/decisions/answering.md). A feature missing from the file weighs nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from connector.settings import PROJECT_ROOT

MODEL_FILE = PROJECT_ROOT / "corpus" / "answering" / "sentence_model.json"

# What is measured of each candidate sentence (all in 0..1 except where said):
FEATURES = (
    "similarity",  # cosine of the sentence to the question (the best of the asked and rewritten forms)
    "overlap",  # share of the question's terms in the sentence
    "heading_overlap",  # share of the question's terms found only in the headings it sits under
    "best_page",  # 1 on the page of the best passage
    "second_page",  # 1 on the next page
    "early",  # 1 / (1 + its position in the passage)
    "holds_kind",  # 1 when it holds the kind of fact asked for (an amount, a day, a date...)
    "figure",  # 1 when the question asks for a figure and the sentence has digits
    "dependent",  # 1 for a step, a worked example's step or a sentence opening with a connective
    "shared",  # 1 when several pages carry it word for word (a site's stock text)
    "echoes",  # 1 for a "Label: value" line whose value only repeats the question's words
    "passage_similarity",  # cosine of its whole passage to the question
    "top_passage",  # 1 when its passage is one of the top passages, not a further section of a page
    "audience",  # 1 when it names the asker's audience ("employers", "learners")
)


@dataclass(frozen=True)
class SentenceModel:
    weights: dict[str, float]

    def score(self, values: dict[str, float], *, without: str = "") -> float:
        """The weighted sum of the features (leaving out `without`, for a first cut before embedding)."""
        return sum(w * values.get(name, 0.0) for name, w in self.weights.items() if name != without)


def load(path: Path) -> SentenceModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    weights = {name: float(data["weights"].get(name, 0.0)) for name in FEATURES}
    return SentenceModel(weights)


@lru_cache(maxsize=1)
def sentence_model() -> SentenceModel:
    return load(MODEL_FILE)
