"""Which sources are due (`refresh` in sources.yaml against the last success in the product's database),
and `connector ingest --due` / `connector worker` without PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from conftest import make_settings

from connector.db import Database
from connector.db.types import utc_now
from connector.errors import ConfigError
from connector.store import ChunkStore
from ingest.command import due_command, worker_command
from ingest.ledger import SourceLedger
from ingest.sources import SourceConfig, parse_sources


def source(name: str, refresh: str | None = None) -> SourceConfig:
    return SourceConfig(name=name, path="corpus/docs", refresh=refresh)


@pytest.mark.parametrize(
    ("written", "meaning"),
    [("30m", timedelta(minutes=30)), ("6h", timedelta(hours=6)), ("1d", timedelta(days=1)),
     ("2w", timedelta(weeks=2)), ("PT12H", timedelta(hours=12))],
)  # fmt: skip
def test_refresh_reads_short_durations(written, meaning):
    assert source("guides", written).refresh == meaning


@pytest.mark.parametrize("written", ["soon", "0m", "-1d"])
def test_a_refresh_that_is_not_a_usable_duration_names_the_field(written):
    data = {"sources": [{"name": "guides", "path": "corpus/docs", "refresh": written}]}
    with pytest.raises(ConfigError, match=r"sources\[0\]\.refresh"):
        parse_sources(data, "sources.yaml")


def test_a_source_is_due_when_never_ingested_or_its_refresh_has_passed(database):
    ledger = SourceLedger(database)
    for name in ("daily", "weekly", "once"):
        ledger.succeeded(name)
    sources = [source("daily", "1d"), source("weekly", "1w"), source("once"), source("new", "1d")]

    assert [s.name for s in ledger.due(sources)] == ["new"]
    two_days_on = utc_now() + timedelta(days=2)
    assert [s.name for s in ledger.due(sources, now=two_days_on)] == ["daily", "new"]


def test_a_failed_run_keeps_the_last_success_and_records_why(database):
    ledger = SourceLedger(database)
    ledger.succeeded("college")
    before = ledger.last_success()["college"]
    ledger.started("college")
    ledger.failed("college", "cannot read source: connection refused")
    assert ledger.last_success()["college"] == before
    assert ledger.due([source("college", "1d")]) == []


def write_sources(folder: Path) -> Path:
    docs = folder / "docs"
    docs.mkdir()
    (docs / "bootcamps.md").write_text("# Bootcamps\n\nSkills Bootcamps last up to 16 weeks.\n")
    path = folder / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [{"name": "notes", "path": str(docs), "refresh": "1d"}]}))
    return path


def test_due_with_sqlite_ingests_here_and_then_nothing_is_due(tmp_path, capsys):
    settings = make_settings(tmp_path / "data", sources_file=write_sources(tmp_path))

    assert due_command(settings, as_json=False) == 0
    assert any("16 weeks" in chunk.text for chunk in ChunkStore.open(settings).iter_chunks())
    assert "notes" in SourceLedger(Database.open(settings)).last_success()
    capsys.readouterr()
    assert due_command(settings, as_json=False) == 0
    assert capsys.readouterr().out.strip() == "nothing is due"


def test_a_worker_without_postgresql_stops_with_one_line(tmp_path, capsys):
    assert worker_command(make_settings(tmp_path / "data")) == 2
    assert "need a PostgreSQL CONNECTOR_DATABASE_URL" in capsys.readouterr().err
