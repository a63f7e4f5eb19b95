"""The `connector` command line.

connector ingest                      # the bundled corpus and the sites in the area's sources.yaml
connector ingest https://college.example/ --max-pages 50
connector serve --port 8000
connector ask "How much levy does a £4.2m pay bill pay?" --audience employer
connector areas                       # list the LSIP areas and check each one's folder
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from connector.corpus_command import corpus_app
from connector.db_command import db_app, purge_command
from connector.outbox_command import outbox_app
from connector.settings import get_settings

app = typer.Typer(
    help="Skills Connector: crawl skills sources, answer questions with citations, serve the chat API."
)
app.add_typer(corpus_app, name="corpus")  # connector corpus check [--offline]
app.add_typer(db_app, name="db")  # connector db upgrade | current
app.command(name="purge")(purge_command)
app.add_typer(outbox_app, name="outbox")  # connector outbox send [--once] | status | providers
admin_app = typer.Typer(help="The admin for Chamber staff at /admin.")
app.add_typer(admin_app, name="admin")  # connector admin hash-password


@admin_app.command("hash-password")
def hash_password_command() -> None:
    """Ask for a password (twice, not echoed) and print its hash for CONNECTOR_ADMIN_PASSWORD_HASH."""
    from connector.admin_password import hash_password

    password = typer.prompt("Admin password", hide_input=True, confirmation_prompt=True)
    try:
        typer.echo(hash_password(password))
    except ValueError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


def _configure_logging(level: int | None = None) -> None:
    """JSON (or text, CONNECTOR_LOG_FORMAT) lines on stderr; the level from settings unless given."""
    from connector.logs import configure_logging

    configure_logging(get_settings(), level)


@app.command()
def serve(
    host: str = typer.Option(None, help="Interface to listen on (default from CONNECTOR_HOST)."),
    port: int = typer.Option(None, help="Port to listen on (default from CONNECTOR_PORT)."),
    workers: int = typer.Option(None, min=1, help="API processes (default from CONNECTOR_WORKERS)."),
) -> None:
    """Run the chat API and the widget."""
    import uvicorn

    from api.app import create_app
    from connector.errors import ConfigError

    _configure_logging()
    settings = get_settings()
    workers = workers or settings.workers
    try:
        api = create_app(settings)  # builds nothing heavy: a setting it cannot use stops start-up here
    except ConfigError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    # log_config=None keeps uvicorn's own lines in our format; our middleware writes the access log
    # (route templates, no query strings), so uvicorn's is off. The client address every limit counts
    # against comes from X-Forwarded-For only when a listed proxy sent it.
    options: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_config": None,
        "access_log": False,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }
    if workers == 1:
        uvicorn.run(api, **options)
        return
    from connector.workers import shared_between_workers

    # Each process builds its own app (and model) from the environment the shared parts were put in.
    with shared_between_workers(settings, workers):
        uvicorn.run("api.app:served_app", factory=True, workers=workers, **options)


@app.command()
def mcp() -> None:
    """Serve the MCP tools (ask, search_courses, levy_estimate, apprentice_cost, funding_eligibility) on
    standard input and output, for a desktop assistant to start as a subprocess."""
    from api.mcp_tools import build_mcp_server
    from connector.services import Services

    _configure_logging()  # to standard error: standard output carries the protocol
    settings = get_settings()
    services = Services.build(settings)
    build_mcp_server(settings, lambda: services).run("stdio")


@app.command(name="areas")
def areas_command(
    names: Annotated[
        list[str] | None, typer.Argument(metavar="AREA", help="Areas to check (default: every folder).")
    ] = None,
    offline: bool = typer.Option(
        False, "--offline", envvar="CI", help="No network: robots.txt of web sources is not checked."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
) -> None:
    """List the LSIP areas under areas/ and check each: contact, sectors, sources and their robots.txt.
    Exit code 1 when a checked area fails (an unreachable site is a warning, not a failure)."""
    import json

    from pydantic import ValidationError

    from connector.areas import known_areas
    from connector.areas_check import check_areas, describe
    from connector.settings import Settings

    try:
        settings = get_settings()
        _configure_logging(logging.ERROR)  # unreachable sites are findings below, not log lines
    except ValidationError as error:  # the served area is broken: still list and check every folder
        typer.echo(f"error: {error.errors()[0]['msg']}", err=True)
        settings = Settings.model_construct()
    keys = list(names or known_areas(settings.areas_dir))
    reports = check_areas(keys, settings, network=not offline)
    if as_json:
        typer.echo(json.dumps([report.as_dict() for report in reports], indent=2))
    else:
        typer.echo(describe(reports, settings.area))
    raise typer.Exit(1 if any(report.failed for report in reports) else 0)


@app.command()
def ingest(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="SOURCE", help="URL (site, page, sitemap, PDF), local file or folder, or source name."
        ),
    ] = None,
    max_pages: int = typer.Option(None, "--max-pages", min=1, help="At most this many pages per source."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Report what would change; write nothing."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
    due: bool = typer.Option(
        False,
        "--due",
        help="Only the enabled sources whose `refresh` has passed: queued for `connector worker` with "
        "PostgreSQL, ingested here with SQLite.",
    ),
) -> None:
    """Crawl and index sources (default: everything enabled in the area's sources.yaml)."""
    from ingest.command import due_command, ingest_command

    _configure_logging(logging.WARNING)
    if due:
        if sources or dry_run or max_pages:
            typer.echo("error: --due takes no SOURCE, --dry-run or --max-pages", err=True)
            raise typer.Exit(2)
        raise typer.Exit(due_command(get_settings(), as_json))
    raise typer.Exit(ingest_command(get_settings(), list(sources or []), max_pages, dry_run, as_json))


@app.command()
def worker() -> None:
    """Run an ingest worker: take source jobs from the queue in PostgreSQL until stopped (SIGTERM)."""
    from ingest.command import worker_command

    _configure_logging()
    raise typer.Exit(worker_command(get_settings()))


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    audience: str = typer.Option(None, "--audience", help="employer, learner or provider."),
    as_json: bool = typer.Option(False, "--json", help="Print the full response as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also print the status, route and log."),
) -> None:
    """Answer one question in the terminal (the same pipeline as the chat API)."""
    from connector.answer_cli import ask_command

    # Only the answer by default: errors still reach stderr, progress and library chatter do not.
    _configure_logging(logging.INFO if verbose else logging.ERROR)
    raise typer.Exit(ask_command(get_settings(), question, audience, as_json, verbose))


@app.command(name="eval")
def eval_command(
    files: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="FILE",
            help="Dev files (eval/dev/*.yaml) or sealed sets (eval/sealed/<name>); default: all of them.",
        ),
    ] = None,
    dev_only: bool = typer.Option(False, "--dev-only", help="Only the dev sets."),
    sealed_only: bool = typer.Option(False, "--sealed-only", help="Only the sealed sets."),
    show_failures: bool = typer.Option(
        False, "--show-failures", help="List every dev question scored wrong (never a sealed one)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Score answers and retrieval: the dev sets (hybrid and dense-only side by side) and, separately, the
    sealed sets (aggregate figures only)."""
    from connector.evaluation.command import eval_command as run_eval_command

    _configure_logging(logging.WARNING)
    raise typer.Exit(
        run_eval_command(get_settings(), list(files or []), show_failures, as_json, dev_only, sealed_only)
    )


@app.command()
def redteam(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Run the red-team set (eval/redteam/): attacks and honest look-alikes through the extractive path and
    a language model scripted to obey; exit 1 when a target is missed."""
    from connector.evaluation.redteam import figures, render, run_redteam
    from connector.evaluation.redteam_items import load_redteam

    _configure_logging(logging.WARNING)
    results = figures(run_redteam(get_settings(), load_redteam()))
    typer.echo(json.dumps(results, indent=2) if as_json else "\n".join(render(results)))
    raise typer.Exit(0 if all(path["met"] for path in results.values()) else 1)


@app.command()
def report(
    days: int = typer.Option(30, "--days", min=1, max=3650, help="How many days back to look."),
    since: Annotated[
        datetime | None,
        typer.Option("--since", formats=["%Y-%m-%d"], help="From this date (YYYY-MM-DD) instead of --days."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", file_okay=False, help="Write CSV files and an HTML report into this folder."),
    ] = None,
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """What people asked, what went unanswered and what was unhelpful: the Chamber's demand signal."""
    import json

    from connector.report import build_report, render_text

    settings = get_settings()
    if out is not None:
        from connector.report_files import write_demand_report

        start = since.date() if since else (datetime.now(UTC) - timedelta(days=days)).date()
        for path in write_demand_report(settings, start, out):
            typer.echo(str(path))
        return
    start_ts = since.replace(tzinfo=UTC).timestamp() if since else None
    result = build_report(settings, days=days, since=start_ts)
    typer.echo(json.dumps(result.as_dict(), indent=2) if as_json else render_text(result))


if __name__ == "__main__":
    app()
