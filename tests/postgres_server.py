"""A real PostgreSQL server for the test session, and the `db_settings` / `database` fixtures that run a
store test on SQLite and on PostgreSQL alike.

    def test_something(database):             # runs twice: [sqlite] and [postgresql]
        QuestionLog(database).record(...)

    def test_other(db_settings):             # Settings whose database is the same backend
        build_report(db_settings)

PostgreSQL refuses to run as root, so the server is initialised and run as an unprivileged user (`postgres`
if Debian's package made one, else `nobody`) in a temp dir, on a free port on 127.0.0.1, with durability
switched off (tests need no crash safety). One server serves the whole session; each test gets empty tables.
Without PostgreSQL installed the PostgreSQL half is skipped, except under CI=true, where it fails: CI must
install it (`make postgres`).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from connector.db import Database
from connector.db.tables import metadata
from connector.settings import Settings


def initdb_path() -> Path | None:
    """Debian keeps the server binaries off PATH, one folder per major version; the newest wins."""
    found = shutil.which("initdb")
    if found:
        return Path(found)
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(versions[-1]) if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_user() -> tuple[list[str], str | None]:
    """The command prefix that runs a program as an unprivileged user, and that user (None: ourselves)."""
    if os.geteuid() != 0:
        return [], None
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        return ["runuser", "-u", user, "--"], user
    raise RuntimeError("no unprivileged user to run PostgreSQL as")


class PostgresServer:
    """initdb + pg_ctl start in a temp dir; stop() ends the server and removes the dir."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # Under /tmp, not $TMPDIR: the server's user must be able to reach the folder.
        self.root = Path(tempfile.mkdtemp(prefix="connector-pg-", dir="/tmp"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.prefix, user = _as_user()
        if user is not None:
            record = pwd.getpwnam(user)
            os.chown(self.root, record.pw_uid, record.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://connector@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self.prefix, *args], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text()[-800:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args[:2])} failed: {result.stderr[-800:]} {tail}")

    def start(self) -> None:
        initdb = str(self.bin_dir / "initdb")
        self._run(initdb, "-D", str(self.data), "-U", "connector", "-A", "trust", "-E", "UTF8", "--no-sync")
        options = f"-p {self.port} -h 127.0.0.1 -k {self.root} -F -c full_page_writes=off"
        pg_ctl = str(self.bin_dir / "pg_ctl")
        self._run(
            pg_ctl, "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w", "start"
        )

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"PostgreSQL is needed in CI and {reason} (make postgres installs it)", pytrace=False)
    pytest.skip(f"PostgreSQL {reason}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server started for this test session."""
    initdb = initdb_path()
    if initdb is None:
        _unavailable("is not installed")
    assert initdb is not None
    server = PostgresServer(initdb.parent)
    try:
        server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
        shutil.rmtree(server.root, ignore_errors=True)
        _unavailable(f"did not start: {error}")
    started = time.monotonic()
    try:
        yield server.url
    finally:
        server.stop()
        print(f"postgresql test server ran {time.monotonic() - started:.0f}s")


def empty_tables(database: Database) -> None:
    """Remove every row (PostgreSQL: one TRUNCATE, cheaper than a new database per test)."""
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with database.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings with their own data dir, the product's tables on SQLite or on the session's PostgreSQL."""
    overrides: dict[str, object] = {}
    if request.param == "postgresql":
        overrides["database_url"] = request.getfixturevalue("postgres_url")
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", **overrides)  # type: ignore[call-arg]
    yield settings
    if request.param == "postgresql":
        empty_tables(Database.open(settings))


@pytest.fixture
def database(db_settings: Settings) -> Database:
    """The product's database for one test, migrated, empty."""
    return Database.open(db_settings)
