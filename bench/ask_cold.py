"""A cold `connector ask`: a new process answering one question from an index already on disk.

    .venv/bin/python -m bench.ask_cold [--runs 5]

Ingests the bundled corpus into a temp data dir once, then times `connector ask` in fresh processes
(process start, imports, model and index open, the answer). The first run also writes the data dir's
cache of example vectors; the rest are what an operator sees every time. Prints the figures, the lines
printed (only the answer and its sources unless -v) and the target (<= 3 s). Figures, no asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = [
    ("Can we use our levy for a level 7 apprenticeship?", "employer"),
    ("free courses near me?", "learner"),
    ("What is a T Level?", "learner"),
]
TARGET_SECONDS = 3.0


def _connector() -> str:
    return str(Path(sys.executable).with_name("connector"))


def _environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, CONNECTOR_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return env | {"ANONYMIZED_TELEMETRY": "False"}


def _timed_ask(env: dict[str, str], question: str, audience: str) -> tuple[float, str, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [_connector(), "ask", question, "--audience", audience], env=env, capture_output=True, text=True
    )
    return time.perf_counter() - started, done.stdout, done.stderr


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-ask-") as folder:
        env = _environment(Path(folder) / "data")
        subprocess.run([_connector(), "ingest"], env=env, capture_output=True, check=True)
        first, _, _ = _timed_ask(env, *QUESTIONS[0])
        times, stdout, stderr = [], "", ""
        for run in range(args.runs):
            seconds, stdout, stderr = _timed_ask(env, *QUESTIONS[run % len(QUESTIONS)])
            times.append(seconds)
    print(f"first ask in a new data dir (writes the example-vector cache): {first:.2f} s")
    print(
        f"cold ask, {args.runs} new processes: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s (target <= {TARGET_SECONDS:.0f} s)"
    )
    lines = f"{len(stdout.splitlines())} lines on stdout, {len(stderr.splitlines())} on stderr"
    print(f"last run printed {lines}")


if __name__ == "__main__":
    main()
