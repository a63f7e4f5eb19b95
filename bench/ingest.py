"""Ingest throughput against the embedding ceiling, on a scaled-up fixture site and the bundled corpus.

    .venv/bin/python -m bench.ingest [--pages 60]

For each corpus it prints: first-ingest pages/s and chunks/s; the raw `embed_texts` throughput on the
identical texts in the same process (each chunk and its sentences, which the ingest embeds for answering:
the ceiling on this machine); their ratio (target >= 0.8); and the
time of a re-ingest of the unchanged corpus as a ratio of the first (target <= 0.05). Figures, no asserts.
The model is loaded before timing starts, so neither figure includes loading it.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from connector.courses.places import Gazetteer
from connector.embedder import Embedder
from connector.settings import PROJECT_ROOT, Settings
from connector.store import ChunkStore, sentence_units
from ingest.report import RunReport
from ingest.run import run_ingest

SITE = PROJECT_ROOT / "eval" / "sites" / "site"
TEMPLATES = ["courses", "employers"]
SUBJECTS = ["welding", "bookkeeping", "cyber security", "care", "plumbing", "data analysis", "electrical",
            "hospitality", "construction", "logistics", "marketing", "engineering"]  # fmt: skip
WORDS = (
    "employers learners apprentices funding levy training workshop assessment qualification level "
    "placement mentor schedule evening weekend online blended certificate diploma induction portfolio "
    "end-point review progress support bursary travel childcare equipment safety practical theory"
)
VOCABULARY = WORDS.split()


def _towns() -> list[str]:
    """The served area's towns (the fixture pages name some of them)."""
    return sorted({place.name for place in Gazetteer.load().towns.values()})


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 22))]
    return f"{' '.join(words).capitalize()} in {rng.choice(_towns())} for {rng.choice(SUBJECTS)}."


def _varied(html: str, rng: random.Random, number: int) -> str:
    """A copy of a fixture page with other towns, subjects, figures and extra paragraphs."""
    html = html.replace("{{base}}", "")
    towns = _towns()
    html = re.sub(r"\b(" + "|".join(map(re.escape, towns)) + r")\b", lambda _: rng.choice(towns), html)
    html = re.sub(r"\d+", lambda m: str(int(m.group()) + number), html)
    extra = "".join(f"<p>{' '.join(_sentence(rng) for _ in range(rng.randint(3, 7)))}</p>" for _ in range(4))
    return html.replace("</main>", f"<h2>About this offer ({number})</h2>{extra}</main>", 1)


def build_site(root: Path, pages: int, seed: int = 7) -> None:
    """N varied copies of the fixture site's course and employer pages, and an index linking them."""
    rng = random.Random(seed)
    templates = [p for folder in TEMPLATES for p in sorted((SITE / folder).glob("*.html"))]
    links = []
    for number in range(pages):
        template = templates[number % len(templates)]
        path = f"{template.parent.name}/{number:04d}-{template.name}"
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(_varied(template.read_text(encoding="utf-8"), rng, number), encoding="utf-8")
        links.append(path)
    items = "".join(f'<li><a href="/{path}">Page {n}</a></li>' for n, path in enumerate(links))
    (root / "index.html").write_text(
        f"<title>Bench site</title><main><h1>All pages</h1><ul>{items}</ul></main>"
    )
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _timed(function: Callable[[list[str]], object], texts: list[str]) -> float:
    started = time.perf_counter()
    function(texts)
    return time.perf_counter() - started


def _ingest(settings: Settings, source: str, embedder: Embedder) -> tuple[RunReport, float]:
    started = time.perf_counter()
    report = run_ingest(settings, [source], embedder=embedder)
    return report, time.perf_counter() - started


def measure(label: str, data_dir: Path, source: str, embedder: Embedder, overrides: dict) -> None:
    """Round 0 ingests and learns the chunk texts; round 1 ingests again into a fresh data dir between two
    raw runs on those texts, so a change in machine load hits the ingest and its ceiling alike."""
    settings = Settings(_env_file=None, data_dir=data_dir / "round0", **overrides)  # type: ignore[call-arg]
    first, first_seconds = _ingest(settings, source, embedder)
    chunks = list(ChunkStore.open(settings).iter_chunks())
    # What the ingest embeds: each chunk, then its sentences (each distinct sentence once).
    sentences = list(dict.fromkeys(text for chunk in chunks for text in sentence_units(chunk)))
    texts = [chunk.embed_text for chunk in chunks]

    def raw(texts: list[str]) -> None:
        embedder.embed_texts(texts + sentences)  # one call, as the ingest embeds a batch

    before = _timed(raw, texts)
    fresh = Settings(_env_file=None, data_dir=data_dir / "round1", **overrides)  # type: ignore[call-arg]
    second, second_seconds = _ingest(fresh, source, embedder)
    after = _timed(raw, texts)
    again, again_seconds = _ingest(fresh, source, embedder)
    ceiling = len(texts) / ((before + after) / 2)
    rate = second.chunks_embedded / second_seconds
    pages = second.pages["new"]
    lines = [
        f"{label}: first ingest {pages} pages, {second.chunks_embedded} chunks in {second_seconds:.1f}s = "
        f"{pages / second_seconds:.2f} pages/s, {rate:.1f} chunks/s "
        f"(model busy {second.embed_seconds / second_seconds:.0%} of it; round 0 took {first_seconds:.1f}s)",
        f"  raw embed_texts on the same {len(texts)} chunks and their {len(sentences)} sentences: "
        f"{ceiling:.1f} chunks/s "
        f"(before {len(texts) / before:.1f}, after {len(texts) / after:.1f})",
        f"  ingest / ceiling = {rate / ceiling:.2f} (target >= 0.8)",
        f"  unchanged re-ingest {again_seconds:.2f}s = {again_seconds / second_seconds:.3f} of the first "
        f"(target <= 0.05), {again.chunks_embedded} chunks embedded",
    ]
    print("\n".join(lines), flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40, help="pages in the scaled-up fixture site")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
        work = Path(tmp)
        overrides = {"crawl_requests_per_second": 100.0, "crawl_max_pages": args.pages + 10}
        embedder = Embedder.load_bulk(Settings(_env_file=None))  # type: ignore[call-arg]
        embedder.embed_texts(["warm up the model"])
        rate = overrides["crawl_requests_per_second"]
        print(f"bench.ingest: batch size {embedder.batch_size}, crawl {rate:.0f} requests/s, "
              f"{args.pages} generated pages")  # fmt: skip
        (work / "site").mkdir()
        build_site(work / "site", args.pages)
        server, url = serve(work / "site")
        try:
            measure("scaled fixture site", work / "site-data", url, embedder, overrides)
        finally:
            server.shutdown()
        snapshot = shutil.copytree(PROJECT_ROOT / "corpus" / "docs", work / "docs")  # stable while measuring
        measure("bundled corpus", work / "corpus-data", str(snapshot), embedder, {})


if __name__ == "__main__":
    main()
