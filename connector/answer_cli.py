"""What `connector ask` and `connector eval` do (the Typer commands in cli.py call these).

connector ask "Can we transfer unused levy?" --audience employer
connector eval --show-failures
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import typer

from connector.errors import ConnectorError
from connector.evaluate import (
    EVAL_DIR,
    Item,
    Outcome,
    ensure_index,
    eval_settings,
    load_items,
    run_eval,
    summarise,
)
from connector.pipeline import ask_sync
from connector.services import Services
from connector.settings import PROJECT_ROOT, Settings

CORPUS_SOURCES = [str(PROJECT_ROOT / "corpus" / "docs"), str(PROJECT_ROOT / "corpus" / "courses")]
# Eval files about a fixture website (tests/fixtures/<folder>): "<folder>.yaml" or "<folder>-<more>.yaml".
# The site is served on 127.0.0.1 and crawled, with the bundled corpus, into a fresh index, as a
# Chamber's deployment would hold both.
FIXTURE_SITES = PROJECT_ROOT / "tests" / "fixtures"
SITE_FOLDERS = ("site", "college")


def site_of(file_name: str) -> str | None:
    """The fixture site an eval file is about, or None for the bundled corpus."""
    stem = file_name.removesuffix(".yaml")
    return next((f for f in SITE_FOLDERS if stem == f or stem.startswith(f"{f}-")), None)


def ask_command(settings: Settings, question: str, audience: str | None, as_json: bool) -> int:
    """Print one answer with its sources; exit 1 when the service cannot start."""
    if audience not in (None, "employer", "learner", "provider"):
        typer.echo("--audience must be employer, learner or provider", err=True)
        return 2
    try:
        services = Services.build(settings)
    except ConnectorError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    if services.store.count() == 0:
        typer.echo("The index is empty: run `connector ingest` first.", err=True)
        return 1
    ctx = ask_sync(services, question, audience).ctx
    if as_json:
        sources = [{"title": s.title, "url": s.url, "snippet": s.snippet} for s in ctx.sources]
        body = {"answer": ctx.answer, "status": str(ctx.status), "route": ctx.route, "sources": sources}
        typer.echo(
            json.dumps({**body, "cards": ctx.cards, "timings_ms": ctx.timings}, ensure_ascii=False, indent=2)
        )
        return 0
    typer.echo(f"[{ctx.status}, {ctx.route}]\n\n{ctx.answer}\n")
    for number, source in enumerate(ctx.sources, start=1):
        typer.echo(f"[{number}] {source.title} - {source.url}")
    return 0


def eval_command(settings: Settings, files: list[str], show_failures: bool, as_json: bool) -> int:
    """Run the evaluation and print its figures; exit 0 (figures are reported, not enforced here)."""
    paths = [Path(f) for f in files] or sorted(EVAL_DIR.glob("*.yaml"))
    items = load_items(paths)
    corpus_items = [item for item in items if site_of(item.file) is None]
    results: dict[str, list[Outcome]] = {"hybrid": [], "dense": []}
    try:
        if corpus_items:
            _evaluate(eval_settings(settings), CORPUS_SOURCES, corpus_items, results)
        for folder in SITE_FOLDERS:
            site_items = [item for item in items if site_of(item.file) == folder]
            if site_items:
                _evaluate_site(settings, folder, site_items, results)
    except ConnectorError as error:
        typer.echo(f"error: {error}", err=True)
        return 1
    figures = {mode: summarise(outcomes) for mode, outcomes in results.items()}
    by_file = _by_file(results)
    if as_json:
        typer.echo(json.dumps({**figures, "by_file": by_file}, indent=2))
    else:
        _print_table(figures)
        _print_by_file(by_file)
    if show_failures:
        _print_failures(results["hybrid"])
    return 0


def _evaluate(
    settings: Settings, sources: list[str], items: list[Item], results: dict[str, list[Outcome]]
) -> None:
    ensure_index(settings, sources)
    services = Services.build(settings)
    for mode in ("hybrid", "dense"):
        results[mode].extend(run_eval(services, items, mode))  # type: ignore[arg-type]


def _evaluate_site(
    settings: Settings, folder: str, items: list[Item], results: dict[str, list[Outcome]]
) -> None:
    """A fixture website, served on 127.0.0.1 and crawled with the bundled corpus into a fresh index."""
    sys.path.insert(0, str(PROJECT_ROOT / "tests"))
    from site_server import FixtureSite  # the fictional provider sites the tests use

    site = FixtureSite(root=FIXTURE_SITES / folder)
    site.start()
    try:
        with tempfile.TemporaryDirectory(prefix="connector-eval-site-") as data_dir:
            site_settings = settings.model_copy(
                update={"data_dir": Path(data_dir), "crawl_requests_per_second": 50.0}
            )
            _evaluate(site_settings, [*CORPUS_SOURCES, site.base_url], items, results)
    finally:
        site.stop()


def _print_table(figures: dict[str, dict[str, Any]]) -> None:
    rows = [
        ("questions", "questions", "{:.0f}"),
        ("answer accuracy", "answer_accuracy", "{:.3f}"),
        ("source hit@5", "hit_at_5", "{:.3f}"),
        ("MRR", "mrr", "{:.3f}"),
        ("abstention accuracy", "abstention_accuracy", "{:.3f}"),
        ("cited-source precision", "source_precision", "{:.3f}"),
        ("false abstentions", "false_abstentions", "{:.0f}"),
        ("p50 ms per question", "p50_ms", "{:.0f}"),
    ]
    typer.echo(f"{'':24}{'hybrid':>10}{'dense-only':>12}")
    for label, key, fmt in rows:
        typer.echo(
            f"{label:24}{fmt.format(figures['hybrid'][key]):>10}{fmt.format(figures['dense'][key]):>12}"
        )
    hybrid = figures["hybrid"]
    typer.echo(
        f"({hybrid['retrieval_questions']} questions with expected sources, "
        f"{hybrid['abstain_questions']} that must abstain)"
    )


def _by_file(results: dict[str, list[Outcome]]) -> dict[str, dict[str, dict[str, Any]]]:
    """The headline figures of each eval file, per mode."""
    files = dict.fromkeys(outcome.item.file for outcome in results["hybrid"])
    return {
        file: {
            mode: summarise([o for o in outcomes if o.item.file == file])
            for mode, outcomes in results.items()
        }
        for file in files
    }


def _print_by_file(by_file: dict[str, dict[str, dict[str, Any]]]) -> None:
    typer.echo("\nby file (hybrid / dense-only): questions, answer accuracy, hit@5, abstention accuracy")
    width = max((len(file) for file in by_file), default=0) + 1
    for file, modes in by_file.items():
        hybrid, dense = modes["hybrid"], modes["dense"]
        typer.echo(
            f"  {file:{width}}{hybrid['questions']:>5}"
            f"   {hybrid['answer_accuracy']:.3f} / {dense['answer_accuracy']:.3f}"
            f"   {hybrid['hit_at_5']:.3f} / {dense['hit_at_5']:.3f}"
            f"   {hybrid['abstention_accuracy']:.3f} / {dense['abstention_accuracy']:.3f}"
        )


def _print_failures(outcomes: list[Outcome]) -> None:
    for outcome in outcomes:
        if outcome.correct and (outcome.rank is not None or not outcome.item.sources):
            continue
        item = outcome.item
        why = []
        if outcome.status != item.expect:
            why.append(f"status {outcome.status} (expected {item.expect})")
        if outcome.missing_facts and item.expect == "answered":
            why.append(f"missing {outcome.missing_facts}")
        if item.sources and outcome.rank is None and item.expect == "answered":
            why.append("expected source not in top 5")
        typer.echo(f"- {item.id} ({item.file}): {'; '.join(why)}")
