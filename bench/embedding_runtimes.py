"""The embedding model on three runtimes: torch (sentence-transformers, what ingest uses), onnxruntime
(installed with chromadb; what the API server uses) on an ONNX export of the same weights, and the NumPy copy
(connector/minilm.py, what short-lived commands use). For docs/decisions/install-size.md.

    .venv/bin/python -m bench.embedding_runtimes

Prints, per runtime: import-and-load time in a new process, bulk speed over the bundled corpus's passages
(batch 32), one query's latency (median of 30), cosine against torch's vectors (min and mean), and the
installed size of what it needs. The ONNX file is exported here from the packaged weights as the API
server exports it (connector/minilm_onnx.py, into a temp dir): nothing is downloaded. Figures only.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from connector.embedder import Embedder, count_tokens, load_counter, model_path
from connector.minilm_onnx import OnnxMiniLM, exported
from connector.settings import PROJECT_ROOT, Settings
from connector.store import ChunkStore
from ingest.run import run_ingest

SITE_PACKAGES = Path(np.__file__).parent.parent
LOAD_SNIPPETS = {
    "torch": "from sentence_transformers import SentenceTransformer; SentenceTransformer(PATH, device='cpu')",
    "onnxruntime": "import onnxruntime, tokenizers; onnxruntime.InferenceSession(ONNX); "
    "tokenizers.Tokenizer.from_file(PATH + '/tokenizer.json')",
    "numpy": "from connector.minilm import MiniLM; MiniLM.load(PATH)",
}
PACKAGES = {
    "torch": ["torch", "sentence_transformers", "transformers", "tokenizers", "safetensors"],
    "onnxruntime": ["onnxruntime", "tokenizers"],
    "numpy": ["tokenizers", "safetensors", "scipy"],
}


class TextsOnly:
    """Chunks the corpus as ingest does but skips the model: this bench needs the passages' texts only."""

    def __init__(self, settings: Settings) -> None:
        self._counter = load_counter(settings.embedding_model)

    def count_tokens(self, text: str) -> int:
        return count_tokens(self._counter, text)

    def embed_texts(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] + [0.0] * 383 for _ in texts]


def corpus_passages() -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder))  # type: ignore[call-arg]
        run_ingest(settings, [str(PROJECT_ROOT / "corpus" / "docs")], embedder=TextsOnly(settings))
        return [chunk.embed_text for chunk in ChunkStore.open(settings).iter_chunks()]


def timed(encode: Callable[[list[str]], np.ndarray], passages: list[str], query: str) -> tuple[float, float]:
    encode(passages[:8])  # warm
    started = time.perf_counter()
    encode(passages)
    bulk = time.perf_counter() - started
    singles = []
    for _ in range(30):
        started = time.perf_counter()
        encode([query])
        singles.append(time.perf_counter() - started)
    return bulk, statistics.median(singles)


def load_seconds(runtime: str, model_path: str, onnx_file: Path) -> float:
    code = LOAD_SNIPPETS[runtime].replace("PATH", repr(model_path)).replace("ONNX", repr(str(onnx_file)))
    best = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, cwd=PROJECT_ROOT)
        best.append(time.perf_counter() - started)
    return min(best)


def installed_mb(packages: list[str]) -> float:
    total = 0
    for name in packages:
        folder = SITE_PACKAGES / name
        total += sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) if folder.exists() else 0
    return total / 1e6


def main(argv: list[str] | None = None) -> None:
    settings = Settings(_env_file=None, data_dir=Path(tempfile.gettempdir()))  # type: ignore[call-arg]
    folder = model_path(settings.embedding_model)
    passages = corpus_passages()
    query = "How much of our levy can we transfer to another employer?"
    torch_model = Embedder.load_bulk(settings)
    numpy_model = Embedder.load(settings)
    reference = np.array(torch_model.embed_texts(passages))
    with tempfile.TemporaryDirectory() as cache:
        onnx_model = OnnxMiniLM.load(folder, Path(cache), threads=settings.embedding_threads)
        onnx_file = exported(Path(folder), Path(cache))
        encoders: dict[str, Callable[[list[str]], np.ndarray]] = {
            "torch": lambda texts: np.array(torch_model.embed_texts(texts)),
            "onnxruntime": lambda texts: onnx_model.encode(texts),
            "numpy": lambda texts: np.array(numpy_model.embed_texts(texts)),
        }
        size = onnx_file.stat().st_size / 1e6
        print(f"{len(passages)} corpus passages; ONNX file {size:.0f} MB", flush=True)
        for name, encode in encoders.items():
            cosines = (encode(passages) * reference).sum(axis=1)
            bulk, single = timed(encode, passages, query)
            print(
                f"{name:<12} load {load_seconds(name, folder, onnx_file):4.1f} s  "
                f"bulk {bulk:5.1f} s ({len(passages) / bulk:5.1f} passages/s)  "
                f"query {single * 1000:5.1f} ms  "
                f"cosine vs torch min {cosines.min():.6f} mean {cosines.mean():.6f}  "
                f"installed {installed_mb(PACKAGES[name]):5.0f} MB",
                flush=True,
            )


if __name__ == "__main__":
    main()
