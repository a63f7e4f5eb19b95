"""`connector corpus check`: are the bundled guides and funding rules well formed and still current?

    connector corpus check            # structure, review dates, unchecked figures, rule sources answer
    connector corpus check --offline  # no network: structure, review dates, figures (also when CI=true)

Exit code 1 when a guide or rules file is malformed or past its review date; 0 otherwise. Sources that do
not answer, figures no rule holds and rules no longer in force are warnings: listed, never failing.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from connector.corpus_check import CorpusReport

corpus_app = typer.Typer(help="Check the bundled guides (corpus/docs) and funding rules (corpus/rules).")


@corpus_app.command("check")
def check(
    offline: bool = typer.Option(
        False, "--offline", envvar="CI", help="No network: dates and structure only (also when CI=true)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
    docs_dir: Annotated[
        Path | None,
        typer.Option("--docs", help="Guides folder (default: corpus/docs and every areas/*/guides)."),
    ] = None,
    rules_dir: Annotated[
        Path | None, typer.Option("--rules", help="Rules folder (default corpus/rules).")
    ] = None,
    today: str = typer.Option(None, "--today", help="Check review dates as of this day (YYYY-MM-DD)."),
) -> None:
    """List guides and rules past review, malformed entries, rule sources that do not answer, and figures
    in guides that no rule holds. Fails only on malformed entries and dates past review."""
    from connector.corpus_check import check_corpus, http_source_problem
    from connector.tools.rules import DEFAULT_RULES_DIR

    day = _day(today)
    fetcher = None if offline else http_source_problem(_user_agent())
    report = check_corpus(docs_dir, rules_dir or DEFAULT_RULES_DIR, day, fetcher)
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else _render(report))
    raise typer.Exit(1 if report.errors else 0)


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter("use YYYY-MM-DD", param_hint="--today") from None


def _user_agent() -> str:
    from connector.settings import get_settings

    return get_settings().user_agent


def _render(report: CorpusReport) -> str:
    mode = "online: rule sources fetched" if report.online else "offline: dates and structure, no network"
    lines = [
        f"Corpus check on {report.today.isoformat()} ({mode}): {report.guides} guides, "
        f"{report.rule_files} rule files, {report.rules} rules."
    ]
    for title, findings in (("Errors", report.errors), ("Warnings", report.warnings)):
        if findings:
            lines += ["", f"{title} ({len(findings)}):"]
            lines += [f"- [{f.kind}] {f.where}: {f.message}" for f in findings]
    verdict = f"FAILED: {len(report.errors)} error(s)" if report.errors else "OK"
    lines += ["", f"{verdict}; {len(report.warnings)} warning(s)."]
    return "\n".join(lines)
