"""Fit and measure the meaning router (connector/routing.py) on the examples of corpus/routes.yaml.

    .venv/bin/python -m bench.routing

Every fourth example of each route (the 4th, 8th, ...) is held out; the rest stand as the router's
examples. Each k of K_CHOICES and each floor of FLOORS is scored by the share of held-out examples routed
to their own route; the best pair wins, ties going to the higher floor (a doubtful question is better
answered by search than by a tool that asks for the wrong figure) and then the smaller k. It prints the
grid's best rows, the chosen pair, its held-out accuracy per route and the leave-one-out accuracy of the
whole file with the chosen pair; copy the pair into corpus/routes.yaml.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np

from connector.embedder import Embedder
from connector.routing import Router
from connector.settings import Settings

K_CHOICES = (1, 3, 5, 7, 9)
FLOORS = tuple(round(f, 3) for f in np.arange(0.30, 0.801, 0.025))
HOLD_OUT_EVERY = 4


def split(router: Router) -> tuple[list[int], list[int]]:
    """Indices of the examples kept and held out: every HOLD_OUT_EVERY-th of each route is held out."""
    seen: Counter[str] = Counter()
    kept, held = [], []
    for n, route in enumerate(router.routes):
        seen[route] += 1
        (held if seen[route] % HOLD_OUT_EVERY == 0 else kept).append(n)
    return kept, held


def accuracy(router: Router, kept: list[int], held: list[int], k: int, floor: float) -> float:
    index = router.subset(kept)
    right = sum(index.choose(router.vector_of(n), k, floor).route == router.routes[n] for n in held)
    return right / len(held)


def fit(router: Router) -> tuple[int, float, float]:
    """The (k, floor) with the best held-out accuracy, and that accuracy."""
    kept, held = split(router)
    grid = [(accuracy(router, kept, held, k, floor), floor, -k) for k in K_CHOICES for floor in FLOORS]
    best = max(grid)
    return -best[2], best[1], best[0]


def per_route(router: Router, indices: list[int], index_of, k: int, floor: float) -> dict[str, str]:
    totals: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for n in indices:
        route = router.routes[n]
        totals[route] += 1
        right[route] += index_of(n).choose(router.vector_of(n), k, floor).route == route
    return {route: f"{right[route]}/{totals[route]}" for route in sorted(totals)}


def main(argv: list[str] | None = None) -> None:
    embedder = Embedder.load(Settings(_env_file=None, data_dir=Path("/nonexistent-unused")))  # type: ignore[call-arg]
    router = Router.build(embedder)
    kept, held = split(router)
    k, floor, held_accuracy = fit(router)
    print(f"examples={len(router.routes)} kept={len(kept)} held_out={len(held)}")
    for k_choice in K_CHOICES:
        row = max((accuracy(router, kept, held, k_choice, f), f) for f in FLOORS)
        print(f"k={k_choice} best held-out accuracy={row[0]:.3f} at min_similarity={row[1]}")
    print(f"chosen k={k} min_similarity={floor} held-out accuracy={held_accuracy:.3f}")
    kept_router = router.subset(kept)
    print("held out, per route:", per_route(router, held, lambda n: kept_router, k, floor))
    everyone = list(range(len(router.routes)))

    def without(n: int) -> Router:
        return router.subset([m for m in everyone if m != n])

    loo = per_route(router, everyone, without, k, floor)
    loo_right = sum(int(v.split("/")[0]) for v in loo.values())
    print(f"leave-one-out accuracy={loo_right / len(everyone):.3f}", loo)


if __name__ == "__main__":
    main()
