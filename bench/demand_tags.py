"""Measure the demand tags (connector/tags.py) on a labelled dev set.

    .venv/bin/python -m bench.demand_tags

Prints the accuracy of topic, sector and level on eval/dev/demand/tags.yaml, each label's hits, and the
questions tagged wrongly (a dev set: its failures are meant to be read), then the topic and sector
accuracy over a small grid of min_similarity and min_margin, so a change of the examples or the fitted
values in corpus/demand/*.yaml can be judged by figures.
"""

from __future__ import annotations

from collections import Counter
from itertools import product
from pathlib import Path

import yaml

from connector.embedder import Embedder
from connector.routing import Fit
from connector.settings import PROJECT_ROOT, Settings
from connector.tags import Family, Tagger

LABELLED = PROJECT_ROOT / "eval" / "dev" / "demand" / "tags.yaml"
FIELDS = ("topic", "sector", "level")


def _accuracy(items: list[dict], tagged: list, field: str) -> float:
    right = sum(1 for item, tags in zip(items, tagged, strict=True) if item[field] == getattr(tags, field))
    return right / len(items)


def _print_misses(items: list[dict], tagged: list) -> None:
    for item, tags in zip(items, tagged, strict=True):
        wrong = [f"{f}: {getattr(tags, f)} (want {item[f]})" for f in FIELDS if item[f] != getattr(tags, f)]
        if wrong:
            print(f"  {item['question']!r}: " + "; ".join(wrong))


def _grid(family: Family, vectors: list[list[float]], wanted: list[str | None]) -> None:
    fit = family.router.examples.fit
    for floor, margin in product((0.25, 0.3, 0.35, 0.4, 0.45), (0.0, 0.02, 0.05)):
        labels = [family.label(v, Fit(fit.k, floor, margin, 0.0)) for v in vectors]
        got = [None if label == family.fallback and family.fallback == "none" else label for label in labels]
        right = sum(1 for g, w in zip(got, wanted, strict=True) if g == w)
        print(f"    min_similarity={floor:.2f} min_margin={margin:.2f}: {right / len(wanted):.3f}")


def main(argv: list[str] | None = None) -> None:
    items = yaml.safe_load(Path(LABELLED).read_text(encoding="utf-8"))
    embedder = Embedder.load(Settings(_env_file=None))  # type: ignore[call-arg]
    tagger = Tagger.build(embedder)
    questions = [item["question"] for item in items]
    tagged = tagger.tag_many(questions)
    print(f"demand tags on {len(items)} labelled dev questions ({LABELLED.relative_to(PROJECT_ROOT)})")
    for field in FIELDS:
        print(f"  {field} accuracy: {_accuracy(items, tagged, field):.3f}")
    hits = Counter(
        item["topic"] for item, tags in zip(items, tagged, strict=True) if item["topic"] == tags.topic
    )
    totals = Counter(item["topic"] for item in items)
    print("  topic hits: " + ", ".join(f"{t} {hits[t]}/{n}" for t, n in sorted(totals.items())))
    print("wrongly tagged:")
    _print_misses(items, tagged)
    vectors = embedder.embed_texts(questions)
    print("  topic accuracy by floor and margin:")
    _grid(tagger.topics, vectors, [item["topic"] for item in items])
    print("  sector accuracy by floor and margin:")
    _grid(tagger.sectors, vectors, [item["sector"] for item in items])


if __name__ == "__main__":
    main()
