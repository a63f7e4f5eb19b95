"""Alembic, driven from code: the migration scripts ship inside the package, no alembic.ini needed.

upgrade(database)          # to the newest revision
current_revision(database)
"""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from connector.db.engine import Database

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database: Database) -> Config:
    """A Config pointing at the packaged scripts; env.py reads the database from its attributes."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["database"] = database
    return config


def head_revision() -> str:
    """The newest revision the package ships."""
    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert head is not None, "no migration scripts shipped"
    return head


def current_revision(database: Database) -> str | None:
    """The revision the database is at; None for an empty database."""
    with database.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(database: Database, revision: str = "head") -> str:
    """Migrate up to `revision` in one transaction per step; returns the revision reached."""
    before = current_revision(database)
    command.upgrade(alembic_config(database), revision)
    after = current_revision(database) or ""
    if after != before:
        log.info("database migrated url=%s from=%s to=%s", database.safe_url, before, after)
    return after
