"""`connector outbox send [--once]` and `connector outbox status`: the enquiry emails from cron or a shell.

connector outbox send --once      # send what is due now and exit (cron: every few minutes)
connector outbox send             # keep sending, polling every CONNECTOR_OUTBOX_POLL_SECONDS
"""

from __future__ import annotations

import asyncio
import json

import typer

from connector.logs import configure_logging
from connector.settings import get_settings

outbox_app = typer.Typer(help="The outbox of enquiry emails.", no_args_is_help=True)


def _outbox():  # type: ignore[no-untyped-def]
    from connector.db import Database
    from connector.outbox import Outbox

    return Outbox(Database.open(get_settings()))


@outbox_app.command("send")
def send(once: bool = typer.Option(False, "--once", help="One pass over what is due, then exit.")) -> None:
    """Send the emails that are due, with retries and backoff."""
    from connector.mailer import run_sender, send_due

    settings = get_settings()
    configure_logging(settings)
    if not settings.smtp_configured:
        typer.echo("CONNECTOR_SMTP_HOST is not set: emails wait in the outbox.", err=True)
        raise typer.Exit(1)
    outbox = _outbox()
    if once:
        result = send_due(settings, outbox)
        typer.echo(f"sent {result.sent}, retrying {result.retrying}, given up {result.given_up}")
        return
    asyncio.run(run_sender(settings, outbox, asyncio.Event()))


@outbox_app.command("status")
def status() -> None:
    """How many emails are pending, sent and failed (JSON)."""
    typer.echo(json.dumps(_outbox().counts()))


@outbox_app.command("providers")
def providers() -> None:
    """Check the provider directory; lists providers without an enquiry email (exit 0, they are kept)."""
    from connector.providers import ProviderDirectory

    directory = ProviderDirectory.load(get_settings().providers_file)
    typer.echo(f"{len(directory.entries)} providers in {directory.path}")
    for warning in directory.warnings:
        typer.echo(f"warning: {warning}")
