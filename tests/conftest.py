"""Shared test fixtures: real parts only (a temp data dir, the real embedding model, real Chroma)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# The API server's ONNX export of the model, made once and shared by every test's server (each test has
# its own data dir, where the export would otherwise be made again); keyed by the weights, so it is safe
# to keep between runs.
os.environ.setdefault("CONNECTOR_MODEL_CACHE_DIR", str(Path(tempfile.gettempdir()) / "connector-test-models"))

from chroma_server import chroma_url  # noqa: E402, F401 - a real `chroma run` server
from postgres_server import database, db_settings, postgres_url  # noqa: E402, F401 - SQLite and PostgreSQL
from site_server import fixture_site, fresh_site  # noqa: E402, F401 - the fixture website

from connector.embedder import Embedder  # noqa: E402
from connector.settings import Settings  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"
# An employer's enquiry as the widget sends it, for the tests that only need one to be stored.
ENQUIRY = {
    "need": "two apprentice bricklayers",
    "organisation": "Pitsea Builders Ltd",
    "contact_name": "Sam Patel",
    "email": "sam@example.com",
    "consent": True,
}


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: its own data dir, no .env, no LLM."""
    return Settings(_env_file=None, data_dir=data_dir, **overrides)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real all-MiniLM-L6-v2, loaded once per test session."""
    return Embedder.load_bulk(make_settings(Path("/nonexistent-unused")))
