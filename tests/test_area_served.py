"""CONNECTOR_AREA=norfolk-suffolk with no code change: `connector ingest` and `connector serve` as real
processes (as `make run` starts them), then the area's contact, towns, theme, guides, sources and model
over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_support import free_port

from connector.settings import PROJECT_ROOT

CONNECTOR = str(Path(sys.executable).parent / "connector")
AREA = "norfolk-suffolk"
CHAMBERS = "Norfolk and Suffolk Chambers of Commerce"
LSIP_PAGE = "https://norfolkchamber.co.uk/knowledge_hub/what-is-a-local-skills-improvement-plan"


def area_env(data_dir: Path, **more: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(data_dir)),
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
        "CONNECTOR_AREA": AREA,
        "CONNECTOR_DATA_DIR": str(data_dir),
        **more,
    }


def wait_until_serving(url: str, server: subprocess.Popen, log: Path, timeout: float = 240) -> None:
    """Until /readyz answers with the index open (200, or 503 for a reason other than starting up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"connector serve exited: {log.read_text()[-800:]}")
        try:
            body = httpx.get(f"{url}/readyz", timeout=5).json()
            if "chunks" in body:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"connector serve did not open its index: {log.read_text()[-800:]}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The area's own guides ingested, then served on a free loopback port."""
    data_dir = tmp_path_factory.mktemp("norfolk-suffolk") / "data"
    guides = str(PROJECT_ROOT / "areas" / AREA / "guides")
    ingest = subprocess.run(
        [CONNECTOR, "ingest", guides], env=area_env(data_dir), capture_output=True, text=True, timeout=600
    )
    assert ingest.returncode == 0, ingest.stderr[-800:]
    port = free_port()
    log = data_dir.parent / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [CONNECTOR, "serve", "--port", str(port)],
            env=area_env(data_dir),
            cwd=data_dir.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_serving(url, server, log)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=30)


def chat(url: str, message: str) -> dict:
    response = httpx.post(f"{url}/v1/chat", json={"message": message}, timeout=120)
    assert response.status_code == 200
    return response.json()


def test_a_declined_question_offers_the_areas_chambers_and_never_a_placeholder(served):
    for message in ("Can you write me a poem about cats?", "Is there hedgehog racing on Mars in 2090?"):
        reply = chat(served, message)
        assert reply["status"] in ("refused", "no_answer")
        assert f"the {CHAMBERS} skills team" in reply["answer"]
        assert reply["contact"]["name"] == f"{CHAMBERS} skills team" and reply["contact"]["email"] == ""
        text = json.dumps(reply).lower()
        assert "@example" not in text and "example-chamber" not in text and "essex" not in text


def test_readyz_is_ready_and_a_declined_answer_offers_the_areas_lsip_page(served):
    response = httpx.get(f"{served}/readyz", timeout=30)
    body = response.json()
    assert response.status_code == 200 and body["area"] == AREA and body["chunks"] > 0
    reply = chat(served, "Is there hedgehog racing on Mars in 2090?")
    assert reply["contact"]["url"] == LSIP_PAGE and LSIP_PAGE in reply["answer"]


def test_the_course_finder_knows_the_areas_towns_and_not_anothers(served):
    for near in ("Norwich", "Bury St Edmunds", "King's Lynn", "NR32", "IP1 1AA"):
        response = httpx.get(f"{served}/v1/courses", params={"near": near}, timeout=30)
        assert response.status_code == 200, (near, response.text)
    other = httpx.get(f"{served}/v1/courses", params={"near": "Colchester"}, timeout=30)
    assert other.status_code == 422 and "unknown town 'Colchester'" in other.text and "Norwich" in other.text


def test_the_widget_takes_the_areas_title_colour_and_contact(served):
    config = httpx.get(f"{served}/v1/widget/config", timeout=30).json()
    assert config["title"] == "Norfolk and Suffolk skills help" and config["accent"] == "#1d5c3a"
    assert config["contact"]["name"] == f"{CHAMBERS} skills team" and not config["contact"]["email"]
    demo = httpx.get(f"{served}/", timeout=30).text
    assert CHAMBERS in demo and 'data-accent="#1d5c3a"' in demo and "Essex" not in demo


def test_the_areas_guides_are_served_and_anothers_are_not(served):
    own = httpx.get(f"{served}/corpus/norfolk-suffolk-lsip", timeout=30)
    assert own.status_code == 200 and "Norfolk Chambers of Commerce" in own.text
    assert httpx.get(f"{served}/corpus/essex-lsip", timeout=30).status_code == 404
    reply = chat(served, "Who leads the Norfolk and Suffolk local skills improvement plan?")
    assert reply["status"] == "answered"
    assert any(source["url"].endswith("/corpus/norfolk-suffolk-lsip") for source in reply["sources"])


def test_models_lists_the_areas_model_and_another_areas_model_is_not_found(served):
    models = httpx.get(f"{served}/v1/models", timeout=30).json()
    assert [m["id"] for m in models["data"]] == ["skills-connector-norfolk-suffolk"]
    other = httpx.post(
        f"{served}/v1/chat/completions",
        json={"model": "skills-connector-essex", "messages": [{"role": "user", "content": "Hello"}]},
        timeout=60,
    )
    assert other.status_code == 404 and other.json()["error"]["code"] == "model_not_found"


def test_ingest_reads_the_areas_sources(tmp_path):
    done = subprocess.run(
        [CONNECTOR, "ingest", "--dry-run", "--json"],
        env=area_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-800:]
    per_source = json.loads(done.stdout)["per_source"]
    assert set(per_source) == {"bundled-corpus", "area-guides"}  # the Essex sample catalogue is not here
    assert per_source["area-guides"]["new"] == 2
