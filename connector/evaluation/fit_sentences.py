"""Fit the sentence model's weights (connector/steps/sentence_model.py) on the dev sets.

    python -m connector.evaluation.fit_sentences            # fit, print figures, write the weights
    python -m connector.evaluation.fit_sentences --dry-run  # figures only
    python -m connector.evaluation.fit_sentences eval/dev/college.yaml ...  # on these dev files only

For every dev question that expects an answer, the real pipeline runs up to retrieval; each sentence the
composer could quote is measured (every feature, similarity included) and labelled by whether it holds
one of the facts the question expects. Questions with no such sentence among the candidates say nothing
about choosing sentences (retrieval missed) and are left out. The weights maximise the likelihood that
a softmax over each question's sentences picks a labelled one (listwise logistic regression, L2 penalty),
fitted by gradient descent. Figures: how often the top sentence holds a fact (P@1) and a fact is among
the top three, with the current weights, with the fitted weights on the sets they were fitted on, and
leaving each site out in turn (fitted on the others, scored on it): the last is the honest one.
Sealed sets are never used here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, TypeVar

import numpy as np
import typer

from connector.evaluation.items import Item
from connector.evaluation.run import indexed_services, with_mode
from connector.evaluation.score import normalise
from connector.evaluation.sets import EvalSet, select_sets
from connector.focus import focus_gap
from connector.pipeline import _recall, ask_sync
from connector.services import Services
from connector.settings import Settings
from connector.steps import compose, followup, guard, retrieve, route
from connector.steps.sentence_model import FEATURES, MODEL_FILE, sentence_model

T = TypeVar("T")

L2 = 0.01
STEPS = 3000
LEARNING_RATE = 0.5


@dataclass
class Question:
    group: str  # the site (or "corpus") it was asked about: the unit left out in cross-validation
    features: np.ndarray  # one row per candidate sentence, columns in FEATURES order
    labels: np.ndarray  # 1 for a sentence that holds an expected fact
    answerable: bool  # False for a question the site does not answer (expect: no_answer)
    floor: bool  # the passages clear the relevance floor
    focus_gap: bool  # the focus check finds a focus word no passage speaks to


def expected(item: Item) -> list[str]:
    return [normalise(text) for text in [*item.facts, *item.any]]


def measured(item: Item, services: Services, session: str | None, group: str) -> Question | None:
    """The candidate sentences' features and labels for one question, or None when the question is
    answered before retrieval (a tool, a refusal) or expects an answer without naming its facts."""
    facts = expected(item)
    if item.expect not in ("answered", "no_answer") or (item.expect == "answered" and not facts):
        return None
    ctx = _recall(services, item.question, item.audience, session)
    for step in (guard.run, followup.run, route.run):
        step(ctx, services)
        if ctx.stopped:
            return None
    retrieve.search_once(ctx, services)
    follow_up = "follow_up" in ctx.notes
    floor = bool(ctx.hits) and (
        services.retriever.is_relevant(ctx.hits, follow_up=follow_up)
        or services.retriever.has_close_sentence(ctx.query, ctx.hits)
    )
    gap = not follow_up and focus_gap(ctx.question, ctx.hits, services.retriever.meanings) is not None
    quoted = compose.passages(ctx)
    found = compose.candidates(quoted)
    rows = np.zeros((0, len(FEATURES)))
    labels = np.zeros(0)
    if found:
        asked = ctx.question if follow_up else ""
        compose.measure(found, ctx.query, ctx.audience, asked, None, quoted)
        compose.add_similarity(found, ctx.query, asked, services, quoted)
        rows = np.array([[c.features.get(name, 0.0) for name in FEATURES] for c in found])
        labels = np.array([float(any(fact in normalise(c.text) for fact in facts)) for c in found])
    return Question(group, rows, labels, item.expect == "answered", floor, gap)


def asked(settings: Settings, sets: list[EvalSet]) -> Iterator[tuple[str, Item, Services, str | None]]:
    """Each dev question with its site (the unit left out in cross-validation), the services indexed on
    that site and the session of the question it follows up, if any."""
    by_site: dict[str, list[EvalSet]] = {}
    for eval_set in sets:
        by_site.setdefault(str(eval_set.site or "corpus"), []).append(eval_set)
    for group, site_sets in by_site.items():
        with indexed_services(settings, site_sets[0].site) as (built, _):
            services = with_mode(built, "hybrid")
            for eval_set in site_sets:
                # Only a question that a follow-up comes after is asked in full, for its session.
                followed = {item.follow_up_of for item in eval_set.items}
                sessions: dict[str, str] = {}
                for item in eval_set.items:
                    session = sessions.get(item.follow_up_of or "")
                    yield group, item, services, session
                    if item.id in followed:
                        result = ask_sync(services, item.question, item.audience, session)
                        sessions[item.id] = result.ctx.session_id


def questions_of(settings: Settings, sets: list[EvalSet]) -> Iterator[Question]:
    for group, item, services, session in asked(settings, sets):
        question = measured(item, services, session, group)
        if question is not None:
            yield question


def fit(questions: list[Question]) -> np.ndarray:
    """Weights maximising the mean log-probability that a softmax over each question's sentences picks
    one holding an expected fact (listwise logistic regression), L2-penalised, by gradient descent."""
    ranked = [q for q in questions if q.labels.any()]
    x = np.vstack([q.features for q in ranked])
    y = np.concatenate([q.labels for q in ranked])
    starts = np.cumsum([0] + [len(q.labels) for q in ranked[:-1]])  # where each question's rows begin
    owner = np.repeat(np.arange(len(ranked)), [len(q.labels) for q in ranked])
    weights = np.zeros(x.shape[1])
    for _ in range(STEPS):
        scores = x @ weights
        e = np.exp(scores - np.maximum.reduceat(scores, starts)[owner])
        p = e / np.add.reduceat(e, starts)[owner]
        positive = p * y
        q = positive / np.add.reduceat(positive, starts)[owner]
        weights -= LEARNING_RATE * (L2 * weights - x.T @ (q - p) / len(ranked))
    return weights


def on_scale_of(weights: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """The weights times one factor, so their scores have the size of the reference weights' scores: the
    fit fixes only the ratios that matter for ranking, and the composer's relative floors (a share of the
    best sentence's score) keep their meaning."""
    return weights * np.abs(reference).sum() / np.abs(weights).sum()


def precision(questions: list[Question], weights: np.ndarray) -> tuple[float, float]:
    """(share of questions whose best-scored sentence holds a fact, share with one in the top three)."""
    return ranked_precision([(q.labels, q.features @ weights) for q in questions])


def ranked_precision(scored: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """(share of the (labels, scores) pairs whose best-scored item is labelled, share with a labelled one
    in the top three), over the pairs with any labelled item."""
    first = top3 = 0
    scored = [(labels, scores) for labels, scores in scored if labels.any()]
    for labels, scores in scored:
        order = np.argsort(-scores, kind="stable")
        first += int(labels[order[0]] > 0)
        top3 += int(labels[order[:3]].any())
    return first / len(scored), top3 / len(scored)


def held_out(questions: list[Question]) -> tuple[float, float, int]:
    """P@1 and P@3 of weights fitted without each site, scored on that site, pooled over sites."""
    first = top3 = 0.0
    ranked = [q for q in questions if q.labels.any()]
    for group in sorted({q.group for q in ranked}):
        train = [q for q in questions if q.group != group]
        test = [q for q in ranked if q.group == group]
        p1, p3 = precision(test, fit(train))
        first, top3 = first + p1 * len(test), top3 + p3 * len(test)
    return first / len(ranked), top3 / len(ranked), len({q.group for q in ranked})


def declines(questions: list[Question]) -> str:
    """What today's decline rules do on the dev questions: the relevance floor, then the focus check."""
    must = [q for q in questions if not q.answerable]
    answerable = [q for q in questions if q.answerable]

    def floor(group: list[Question]) -> int:
        return sum(not q.floor for q in group)

    def either(group: list[Question]) -> int:
        return sum(not q.floor or q.focus_gap for q in group)

    return (
        f"the floor declines {floor(must)}/{len(must)} must-declines and {floor(answerable)}/"
        f"{len(answerable)} answerable; with the focus check {either(must)} and {either(answerable)}"
    )


def cached(path: Path, refresh: bool, measure: Callable[[], list[T]]) -> list[T]:
    """The measured questions, kept in the data dir between runs (measuring re-crawls every site)."""
    if path.is_file() and not refresh:
        return pickle.loads(path.read_bytes())  # noqa: S301 - our own file, written just below
    found = measure()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(found))
    return found


def write_weights(
    path: Path,
    procedure: str,
    sets: list[EvalSet],
    questions: int,
    features: Sequence[str],
    weights: np.ndarray,
) -> None:
    """The fitted weights with the date, the procedure and the dev sets they were fitted on."""
    record = {
        "fitted": dt.date.today().isoformat(),
        "procedure": procedure,
        "dev_sets": [s.name for s in sets],
        "questions": questions,
        "weights": {name: round(float(w), 4) for name, w in zip(features, weights, strict=True)},
    }
    path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"written: {path}")


def main(
    files: Annotated[list[str] | None, typer.Argument(help="Dev files to fit on (default: all).")] = None,
    dry_run: bool = typer.Option(False, help="print the figures, keep the weights file"),
    refresh: bool = typer.Option(False, help="measure again (after a change to the features or files)"),
) -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings()
    sets = select_sets(files or [], dev=True, sealed=False)
    path = settings.data_dir / "sentence-features.pkl"
    questions = cached(path, refresh, lambda: list(questions_of(settings, sets)))
    current = np.array([sentence_model().weights[name] for name in FEATURES])
    weights = on_scale_of(fit(questions), current)
    with_fact = sum(q.labels.any() for q in questions)
    typer.echo(f"questions: {len(questions)}, {with_fact} with a fact among the candidates")
    typer.echo(declines(questions))
    typer.echo("current weights: P@1 {:.3f}  P@3 {:.3f}".format(*precision(questions, current)))
    typer.echo("fitted, on the sets fitted on: P@1 {:.3f}  P@3 {:.3f}".format(*precision(questions, weights)))
    typer.echo(
        "fitted, each site left out in turn: P@1 {:.3f}  P@3 {:.3f}  ({} sites)".format(*held_out(questions))
    )
    for name, weight in zip(FEATURES, weights, strict=True):
        typer.echo(f"  {name:20s} {weight:+.3f}")
    if not dry_run:
        procedure = "python -m connector.evaluation.fit_sentences (docs/decisions/answering.md)"
        write_weights(MODEL_FILE, procedure, sets, len(questions), FEATURES, weights)


if __name__ == "__main__":
    typer.run(main)
