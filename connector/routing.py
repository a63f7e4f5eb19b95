"""Route by meaning: which handler a question is for, from the example questions of corpus/routes.yaml.

    router = Router.build(embedder)                # the examples embedded once per model and file
    choice = router.choose(embedder.embed_query("how much levy do we pay?"))
    choice.route, choice.similarity, choice.margin  # "levy", 0.93, 0.31

Each route scores the mean cosine similarity of its k examples nearest to the question; the best route
wins. A tool or the course finder must also score at least `min_similarity` (a question far from every
example is for search) and beat search by `min_margin` (search holds the tools' look-alikes, "how do levy
transfers work?", so a question as close to those is not a calculation); a tool the question gives no
input for, which could only ask for one, must beat search by `min_margin_unstated`. The parameters live
in the data file and are fitted on dev data (bench/routing.py); the method and the figures are in
docs/decisions/routing.md.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from connector.data_files import data_mapping
from connector.embedder import Embedder
from connector.errors import ConfigError
from connector.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

ROUTES_FILE = PROJECT_ROOT / "corpus" / "routes.yaml"
SEARCH = "search"
# The routes a question can be sent to: the funding tools, the course finder, and search.
KNOWN_ROUTES = frozenset({"levy", "apprentice_cost", "eligibility", "loan", "courses", SEARCH})


@dataclass(frozen=True)
class Fit:
    """The fitted parameters of the choice (corpus/routes.yaml; bench/routing.py fits them)."""

    k: int  # each route scores the mean similarity of its k examples nearest to the question
    min_similarity: float  # a tool or the course finder must score at least this
    min_margin: float  # ... and beat search by this
    # A tool the question gives no input for (it would only ask) must beat search by this: a question as
    # close to the look-alikes ("what do I have to earn before I repay?") is for the documents.
    min_margin_unstated: float


@dataclass(frozen=True)
class RouteExamples:
    """The parsed data file: (route, example) pairs and the fitted parameters."""

    examples: tuple[tuple[str, str], ...]
    fit: Fit

    @property
    def routes(self) -> list[str]:
        return sorted({route for route, _ in self.examples})


@dataclass(frozen=True)
class RouteChoice:
    """Where a question goes, with the evidence for the log and for callers that weigh it."""

    route: str
    voted: str  # the best-scoring route, before the floor and the margins over search
    similarity: float  # its score: the mean similarity of its k nearest examples
    margin: float  # its score less search's


def load_examples(path: Path = ROUTES_FILE) -> RouteExamples:
    """Read and check the routes file; a malformed one stops the start naming the problem."""
    needs = "needs `k`, `min_similarity` and a `routes` map of route -> examples"
    raw, routes = data_mapping(path, "the route examples", "routes", needs)
    examples: list[tuple[str, str]] = []
    for route, entry in routes.items():
        if route not in KNOWN_ROUTES:
            raise ConfigError(f"{path}: unknown route {route!r} (one of {', '.join(sorted(KNOWN_ROUTES))})")
        texts = entry.get("examples") if isinstance(entry, dict) else None
        if not isinstance(entry.get("why"), str) or not texts or not all(isinstance(t, str) for t in texts):
            raise ConfigError(f"{path}: {route} needs a `why` line and a list of example questions")
        examples += [(route, text.strip()) for text in texts]
    if SEARCH not in raw["routes"]:
        raise ConfigError(f"{path}: the search route needs examples (the look-alikes of the tools)")
    return RouteExamples(tuple(examples), _fit(raw, path))


def _fit(raw: dict, path: Path) -> Fit:
    names = ("min_similarity", "min_margin", "min_margin_unstated")
    k, numbers = raw.get("k"), [raw.get(name) for name in names]
    if not isinstance(k, int) or k < 1 or not all(isinstance(x, int | float) for x in numbers):
        raise ConfigError(f"{path}: k must be a whole number >= 1, and {', '.join(names)} numbers")
    return Fit(k, *(float(x) for x in numbers))  # type: ignore[arg-type]


class Router:
    """The examples' vectors in one matrix; choosing is one matrix-vector product (well under 1 ms)."""

    def __init__(self, examples: RouteExamples, vectors: np.ndarray) -> None:
        self.examples = examples
        self.routes = [route for route, _ in examples.examples]
        self._vectors = vectors
        self._labels = np.array(self.routes)
        self._route_names = sorted(set(self.routes))

    @classmethod
    def build(cls, embedder: Embedder, path: Path = ROUTES_FILE, cache_dir: Path | None = None) -> Router:
        """The router for this file and model; the vectors are embedded once per process, and once per
        data dir when `cache_dir` is given (a cold start then reads them instead of embedding them)."""
        return cls.from_examples(embedder, load_examples(path), cache_dir)

    @classmethod
    def from_examples(
        cls, embedder: Embedder, examples: RouteExamples, cache_dir: Path | None = None
    ) -> Router:
        """A nearest-examples classifier over any labelled examples (the demand tags use it too)."""
        texts = tuple(text for _, text in examples.examples)
        return cls(examples, _example_vectors(embedder, texts, cache_dir))

    def choose(
        self,
        vector: Sequence[float],
        states_inputs: Callable[[str], bool] | None = None,
        fit: Fit | None = None,
    ) -> RouteChoice:
        """The route whose nearest examples are closest to the question, or search when they are not
        close enough or not clearly closer than search's. `states_inputs(route)` says whether the question
        gives that tool any of its inputs (by default it does)."""
        fit = fit or self.examples.fit
        return decide(self.scores(vector, fit.k), fit, states_inputs)

    def scores(self, vector: Sequence[float], k: int, leave_out: int | None = None) -> dict[str, float]:
        """Each route's mean similarity of its k examples nearest to `vector` (without example
        `leave_out`, to measure an example against the others)."""
        sims = self._vectors @ np.asarray(vector, dtype=np.float32)
        if leave_out is not None:
            sims[leave_out] = -np.inf
        return {route: _mean_of_top(sims[self._labels == route], k) for route in self._route_names}

    def vector_of(self, n: int) -> np.ndarray:
        return self._vectors[n]


def decide(
    scores: dict[str, float], fit: Fit, states_inputs: Callable[[str], bool] | None = None
) -> RouteChoice:
    """The route for these scores under the fitted floor and margins."""
    voted = max(scores, key=lambda route: scores[route])
    margin = scores[voted] - scores.get(SEARCH, -1.0)
    unstated = states_inputs is not None and not states_inputs(voted)
    needed = fit.min_margin_unstated if unstated else fit.min_margin
    close = scores[voted] >= fit.min_similarity and margin >= needed
    route = voted if voted == SEARCH or close else SEARCH
    return RouteChoice(route=route, voted=voted, similarity=scores[voted], margin=margin)


def _mean_of_top(sims: np.ndarray, k: int) -> float:
    top = np.sort(sims[np.isfinite(sims)])[::-1][:k]
    return float(top.mean()) if top.size else -1.0


_CACHE: dict[str, np.ndarray] = {}
_CACHE_LOCK = threading.Lock()


def _example_vectors(embedder: Embedder, texts: tuple[str, ...], cache_dir: Path | None) -> np.ndarray:
    """The examples' vectors, cached by model and text: in memory, and in a file when given a folder."""
    key = hashlib.sha256("\n".join((embedder.name, *texts)).encode()).hexdigest()
    with _CACHE_LOCK:
        vectors = _CACHE.get(key)
        if vectors is None:
            vectors = _stored_vectors(cache_dir, key, len(texts))
        if vectors is None:
            vectors = np.asarray(embedder.embed_texts(list(texts)), dtype=np.float32)
            _store_vectors(cache_dir, key, vectors)
        _CACHE[key] = vectors
        return vectors


def _stored_vectors(cache_dir: Path | None, key: str, rows: int) -> np.ndarray | None:
    """Vectors saved by an earlier process for exactly these texts and model (the key says so)."""
    if cache_dir is None:
        return None
    try:
        vectors = np.load(cache_dir / f"examples-{key}.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    return vectors if vectors.ndim == 2 and vectors.shape[0] == rows else None


def _store_vectors(cache_dir: Path | None, key: str, vectors: np.ndarray) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = cache_dir / f"examples-{key}.{os.getpid()}.tmp.npy"
        np.save(partial, vectors, allow_pickle=False)
        os.replace(partial, cache_dir / f"examples-{key}.npy")  # whole or absent, for a reader at once
    except OSError as error:
        log.warning("example vectors not cached folder=%s reason=%s", cache_dir, error)
