"""Fuzzing every public endpoint from the app's own OpenAPI schema with schemathesis, against the real API
under uvicorn (real index, real model): no 5xx, and every response matches what the schema says of it.

Bounded and repeatable: a fixed number of examples per operation, derandomized, no example database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import make_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 40


@pytest.fixture(scope="module")
def fuzz_api(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Iterator[ApiServer]:
    # One fuzzer sends every request: no limit per client here (tests/test_rate_limits.py has those).
    api_settings = make_settings(tmp_path_factory.mktemp("fuzz") / "data", chat_rate="", enquiry_rate="")
    build_index(api_settings, embedder)
    server = ApiServer(create_app(api_settings)).start()
    yield server
    server.stop()


# The schema the app publishes, read at collection (building the app touches nothing on disk); the calls
# go to the running server below. It covers /v1/chat/completions and /v1/models. /mcp is not in it: that
# endpoint speaks JSON-RPC on one path inside a session (initialize, then tools/call), which an OpenAPI
# operation cannot describe; its tool arguments are the request models fuzzed here through /v1/chat,
# /v1/courses and /v1/tools/*, and tests/test_mcp_tools.py covers its refusals.
schema = schemathesis.openapi.from_dict(create_app(make_settings(Path("/nonexistent-unused"))).openapi())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_every_response_matches_its_schema(case: Any, fuzz_api: ApiServer) -> None:
    # Every check but one: a request the schema allows may still be refused by a rule the schema cannot
    # state (a date before any funding rule, a place not in the gazetteer, consent that must be true).
    case.call_and_validate(base_url=fuzz_api.url, timeout=60, excluded_checks=[positive_data_acceptance])


def test_the_fuzzed_schema_includes_the_openai_shaped_endpoints() -> None:
    assert {"/v1/chat/completions", "/v1/models", "/v1/chat", "/v1/enquiries"} <= set(
        schema.raw_schema["paths"]
    )
