"""Real `connector serve` processes for tests of several instances: each a uvicorn server in its own
process, configured only through CONNECTOR_* variables, as a container would be.

    with ApiProcess(tmp_path / "a", {"CONNECTOR_DATABASE_URL": url}) as api:
        httpx.post(f"{api.url}/v1/chat", json={"message": "..."})
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
from chroma_server import free_port

CONNECTOR = Path(sys.executable).parent / "connector"
START_SECONDS = 240  # two processes loading the model on a busy 2-core machine


def clean_environment(settings: dict[str, str]) -> dict[str, str]:
    """This process's environment without any CONNECTOR_* variable, plus the given ones and offline flags."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CONNECTOR_")}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    env.update(settings)
    return env


class ApiProcess:
    """`connector serve` on a free port with its own data dir; started and ready inside `with`."""

    def __init__(self, folder: Path, settings: dict[str, str]) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder.mkdir(parents=True, exist_ok=True)
        self.env = clean_environment(
            {"CONNECTOR_DATA_DIR": str(folder / "data"), "CONNECTOR_LOG_LEVEL": "WARNING", **settings}
        )
        self._log = folder / "server.log"
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> ApiProcess:
        with self._log.open("wb") as log:
            # cwd: the folder, so no .env file of the checkout is read.
            self._process = subprocess.Popen(
                [CONNECTOR, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                stdout=log, stderr=subprocess.STDOUT, env=self.env, cwd=self.folder,
            )  # fmt: skip
        return self

    @property
    def pid(self) -> int:
        """The process `connector serve` runs in (with several workers, the one that starts them)."""
        assert self._process is not None
        return self._process.pid

    def wait_ready(self) -> None:
        """Poll /readyz until it is 200 (model loaded, index open and non-empty)."""
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise AssertionError(f"connector serve exited: {self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"connector serve was not ready in {START_SECONDS}s: {self.log_tail()}")

    def log_tail(self) -> str:
        return self._log.read_text(errors="replace")[-1500:]

    def __exit__(self, *exc: object) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=30)
