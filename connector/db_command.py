"""`connector db ...` and `connector purge`: the product's own database from the command line.

    connector db upgrade      # migrate to the newest revision (start-up does this too)
    connector db current      # the revision the database is at, and the newest one shipped
    connector purge           # delete what is past retention; prints counts; for cron

Exit code 0 when it did its job; 1 with one line naming the database (password hidden) otherwise.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

import typer
from sqlalchemy.exc import SQLAlchemyError

from connector.db import Database
from connector.db.engine import first_line
from connector.errors import DatabaseError
from connector.settings import get_settings

db_app = typer.Typer(help="The product's own database: migrations.")
log = logging.getLogger(__name__)
T = TypeVar("T")


def _or_exit(work: Callable[[], T]) -> T:
    """Run `work`; a database that cannot be reached or migrated is one line and exit code 1."""
    try:
        return work()
    except DatabaseError as error:
        typer.echo(f"error: {error}", err=True)
    except SQLAlchemyError as error:
        typer.echo(f"error: database: {first_line(error)}", err=True)
    raise typer.Exit(1)


@db_app.command("upgrade")
def upgrade() -> None:
    """Migrate the database to the newest revision (safe to repeat)."""
    database = _or_exit(lambda: Database.at(_url(), migrate=False))
    revision = _or_exit(database.upgrade)
    typer.echo(f"database {database.safe_url} at revision {revision}")


@db_app.command("current")
def current() -> None:
    """Print the database's revision and the newest one this version ships."""
    from connector.db.migrate import current_revision, head_revision

    database = _or_exit(lambda: Database.at(_url(), migrate=False))
    revision = _or_exit(lambda: current_revision(database))
    typer.echo(f"database {database.safe_url} at revision {revision or 'none'} (newest {head_revision()})")


def purge_command() -> None:
    """Delete questions, feedback, sessions and enquiries past retention; prints what went."""
    from connector.purge import purge

    settings = get_settings()
    database = _or_exit(lambda: Database.open(settings))
    counts = _or_exit(lambda: purge(database, settings))
    log.info("purge %s", counts.summary())
    typer.echo(f"purged {counts.summary()}")


def _url() -> str:
    from connector.db import database_url

    return database_url(get_settings())
