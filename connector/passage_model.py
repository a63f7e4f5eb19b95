"""How likely a retrieved passage holds the answer: a linear score over measured features of the passage,
with weights fitted on the dev sets rather than set by hand. It ranks the candidates that the dense and
the lexical search bring back together (in place of reciprocal-rank fusion).

    features = passage_features(hit, Asked.of(question, audience), lexical_score, lowest_dense)
    passage_model().score(features)

The weights live in corpus/answering/passage_model.json with the date and the dev sets they were fitted
on; `python -m connector.evaluation.fit_passages` refits them (the procedure and its figures:
docs/decisions/answering.md). A feature missing from the file weighs nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from connector.answer_types import YEAR, asked_types, holds
from connector.lexical import HYPHENATED_CODE, tokenize
from connector.settings import PROJECT_ROOT
from connector.types import Hit

MODEL_FILE = PROJECT_ROOT / "corpus" / "answering" / "passage_model.json"
# A passage this many words long or longer counts as long (the length feature stops growing).
LONG_PASSAGE_WORDS = 300

# A year (answer_types.YEAR), a typed course code ("EL3-BAS-2627") or a level ("level 2") the question
# names: the same fee or rule is often on a page per year, and the same subject on a page per level, whose
# sibling pages mention the level asked for as the next step.
LEVEL = re.compile(r"\blevel\s*(\d)\b", re.IGNORECASE)

# What is measured of each candidate passage (all in 0..1):
FEATURES = (
    # cosine to the question; a passage only the lexical side found gets the dense list's lowest
    "dense_similarity",
    "dense_reciprocal",  # 1 / (1 + its rank in the dense list), 0 when not in it
    "lexical_reciprocal",  # 1 / (1 + its rank in the lexical list), 0 when not in it
    "lexical_score",  # its BM25 score over the best BM25 score
    "coverage",  # share of the question's terms in the passage, its title and headings
    "heading_coverage",  # share of the question's terms in its title and headings
    "holds_kind",  # 1 when it holds a value of the kind of fact asked for (an amount, a date...)
    "audience",  # 1 when it is written for the asker's audience
    "length",  # its length in words over LONG_PASSAGE_WORDS, at most 1
    "year",  # 1 when it carries a year the question names
    "code",  # 1 when it carries a course code the question types
    "level_in_title",  # 1 when its page title names the level the question asks for
    "cited_before",  # 1 on a page the conversation's last answer cited (a follow-up's topic)
    # cosine of its closest sentence to the question (an index without sentence vectors: the passage's)
    "sentence_similarity",
    "crawled",  # 1 for a page crawled from a source, 0 for a bundled guide
)


@dataclass(frozen=True)
class PassageModel:
    weights: dict[str, float]

    def score(self, values: dict[str, float]) -> float:
        return sum(w * values.get(name, 0.0) for name, w in self.weights.items())

    def source_term(self, values: dict[str, float]) -> float:
        """What the kind of source (a crawled page or a bundled guide) adds to the score: it orders a
        site's page against a guide, and says nothing of whether either answers the question."""
        return self.weights.get("crawled", 0.0) * values.get("crawled", 0.0)


def load(path: Path) -> PassageModel:
    data = json.loads(path.read_text(encoding="utf-8"))
    return PassageModel({name: float(data["weights"].get(name, 0.0)) for name in FEATURES})


@lru_cache(maxsize=1)
def passage_model() -> PassageModel:
    return load(MODEL_FILE)


@dataclass(frozen=True)
class Asked:
    """What the features compare each passage with, read from the question once."""

    terms: frozenset[str]  # its lexical terms
    wanted: frozenset[str]  # the kinds of fact it asks for
    audience: str | None
    years: frozenset[str]
    codes: frozenset[str]
    levels: frozenset[str]
    cited: frozenset[str] = frozenset()  # the pages the conversation's last answer cited

    @classmethod
    def of(cls, question: str, audience: str | None = None, cited: Iterable[str] = ()) -> Asked:
        return cls(
            terms=frozenset(tokenize(question)),
            wanted=frozenset(asked_types(question)),
            audience=audience,
            years=frozenset(YEAR.findall(question)),
            codes=frozenset(HYPHENATED_CODE.findall(question.lower())),
            levels=frozenset(LEVEL.findall(question)),
            cited=frozenset(cited),
        )


def passage_features(
    hit: Hit, asked: Asked, lexical_score: float, lowest_dense: float, closest_sentence: float | None = None
) -> dict[str, float]:
    """The features of one candidate; `lexical_score` is its BM25 score over the best one, `lowest_dense`
    the dense list's lowest cosine, `closest_sentence` its closest sentence's cosine to the question."""
    chunk = hit.chunk
    headings = _terms(" ".join([chunk.title, *chunk.heading_path]))
    words = headings | _terms(chunk.text)
    terms = asked.terms
    text = f"{chunk.title} {chunk.text}"
    dense_similarity = hit.dense_score if hit.dense_score is not None else lowest_dense
    return {
        "dense_similarity": dense_similarity,
        "dense_reciprocal": 1.0 / (1 + hit.dense_rank) if hit.dense_rank is not None else 0.0,
        "lexical_reciprocal": 1.0 / (1 + hit.lexical_rank) if hit.lexical_rank is not None else 0.0,
        "lexical_score": lexical_score,
        "coverage": len(terms & words) / len(terms) if terms else 0.0,
        "heading_coverage": len(terms & headings) / len(terms) if terms else 0.0,
        "holds_kind": float(bool(asked.wanted) and _holds(asked.wanted, chunk.text)),
        "audience": float(bool(asked.audience) and asked.audience in chunk.audiences),
        "length": min(1.0, len(chunk.text.split()) / LONG_PASSAGE_WORDS),
        "year": float(any(year in text for year in asked.years)),
        "code": float(any(code in text.lower() for code in asked.codes)),
        "level_in_title": float(bool(asked.levels & set(LEVEL.findall(chunk.title)))),
        "cited_before": float(chunk.url in asked.cited),
        "sentence_similarity": closest_sentence if closest_sentence is not None else dense_similarity,
        "crawled": float(chunk.crawled),
    }


# The same passages come back question after question: their terms and kinds of fact are kept.
@lru_cache(maxsize=16384)
def _terms(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


@lru_cache(maxsize=16384)
def _holds(wanted: frozenset[str], text: str) -> bool:
    return holds(set(wanted), text)
