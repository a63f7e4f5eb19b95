"""Demand tags: a question's topic, LSIP priority sector and stated level, for the Chamber's report.

    tagger = Tagger.build(embedder)
    tagger.tag("any welding courses near me at level 3?")
    # -> Tags(topic="course_search", sector="advanced_manufacturing_and_engineering", level="3")

Topic and sector are chosen by meaning with the routing machinery (connector/routing.py): each label has
example questions in a data file (topics under corpus/demand/, sectors in the area's sectors.yaml),
embedded once; a question takes the label whose k nearest examples are closest, or the file's fallback
("other", "none") when no label is close enough or clearly closer than the fallback's own examples. The
level is read from the words by patterns kept as data (corpus/demand/levels.yaml): a level is stated,
never guessed. bench/demand_tags.py measures it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from connector.embedder import Embedder
from connector.errors import ConfigError
from connector.routing import Fit, RouteExamples, Router
from connector.settings import PROJECT_ROOT, get_settings

DEMAND_DIR = PROJECT_ROOT / "corpus" / "demand"
TOPICS = ("levy", "apprenticeships", "course_search", "learner_funding", "careers", "provider", "other")


@dataclass(frozen=True)
class Tags:
    topic: str  # one of TOPICS
    sector: str | None  # one of the area's LSIP priority sectors, or None when the question names none
    level: str | None  # "entry", "1" to "8", or None when the question states no level


@dataclass(frozen=True)
class Family:
    """One tag family: its labelled examples, fitted floor and margin, and the label that means "none"."""

    router: Router
    fallback: str

    def label(self, vector: list[float], fit: Fit | None = None) -> str:
        """The label of the nearest examples, or the fallback (`fit` overrides the file's, for the bench)."""
        fit = fit or self.router.examples.fit
        scores = self.router.scores(vector, fit.k)
        voted = max(scores, key=lambda label: scores[label])
        margin = scores[voted] - scores[self.fallback]
        close = scores[voted] >= fit.min_similarity and margin >= fit.min_margin
        return voted if close else self.fallback


def load_family(embedder: Embedder, path: Path) -> Family:
    """A tag family's data file (labels with a `why` and examples; k, min_similarity, min_margin)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        fit = Fit(int(raw["k"]), float(raw["min_similarity"]), float(raw["min_margin"]), 0.0)
        labels, fallback = raw["labels"], str(raw["fallback"])
        examples = [(label, str(text)) for label, entry in labels.items() for text in entry["examples"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read the tag examples: {error}") from error
    if fallback not in labels or not all(entry.get("why") for entry in labels.values()):
        raise ConfigError(f"{path}: every label needs a `why` line, and the fallback label needs examples")
    return Family(Router.from_examples(embedder, RouteExamples(tuple(examples), fit)), fallback)


def load_levels(path: Path) -> list[tuple[re.Pattern[str], str]]:
    """The level patterns, in the order they are tried."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(re.compile(item["pattern"], re.IGNORECASE), str(item["level"])) for item in raw["patterns"]]


class Tagger:
    """Topic and sector by nearest examples, level by pattern; one embedding per question."""

    def __init__(self, embedder: Embedder, topics: Family, sectors: Family, levels: list) -> None:
        self.embedder = embedder
        self.topics, self.sectors, self.levels = topics, sectors, levels

    @classmethod
    def build(cls, embedder: Embedder, folder: Path = DEMAND_DIR, sectors_file: Path | None = None) -> Tagger:
        """The tagger over the shared topics and levels and the served area's sectors (or `sectors_file`)."""
        topics = load_family(embedder, folder / "topics.yaml")
        unknown = set(topics.router.routes) - set(TOPICS)
        if unknown:
            raise ConfigError(f"{folder / 'topics.yaml'}: unknown topics {sorted(unknown)}")
        return cls(
            embedder,
            topics,
            load_family(embedder, sectors_file or get_settings().area_config.sectors_file),
            load_levels(folder / "levels.yaml"),
        )

    def tag(self, text: str) -> Tags:
        return self.tag_many([text])[0]

    def tag_many(self, texts: list[str]) -> list[Tags]:
        """Tags for many questions, embedded in one batch (the report tags a whole log at once)."""
        vectors = self.embedder.embed_texts(texts)
        return [
            Tags(self.topics.label(v), _or_none(self.sectors.label(v), self.sectors.fallback), self.level(t))
            for t, v in zip(texts, vectors, strict=True)
        ]

    def level(self, text: str) -> str | None:
        for pattern, level in self.levels:
            found = pattern.search(text)
            if found:
                return found.expand(level)
        return None


def _or_none(label: str, fallback: str) -> str | None:
    return None if label == fallback else label


@lru_cache(maxsize=1)
def default_tagger() -> Tagger:
    """The tagger over the bundled examples and the configured embedding model (built once)."""
    return Tagger.build(Embedder.load(get_settings()))


def tag_question(text: str, tagger: Tagger | None = None) -> Tags:
    """The demand tags of one question."""
    return (tagger or default_tagger()).tag(text)
