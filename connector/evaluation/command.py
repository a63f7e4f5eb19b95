"""`connector eval`: the dev sets (hybrid and dense-only side by side, per file, failures on request) and
the sealed sets (aggregates only), each block with its own figures.

connector eval                          # every dev file and every sealed set
connector eval --dev-only --show-failures
connector eval --sealed-only
connector eval eval/dev/college.yaml eval/sealed/<name>
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import typer

from connector.errors import ConnectorError
from connector.evaluation.report import (
    dev_figures,
    render_dev,
    render_failures,
    render_sealed,
    sealed_figures,
)
from connector.evaluation.run import CORPUS_SOURCES, Results, evaluate_corpus, evaluate_site
from connector.evaluation.sealed_logs import hidden_from_logs
from connector.evaluation.sets import EvalSet, select_sets
from connector.retrieve import Mode
from connector.settings import Settings

DEV_MODES: tuple[Mode, ...] = ("hybrid", "dense")
# Sealed sets get the dense-only baseline too: a set's time is mostly its fresh ingest, so the second
# mode adds a few seconds, not double.
SEALED_MODES: tuple[Mode, ...] = ("hybrid", "dense")


def eval_command(
    settings: Settings,
    files: list[str],
    show_failures: bool = False,
    as_json: bool = False,
    dev_only: bool = False,
    sealed_only: bool = False,
    corpus: Sequence[str] = tuple(CORPUS_SOURCES),
) -> int:
    """Run the evaluation and print its figures; exit 0 (figures are reported, not enforced here).
    `corpus`: what a site is ingested with (the bundled corpus; a test may give less)."""
    if dev_only and sealed_only:
        typer.echo("--dev-only and --sealed-only exclude each other", err=True)
        return 2
    try:
        sets = select_sets(files, dev=not sealed_only, sealed=not dev_only)
    except ConnectorError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    dev_sets = [s for s in sets if not s.sealed]
    try:
        dev = run_dev(settings, dev_sets) if dev_sets else None
    except ConnectorError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    per_set: dict[str, tuple[Results, int]] = {}
    for sealed_set in (s for s in sets if s.sealed):
        try:
            per_set[sealed_set.name] = run_sealed(settings, sealed_set, corpus)
        except Exception as error:  # its message could quote the set: name the kind of error only
            kind = type(error).__name__
            typer.echo(f"error: sealed set {sealed_set.name} could not be run ({kind})", err=True)
            return 1
    output: dict[str, Any] = {
        "dev": dev_figures(dev) if dev is not None else None,
        "sealed": sealed_figures(per_set, SEALED_MODES) if per_set or not (dev_only or files) else None,
    }
    if as_json:
        typer.echo(json.dumps(output, indent=2))
    else:
        blocks = []
        if output["dev"] is not None:
            blocks.append("\n".join(render_dev(output["dev"])))
        if output["sealed"] is not None:
            blocks.append("\n".join(render_sealed(output["sealed"])))
        typer.echo("\n\n".join(blocks))
    if show_failures and dev is not None:
        typer.echo("\nDEV failures (hybrid):")
        typer.echo("\n".join(render_failures(dev["hybrid"])) or "  none")
    return 0


def run_dev(settings: Settings, sets: list[EvalSet]) -> Results:
    """Every dev item, hybrid and dense-only: the corpus files in the kept evaluation index, each fixture
    site's files in a fresh index of that site and the corpus."""
    results: Results = {mode: [] for mode in DEV_MODES}
    corpus_items = [item for s in sets if s.site is None for item in s.items]
    if corpus_items:
        _extend(results, evaluate_corpus(settings, corpus_items, DEV_MODES))
    for site in dict.fromkeys(s.site for s in sets if s.site is not None):
        items = [item for s in sets if s.site == site for item in s.items]
        _extend(results, evaluate_site(settings, site, items, DEV_MODES)[0])
    return results


def run_sealed(
    settings: Settings, sealed_set: EvalSet, corpus: Sequence[str] = tuple(CORPUS_SOURCES)
) -> tuple[Results, int]:
    """One sealed set on a fresh index of its site and the corpus (or the corpus alone when it has no
    site); returns the outcomes and how many of its site's pages were indexed."""
    if sealed_set.site is None:
        with hidden_from_logs(None, [item.question for item in sealed_set.items]):
            return evaluate_corpus(settings, sealed_set.items, SEALED_MODES), 0
    return evaluate_site(
        settings, sealed_set.site, sealed_set.items, SEALED_MODES, sealed=True, corpus=corpus
    )


def _extend(results: Results, more: Results) -> None:
    for mode, outcomes in more.items():
        results[mode].extend(outcomes)
