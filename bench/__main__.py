"""Run every benchmark in this folder: `python -m bench` (each module's `main()` prints its figures).

.venv/bin/python -m bench            # all of them
.venv/bin/python -m bench.ingest     # one
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from pathlib import Path


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    folder = Path(__file__).parent
    for module in sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if not m.name.startswith("_")):
        bench = importlib.import_module(f"bench.{module}")
        if callable(getattr(bench, "main", None)):
            print(f"== bench.{module}", flush=True)
            bench.main([])


if __name__ == "__main__":
    main()
