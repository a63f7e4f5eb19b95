"""Server-side latency of POST /v1/chat (extractive answers) at 10k and 100k chunks, and time to the
first streamed event.

    .venv/bin/python -m bench.chat [--sizes 10000 100000] [--requests 60]

The index holds the bundled guides (real embeddings) plus synthetic filler chunks (random unit vectors,
text made of corpus sentences) up to each size, so questions are answered from real passages while the
index is as large as a crawled region's. Each question is distinct (no cache hits) and goes through a real
uvicorn server on 127.0.0.1 with the real embedding model. Figures, no asserts.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import numpy as np
import uvicorn

from api.app import create_app
from connector.embedder import Embedder
from connector.sentences import split_sentences
from connector.settings import PROJECT_ROOT, Settings
from connector.store import ChunkStore
from connector.types import Chunk, content_hash
from ingest.run import run_ingest

QUESTIONS = [
    "How much of our levy can we transfer to another employer",
    "What is the apprentice minimum wage",
    "How long is a T Level industry placement",
    "Who can apply for a Skills Bootcamp",
    "When do levy funds expire",
    "What does a non-levy employer pay towards apprenticeship training",
    "Can I get a free level 3 course at 21",
    "What is a foundation apprenticeship",
    "How do I repay an advanced learner loan",
    "What is the local skills improvement plan",
    "What are apprenticeship units",
    "Is level 7 apprenticeship funding still available for older staff",
]
ASKERS = ["", " for a small firm", " in our area", " please", " for my son", " this year", " now", " for us"]


def synthetic_chunks(count: int, sentences: list[str], seed: int) -> list[Chunk]:
    """Filler passages: 4-6 real corpus sentences each, under made-up page addresses."""
    rng = random.Random(seed)
    chunks = []
    for n in range(count):
        text = " ".join(rng.sample(sentences, rng.randint(4, 6))) + f" Ref {seed}-{n}."
        url = f"https://provider-{n % 400}.example/page-{n}"
        chunks.append(
            Chunk(content_hash(text), url, f"Provider page {n}", ["About"], text, "other", ["learner"])
        )
    return chunks


def fill_to(store: ChunkStore, size: int, sentences: list[str], dimension: int) -> None:
    """Add filler chunks with random unit vectors until the store holds `size` chunks."""
    missing = size - store.count()
    rng = np.random.default_rng(size)
    for start in range(0, missing, 5000):
        part = synthetic_chunks(min(5000, missing - start), sentences, seed=size + start)
        vectors = rng.normal(size=(len(part), dimension)).astype("float32")
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        store.upsert(part, vectors.tolist())
    store.mark_updated()


def start_server(settings: Settings) -> tuple[uvicorn.Server, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def measure(base_url: str, requests: int, offset: int) -> tuple[list[float], list[float], dict[str, int]]:
    """(JSON latencies ms, first-event latencies ms, statuses) for distinct questions."""
    latencies, first_events, statuses = [], [], {}
    with httpx.Client(timeout=30) as client:
        client.post(f"{base_url}/v1/chat", json={"message": "What is the apprenticeship levy?"})  # warm-up
        for n in range(requests):
            question = (
                QUESTIONS[n % len(QUESTIONS)] + ASKERS[(n // len(QUESTIONS) + offset) % len(ASKERS)] + "?"
            )
            started = time.perf_counter()
            body = client.post(f"{base_url}/v1/chat", json={"message": question}).json()
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[body["status"]] = statuses.get(body["status"], 0) + 1
            started = time.perf_counter()
            with client.stream(
                "POST", f"{base_url}/v1/chat", json={"message": question + " ", "stream": True}
            ) as r:
                for line in r.iter_lines():
                    if line.startswith("event: "):
                        first_events.append((time.perf_counter() - started) * 1000)
                        break
    return latencies, first_events, statuses


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="connector-bench-chat-") as folder:
        # One client asks every question: no limit per client here (bench.load lifts it the same way).
        settings = Settings(_env_file=None, data_dir=Path(folder), chat_rate="")  # type: ignore[call-arg]
        embedder = Embedder.load(settings)
        run_ingest(settings, [str(PROJECT_ROOT / "corpus" / "docs")], embedder=embedder)
        store = ChunkStore.open(settings)
        sentences = [s for chunk in store.iter_chunks() for s in split_sentences(chunk.text)]
        print(f"bundled guides: {store.count()} chunks, {len(sentences)} sentences", flush=True)
        for round_number, size in enumerate(sorted(args.sizes)):
            started = time.perf_counter()
            fill_to(store, size, sentences, embedder.dimension)
            print(
                f"index filled to {store.count()} chunks in {time.perf_counter() - started:.0f} s", flush=True
            )
            server, base_url = start_server(settings)
            try:
                latencies, first, statuses = measure(base_url, args.requests, round_number)
            finally:
                server.should_exit = True
            json_figures = (
                f"p50={statistics.median(latencies):.0f} ms p95={percentile(latencies, 0.95):.0f} ms"
            )
            sse_figures = f"p50={statistics.median(first):.0f} ms p95={percentile(first, 0.95):.0f} ms"
            print(
                f"chunks={size} requests={len(latencies)} POST /v1/chat (JSON) {json_figures} | "
                f"first SSE event {sse_figures} | statuses={statuses}",
                flush=True,
            )
            time.sleep(1)


if __name__ == "__main__":
    main()
