"""Fit and measure the meaning router (connector/routing.py) on dev data.

    .venv/bin/python -m bench.routing

Two dev measures, both held out from the router's own examples:
- leave-one-out over corpus/routes.yaml: each example is routed by all the others;
- the questions of the bundled-corpus dev sets (eval/dev/domain.yaml, corpus.yaml, user-trial.yaml), whose
  route follows from their ids: "calc-levy" the levy tool, "calc-cost" the apprentice cost tool,
  "course-" the course finder, and everything else search (the far-away questions the floor must keep
  from the tools). user-trial.yaml names its route in the id: trial-<route>-....
Each (k, floor, margin) of the grid is scored by the mean of the two accuracies; the best wins, ties
going to the higher margin and floor (a doubtful question is better answered by search than by a tool
asking for the wrong figure) and then the smaller k. Copy the printed values into corpus/routes.yaml.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import yaml

from connector.embedder import Embedder
from connector.routing import KNOWN_ROUTES, SEARCH, Router
from connector.settings import PROJECT_ROOT, Settings

K_CHOICES = (1, 2, 3, 5)
FLOORS = tuple(round(float(f), 3) for f in np.arange(0.40, 0.801, 0.05))
MARGINS = (-0.05, 0.0, 0.025, 0.05, 0.1, 0.15)
DEV_FILES = ("domain.yaml", "corpus.yaml", "user-trial.yaml")
ID_ROUTES = (("calc-levy", "levy"), ("calc-cost", "apprentice_cost"), ("course-", "courses"))


def expected_route(item_id: str) -> str:
    """The route a dev item's id names (see the module docstring)."""
    if item_id.startswith("trial-"):
        named = item_id.split("-")[1]
        return named if named in KNOWN_ROUTES else SEARCH
    return next((route for prefix, route in ID_ROUTES if item_id.startswith(prefix)), SEARCH)


def dev_questions() -> list[tuple[str, str]]:
    """(question, expected route) of the standalone dev questions (follow-ups need their conversation)."""
    found = []
    for name in DEV_FILES:
        path = PROJECT_ROOT / "eval" / "dev" / name
        if path.exists():
            for item in yaml.safe_load(path.read_text(encoding="utf-8")):
                if "follow_up_of" not in item:
                    found.append((item["question"], expected_route(item["id"])))
    return found


Params = tuple[int, float, float]


def loo_accuracy(router: Router, params: Params) -> tuple[float, Counter[str]]:
    everyone = range(len(router.routes))
    wrong: Counter[str] = Counter()
    for n in everyone:
        others = router.subset([m for m in everyone if m != n])
        if others.choose(router.vector_of(n), *params).route != router.routes[n]:
            wrong[router.routes[n]] += 1
    return 1 - sum(wrong.values()) / len(router.routes), wrong


def dev_accuracy(router: Router, vectors: np.ndarray, routes: list[str], params: Params) -> float:
    right = sum(router.choose(v, *params).route == r for v, r in zip(vectors, routes, strict=True))
    return right / len(routes)


def main(argv: list[str] | None = None) -> None:
    embedder = Embedder.load(Settings(_env_file=None, data_dir=Path("/nonexistent-unused")))  # type: ignore[call-arg]
    router = Router.build(embedder)
    questions = dev_questions()
    vectors = np.asarray(embedder.embed_texts([q for q, _ in questions]), dtype=np.float32)
    routes = [r for _, r in questions]
    print(f"examples={len(router.routes)} dev_questions={len(questions)} {dict(Counter(routes))}")
    grid = []
    for k in K_CHOICES:
        for floor in FLOORS:
            for margin in MARGINS:
                params = (k, floor, margin)
                loo = loo_accuracy(router, params)[0]
                dev = dev_accuracy(router, vectors, routes, params)
                grid.append(((loo + dev) / 2, margin, floor, -k, loo, dev))
    grid.sort(reverse=True)
    for score, margin, floor, minus_k, loo, dev in grid[:8]:
        print(
            f"k={-minus_k} min_similarity={floor} min_margin={margin} mean={score:.3f} "
            f"leave-one-out={loo:.3f} dev={dev:.3f}"
        )
    _, margin, floor, minus_k, _, _ = grid[0]
    wrong = loo_accuracy(router, (-minus_k, floor, margin))[1]
    print(
        f"chosen k={-minus_k} min_similarity={floor} min_margin={margin}; leave-one-out misses: {dict(wrong)}"
    )
    now = router.examples
    params = (now.k, now.min_similarity, now.min_margin)
    print(
        f"in corpus/routes.yaml now: k={now.k} min_similarity={now.min_similarity}"
        f" min_margin={now.min_margin}"
        f" leave-one-out={loo_accuracy(router, params)[0]:.3f}"
        f" dev={dev_accuracy(router, vectors, routes, params):.3f}"
    )


if __name__ == "__main__":
    main()
