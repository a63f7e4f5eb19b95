"""What `connector ask` does (the Typer command in cli.py calls it; `connector eval` is in
connector/evaluation/).

connector ask "Can we transfer unused levy?" --audience employer
"""

from __future__ import annotations

import json

import typer

from connector.errors import ConnectorError
from connector.pipeline import ask_sync
from connector.services import Services
from connector.settings import Settings


def ask_command(
    settings: Settings, question: str, audience: str | None, as_json: bool, verbose: bool = False
) -> int:
    """Print one answer with its sources (and its status and route with -v); exit 1 when the service
    cannot start."""
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
    if verbose:
        typer.echo(f"[{ctx.status}, {ctx.route}]\n")
    typer.echo(f"{ctx.answer}\n")
    for number, source in enumerate(ctx.sources, start=1):
        typer.echo(f"[{number}] {source.title} - {source.url}")
    return 0
