"""Fit the passage model's weights (connector/passage_model.py) on the dev sets.

    python -m connector.evaluation.fit_passages            # fit, print figures, write the weights
    python -m connector.evaluation.fit_passages --dry-run  # figures only
    python -m connector.evaluation.fit_passages eval/dev/college.yaml ...  # on these dev files only

For every dev question that expects an answer and names its facts, the real pipeline runs up to
retrieval; every candidate passage of the dense and lexical searches is measured and labelled by whether
it holds the question's facts (as `connector eval` judges a passage hit). The weights maximise the
likelihood that a softmax over each question's passages picks a labelled one (listwise logistic
regression, L2 penalty, as for the sentence model). Figures: how often the top passage holds the facts
(hit@1) and one of the top three does, for reciprocal-rank fusion (the ranking before), for the current
weights, for the fitted weights on the sets they were fitted on, and leaving each site out in turn (the
honest one). Questions with no labelled passage among the candidates cannot be ranked right by any
weights and are counted apart. Sealed sets are never used here.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Annotated

import numpy as np
import typer

from connector.evaluation.fit_sentences import (
    Question,
    asked,
    cached,
    fit,
    held_out,
    precision,
    ranked_precision,
    write_weights,
)
from connector.evaluation.items import Item
from connector.evaluation.score import holds_facts, normalise
from connector.evaluation.sets import EvalSet, select_sets
from connector.passage_model import FEATURES, MODEL_FILE, passage_model
from connector.pipeline import _recall
from connector.services import Services
from connector.settings import Settings
from connector.steps import followup, guard, route
from connector.types import Hit

# Reciprocal-rank fusion (Cormack et al. 2009) with the audience boost: the ranking the model replaced,
# kept here only to print its figures beside the model's.
RRF_K = 60
AUDIENCE_BOOST = 1.2


def fused_rank_score(hit: Hit, audience: str | None) -> float:
    score = sum(1.0 / (RRF_K + rank + 1) for rank in (hit.dense_rank, hit.lexical_rank) if rank is not None)
    return score * (AUDIENCE_BOOST if audience and audience in hit.chunk.audiences else 1.0)


def measured(
    item: Item, services: Services, session: str | None, group: str
) -> tuple[Question, np.ndarray] | None:
    """The candidate passages' features and labels for one question, with their fused-rank scores; None
    when the question is answered before retrieval or names no facts."""
    if item.expect != "answered" or not (item.facts or item.any):
        return None
    ctx = _recall(services, item.question, item.audience, session)
    for step in (guard.run, followup.run, route.run):
        step(ctx, services)
        if ctx.stopped:
            return None
    # As the retrieve step searches: a follow-up with the pages the last answer cited.
    cited = ctx.history[-1].pages[:3] if "follow_up" in ctx.notes and ctx.history else []
    ranked = services.retriever.ranked(ctx.query, ctx.audience, prefer=cited)
    rows = np.array([[hit.features.get(name, 0.0) for name in FEATURES] for hit in ranked]).reshape(
        len(ranked), len(FEATURES)
    )
    labels = np.array([float(holds_facts(item, normalise(hit.chunk.text))) for hit in ranked])
    fused = np.array([fused_rank_score(hit, ctx.audience) for hit in ranked])
    return Question(group, rows, labels, True, True, False), fused


def questions_of(settings: Settings, sets: list[EvalSet]) -> Iterator[tuple[Question, np.ndarray]]:
    for group, item, services, session in asked(settings, sets):
        found = measured(item, services, session, group)
        if found is not None:
            yield found


def main(
    files: Annotated[list[str] | None, typer.Argument(help="Dev files to fit on (default: all).")] = None,
    dry_run: bool = typer.Option(False, help="print the figures, keep the weights file"),
    refresh: bool = typer.Option(False, help="measure again (after a change to the features or files)"),
) -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    sets = select_sets(files or [], dev=True, sealed=False)
    path = settings.data_dir / "passage-features.pkl"
    found = cached(path, refresh, lambda: list(questions_of(settings, sets)))
    questions = [question for question, _ in found]
    current = np.array([passage_model().weights[name] for name in FEATURES])
    # Kept on the fit's own scale: exp(score) is then proportional to the fitted probability that the
    # passage holds the answer.
    weights = fit(questions)
    with_fact = sum(q.labels.any() for q in questions)
    typer.echo(
        f"questions: {len(questions)}, {with_fact} with a passage holding the facts among the candidates"
    )
    typer.echo(
        "reciprocal-rank fusion: hit@1 {:.3f}  hit@3 {:.3f}".format(
            *ranked_precision([(q.labels, fused) for q, fused in found])
        )
    )
    typer.echo("current weights: hit@1 {:.3f}  hit@3 {:.3f}".format(*precision(questions, current)))
    typer.echo(
        "fitted, on the sets fitted on: hit@1 {:.3f}  hit@3 {:.3f}".format(*precision(questions, weights))
    )
    typer.echo(
        "fitted, each site left out in turn: hit@1 {:.3f}  hit@3 {:.3f}  ({} sites)".format(
            *held_out(questions)
        )
    )
    for name, weight in zip(FEATURES, weights, strict=True):
        typer.echo(f"  {name:20s} {weight:+.3f}")
    if not dry_run:
        procedure = "python -m connector.evaluation.fit_passages (docs/decisions/answering.md)"
        write_weights(MODEL_FILE, procedure, sets, len(questions), FEATURES, weights)


if __name__ == "__main__":
    typer.run(main)
