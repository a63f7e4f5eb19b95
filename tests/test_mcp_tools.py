"""The MCP tools server through the `mcp` client library: streamable HTTP to a real local server at /mcp,
and stdio to `connector mcp` started as a subprocess; both answer as the HTTP API does."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from answer_corpus import build_index
from browser_support import ApiServer
from conftest import make_settings
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from test_courses_api import load_sample_as_of_today

from api.app import create_app
from api.routes.chat import ChatRequest
from api.routes.courses import CourseSearchRequest
from api.routes.tools import ApprenticeCostRequest, EligibilityRequest, LevyRequest
from connector.settings import Settings

LEVY = "What percentage of the pay bill is the levy?"
TOOL_MODELS = {
    "ask": ChatRequest,
    "search_courses": CourseSearchRequest,
    "levy_estimate": LevyRequest,
    "apprentice_cost": ApprenticeCostRequest,
    "funding_eligibility": EligibilityRequest,
}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, embedder: Any) -> Settings:
    settings = make_settings(tmp_path_factory.mktemp("mcp") / "data")
    build_index(settings, embedder)
    load_sample_as_of_today(settings)
    return settings


@pytest.fixture(scope="module")
def server(indexed: Settings) -> Iterator[ApiServer]:
    api = ApiServer(create_app(indexed)).start()
    try:
        yield api
    finally:
        api.stop()


def text_of(result: Any) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


async def test_http_lists_the_five_tools_with_the_http_request_schemas(server: ApiServer) -> None:
    async with Client(server.url + "/mcp") as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert set(tools) == set(TOOL_MODELS)
    for name, model in TOOL_MODELS.items():
        expected = model.model_json_schema()
        published = tools[name].input_schema
        wanted = {field: schema for field, schema in expected["properties"].items() if field != "stream"}
        assert set(published["properties"]) == set(wanted), name
        for field, schema in wanted.items():
            for limit in ("minimum", "maximum", "exclusiveMinimum", "maxLength", "pattern", "enum"):
                assert published["properties"][field].get(limit) == schema.get(limit), (name, field, limit)
        assert set(published.get("required", [])) == set(expected.get("required", [])), name


async def test_http_ask_gives_the_same_answer_as_chat(server: ApiServer) -> None:
    expected = httpx.post(server.url + "/v1/chat", json={"message": LEVY}, timeout=120).json()
    async with Client(server.url + "/mcp") as client:
        result = await client.call_tool("ask", {"message": LEVY})
    assert not result.is_error
    answer = result.structured_content or {}
    assert answer["answer"] == expected["answer"] and answer["sources"] == expected["sources"]
    assert answer["status"] == "answered"


async def test_http_funding_tools_match_the_http_tools(server: ApiServer) -> None:
    calls = {
        "levy_estimate": ("/v1/tools/levy", {"pay_bill": 4200000, "on_date": "2026-11-25"}),
        "apprentice_cost": ("/v1/tools/apprentice-cost", {"band_max": 12000, "age": 19, "levy_payer": False}),
        "funding_eligibility": (
            "/v1/tools/eligibility",
            {"age": 24, "highest_qualification_level": 2, "course_level": 3, "on_date": "2026-11-25"},
        ),
    }
    async with Client(server.url + "/mcp") as client:
        for tool, (path, arguments) in calls.items():
            over_http = httpx.post(server.url + path, json=arguments).json()
            result = await client.call_tool(tool, arguments)
            assert not result.is_error, text_of(result)
            assert result.structured_content == over_http, tool
        courses = await client.call_tool("search_courses", {"level": "3", "limit": 3})
    over_http = httpx.get(server.url + "/v1/courses", params={"level": "3", "limit": 3}).json()
    assert not courses.is_error and over_http["total"] >= 1
    assert courses.structured_content == over_http


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("levy_estimate", {"pay_bill": -5}, "pay_bill"),
        ("levy_estimate", {}, "pay_bill"),
        ("apprentice_cost", {"band_max": 12000, "age": "old", "levy_payer": False}, "age"),
        ("funding_eligibility", {"age": 24, "employment_status": "astronaut"}, "employment_status"),
        ("search_courses", {"level": "eleventy"}, "level"),
        ("ask", {"message": "hi", "audience": "martian"}, "audience"),
    ],
)
async def test_wrong_arguments_are_a_tool_error_naming_the_field(
    server: ApiServer, tool: str, arguments: dict[str, Any], field: str
) -> None:
    async with Client(server.url + "/mcp") as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error and field in text_of(result)


def test_http_mcp_needs_the_api_key_when_keys_are_set(indexed: Settings) -> None:
    settings = make_settings(indexed.data_dir, api_keys=["mcp-key"])
    api = ApiServer(create_app(settings)).start()
    try:
        refused = httpx.post(
            api.url + "/mcp", json={}, headers={"Accept": "application/json, text/event-stream"}
        )
        assert refused.status_code == 401 and "API key" in refused.json()["error"]["message"]
    finally:
        api.stop()


async def test_stdio_subprocess_answers_like_the_api(
    indexed: Settings, server: ApiServer, tmp_path: Path
) -> None:
    expected = httpx.post(server.url + "/v1/chat", json={"message": LEVY}, timeout=120).json()
    connector = str(Path(sys.executable).parent / "connector")
    env = {
        "CONNECTOR_DATA_DIR": str(indexed.data_root),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "HOME": os.environ.get("HOME", str(tmp_path)),
    }
    params = StdioServerParameters(command=connector, args=["mcp"], env=env, cwd=str(tmp_path))
    async with Client(params, read_timeout_seconds=300) as client:
        names = {tool.name for tool in (await client.list_tools()).tools}
        answer = await client.call_tool("ask", {"message": LEVY})
        levy = await client.call_tool("levy_estimate", {"pay_bill": 4200000})
        wrong = await client.call_tool("levy_estimate", {"pay_bill": "lots"})
    assert names == set(TOOL_MODELS)
    assert (answer.structured_content or {})["answer"] == expected["answer"]
    assert (levy.structured_content or {})["annual_levy"] == 6000.0
    assert wrong.is_error and "pay_bill" in text_of(wrong)
