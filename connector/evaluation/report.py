"""The figures `connector eval` prints: a DEV block and a SEALED block, never one figure mixing both.

dev = dev_figures(results)            # {"hybrid": {...}, "dense": {...}, "by_file": {...}}
sealed = sealed_figures(per_set, ["hybrid"])   # {"sets": {name: {...}}, "total": {...}}: aggregates only
typer.echo("\n".join(render_dev(dev)))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from connector.evaluation.score import CAUSES, FAILURE_KINDS, Outcome, summarise

Results = dict[str, list[Outcome]]
SEALED_FAILURES = FAILURE_KINDS[:-1]  # sealed items expect answered or no_answer: no wrong_decline
# The only figures a sealed set yields: no question, answer, id or page.
SEALED_KEYS = (
    "questions",
    "answer_accuracy",
    "answered_right",
    "answerable",
    "declined_right",
    "must_decline",
    "failures",
    "causes",
    "passage_hit_at_1",
    "passage_hit_at_3",
    "passage_questions",
    "fact_in_lead",
    "p50_ms",
)


def dev_figures(results: Results) -> dict[str, Any]:
    """Overall figures per mode, and per file."""
    files = dict.fromkeys(outcome.item.file for outcome in next(iter(results.values()), []))
    by_file = {
        file: {mode: summarise([o for o in run if o.item.file == file]) for mode, run in results.items()}
        for file in files
    }
    return {**{mode: summarise(outcomes) for mode, outcomes in results.items()}, "by_file": by_file}


def sealed_figures(per_set: dict[str, tuple[Results, int]], modes: Sequence[str]) -> dict[str, Any]:
    """Aggregates per sealed set and in total, per mode; `per_set` maps a set to its outcomes and the
    number of its site's pages indexed."""
    sets = {
        name: {**{mode: _sealed(outcomes) for mode, outcomes in results.items()}, "site_pages": pages}
        for name, (results, pages) in per_set.items()
    }
    total = {
        mode: _sealed([o for results, _ in per_set.values() for o in results.get(mode, [])]) for mode in modes
    }
    return {"modes": list(modes), "sets": sets, "total": total}


def _sealed(outcomes: list[Outcome]) -> dict[str, Any]:
    figures = summarise(outcomes)
    figures["failures"] = {kind: figures["failures"][kind] for kind in SEALED_FAILURES}
    return {key: figures[key] for key in SEALED_KEYS}


def render_dev(dev: dict[str, Any]) -> list[str]:
    hybrid, dense = dev["hybrid"], dev["dense"]
    lines = ["DEV (tuned on; not a result)", f"{'':36}{'hybrid':>10}{'dense-only':>12}"]
    for label, value in _rows(FAILURE_KINDS, with_sources=True):
        lines.append(f"{label:36}{value(hybrid):>10}{value(dense):>12}")
    lines.append(
        f"({hybrid['retrieval_questions']} questions with expected sources, "
        f"{hybrid['abstain_questions']} that must abstain, {hybrid['passage_questions']} with facts for the "
        "passage hits)"
    )
    by_file = dev["by_file"]
    width = max((len(file) for file in by_file), default=0) + 1
    lines.append("\nby file (hybrid / dense-only): questions, answer accuracy, hit@5, abstention accuracy")
    for file, modes in by_file.items():
        h, d = modes["hybrid"], modes["dense"]
        lines.append(
            f"  {file:{width}}{h['questions']:>5}   {h['answer_accuracy']:.3f} / {d['answer_accuracy']:.3f}"
            f"   {h['hit_at_5']:.3f} / {d['hit_at_5']:.3f}"
            f"   {h['abstention_accuracy']:.3f} / {d['abstention_accuracy']:.3f}"
        )
    lines.append(
        "\nby file (hybrid): failures by kind (false_decline, wrong_sentence, wrong_route,\n"
        "answered_should_decline, leak, wrong_decline), passage hit@1, hit@3"
    )
    for file, modes in by_file.items():
        h = modes["hybrid"]
        kinds = " ".join(f"{h['failures'][kind]:>3}" for kind in FAILURE_KINDS)
        lines.append(f"  {file:{width}}{kinds}   {h['passage_hit_at_1']:.3f}  {h['passage_hit_at_3']:.3f}")
    return lines


def render_sealed(sealed: dict[str, Any]) -> list[str]:
    """One column per sealed set and one for their total; with more than one retrieval mode each cell
    reads "hybrid | dense-only"."""
    modes = sealed["modes"]
    names = " | ".join(_mode_name(mode) for mode in modes)
    head = f"SEALED (written blind, never read; aggregates only; each cell: {names})"
    if not sealed["sets"]:
        return [head, "  no sealed sets (eval/sealed/<name>/questions.yaml)"]
    columns = [*sealed["sets"], "total"]
    figures = [[sealed["sets"][name][mode] for mode in modes] for name in sealed["sets"]]
    figures.append([sealed["total"][mode] for mode in modes])
    rows = _rows(SEALED_FAILURES, with_sources=False)
    cells = [[" | ".join(value(f) for f in column) for column in figures] for _, value in rows]
    width = max(12, *(len(name) + 2 for name in columns), *(len(cell) + 2 for row in cells for cell in row))
    lines = [head, f"{'':36}" + "".join(f"{name:>{width}}" for name in columns)]
    for (label, _), row in zip(rows, cells, strict=True):
        lines.append(f"{label:36}" + "".join(f"{cell:>{width}}" for cell in row))
    pages = "".join(f"{sealed['sets'][name]['site_pages']:>{width}}" for name in sealed["sets"])
    lines.append(f"{'site pages indexed':36}{pages}")
    return lines


def _rows(kinds: tuple[str, ...], *, with_sources: bool) -> list[tuple[str, Any]]:
    """(label, how to show the figure) for the rows of a block."""
    rows: list[tuple[str, Any]] = [
        ("questions", lambda f: f"{f['questions']}"),
        ("answer accuracy", lambda f: f"{f['answer_accuracy']:.3f}"),
        ("answered right", lambda f: f"{f['answered_right']}/{f['answerable']}"),
        ("declined when it should", lambda f: f"{f['declined_right']}/{f['must_decline']}"),
    ]
    if with_sources:
        rows += [
            ("source hit@5", lambda f: f"{f['hit_at_5']:.3f}"),
            ("MRR", lambda f: f"{f['mrr']:.3f}"),
            ("cited-source precision", lambda f: f"{f['source_precision']:.3f}"),
        ]
    rows += [
        ("passage hit@1", lambda f: f"{f['passage_hit_at_1']:.3f}"),
        ("passage hit@3", lambda f: f"{f['passage_hit_at_3']:.3f}"),
        ("fact in the lead sentence", lambda f: f"{f['fact_in_lead']:.3f}"),
        ("p50 ms per question", lambda f: f"{f['p50_ms']:.0f}"),
    ]
    rows += [(f"failures: {kind}", lambda f, kind=kind: f"{f['failures'][kind]}") for kind in kinds]
    rows += [(f"  by cause: {name}", lambda f, name=name: f"{f['causes'][name]}") for name in CAUSES]
    return rows


def _mode_name(mode: str) -> str:
    return "dense-only" if mode == "dense" else mode


def render_failures(outcomes: list[Outcome]) -> list[str]:
    """Every dev question scored wrong or whose expected source was not retrieved (never a sealed one)."""
    lines = []
    for outcome in outcomes:
        item = outcome.item
        if item.sealed or (outcome.correct and (outcome.rank is not None or not item.sources)):
            continue
        why = [outcome.kind] if outcome.kind else []
        if outcome.status != item.expect:
            why.append(f"status {outcome.status} (expected {item.expect}, route {outcome.route})")
        if outcome.missing_facts and item.expect == "answered":
            why.append(f"missing {outcome.missing_facts}")
        if outcome.missing_any and item.expect == "answered":
            why.append(f"none of {item.any}")
        if outcome.leaked:
            why.append(f"leaked {outcome.leaked}")
        if item.sources and outcome.rank is None and item.expect == "answered":
            why.append("expected source not in top 5")
        lines.append(f"- {item.id} ({item.file}): {'; '.join(why)}")
    return lines
